"""The data layer: Peewee models, connection setup, migrations. Imports no Textual."""
