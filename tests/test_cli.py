"""The command line: info, seed, and one clear line for every start-up error."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.db import migrations

SEED_SMALL = ["--seed", "3", "--residents", "300", "--today", "2026-11-29"]


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_info_json_counts_on_the_default_seed(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", "--db", str(demo_file), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["schema_version"] == migrations.SCHEMA_VERSION
    expected = {
        "communities": 1,
        "residents": 7982,
        "households": 3014,
        "grids_l3": 12,
        "grids_l4": 40,
        "grid_managers": 40,
        "rooms": 7,
    }
    assert {key: info[key] for key in expected} == expected
    assert info["bookings"] > 50 and info["requests"] >= 200 and info["staff"] >= 45
    assert info["residents_moved_out"] > 0 and info["residents_deceased"] > 0


def test_info_text_is_translated(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--db", str(demo_file)]) == 0
    assert "在住居民" in capsys.readouterr().out
    assert main(["info", "--db", str(demo_file), "--lang", "en"]) == 0
    assert "Residents living here" in capsys.readouterr().out


def test_seed_then_refuse_then_force_with_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.db"
    assert main(["seed", "--db", str(db), *SEED_SMALL]) == 0
    assert "300" in capsys.readouterr().out
    before = db.read_bytes()
    assert main(["seed", "--db", str(db), *SEED_SMALL]) == 1
    assert "--force" in _one_line_error(capsys)
    assert db.read_bytes() == before
    assert main(["seed", "--db", str(db), *SEED_SMALL, "--force"]) == 0
    backups = list(tmp_path.glob("desk.db.bak-*"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert (
        conn.execute("SELECT count(*) FROM resident WHERE status = 'living'").fetchone()[0] == 300
    )
    conn.close()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--residents", "lots"], "lots"),
        (["--residents", "-5"], "-5"),
        (["seed", "--today", "29/11/2026"], "29/11/2026"),
        (["--lang", "fr"], "fr"),
        (["--bogus"], "--bogus"),
    ],
)
def test_bad_arguments_are_one_line(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert words in _one_line_error(capsys)


def test_info_on_a_missing_database_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing-here.db"
    assert main(["info", "--db", str(missing)]) == 1
    assert "找不到数据库" in _one_line_error(capsys)
    assert not missing.exists()


def test_not_a_frontdesk_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01garbage" * 500)
    assert main(["--db", str(junk), "--lang", "en"]) == 1
    assert _one_line_error(capsys) == f"frontdesk: {junk} is not a frontdesk database"
    assert junk.read_bytes() == b"\x00\x01garbage" * 500


def test_newer_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "newer.db"
    assert main(["seed", "--db", str(db), *SEED_SMALL]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO schema_migration VALUES (?, 'future', '2030-01-01 00:00:00')",
        (migrations.SCHEMA_VERSION + 1,),
    )
    conn.commit()
    conn.close()
    assert main(["--db", str(db)]) == 1
    assert "升级程序" in _one_line_error(capsys)


def test_demo_cannot_take_a_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "--db", "x.db"]) == 1
    assert "--demo" in _one_line_error(capsys)


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    assert main(["info", "--db", str(folder)]) == 1
    assert "目录" in _one_line_error(capsys)


def test_seed_script_and_subcommand_are_the_same_code(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    db = tmp_path / "script.db"
    done = subprocess.run(
        [sys.executable, str(root / "seed.py"), "--db", str(db), *SEED_SMALL, "--lang", "en"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "300 residents" in done.stdout


def test_db_path_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from frontdesk.paths import resolve_db_path

    monkeypatch.setenv("FRONTDESK_DB", str(tmp_path / "env.db"))
    assert resolve_db_path("cli.db") == Path("cli.db")
    assert resolve_db_path(None) == tmp_path / "env.db"
    monkeypatch.delenv("FRONTDESK_DB")
    assert resolve_db_path(None).name == "frontdesk.db"


def test_find_prints_masked_rows_and_json_lines(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(demo_file)
    name, phone, id_number = conn.execute(
        "SELECT name, phone, id_number FROM resident WHERE status = 'living' AND phone IS NOT NULL"
        " ORDER BY id LIMIT 1"
    ).fetchone()
    conn.close()
    assert main(["find", name, "--db", str(demo_file), "--json", "--limit", "5"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    rows = [json.loads(line) for line in lines]
    assert 1 <= len(rows) <= 5 and rows[0]["name"] == name
    text = "\n".join(lines)
    assert phone not in text and id_number not in text
    assert phone[:3] + "****" + phone[7:] in text
    assert main(["find", phone[-4:], "--db", str(demo_file)]) == 0
    out = capsys.readouterr().out
    assert name in out and "电话" in out.splitlines()[0]


def test_find_status_choice(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(demo_file)
    (name,) = conn.execute(
        "SELECT name FROM resident WHERE status = 'moved_out' ORDER BY id LIMIT 1"
    ).fetchone()
    conn.close()
    main(["find", name, "--db", str(demo_file), "--json", "--status", "moved_out"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(row["status"] == "moved_out" for row in rows)
    with pytest.raises(SystemExit):
        main(["find", name, "--db", str(demo_file), "--status", "gone"])


# -- many desks on one file ------------------------------------------------------------------------


def test_seed_force_waits_for_every_desk_to_close(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.db.sessions import DeskSession

    db = tmp_path / "desk.db"
    assert main(["seed", "--db", str(db), "--residents", "300", "--seed", "3"]) == 0
    capsys.readouterr()
    with DeskSession(db):  # a desk is open on it
        assert main(["seed", "--db", str(db), "--force", "--residents", "300"]) == 1
        assert "退出" in _one_line_error(capsys)
        assert not list(tmp_path.glob("desk.db.bak-*"))  # nothing was touched
        # a second desk opens alongside the first
        with DeskSession(db):
            pass
    assert main(["seed", "--db", str(db), "--force", "--residents", "300"]) == 0
    assert list(tmp_path.glob("desk.db.bak-*"))


def test_backup_while_a_desk_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from frontdesk.db.files import backup
    from frontdesk.db.sessions import DeskSession

    db = tmp_path / "desk.db"
    assert main(["seed", "--db", str(db), "--residents", "300", "--seed", "3"]) == 0
    writer = sqlite3.connect(db)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE setting SET value = value")  # a desk in the middle of a write
    target = tmp_path / "copy.db"
    with DeskSession(db):
        backup(db, target)  # the copy the command takes
        writer.rollback()  # (the command then records it: that waits for the write lock)
        assert main(["backup", "--db", str(db), str(tmp_path / "copy-2.db")]) == 0
    writer.close()
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM resident").fetchone()[0] > 0
    copy.close()
    capsys.readouterr()
    assert main(["backup", "--db", str(db), str(target)]) == 1  # never overwrites
    assert "已经存在" in _one_line_error(capsys)


def test_the_first_account_of_a_new_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.auth.signin import SignInFailed, sign_in
    from frontdesk.clock import Clock
    from frontdesk.db.connection import open_database

    db = tmp_path / "new.db"
    clock = Clock()
    open_database(db, create=True, now=clock.now).close()
    assert main(["account", "add", "Boss", "--name", "王主任", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    password = out.split("：")[1].split()[0]
    assert main(["account", "add", "second", "--name", "李", "--db", str(db)]) == 1
    assert "工作人员" in _one_line_error(capsys)
    handle = open_database(db, create=False, now=clock.now)
    try:
        operator = sign_in("boss", password, now=clock.now())
        assert operator.role == "supervisor" and operator.must_change_password
        with pytest.raises(SignInFailed):
            sign_in("boss", "wrong", now=clock.now())
    finally:
        handle.close()
    assert main(["account", "reset", "boss", "--db", str(db)]) == 0
    assert "boss" in capsys.readouterr().out


def _two_communities(path: Path) -> None:
    """A new database holding two communities (丽景街 LJ, 凤山 FS) and no staff."""
    from frontdesk.clock import Clock
    from frontdesk.db.connection import open_database, write
    from frontdesk.db.models import Community, District, Subdistrict

    db = open_database(path, create=True, now=Clock().now)

    def run() -> None:
        district = District.create(name="离石区", region_code="141102")
        subdistrict = Subdistrict.create(district=district, name="莲花池街道")
        Community.create(subdistrict=subdistrict, name="丽景街社区", code="LJ")
        Community.create(subdistrict=subdistrict, name="凤山社区", code="FS")

    try:
        write(run)
    finally:
        db.close()


def _accounts(path: Path) -> dict[str, tuple[str, str | None, int | None]]:
    """user name → (role, community code, subdistrict id)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT s.username, s.role, c.code, s.subdistrict_id FROM staff s"
            " LEFT JOIN community c ON c.id = s.community_id"
        )
        return {name: (role, code, sub) for name, role, code, sub in rows}
    finally:
        conn.close()


def test_account_add_gives_each_community_its_supervisor_and_the_admin_no_community(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once: every supervisor landed in community 1 and a second was refused, so communities
    2..n never got one; the admin got community 1 (its supervisor could reset its password)."""
    monkeypatch.setenv("SUDO_USER", "wang-it")
    db = tmp_path / "district.db"
    _two_communities(db)

    def add(*args: str) -> int:
        return main(["account", "add", *args, "--db", str(db)])

    assert add("boss", "--name", "王主任") == 1  # two communities: which one?
    line = _one_line_error(capsys)
    assert "--community" in line and "FS LJ" in line
    assert add("boss", "--name", "王主任", "--community", "XX") == 1
    assert "XX" in (line := _one_line_error(capsys)) and "FS LJ" in line
    assert add("boss", "--name", "王主任", "--community", "lj") == 0
    assert add("boss2", "--name", "李主任", "--community", "LJ") == 1  # LJ has one
    assert "已经有负责人或管理员账户" in _one_line_error(capsys)
    assert add("fs-boss", "--name", "姜晓峰", "--community", "FS") == 0
    assert add("admin-wang", "--name", "王工", "--role", "admin", "--community", "LJ") == 1
    assert "--community" in _one_line_error(capsys)
    assert add("admin-wang", "--name", "王工", "--role", "admin") == 0
    assert add("admin-zhao", "--name", "赵工", "--role", "admin") == 1  # one admin is there
    assert "已经有负责人或管理员账户" in _one_line_error(capsys)
    capsys.readouterr()
    assert _accounts(db) == {
        "boss": ("supervisor", "LJ", None),
        "fs-boss": ("supervisor", "FS", None),
        "admin-wang": ("admin", None, None),
    }
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    entries = conn.execute(
        "SELECT action, actor_id, os_user, reason FROM audit_entry ORDER BY id"
    ).fetchall()
    conn.close()
    assert entries == [("staff.created", None, "wang-it", "audit.reason.command_line")] * 3


def test_a_supervisor_never_manages_the_admin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The admin the command line made is nobody's staff but the administrators': a supervisor
    neither lists it nor resets, edits or disables it — also where an older version placed it
    in community 1."""
    from frontdesk.clock import Clock
    from frontdesk.db.connection import open_database, write
    from frontdesk.db.models import Community, Staff
    from frontdesk.permissions import PermissionDenied
    from frontdesk.staff import (
        StaffUpdate,
        get_staff,
        list_staff,
        reset_password,
        set_active,
        update_staff,
    )

    db = tmp_path / "district.db"
    _two_communities(db)
    assert (
        main(["account", "add", "boss", "--name", "王主任", "--community", "LJ", "--db", str(db)])
        == 0
    )
    assert (
        main(["account", "add", "admin-wang", "--name", "王工", "--role", "admin", "--db", str(db)])
        == 0
    )
    capsys.readouterr()
    clock = Clock()
    handle = open_database(db, create=False, now=clock.now)
    try:
        boss = Staff.get(Staff.username == "boss")
        admin = Staff.get(Staff.username == "admin-wang")
        signed_in = Staff.update(must_change_password=False).where(Staff.id == boss.id)
        write(signed_in.execute)  # the supervisor has set their own password
        for placed in (False, True):
            if placed:  # as the old command line placed it
                lj = Community.get(Community.code == "LJ")
                moved = Staff.update(community=lj.id, subdistrict=lj.subdistrict_id)
                write(moved.where(Staff.id == admin.id).execute)
            now = clock.now()
            seen = {row.username for row in list_staff(actor_id=boss.id, now=now)}
            assert seen == {"boss"}
            with pytest.raises(PermissionDenied):
                get_staff(admin.id, actor_id=boss.id, now=now)
            with pytest.raises(PermissionDenied):
                reset_password(admin.id, actor_id=boss.id, now=now)
            version = Staff.get_by_id(admin.id).version
            with pytest.raises(PermissionDenied):
                update_staff(
                    admin.id, version, StaffUpdate("王工", "admin"), actor_id=boss.id, now=now
                )
            with pytest.raises(PermissionDenied):
                set_active(admin.id, version, False, actor_id=boss.id, now=now)
        assert Staff.get_by_id(admin.id).password_hash == admin.password_hash
    finally:
        handle.close()
