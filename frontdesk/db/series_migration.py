"""Schema version 6, "series lineage": a series split off another ("this and following") says
which one (``booking_series.split_from_id``), so that the parts of one weekly class never both
hold an occurrence on one date (``frontdesk.bookings.series``).

The column is added in place (nullable, no table rebuild) with its index. Splits made before
are found in the audit log, where each successor's ``series.create`` entry names the series it
was split from; the log itself is not touched. A database that has the column already (made
from the current models) is left as it is.
"""

from __future__ import annotations

import json

from peewee import SqliteDatabase

COLUMN = (
    'ALTER TABLE "booking_series" ADD COLUMN "split_from_id" INTEGER'
    ' REFERENCES "booking_series" ("id") ON DELETE RESTRICT'
)
INDEX = (
    'CREATE INDEX IF NOT EXISTS "booking_series_split_from_id"'
    ' ON "booking_series" ("split_from_id")'
)


def add_series_lineage(db: SqliteDatabase) -> None:
    """Version 6: ``booking_series.split_from_id``, filled in from the audit log."""
    present = {column.name for column in db.get_columns("booking_series")}
    if "split_from_id" not in present:
        db.execute_sql(COLUMN)
    db.execute_sql(INDEX)
    rows = db.execute_sql(
        "SELECT entity_id, detail FROM audit_entry"
        " WHERE action = 'series.create' AND entity = 'booking_series' AND detail LIKE ?",
        ('%"split_from"%',),
    ).fetchall()
    for successor, detail in rows:
        try:
            parent = json.loads(detail).get("split_from")
        except (ValueError, AttributeError):
            continue
        if isinstance(parent, int) and successor is not None:
            db.execute_sql(
                'UPDATE "booking_series" SET "split_from_id" = ?'
                ' WHERE "id" = ? AND "split_from_id" IS NULL'
                ' AND EXISTS (SELECT 1 FROM "booking_series" WHERE "id" = ?)',
                (parent, successor, parent),
            )
