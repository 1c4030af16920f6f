"""Schema version 9, "care visits": a visit says how it was made, whether anyone was home, the
five areas it looked at and whom it saw; levels, pauses, events, campaigns and assignments get
their tables (``frontdesk.db.care``).

The ``visit`` table is rebuilt (its ``staff`` may now be empty for a volunteer's visit, which
SQLite cannot change in place) from the model's definition, rows copied with their ids: every
visit made before was an in-person visit by its staff member, who also recorded it. Whom it saw
was not kept; the members living in the household on the visit's day are taken as seen.

A resident gets an ``emergency_contact`` (紧急联系人, one line, empty by default) unless the table
has it already (a version-8 step run by this code rebuilds ``resident`` from the current model).
"""

from __future__ import annotations

from peewee import SqliteDatabase

from frontdesk.db.care import CARE_MODELS, Visit, VisitPerson
from frontdesk.db.roster_migration import rebuild_table


def add_care_visits(db: SqliteDatabase) -> None:
    """Version 9."""
    columns = {row[1] for row in db.execute_sql('PRAGMA table_info("resident")').fetchall()}
    if "emergency_contact" not in columns:
        db.execute_sql(
            "ALTER TABLE resident ADD COLUMN emergency_contact VARCHAR(255) NOT NULL DEFAULT ''"
        )
    rebuild_table(db, Visit)
    db.execute_sql("UPDATE visit SET created_by_id = staff_id WHERE created_by_id IS NULL")
    db.create_tables([VisitPerson, *CARE_MODELS], safe=True)
    db.execute_sql(
        "INSERT OR IGNORE INTO visit_person (visit_id, resident_id) "
        "SELECT v.id, r.id FROM visit v JOIN resident r ON r.household_id = v.household_id "
        "WHERE r.moved_in_on <= date(v.visited_at) "
        "AND (r.moved_out_on IS NULL OR r.moved_out_on > date(v.visited_at)) "
        "AND (r.died_on IS NULL OR r.died_on > date(v.visited_at))"
    )
