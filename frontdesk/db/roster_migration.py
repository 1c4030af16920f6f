"""Schema version 8, "roster imports": a resident's document type and category, and the tables
that let an import from a spreadsheet be taken back whole (``frontdesk.db.imports``).

The two columns are added in place with their defaults (居民身份证, 户籍: what every record made
before held), and the new tables are created as the models define them. A database that has
them already (made from the current models) is left as it is.
"""

from __future__ import annotations

from peewee import SqliteDatabase

from frontdesk.db.imports import RosterImport, RosterImportRow
from frontdesk.vocabulary import DocumentType, ResidentCategory


def _check(column: str, values: type[DocumentType] | type[ResidentCategory]) -> str:
    allowed = ", ".join(f"'{member.value}'" for member in values)
    return f"CHECK ({column} IN ({allowed}))"


COLUMNS = {
    "document_type": (
        'ALTER TABLE "resident" ADD COLUMN "document_type" VARCHAR(24) NOT NULL'
        f" DEFAULT 'id_card' {_check('document_type', DocumentType)}"
    ),
    "category": (
        'ALTER TABLE "resident" ADD COLUMN "category" VARCHAR(12) NOT NULL'
        f" DEFAULT 'registered' {_check('category', ResidentCategory)}"
    ),
}


def add_roster_imports(db: SqliteDatabase) -> None:
    """Version 8: ``resident.document_type`` and ``resident.category``; the import tables."""
    present = {column.name for column in db.get_columns("resident")}
    for name, sql in COLUMNS.items():
        if name not in present:
            db.execute_sql(sql)
    db.create_tables([RosterImport, RosterImportRow], safe=True)
