"""Schema 7: ``request_event`` rebuilt so that its CHECK lets a ``corrected`` event in, the
timeline kept as it was (rows, ids, indexes)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from peewee import SqliteDatabase

from frontdesk.clock import FixedClock
from frontdesk.db import migrations
from frontdesk.db.connection import open_database
from frontdesk.db.models import Request, RequestEvent
from frontdesk.db.request_event_migration import referring
from frontdesk.vocabulary import RequestEventKind

SCHEMA_6_KINDS = [k.value for k in RequestEventKind if k != RequestEventKind.CORRECTED]


def _back_to_schema_6(conn: sqlite3.Connection) -> None:
    """``request_event`` as schema 6 made it (the CHECK without ``corrected``), rebuilt the way
    SQLite changes a table, and schema 7 not yet applied."""
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'request_event'"
    ).fetchone()
    now = ", ".join(f"'{k.value}'" for k in RequestEventKind)
    then = ", ".join(f"'{k}'" for k in SCHEMA_6_KINDS)
    assert now in sql
    old = sql.replace(now, then)
    assert "corrected" not in old
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(old.replace('"request_event"', '"request_event_old"', 1))
    conn.execute('INSERT INTO "request_event_old" SELECT * FROM "request_event"')
    conn.execute('DROP TABLE "request_event"')
    conn.execute('ALTER TABLE "request_event_old" RENAME TO "request_event"')
    conn.execute('CREATE INDEX "request_event_request_id" ON "request_event" ("request_id")')
    conn.execute(
        'CREATE INDEX "request_event_request_id_at" ON "request_event" ("request_id", "at")'
    )
    conn.execute(
        "UPDATE schema_migration SET version = 6 WHERE version = ?", (migrations.SCHEMA_VERSION,)
    )
    conn.commit()


def _rows(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT * FROM request_event ORDER BY id").fetchall()


def _indexes(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'request_event'"
    )
    return {name for (name,) in rows}


def test_schema_6_timelines_are_kept_and_take_corrections(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    path = Path(demo_copy.database)
    assert referring(demo_copy) == []  # nothing else to rebuild
    demo_copy.close()
    with closing(sqlite3.connect(path)) as conn:
        _back_to_schema_6(conn)
        before, indexes = _rows(conn), _indexes(conn)
        assert len(before) > 100
        try:  # schema 6 refuses the new kind
            conn.execute(
                "INSERT INTO request_event (request_id, at, kind, note) VALUES (?, ?, ?, '')",
                (before[0][1], "2026-11-29 10:00:00", "corrected"),
            )
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("schema 6's CHECK let 'corrected' in")
    db = open_database(path, create=False, now=clock.now)
    try:
        assert migrations.current_version(db) == migrations.SCHEMA_VERSION
        request = Request.select().order_by(Request.id).first()
        event = RequestEvent.create(
            request=request.id, at=clock.now(), kind=RequestEventKind.CORRECTED, note="x → y"
        )
        assert event.id > int(str(before[-1][0]))
    finally:
        db.close()
    with closing(sqlite3.connect(path)) as conn:
        after = _rows(conn)
        assert after[:-1] == before  # every row, with its id
        assert after[-1][4] == "corrected"
        assert _indexes(conn) == indexes
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_new_database_takes_corrections(empty_db: SqliteDatabase) -> None:
    (sql,) = empty_db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'request_event'"
    ).fetchone()
    assert "'corrected'" in sql
