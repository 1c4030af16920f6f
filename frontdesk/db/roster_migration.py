"""Schema version 8, "roster imports": a resident's document type and category, ids of
households and residents never reused, and the tables that let an import from a spreadsheet be
taken back whole (``frontdesk.db.imports``).

Taking an import back removes the households and residents it made; SQLite would then give
their ids to the next records made (the largest id plus one), and the audit log, which names a
record by its id through ``audit_subject``, would tell the new person's story with the removed
one's. ``AUTOINCREMENT`` never reuses an id, and SQLite cannot add it in place: both tables are
rebuilt the way SQLite documents (https://sqlite.org/lang_altertable.html#otheralter), from the
models' current definitions (which add ``document_type`` and ``category``, 居民身份证 and 户籍
for every record made before), rows copied with their ids, indexes made again. The foreign keys
are off while it runs (``migrations.migrate`` turns them off before its transaction, the only
place SQLite lets that change) and checked before it commits. A database made from the current
models is left as it is.
"""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

from frontdesk.db.imports import RosterImport, RosterImportRow
from frontdesk.db.people import Household, Resident

REBUILT: tuple[Any, ...] = (Household, Resident)


def _sql(db: SqliteDatabase, query: object) -> str:
    sql, params = db.get_sql_context().sql(query).query()
    assert not params
    return str(sql)


def rebuild_table(db: SqliteDatabase, model: Any) -> None:
    """Make ``model``'s table again from its current definition, its rows kept with their ids."""
    table = model._meta.table_name
    (current,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    wanted = _sql(db, model._schema._create_table(safe=False))
    if current == wanted:
        return
    triggers = db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view') AND tbl_name = ?",
        (table,),
    ).fetchall()
    if triggers:  # a rebuild would drop them
        raise RuntimeError(f"{table} has triggers or views: {triggers}")
    new = f"{table}_new"
    kept = {row[1] for row in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()}
    columns = ", ".join(
        f'"{f.column_name}"' for f in model._meta.sorted_fields if f.column_name in kept
    )
    db.execute_sql(wanted.replace(f'"{table}"', f'"{new}"', 1))
    db.execute_sql(f'INSERT INTO "{new}" ({columns}) SELECT {columns} FROM "{table}"')
    db.execute_sql(f'DROP TABLE "{table}"')  # its indexes go with it
    db.execute_sql(f'ALTER TABLE "{new}" RENAME TO "{table}"')
    for index in model._schema._create_indexes(safe=True):
        db.execute_sql(_sql(db, index))


def add_roster_imports(db: SqliteDatabase) -> None:
    """Version 8: households and residents with ids never reused, and the residents'
    ``document_type`` and ``category``; the import tables."""
    for model in REBUILT:
        rebuild_table(db, model)
    broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"{len(broken)} rows refer to records that are gone: {broken[:5]}")
    db.create_tables([RosterImport, RosterImportRow], safe=True)


# versions whose step rebuilds a table that others refer to: foreign keys off while it runs
NEEDS_FOREIGN_KEYS_OFF = frozenset({8})
