"""The schema version and the configuration the program keeps in the database."""

from __future__ import annotations

from peewee import CharField, DateTimeField, IntegerField, TextField

from frontdesk.db.base import BaseModel


class SchemaMigration(BaseModel):
    """One row per applied schema version; its presence marks a frontdesk database."""

    version = IntegerField(primary_key=True)
    name = CharField()
    applied_at = DateTimeField()


class Setting(BaseModel):
    """Configuration as JSON values, e.g. ``requests.auto_escalate_grace_hours``."""

    key = CharField(primary_key=True)
    value = TextField()
