"""The schema version and the migrations that run at start-up.

A new database gets the current schema in one step; an older one is brought up to date one
version at a time. Both run inside one IMMEDIATE transaction, so several processes starting at
once on one file queue on the lock and the later ones find the work done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from peewee import SqliteDatabase

from frontdesk.db import reference
from frontdesk.db.audit import AUDIT_GUARDS
from frontdesk.db.audit_migration import add_audit_chain, guard_subjects
from frontdesk.db.care_migration import add_care_visits
from frontdesk.db.filecheck import SCHEMA_VERSION
from frontdesk.db.meta import SchemaMigration
from frontdesk.db.models import ALL_MODELS
from frontdesk.db.request_event_migration import allow_corrections
from frontdesk.db.roster_migration import NEEDS_FOREIGN_KEYS_OFF, add_roster_imports
from frontdesk.db.search import key_by_community
from frontdesk.db.series_migration import add_series_lineage
from frontdesk.db.staff_migration import add_staff_confirmation
from frontdesk.errors import UserError

# version -> (name, function bringing the schema from version - 1 to version); version 1 is
# the first schema. Each version's step is registered here; a new database gets the last one,
# SCHEMA_VERSION (kept beside the file checks, which need it without the ORM).
MIGRATIONS: dict[int, tuple[str, Callable[[SqliteDatabase], None]]] = {
    2: ("audit chain", add_audit_chain),
    3: ("search keys by community, ID numbers of current residents", key_by_community),
    4: ("staff confirmation", add_staff_confirmation),
    5: ("audit subjects append-only", guard_subjects),
    6: ("series lineage", add_series_lineage),
    7: ("request corrections", allow_corrections),
    8: ("roster imports", add_roster_imports),
    9: ("care visits", add_care_visits),
}


def create_schema(db: SqliteDatabase) -> None:
    db.create_tables(ALL_MODELS, safe=True)
    for sql in AUDIT_GUARDS.values():  # triggers and the chain index: not expressed by the ORM
        db.execute_sql(sql)


def current_version(db: SqliteDatabase) -> int | None:
    if not db.table_exists(SchemaMigration._meta.table_name):
        return None
    row = (
        SchemaMigration.select(SchemaMigration.version)
        .order_by(SchemaMigration.version.desc())
        .first()
    )
    return row.version if row else None


def migrate(db: SqliteDatabase, now: datetime) -> int:
    """Bring the schema to ``SCHEMA_VERSION``; return the version found before (0 if new).

    A step that rebuilds a table others refer to runs with the foreign keys off (SQLite lets
    that change only outside a transaction); the step checks them before the commit."""
    found = current_version(db)
    rebuilding = found is not None and any(
        found < version <= SCHEMA_VERSION for version in NEEDS_FOREIGN_KEYS_OFF
    )
    if not rebuilding:
        return _migrate(db, now)
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        return _migrate(db, now)
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")


def _migrate(db: SqliteDatabase, now: datetime) -> int:
    with db.atomic():  # BEGIN IMMEDIATE: one process at a time
        found = current_version(db)
        if found is None:
            if db.get_tables():
                raise UserError("error.db_not_frontdesk", path=db.database)
            create_schema(db)
            reference.install()
            SchemaMigration.create(version=SCHEMA_VERSION, name="initial", applied_at=now)
            return 0
        if found > SCHEMA_VERSION:
            raise UserError(
                "error.db_newer", path=db.database, found=found, supported=SCHEMA_VERSION
            )
        for version in range(found + 1, SCHEMA_VERSION + 1):
            name, step = MIGRATIONS[version]
            step(db)
            SchemaMigration.create(version=version, name=name, applied_at=now)
        return found
