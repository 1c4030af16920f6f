"""Schema version 4, "staff confirmation": an account can wait for the leadership's confirmation.

Three nullable columns are added to ``staff`` in place (SQLite adds a column with no default
other than NULL without rebuilding the table, and the tables pointing at ``staff`` stay as they
are), with the index the model declares for ``pending_by``. Existing accounts wait for nothing.
A database that has them already (made from the current models) is left as it is.
"""

from __future__ import annotations

from peewee import SqliteDatabase

COLUMNS = {
    "pending_change": 'ALTER TABLE "staff" ADD COLUMN "pending_change" VARCHAR(16)',
    "pending_by_id": 'ALTER TABLE "staff" ADD COLUMN "pending_by_id" INTEGER'
    ' REFERENCES "staff" ("id") ON DELETE RESTRICT',
    "pending_since": 'ALTER TABLE "staff" ADD COLUMN "pending_since" DATETIME',
}
INDEX = 'CREATE INDEX IF NOT EXISTS "staff_pending_by_id" ON "staff" ("pending_by_id")'


def add_staff_confirmation(db: SqliteDatabase) -> None:
    """Version 4: ``staff.pending_change``, ``pending_by_id``, ``pending_since``."""
    present = {column.name for column in db.get_columns("staff")}
    for name, sql in COLUMNS.items():
        if name not in present:
            db.execute_sql(sql)
    db.execute_sql(INDEX)
