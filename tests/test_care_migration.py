"""Schema 9: a schema-8 database's visits (a staff member, a time, a purpose and a note) are kept
with their ids as in-person visits that saw the members living in the household that day, made
and recorded by their staff member; the care tables are made."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

from peewee import SqliteDatabase

from frontdesk.clock import FixedClock
from frontdesk.db import migrations
from frontdesk.db.care import CARE_MODELS
from frontdesk.db.connection import open_database

SCHEMA_8_VISIT = (
    'CREATE TABLE "visit" ("id" INTEGER NOT NULL PRIMARY KEY, "staff_id" INTEGER NOT NULL, '
    '"household_id" INTEGER NOT NULL, "visited_at" DATETIME NOT NULL, '
    '"purpose" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, "created_at" DATETIME NOT NULL, '
    'FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE RESTRICT)'
)
VISITED = datetime(2026, 10, 20, 15, 0)


def _back_to_schema_8(conn: sqlite3.Connection) -> tuple[int, list[int], int]:
    """The visit table as schema 8 made it, with two old visits to one household; the care
    tables gone. (household, the members there on the visit's day, the one who had moved out)"""
    conn.execute("PRAGMA foreign_keys = OFF")
    care_tables = [model._meta.table_name for model in CARE_MODELS]
    for table in ("visit_person", *care_tables, "visit"):
        conn.execute(f'DROP TABLE "{table}"')
    conn.execute(SCHEMA_8_VISIT)
    conn.execute("ALTER TABLE resident DROP COLUMN emergency_contact")  # new in schema 9
    conn.execute('CREATE INDEX "visit_household_id" ON "visit" ("household_id")')
    conn.execute('CREATE INDEX "visit_staff_id" ON "visit" ("staff_id")')
    household, *_rest = conn.execute(
        "SELECT household_id FROM resident WHERE status = 'living' AND moved_in_on < '2026-01-01'"
        " GROUP BY household_id HAVING count(*) >= 3 ORDER BY household_id LIMIT 1"
    ).fetchone()
    members = [
        rid
        for (rid,) in conn.execute(
            "SELECT id FROM resident WHERE household_id = ? AND status = 'living' ORDER BY id",
            (household,),
        )
    ]
    gone = members[-1]  # moved out in September, before the visit
    conn.execute(
        "UPDATE resident SET status = 'moved_out', moved_out_on = '2026-09-01' WHERE id = ?",
        (gone,),
    )
    (staff,) = conn.execute("SELECT id FROM staff WHERE username = 'gm-lj-01'").fetchone()
    for visit_id, at in ((41, VISITED), (42, datetime(2026, 8, 3, 9, 30))):
        conn.execute(
            "INSERT INTO visit (id, staff_id, household_id, visited_at, purpose, note, created_at)"
            " VALUES (?, ?, ?, ?, '例行走访', '身体尚可', ?)",
            (visit_id, staff, household, at.isoformat(sep=" "), at.isoformat(sep=" ")),
        )
    conn.execute(
        "UPDATE schema_migration SET version = 8 WHERE version = ?", (migrations.SCHEMA_VERSION,)
    )
    conn.commit()
    return household, members, gone


def test_schema_8_visits_are_kept_and_see_the_members_living_there(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    path = Path(demo_copy.database)
    demo_copy.close()
    with closing(sqlite3.connect(path)) as conn:
        household, members, gone = _back_to_schema_8(conn)
        (staff,) = conn.execute("SELECT id FROM staff WHERE username = 'gm-lj-01'").fetchone()
    db = open_database(path, create=False, now=clock.now)
    try:
        assert migrations.current_version(db) == migrations.SCHEMA_VERSION
    finally:
        db.close()
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT id, household_id, staff_id, created_by_id, mode, outcome, volunteer, purpose,"
            " note, health, request_id FROM visit ORDER BY id"
        ).fetchall()
        assert rows == [
            (
                41,
                household,
                staff,
                staff,
                "in_person",
                "seen",
                "",
                "例行走访",
                "身体尚可",
                None,
                None,
            ),
            (
                42,
                household,
                staff,
                staff,
                "in_person",
                "seen",
                "",
                "例行走访",
                "身体尚可",
                None,
                None,
            ),
        ]
        seen = {
            visit: sorted(
                r
                for (r,) in conn.execute(
                    "SELECT resident_id FROM visit_person WHERE visit_id = ?", (visit,)
                )
            )
            for visit in (41, 42)
        }
        there = sorted(members[:-1])
        assert seen[41] == there  # the one who moved out in September was not there in October
        assert seen[42] == sorted([*there, gone])  # but was in August
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {model._meta.table_name for model in CARE_MODELS} <= tables
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        contacts = conn.execute("SELECT DISTINCT emergency_contact FROM resident").fetchall()
        assert contacts == [("",)]  # the new column, empty for everyone
        try:
            conn.execute("UPDATE visit SET staff_id = NULL WHERE id = 41")
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("a visit without staff or volunteer was taken")
    assert date(2026, 9, 1) < VISITED.date()
