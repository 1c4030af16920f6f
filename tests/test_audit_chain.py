"""The audit log is tamper-evident: chained per community, checked against anchors, guarded."""

from __future__ import annotations

import contextlib
import functools
import getpass
import io
import json
import multiprocessing
import sqlite3
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import IntegrityError, SqliteDatabase
from textual.widgets import Static

from frontdesk import audit
from frontdesk.audit import alerts
from frontdesk.audit.chain import verify
from frontdesk.cli import main
from frontdesk.clock import FixedClock
from frontdesk.db import migrations
from frontdesk.db.audit import AUDIT_GUARDS
from frontdesk.db.audit_chain import chain_hash, content, missing_guards
from frontdesk.db.connection import open_database, write
from frontdesk.db.models import AuditAlert, AuditEntry, AuditSubject, Community, Resident, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied
from tests.conftest import desk_on, settle
from tests.roles import staff_of

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


def test_an_upgrade_makes_dropped_triggers_again_but_says_so(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    open_database(path, create=True, now=FixedClock(NOW).now).close()
    _as_version_1(path, [])
    _raw(path, "DROP TRIGGER audit_entry_no_update")
    db = open_database(path, create=False, now=FixedClock(NOW).now)
    try:
        assert missing_guards(db) == []
        found: list[Any] = list(AuditAlert.select())
        [alert] = found
        assert alert.kind == "guards" and "audit_entry_no_update" in alert.detail
        assert alert.acknowledged_at is None
    finally:
        db.close()


def test_the_chain_index_drives_the_head_read(empty_db: SqliteDatabase) -> None:
    from frontdesk.db.audit_chain import _BEFORE_APPEND, _chain

    query = AuditEntry.select(AuditEntry.seq).where(_chain(3)).order_by(AuditEntry.seq.desc())
    sql, params = query.limit(1).sql()
    for statement, values in ((sql, params), (_BEFORE_APPEND, (3, 3, 1, "resident", 1))):
        plan = empty_db.execute_sql(f"EXPLAIN QUERY PLAN {statement}", values).fetchall()
        assert "USING INDEX audit_entry_chain (<expr>=?)" in " | ".join(str(r[3]) for r in plan)


# -- writing the chain ------------------------------------------------------------------------


@dataclass(frozen=True)
class Log:
    path: Path
    lj: int  # the demo community's id (code LJ)
    fs: int  # a second community (code FS)
    supervisor: int


def _record(n: int, community: int | None, actor: int, start: int = 0) -> None:
    def one(i: int) -> None:
        audit.record(
            "settings.changed",
            "setting",
            None,
            actor_id=actor,
            at=NOW + timedelta(minutes=i),
            detail={"key": f"k{i}", "to": i},
            community_id=community,
        )

    for i in range(start, start + n):
        write(functools.partial(one, i))


@pytest.fixture
def log(demo_copy: SqliteDatabase) -> Log:
    """Eight entries in 丽景街's chain, three in 凤山's, two in the installation's."""
    lj: Any = Community.get(Community.code == "LJ")
    fs = Community.create(subdistrict=lj.subdistrict_id, name="凤山社区", code="FS")
    supervisor = staff_of("supervisor")
    _record(8, lj.id, supervisor)
    _record(3, fs.id, supervisor, start=100)
    _record(2, None, staff_of("admin"), start=200)
    return Log(Path(demo_copy.database), lj.id, fs.id, supervisor)


def _raw(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    """What someone holding the file does with the sqlite3 shell."""
    conn = sqlite3.connect(path)
    with conn:
        for sql in statements:
            conn.execute(sql, params if "?" in sql else ())
    conn.close()


def _row(path: Path, community: int, seq: int) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    row = conn.execute(
        "SELECT * FROM audit_entry WHERE community_id = ? AND seq = ? ORDER BY id",
        (community, seq),
    ).fetchone()
    conn.close()
    return dict(row)


UNGUARD = ("DROP TRIGGER audit_entry_no_update", "DROP TRIGGER audit_entry_no_delete")


def _reguard(path: Path) -> None:
    """A careful intruder puts the guards back."""
    _raw(path, *AUDIT_GUARDS.values())


def _verify(path: Path, *more: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["audit", "verify", "--db", str(path), *more])
    return code, out.getvalue().strip()


def test_each_community_has_its_own_chain(log: Log) -> None:
    rows: list[Any] = list(AuditEntry.select().order_by(AuditEntry.id))
    chains: dict[int | None, list[int]] = {}
    for row in rows:
        chains.setdefault(row.community_id, []).append(row.seq)
    assert chains == {log.lj: list(range(1, 9)), log.fs: [1, 2, 3], None: [1, 2]}
    assert all(len(row.uid) == 32 and len(row.hash) == 64 for row in rows)
    assert rows[0].prev_hash == "0" * 64 and rows[1].prev_hash == rows[0].hash
    assert rows[8].prev_hash == "0" * 64  # 凤山's first entry starts its own chain
    assert verify().intact
    assert _verify(log.path) == (0, "日志链完好：3 条链，共 13 条记录；保护触发器齐全")


def test_what_the_hash_covers_is_stable_identifiers(log: Log) -> None:
    """Codes, usernames, uids — never row ids, which a move to another database renumbers."""
    row = _row(log.path, log.fs, 2)
    body = json.loads(content_of(log.path, row))
    assert body["community"] == "FS" and body["actor"] == "lead-lj-1"
    assert set(body) == {
        "v",
        "uid",
        "community",
        "seq",
        "at",
        "actor",
        "os_user",
        "action",
        "entity",
        "entity_uid",
        "reason",
        "detail",
    }
    assert {k for k, v in body.items() if isinstance(v, int)} == {"v", "seq"}  # no row id


def content_of(path: Path, row: dict[str, Any]) -> str:
    return content(
        uid=row["uid"],
        community="FS",
        seq=row["seq"],
        at=row["at"],
        actor="lead-lj-1",
        os_user=row["os_user"],
        action=row["action"],
        entity=row["entity"],
        entity_uid=row["entity_uid"],
        reason=row["reason"],
        detail=row["detail"],
    ).decode()


# -- tampering, each caught -------------------------------------------------------------------


def test_an_edit_after_dropping_the_trigger_is_caught(log: Log) -> None:
    victim = _row(log.path, log.lj, 5)
    _raw(
        log.path,
        *UNGUARD,
        "UPDATE audit_entry SET reason = '没什么' WHERE id = ?",
        params=(victim["id"],),
    )
    code, out = _verify(log.path)
    assert code == 3
    lines = out.splitlines()
    assert lines[0].startswith(
        "frontdesk: 日志保护缺失：audit_entry_no_update, audit_entry_no_delete"
    )
    assert lines[1] == (
        f"frontdesk: 丽景街社区（LJ）的日志链第 5 条（{victim['uid']}，{victim['at']}）被改动过："
        "内容与它的哈希对不上"
    )
    _reguard(log.path)
    assert _verify(log.path)[0] == 3  # guards back: the edit still shows


def test_a_deleted_entry_is_caught(log: Log) -> None:
    victim, after = _row(log.path, log.lj, 3), _row(log.path, log.lj, 4)
    _raw(log.path, *UNGUARD, "DELETE FROM audit_entry WHERE id = ?", params=(victim["id"],))
    _reguard(log.path)
    code, out = _verify(log.path)
    assert (code, out) == (
        3,
        f"frontdesk: 丽景街社区（LJ）的日志链第 3 条不见了：被删除（下一条是第 4 条，"
        f"{after['uid']}，{after['at']}）",
    )


def test_an_entry_inserted_in_the_middle_is_caught(log: Log) -> None:
    """The intruder knows the algorithm: the forged entry links to the one before and hashes
    right; the entries after it are moved one place on. The next one does not follow it."""
    before = _row(log.path, log.lj, 3)
    forged_uid = "f" * 32
    forged = {**before, "uid": forged_uid, "seq": 4, "reason": "伪造", "prev_hash": before["hash"]}
    body = content(
        uid=forged_uid,
        community="LJ",
        seq=4,
        at=before["at"],
        actor="lead-lj-1",
        os_user=before["os_user"],
        action=before["action"],
        entity="setting",
        entity_uid="",
        reason="伪造",
        detail=before["detail"],
    )
    forged["hash"] = chain_hash(before["hash"], body)
    moved = _row(log.path, log.lj, 4)
    _raw(
        log.path,
        *UNGUARD,
        "DROP INDEX audit_entry_chain",
        f"UPDATE audit_entry SET seq = seq + 1 WHERE community_id = {log.lj} AND seq >= 4",
    )
    _raw(
        log.path,
        "INSERT INTO audit_entry (uid, community_id, seq, at, actor_id, os_user, action, entity,"
        " entity_id, entity_uid, reason, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params=tuple(
            forged[k]
            for k in (
                "uid",
                "community_id",
                "seq",
                "at",
                "actor_id",
                "os_user",
                "action",
                "entity",
                "entity_id",
                "entity_uid",
                "reason",
                "detail",
                "prev_hash",
                "hash",
            )
        ),
    )
    _reguard(log.path)
    code, out = _verify(log.path)
    assert code == 3
    assert out == (
        f"frontdesk: 丽景街社区（LJ）的日志链第 5 条（{moved['uid']}，{moved['at']}）"
        f"没有接在第 4 条（{forged_uid}）之后：其间有记录被插入或删除"
    )


def test_a_second_entry_at_one_place_is_caught(log: Log) -> None:
    twin = _row(log.path, log.fs, 2)
    _raw(
        log.path,
        "DROP INDEX audit_entry_chain",
        "INSERT INTO audit_entry (uid, community_id, seq, at, actor_id, os_user, action, entity,"
        f" entity_uid, reason, detail, prev_hash, hash) SELECT '{'e' * 32}', community_id, seq,"
        " at, actor_id, os_user, action, entity, entity_uid, '插入', detail, prev_hash, hash"
        f" FROM audit_entry WHERE id = {twin['id']}",
    )
    code, out = _verify(log.path)
    assert (
        code == 3
        and f"凤山社区（FS）的日志链第 2 条（{'e' * 32}，" in out
        and "有记录被插入" in out
    )
    assert "audit_entry_chain" in out  # the dropped index is named too


def test_a_back_dated_entry_is_caught(log: Log) -> None:
    victim = _row(log.path, log.fs, 3)
    _raw(
        log.path,
        *UNGUARD,
        "UPDATE audit_entry SET at = '2025-01-01 09:00:00' WHERE id = ?",
        params=(victim["id"],),
    )
    _reguard(log.path)
    code, out = _verify(log.path)
    assert code == 3 and out.startswith(
        f"frontdesk: 凤山社区（FS）的日志链第 3 条（{victim['uid']}，"
    )
    assert "2025-01-01 09:00:00" in out and "被改动过" in out


def test_an_entry_pointed_at_another_record_is_caught(log: Log) -> None:
    resident: Any = Resident.select().order_by(Resident.id).first()
    write(
        lambda: audit.record(
            "resident.update", "resident", resident.id, actor_id=log.supervisor, at=NOW
        )
    )
    entry: Any = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert entry.community_id == log.lj and entry.seq == 9
    _raw(
        log.path,
        *UNGUARD,
        f"UPDATE audit_entry SET entity_id = {resident.id + 1} WHERE id = {entry.id}",
    )
    _reguard(log.path)
    code, out = _verify(log.path)
    assert (
        code == 3
        and f"丽景街社区（LJ）的日志链第 9 条（{entry.uid}，" in out
        and "所指的对象被改过" in out
    )


def test_a_cut_tail_or_a_rebuilt_chain_is_caught_against_the_anchor(
    log: Log, tmp_path: Path
) -> None:
    anchor = tmp_path / "kept.anchor.json"
    assert main(["audit", "anchor", "--db", str(log.path), "--out", str(anchor)]) == 0
    assert stat.S_IMODE(anchor.stat().st_mode) == 0o600
    assert _verify(log.path, "--anchor", str(anchor)) == (
        0,
        "日志链完好：3 条链，共 13 条记录；保护触发器齐全；与锚点一致",
    )
    head = _row(log.path, log.lj, 8)
    _raw(log.path, *UNGUARD, f"DELETE FROM audit_entry WHERE community_id = {log.lj} AND seq >= 7")
    _reguard(log.path)
    assert _verify(log.path)[0] == 0  # without an anchor a cut tail cannot show: hence anchors
    code, out = _verify(log.path, "--anchor", str(anchor))
    assert (code, out) == (
        3,
        f"frontdesk: 丽景街社区（LJ）的日志链只到第 6 条，锚点记着第 8 条（{head['uid']}，"
        f"{head['at']}）：链尾被截掉",
    )


def test_a_chain_rebuilt_with_fresh_hashes_differs_from_the_anchor(
    log: Log, tmp_path: Path
) -> None:
    anchor = tmp_path / "kept.anchor.json"
    assert main(["audit", "anchor", "--db", str(log.path), "--out", str(anchor)]) == 0
    _raw(
        log.path,
        *UNGUARD,
        f"UPDATE audit_entry SET reason = '改过' WHERE community_id = {log.fs} AND seq = 2",
    )
    # every hash of 凤山's chain computed again from entry 2 on
    conn = sqlite3.connect(log.path)
    prev = conn.execute(
        f"SELECT hash FROM audit_entry WHERE community_id = {log.fs} AND seq = 1"
    ).fetchone()[0]
    conn.row_factory = sqlite3.Row
    for row in conn.execute(
        f"SELECT * FROM audit_entry WHERE community_id = {log.fs} AND seq >= 2 ORDER BY seq"
    ).fetchall():
        digest = chain_hash(prev, content_of(log.path, dict(row)).encode())
        conn.execute(
            "UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row["id"])
        )
        prev = digest
    conn.commit()
    conn.close()
    _reguard(log.path)
    assert _verify(log.path)[0] == 0  # a keyless chain can be rebuilt ...
    code, out = _verify(log.path, "--anchor", str(anchor))
    assert (
        code == 3 and "凤山社区（FS）的日志链第 3 条" in out and "这条链被重写过" in out
    )  # ... but not its anchor


def test_the_command_line_exit_codes(log: Log, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["audit"])
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as usage:
        main(["audit", "verify", "--what"])
    assert usage.value.code == 2
    assert main(["audit", "verify", "--db", str(tmp_path / "none.db")]) == 1
    bad = tmp_path / "bad.anchor.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["audit", "verify", "--db", str(log.path), "--anchor", str(bad)]) == 1
    assert main(["audit", "anchor", "--db", str(log.path), "--out", str(bad)]) == 1  # exists
    old = tmp_path / "old.db"
    open_database(old, create=True, now=FixedClock(NOW).now).close()
    _as_version_1(old, [])
    assert main(["audit", "verify", "--db", str(old)]) == 1  # no chain yet: says so
    assert _verify(log.path)[0] == 0


def test_verify_writes_nothing(log: Log) -> None:
    before = log.path.read_bytes()
    log.path.chmod(0o400)
    try:
        assert _verify(log.path)[0] == 0
    finally:
        log.path.chmod(0o600)
    assert log.path.read_bytes() == before


def test_a_backup_leaves_its_anchor_beside_it(log: Log, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert main(["backup", str(copy), "--db", str(log.path)]) == 0
    anchor = Path(f"{copy}.anchor.json")
    assert not Path(f"{copy}-wal").exists() and not Path(f"{copy}-shm").exists()
    document = json.loads(anchor.read_text(encoding="utf-8"))
    heads = {chain["community"]: chain["head_seq"] for chain in document["chains"]}
    assert heads == {None: 2, "LJ": 8, "FS": 3}
    assert _verify(copy, "--anchor", str(anchor))[0] == 0
    assert _verify(log.path, "--anchor", str(anchor))[0] == 0  # the live file has grown since


# -- concurrency ------------------------------------------------------------------------------


def _append_in_process(path: str, community: int, actor: int, offset: int) -> int:
    db = open_database(Path(path), create=False, now=FixedClock(NOW).now)
    try:
        _record(25, community, actor, start=offset)
    finally:
        db.close()
    return 25


def test_two_processes_appending_at_once_never_fork_the_chain(log: Log) -> None:
    args = [
        (str(log.path), log.lj, log.supervisor, 1000),
        (str(log.path), log.lj, log.supervisor, 2000),
    ]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        assert pool.starmap(_append_in_process, args) == [25, 25]
    seqs = [
        e.seq
        for e in AuditEntry.select().where(AuditEntry.community == log.lj).order_by(AuditEntry.seq)
    ]
    assert seqs == list(range(1, 59))
    assert verify().intact


# -- what record() fills in -------------------------------------------------------------------


def test_record_derives_the_community_and_names_the_os_user(
    log: Log, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUDO_USER", "desk-ssh-3")
    resident: Any = Resident.select().order_by(Resident.id).first()
    admin = staff_of("admin")
    write(lambda: audit.record("resident.update", "resident", resident.id, actor_id=admin, at=NOW))
    write(lambda: audit.record("staff.updated", "staff", admin, actor_id=admin, at=NOW))
    write(
        lambda: audit.record("audit.export", "audit_entry", None, actor_id=log.supervisor, at=NOW)
    )
    rows: list[Any] = list(AuditEntry.select().order_by(AuditEntry.id.desc()).limit(3))
    assert [(r.community_id, r.os_user) for r in reversed(rows)] == [
        (log.lj, "desk-ssh-3"),  # the resident's community, whoever acted
        (None, "desk-ssh-3"),  # an account without a community: the installation's
        (log.lj, "desk-ssh-3"),  # about no record: the actor's community
    ]
    monkeypatch.delenv("SUDO_USER")
    write(
        lambda: audit.record("audit.export", "audit_entry", None, actor_id=log.supervisor, at=NOW)
    )
    latest: Any = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert latest.os_user == getpass.getuser()


# -- the desk's alerts ------------------------------------------------------------------------


def test_a_dropped_trigger_is_an_alert_and_is_made_again(log: Log) -> None:
    _raw(log.path, "DROP TRIGGER audit_entry_no_delete")
    raised = alerts.check(NOW)
    assert len(raised) == 1 and raised[0].startswith("guards:audit_entry_no_delete")
    assert missing_guards(AuditEntry._meta.database) == []
    [alert] = alerts.open_alerts(actor_id=log.supervisor)
    assert alert.kind == "guards" and "audit_entry_no_delete" in alert.text
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEntry.delete().where(AuditEntry.seq == 1).execute()
    assert alerts.check(NOW) == []  # nothing new


def test_a_break_raises_an_alert_kept_until_acknowledged(log: Log) -> None:
    assert alerts.check(NOW) == []
    victim = _row(log.path, log.lj, 7)
    _raw(log.path, *UNGUARD, f"UPDATE audit_entry SET reason = '改' WHERE id = {victim['id']}")
    _reguard(log.path)
    assert len(alerts.check(NOW)) == 1
    assert alerts.check(NOW + timedelta(minutes=5)) == []  # the same break, raised once
    [alert] = alerts.open_alerts(actor_id=log.supervisor)
    assert alert.kind == "chain" and alert.community_id == log.lj
    assert f"第 7 条（{victim['uid']}" in alert.text
    # the desk keeps working meanwhile
    _record(1, log.lj, log.supervisor, start=50)
    # 凤山's leadership does not see 丽景街's alert; reception may not read the log at all
    fs_lead = Staff.create(
        username="lead-fs-1",
        display_name="凤山书记",
        role="supervisor",
        community=log.fs,
        password_hash="x",
        created_at=NOW,
        updated_at=NOW,
    )
    assert alerts.open_alerts(actor_id=fs_lead.id) == []
    with pytest.raises(PermissionDenied):
        alerts.open_alerts(actor_id=staff_of("reception"))
    with pytest.raises(UserError) as refused:
        alerts.acknowledge(alert.id, "  ", actor_id=log.supervisor, now=NOW)
    assert refused.value.key == "audit_chain.reason_required"
    with pytest.raises(UserError) as refused:
        alerts.acknowledge(alert.id, "核实", actor_id=fs_lead.id, now=NOW)
    assert refused.value.key == "audit_chain.alert_not_found"
    # the alert survives a restart: it is in the file
    AuditEntry._meta.database.obj.close()
    reopened = open_database(log.path, create=False, now=FixedClock(NOW).now)
    assert [a.id for a in alerts.open_alerts(actor_id=log.supervisor)] == [alert.id]
    later = NOW + timedelta(hours=1)
    alerts.acknowledge(alert.id, "已核实：测试时改的", actor_id=log.supervisor, now=later)
    assert alerts.open_alerts(actor_id=log.supervisor) == []
    entry: Any = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.reason, entry.actor_id, entry.community_id) == (
        "audit.alert_acknowledged",
        "已核实：测试时改的",
        log.supervisor,
        log.lj,
    )
    with pytest.raises(UserError) as refused:
        alerts.acknowledge(alert.id, "再来", actor_id=log.supervisor, now=later)
    assert refused.value.key == "audit_chain.alert_already_acknowledged"
    assert alerts.check(later) == []  # acknowledged: not raised again
    reopened.close()


# -- at the desk ------------------------------------------------------------------------------


async def test_the_desk_finds_a_break_and_the_supervisor_acknowledges_it(
    log: Log, clock: FixedClock
) -> None:
    from frontdesk.screens.office.audit_alerts import AuditAlertsScreen

    victim = _row(log.path, log.lj, 8)
    _raw(log.path, *UNGUARD, f"UPDATE audit_entry SET reason = '改' WHERE id = {victim['id']}")
    app = desk_on(AuditEntry._meta.database.obj, clock)  # the supervisor of 丽景街
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert missing_guards(AuditEntry._meta.database) == []  # made again, and said so
        line = app.screen.query_one("#home-audit-alert", Static)
        assert line.display and "2条" in str(line.render())
        assert any("操作日志有2条告警未确认" in n.message for n in app._notifications)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AuditAlertsScreen)
        await pilot.press("enter")  # no reason: refused, said
        await settle(pilot)
        assert "请填写确认的原因" in str(app.screen.query_one("#alerts-error", Static).render())
        for key in "已核实":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert not isinstance(app.screen, AuditAlertsScreen)
        line = app.screen.query_one("#home-audit-alert", Static)
        assert line.display and "告警1条" in str(line.render())  # one left: the chain's break
    entry: Any = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert entry.action == "audit.alert_acknowledged" and entry.reason == "已核实"


async def test_the_supervisor_takes_an_anchor_from_f9(
    log: Log, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.screens.office.audit_log import AuditLogScreen

    monkeypatch.setenv(audit.EXPORTS_ENV, str(tmp_path / "exports"))
    with pytest.raises(PermissionDenied):
        audit.export_anchor(tmp_path, actor_id=staff_of("reception"), database="x", now=NOW)
    app = desk_on(AuditEntry._meta.database.obj, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_audit_log()
        await settle(pilot)
        assert isinstance(app.screen, AuditLogScreen)
        await pilot.press("ctrl+t", "k")  # k in the list (F9 opens in the person box)
        await settle(pilot)
    [anchor] = list((tmp_path / "exports").glob("audit-anchor-*.json"))
    assert stat.S_IMODE(anchor.stat().st_mode) == 0o600
    entry: Any = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.actor_id) == ("audit.anchor", log.supervisor)
    assert _verify(log.path, "--anchor", str(anchor))[0] == 0
