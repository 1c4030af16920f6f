"""One weekly class in parts: "this and following" splits a series, and the parts never both
hold an occurrence on one date — whichever part is edited, and on databases made before the
parts were recorded (schema 6 finds them in the audit log)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.bookings.series import change_series, load_series
from frontdesk.clock import FixedClock
from frontdesk.db import migrations
from frontdesk.db.connection import open_database
from frontdesk.db.models import Booking, BookingSeries
from frontdesk.errors import UserError
from tests.roles import staff_of
from tests.test_series import MONDAY, NOW, begun_series, clear, room, rows_of, state

FRIDAY = date(2026, 12, 4)


def _split_on_friday(series_id: int) -> int:
    """This and following from Friday 12-04 on, an hour later: the later part's id."""
    rows = rows_of({series_id})
    friday = next(r for r in rows if r.occurrence_date == FRIDAY)
    seen = load_series(series_id, actor_id=staff_of())
    saved = change_series(
        friday.id,
        "following",
        replace(seen.data, starts_on=FRIDAY, start_time=time(11, 0), end_time=time(12, 0)),
        series_id=seen.id,
        version=seen.version,
        actor_id=staff_of(),
        now=NOW,
    )
    return saved.series_id


def _everything() -> list[tuple[Any, ...]]:
    return [state(r) for r in Booking.select().order_by(Booking.id)]


def test_the_earlier_part_is_not_stretched_over_the_later_ones_dates(
    demo_copy: SqliteDatabase,
) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    first = begun_series(meeting)
    later = _split_on_friday(first)
    assert BookingSeries.get_by_id(later).split_from_id == first
    before = _everything()
    earlier = load_series(first, actor_id=staff_of())
    leftover = next(r for r in rows_of({first}) if r.occurrence_date == date(2026, 12, 1))
    with pytest.raises(UserError) as refused:  # the whole earlier part, now 20 times
        change_series(
            leftover.id,
            "all",
            replace(earlier.data, until_on=None, occurrences=20),
            series_id=earlier.id,
            version=earlier.version,
            actor_id=staff_of(),
            now=NOW,
        )
    assert refused.value.key == "series.other_part"
    assert refused.value.params["date"] == "2026-12-04"
    with pytest.raises(UserError) as refused:  # from its past Tuesday on, six times
        change_series(
            leftover.id,
            "following",
            replace(earlier.data, starts_on=leftover.occurrence_date, until_on=None, occurrences=6),
            series_id=earlier.id,
            version=earlier.version,
            actor_id=staff_of(),
            now=NOW,
        )
    assert refused.value.key == "series.other_part"
    assert _everything() == before  # nothing written
    days = [r.occurrence_date for r in rows_of({first, later}) if r.status != "cancelled"]
    assert len(days) == len(set(days))


def test_an_edit_of_a_part_that_keeps_to_its_own_dates_goes_through(
    demo_copy: SqliteDatabase,
) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    first = begun_series(meeting)
    later = _split_on_friday(first)
    seen = load_series(later, actor_id=staff_of())
    one = rows_of({later})[0]
    saved = change_series(
        one.id,
        "all",
        replace(seen.data, title="书法课（提高班）"),
        series_id=seen.id,
        version=seen.version,
        actor_id=staff_of(),
        now=NOW,
    )
    assert saved.booked
    titles = {r.title for r in rows_of({later}) if r.status == "booked"}
    assert titles == {"书法课（提高班）"}


def test_the_later_part_is_not_moved_back_over_the_earlier_ones_dates(
    demo_copy: SqliteDatabase,
) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    first = begun_series(meeting)
    later = _split_on_friday(first)
    seen = load_series(later, actor_id=staff_of())
    one = rows_of({later})[0]
    with pytest.raises(UserError) as refused:  # from Monday: today's checked-in one is the first's
        change_series(
            one.id,
            "all",
            replace(seen.data, starts_on=MONDAY),
            series_id=seen.id,
            version=seen.version,
            actor_id=staff_of(),
            now=NOW,
        )
    assert refused.value.key == "series.other_part"
    assert refused.value.params["date"] == "2026-12-02"


def test_parts_split_before_schema_6_are_found_in_the_audit_log(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    first = begun_series(meeting)
    later = _split_on_friday(first)
    path = Path(demo_copy.database)
    demo_copy.close()
    with closing(sqlite3.connect(path)) as conn:  # the table as schema 5 made it
        _back_to_schema_5(conn)
    with closing(sqlite3.connect(path)) as conn:
        columns = [row[1] for row in conn.execute('PRAGMA table_info("booking_series")')]
        assert "split_from_id" not in columns
    db = open_database(path, create=False, now=clock.now)
    try:
        assert migrations.current_version(db) == migrations.SCHEMA_VERSION >= 6
        assert BookingSeries.get_by_id(later).split_from_id == first
        assert BookingSeries.get_by_id(first).split_from_id is None
    finally:
        db.close()


def _back_to_schema_5(conn: sqlite3.Connection) -> None:
    """``booking_series`` rebuilt without ``split_from_id`` (SQLite's own way of changing a
    table: a new one, the rows copied, the names swapped), and schema 6 not yet applied."""
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'booking_series'"
    ).fetchone()
    old = sql.replace(', "split_from_id" INTEGER', "").replace(
        ', FOREIGN KEY ("split_from_id") REFERENCES "booking_series" ("id") ON DELETE RESTRICT',
        "",
    )
    assert "split_from" not in old
    columns = [row[1] for row in conn.execute('PRAGMA table_info("booking_series")')]
    kept = ", ".join(f'"{c}"' for c in columns if c != "split_from_id")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(old.replace('"booking_series"', '"booking_series_old"', 1))
    conn.execute(f'INSERT INTO "booking_series_old" ({kept}) SELECT {kept} FROM "booking_series"')
    conn.execute('DROP TABLE "booking_series"')
    conn.execute('ALTER TABLE "booking_series_old" RENAME TO "booking_series"')
    conn.execute('CREATE INDEX "booking_series_room_id" ON "booking_series" ("room_id")')
    conn.execute('CREATE INDEX "booking_series_resident_id" ON "booking_series" ("resident_id")')
    conn.execute(
        "UPDATE schema_migration SET version = 5 WHERE version = ?", (migrations.SCHEMA_VERSION,)
    )
    conn.commit()
