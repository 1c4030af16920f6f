"""The audit log's guards hold as defined, and an anchor keeps which record each uid names."""

# ruff: noqa: F811  (the ``log`` fixture, imported, is every test's parameter)

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from peewee import IntegrityError

from frontdesk import audit
from frontdesk.audit import alerts
from frontdesk.cli import main
from frontdesk.clock import FixedClock
from frontdesk.db import migrations
from frontdesk.db.audit_chain import guard_problems
from frontdesk.db.connection import open_database, write
from frontdesk.db.models import AuditAlert, AuditEntry, AuditSubject, Resident
from tests.test_audit_chain import (  # noqa: F401
    NOW,
    Log,
    _raw,
    _reguard,
    _schema,
    _verify,
    log,
)

# What someone holding the file does to re-point resident A's history at resident B: the
# subject guards (where there are any) and the entry guard dropped, both tables rewritten, the
# guards put back exactly as they were.
REPOINT = """DROP TRIGGER IF EXISTS audit_subject_no_update
DROP TRIGGER audit_entry_no_update
UPDATE audit_subject SET entity_id = {b} WHERE entity = 'resident' AND entity_id = {a}
UPDATE audit_entry SET entity_id = {b} WHERE entity = 'resident' AND entity_id = {a}"""


def _reveal(log: Log, resident: int) -> str:
    write(
        lambda: audit.record(
            "resident.reveal_id", "resident", resident, actor_id=log.supervisor, at=NOW
        )
    )
    subject: Any = AuditSubject.get(
        (AuditSubject.entity == "resident") & (AuditSubject.entity_id == resident)
    )
    return str(subject.uid)


def _unspoken() -> list[int]:
    """The residents the log has never spoken about, by id."""
    spoken = AuditSubject.select(AuditSubject.entity_id).where(AuditSubject.entity == "resident")
    rows = Resident.select(Resident.id).where(Resident.id.not_in(spoken)).order_by(Resident.id)
    return [r.id for r in rows]


def test_history_re_pointed_at_another_record_differs_from_the_anchor(
    log: Log, tmp_path: Path
) -> None:
    a, later, b = _unspoken()[:3]
    uid = _reveal(log, a)
    anchor = tmp_path / "kept.anchor.json"
    assert main(["audit", "anchor", "--db", str(log.path), "--out", str(anchor)]) == 0
    kept = json.loads(anchor.read_text(encoding="utf-8"))["subjects"]
    assert kept["count"] == AuditSubject.select().count() and len(kept["digest"]) == 64
    _reveal(log, later)  # a record first spoken about after the anchor: fine
    assert _verify(log.path, "--anchor", str(anchor))[0] == 0
    _raw(log.path, *REPOINT.format(a=a, b=b).splitlines())
    _reguard(log.path)
    assert _verify(log.path)[0] == 0  # every entry still matches its subject row ...
    code, out = _verify(log.path, "--anchor", str(anchor))
    assert (code, out) == (  # ... but not the mapping the anchor kept
        3,
        f"frontdesk: 对象标识 {uid} 现在指向 resident {b}，不是锚点时所指的对象："
        "它的日志被改指到别的对象",
    )


def test_the_subjects_are_append_only(log: Log) -> None:
    a = _unspoken()[0]
    _reveal(log, a)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _raw(log.path, f"UPDATE audit_subject SET entity_id = entity_id + 1 WHERE entity_id = {a}")
    with pytest.raises(IntegrityError, match="append-only"):
        AuditSubject.delete().where(AuditSubject.entity_id == a).execute()


def test_a_version_1_anchor_still_checks_the_heads(log: Log, tmp_path: Path) -> None:
    anchor = tmp_path / "old.anchor.json"
    assert main(["audit", "anchor", "--db", str(log.path), "--out", str(anchor)]) == 0
    document = json.loads(anchor.read_text(encoding="utf-8"))
    del document["subjects"]
    document["version"] = 1
    older = tmp_path / "v1.anchor.json"
    older.write_text(json.dumps(document), encoding="utf-8")
    assert _verify(log.path, "--anchor", str(older))[0] == 0


# Guards present under their names but doing nothing, and one trigger of the intruder's own.
DISARMED = [
    "DROP TRIGGER audit_entry_no_update",
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry WHEN 0
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    "DROP TRIGGER audit_subject_no_delete",
    """CREATE TRIGGER audit_subject_no_delete BEFORE DELETE ON audit_subject WHEN 0
       BEGIN SELECT RAISE(ABORT, 'the audit subjects are append-only'); END""",
    "DROP INDEX audit_entry_chain",
    "CREATE INDEX audit_entry_chain ON audit_entry (coalesce(community_id, 0), seq)",
    """CREATE TRIGGER audit_entry_swallow BEFORE INSERT ON audit_entry
       BEGIN SELECT RAISE(IGNORE); END""",
]


def test_guards_redefined_under_their_names_are_caught(log: Log) -> None:
    _raw(log.path, *DISARMED)
    assert guard_problems(AuditEntry._meta.database) == {
        "altered": ["audit_entry_no_update", "audit_entry_chain", "audit_subject_no_delete"],
        "unknown": ["audit_entry_swallow"],
    }
    code, out = _verify(log.path)
    assert code == 3
    assert out.splitlines() == [
        "frontdesk: 日志保护被改过：audit_entry_no_update, audit_entry_chain,"
        " audit_subject_no_delete（防改删的触发器或链索引被重新定义，已不起作用）",
        "frontdesk: 日志表上有不该有的触发器：audit_entry_swallow（可能丢弃或改动写入的记录）",
    ]


def test_the_desk_remakes_redefined_guards_drops_unknown_ones_and_says_so(log: Log) -> None:
    a, b = _unspoken()[:2]
    _reveal(log, a)
    _raw(log.path, *DISARMED)
    [raised] = alerts.check(NOW)
    assert raised.startswith("guards:audit_entry_no_update,audit_entry_chain,")
    assert guard_problems(AuditEntry._meta.database) == {}
    [alert] = alerts.open_alerts(actor_id=log.supervisor)
    assert "audit_entry_chain" in alert.text and "audit_entry_swallow" in alert.text
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEntry.update(reason="x").where(AuditEntry.seq == 1).execute()
    with pytest.raises(IntegrityError, match="append-only"):
        AuditSubject.delete().execute()
    before = AuditEntry.select().count()
    _reveal(log, b)  # appended again, not swallowed
    assert AuditEntry.select().count() == before + 1
    assert alerts.check(NOW) == []  # nothing new
    assert _verify(log.path)[0] == 0


def test_an_upgrade_from_version_4_guards_the_subjects_without_an_alert(tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    open_database(new, create=True, now=FixedClock(NOW).now).close()
    old = tmp_path / "old.db"
    old.write_bytes(new.read_bytes())
    _raw(  # the database as version 4 left it
        old,
        "DROP TRIGGER audit_subject_no_update",
        "DROP TRIGGER audit_subject_no_delete",
        "DELETE FROM schema_migration",
        "INSERT INTO schema_migration VALUES (4, 'initial', '2026-01-01 00:00:00')",
    )
    db = open_database(old, create=False, now=FixedClock(NOW).now)
    try:
        assert migrations.current_version(db) == migrations.SCHEMA_VERSION
        assert guard_problems(db) == {}
        assert alerts.check(NOW) == []
        assert AuditAlert.select().count() == 0
    finally:
        db.close()
    assert _schema(old) == _schema(new)
