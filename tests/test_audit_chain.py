"""The audit log is tamper-evident: chained per community, checked against anchors, guarded."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase

from frontdesk.clock import FixedClock
from frontdesk.db import migrations
from frontdesk.db.connection import open_database
from frontdesk.db.models import AuditEntry, AuditSubject, Community

NOW = datetime(2026, 11, 29, 10, 30)

# The audit table as schema version 1 made it.
V1_AUDIT = [
    'CREATE TABLE "audit_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL,'
    ' "actor_id" INTEGER, "action" VARCHAR(40) NOT NULL, "entity" VARCHAR(40) NOT NULL,'
    ' "entity_id" INTEGER, "reason" TEXT NOT NULL, "detail" TEXT NOT NULL,'
    ' FOREIGN KEY ("actor_id") REFERENCES "staff" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "audit_entry_at" ON "audit_entry" ("at")',
    'CREATE INDEX "audit_entry_entity_entity_id" ON "audit_entry" ("entity", "entity_id")',
    'CREATE INDEX "audit_entry_actor_id_at" ON "audit_entry" ("actor_id", "at")',
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]


def _as_version_1(path: Path, entries: list[tuple[object, ...]]) -> None:
    """Turn the database at ``path`` back into a version-1 one holding ``entries``
    (at, actor_id, action, entity, entity_id, reason, detail)."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for table in ("audit_alert", "audit_subject", "audit_entry"):
            conn.execute(f"DROP TABLE {table}")
        for sql in V1_AUDIT:
            conn.execute(sql)
        conn.executemany(
            "INSERT INTO audit_entry (at, actor_id, action, entity, entity_id, reason, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            entries,
        )
        conn.execute("DELETE FROM schema_migration")
        conn.execute("INSERT INTO schema_migration VALUES (1, 'initial', '2026-01-01 00:00:00')")
    conn.close()


def _schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    conn.close()
    return [(t, n, " ".join((s or "").split())) for t, n, s in rows]


def test_a_migrated_database_ends_identical_to_a_new_one(demo_file: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    open_database(new, create=True, now=FixedClock(NOW).now).close()
    old = tmp_path / "old.db"
    old.write_bytes(demo_file.read_bytes())
    conn = sqlite3.connect(old)
    resident, community = conn.execute(
        "SELECT r.id, c.community_id FROM resident r JOIN household h ON r.household_id = h.id"
        " JOIN flat f ON h.flat_id = f.id JOIN unit u ON f.unit_id = u.id"
        " JOIN building b ON u.building_id = b.id JOIN compound c ON b.compound_id = c.id"
        " ORDER BY r.id DESC LIMIT 1"
    ).fetchone()
    staff, staff_community = conn.execute(
        "SELECT id, community_id FROM staff WHERE community_id IS NOT NULL LIMIT 1"
    ).fetchone()
    conn.close()
    _as_version_1(
        old,
        [
            ("2026-11-28 09:00:00", staff, "resident.reveal_phone", "resident", resident, "x", ""),
            ("2026-11-28 09:01:00", staff, "settings.changed", "setting", None, "", '{"k": 1}'),
            ("2026-11-28 09:02:00", staff, "audit.export", "audit_entry", None, "", ""),
            ("2026-11-28 09:03:00", staff, "resident.update", "resident", resident, "", ""),
        ],
    )
    db = open_database(old, create=False, now=FixedClock(NOW).now)
    try:
        assert migrations.current_version(db) == migrations.SCHEMA_VERSION
        rows: list[Any] = list(AuditEntry.select().order_by(AuditEntry.id))
        assert [(e.community_id, e.seq) for e in rows] == [
            (community, 1),
            (None, 1),
            (staff_community, 1 if staff_community != community else 2),
            (community, 2 if staff_community != community else 3),
        ]
        assert rows[0].entity_uid == rows[3].entity_uid != ""
        assert AuditSubject.select().count() == 1
        assert Community.select().count() >= 1
    finally:
        db.close()
    assert _schema(old) == _schema(new)


def test_the_chain_index_drives_the_head_read(empty_db: SqliteDatabase) -> None:
    from frontdesk.db.audit_chain import _chain

    query = AuditEntry.select(AuditEntry.seq).where(_chain(3)).order_by(AuditEntry.seq.desc())
    sql, params = query.limit(1).sql()
    plan = " ".join(str(r[3]) for r in empty_db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "USING INDEX audit_entry_chain" in plan
