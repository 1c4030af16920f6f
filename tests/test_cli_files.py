"""The command line handles files like a careful tool: ``info`` and ``find`` only look, a
read-only folder or a damaged file is one clear line, ``seed --force`` swaps a new file in by one
rename (killed midway, the old data stays), the demo's temporary folder goes on SIGHUP and
SIGTERM too.

Permission cases run the command in a subprocess the permission bits bind: as root (which passes
them), under ``setpriv`` without CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER."""

from __future__ import annotations

import json
import os
import shutil
import signal
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


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-resident database (seed 3), WAL, closed cleanly: copy it to change it."""
    path = tmp_path_factory.mktemp("small") / "small.db"
    assert main(["seed", "--db", str(path), *SEED_SMALL]) == 0
    return path


def _copy(source: Path, folder: Path, name: str = "desk.db") -> Path:
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy(source, folder / name))


def _living(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name FROM resident WHERE status = 'living' ORDER BY id")
        return [name for (name,) in rows]
    finally:
        conn.close()


def _as_the_permission_bits_say(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """The command line in a process the file permissions bind. Root passes them (its
    CAP_DAC_OVERRIDE and kin), so as root it runs under ``setpriv`` without those capabilities;
    the folder and files stay root's, so their owner bits are what counts."""
    command = [sys.executable, "-m", "frontdesk", *argv, "--lang", "en"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("as root this needs setpriv to drop the capabilities")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_info_and_find_write_nothing(
    small_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    assert main(["info", "--db", str(empty), "--lang", "en"]) == 1  # once: the schema written
    assert "holds no frontdesk data" in _one_line_error(capsys)
    assert empty.stat().st_size == 0
    journal = _copy(small_file, tmp_path, "journal.db")
    conn = sqlite3.connect(journal)
    conn.execute("PRAGMA journal_mode = delete")  # a rollback-journal database
    conn.close()
    before = journal.read_bytes()
    assert main(["info", "--db", str(journal), "--json"]) == 0  # once: switched to WAL
    assert json.loads(capsys.readouterr().out)["residents"] == 300
    assert main(["find", _living(journal)[0], "--db", str(journal), "--json"]) == 0
    assert capsys.readouterr().out
    assert journal.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "journal.db"]


def test_info_and_find_leave_a_closed_wal_database_folder_as_it_was(
    small_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Once: each look left a 32 KB -shm and a -wal beside a database no desk had open (even a
    0444 one); now the file is read as it is (immutable) and nothing is created."""
    name = _living(_copy(small_file, tmp_path / "names"))[0]
    for mode in (0o644, 0o444):
        folder = tmp_path / f"closed-{mode:o}"
        db = _copy(small_file, folder)
        db.chmod(mode)
        assert sorted(p.name for p in folder.iterdir()) == ["desk.db"]
        before = db.read_bytes()
        assert main(["info", "--db", str(db), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["residents"] == 300
        assert main(["find", name, "--db", str(db), "--json"]) == 0
        captured = capsys.readouterr()
        assert name in captured.out and captured.err == ""  # the whole file: no snapshot note
        assert sorted(p.name for p in folder.iterdir()) == ["desk.db"]
        assert db.read_bytes() == before
    # a desk has it open: its -wal and -shm are read through (mode=ro), nothing new is made
    folder = tmp_path / "open"
    db = _copy(small_file, folder)
    desk = sqlite3.connect(db)
    try:
        desk.execute("SELECT count(*) FROM resident").fetchone()
        present = sorted(p.name for p in folder.iterdir())
        assert present == ["desk.db", "desk.db-shm", "desk.db-wal"]
        assert main(["find", name, "--db", str(db), "--json"]) == 0
        assert name in capsys.readouterr().out
        assert main(["info", "--db", str(db)]) == 0
        capsys.readouterr()
        assert sorted(p.name for p in folder.iterdir()) == present
    finally:
        desk.close()


def test_a_read_only_file_can_be_inspected(small_file: Path, tmp_path: Path) -> None:
    db = _copy(small_file, tmp_path)
    db.chmod(0o444)
    info = _as_the_permission_bits_say(["info", "--db", str(db), "--json"])
    assert info.returncode == 0, info.stderr  # once: "not writable"
    assert json.loads(info.stdout)["residents"] == 300
    found = _as_the_permission_bits_say(["find", _living(db)[0], "--db", str(db)])
    assert found.returncode == 0, found.stderr


def test_a_database_in_a_read_only_folder(small_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    db = _copy(small_file, folder)
    name = _living(db)[0]
    for companion in folder.glob("desk.db-*"):  # our look just now left SQLite's -wal and -shm
        companion.unlink()
    folder.chmod(0o555)
    try:
        info = _as_the_permission_bits_say(["info", "--db", str(db)])
        assert info.returncode == 0, info.stderr  # WAL, no -shm: read as it is (immutable)
        assert "Residents living here" in info.stdout and info.stderr == ""  # closed: no desk
        found = _as_the_permission_bits_say(["find", name, "--db", str(db), "--json"])
        assert found.returncode == 0 and found.stdout, found.stderr
        copy = _as_the_permission_bits_say(["backup", "--db", str(db), str(tmp_path / "c.db")])
        assert copy.returncode == 0, copy.stderr
        assert "not in the audit log" in copy.stderr  # it cannot write there: it says so
        assert len(_living(tmp_path / "c.db")) == 300
        for argv in (["seed", "--force"], []):  # once: a 27-line traceback; "cannot read"
            done = _as_the_permission_bits_say([*argv, "--db", str(db)])
            assert done.returncode == 1
            assert done.stderr.strip() == (
                f"frontdesk: the folder {folder} of the database {db} is not writable"
                " (SQLite keeps its -wal and -shm files beside the database): use a writable"
                " folder or have it opened for writing"
            )
        assert sorted(p.name for p in folder.iterdir()) == ["desk.db"]
        folder.chmod(0o755)
        Path(f"{db}-wal").write_bytes(b"")  # a -wal the snapshot would miss: no snapshot
        folder.chmod(0o555)
        info = _as_the_permission_bits_say(["info", "--db", str(db)])
        assert info.returncode == 1 and info.stdout == ""
        assert info.stderr.count("\n") == 1 and f"{db}-wal still holds changes" in info.stderr
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_seed_today_is_bounded(
    day: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:  # once: an OverflowError traceback
        main(["seed", "--db", str(tmp_path / "x.db"), "--today", day])
    assert exited.value.code == 2
    line = _one_line_error(capsys)
    assert day in line and "1990-01-01" in line
    assert not list(tmp_path.iterdir())


def test_a_truncated_database_is_damaged(
    small_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = small_file.read_bytes()
    for size in (100_000, 60):  # cut in the pages, cut in the header
        cut = tmp_path / f"cut-{size}.db"
        cut.write_bytes(whole[:size])
        for argv in (["info"], [], ["seed", "--force"], ["find", "王"]):
            assert main([*argv, "--db", str(cut), "--lang", "en"]) == 1
            assert _one_line_error(capsys) == (
                f"frontdesk: the database {cut} is damaged (cut short or corrupt):"
                " restore it from a backup"
            )
        assert cut.read_bytes() == whole[:size]


def test_seed_force_refuses_a_newer_schema(
    small_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy(small_file, tmp_path)
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO schema_migration VALUES (?, 'future', '2030-01-01 00:00:00')",
        (migrations.SCHEMA_VERSION + 1,),
    )
    conn.commit()
    conn.close()
    before = db.read_bytes()
    assert main(["seed", "--db", str(db), "--force", *SEED_SMALL]) == 1  # once: replaced it
    assert "升级程序" in _one_line_error(capsys)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("desk.db.bak-*"))


KILLED_AFTER_GENERATING = """
import os, signal, sys
import frontdesk.cli as cli
import frontdesk.cli_commands as commands
generate = commands.generate_demo
def generate_then_die(**options):
    generate(**options)
    os.kill(os.getpid(), signal.SIGKILL)  # the new data made, not yet in place
commands.generate_demo = generate_then_die
sys.exit(cli.main(sys.argv[1:]))
"""


def test_seed_force_killed_midway_leaves_the_old_data(
    small_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy(small_file, tmp_path)
    before = db.read_bytes()
    argv = ["seed", "--db", str(db), "--force", "--seed", "9", "--residents", "300"]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_GENERATING, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert db.read_bytes() == before  # once: a schema-only file and a .bak to restore by hand
    assert not list(tmp_path.glob("desk.db.bak-*"))
    assert list(tmp_path.glob(".desk.db.new-*"))  # what the killed run was making
    old = _living(db)
    assert main(argv) == 0
    capsys.readouterr()
    assert not list(tmp_path.glob(".desk.db.new-*"))  # the next run cleared it
    (kept,) = tmp_path.glob("desk.db.bak-*")
    assert _living(kept) == old and len(_living(db)) == 300 and _living(db) != old


def test_seed_force_stopped_by_sigterm_leaves_the_old_data(
    small_file: Path, tmp_path: Path
) -> None:
    db = _copy(small_file, tmp_path)
    before = db.read_bytes()
    stopped = KILLED_AFTER_GENERATING.replace("SIGKILL", "SIGTERM")
    argv = ["seed", "--db", str(db), "--force", *SEED_SMALL]
    done = subprocess.run(
        [sys.executable, "-c", stopped, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr  # ended, not killed
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".desk.db.new-*")) and not list(tmp_path.glob("desk.db.bak-*"))


def test_seed_force_never_replays_the_old_log_over_the_new_file(
    small_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy(small_file, tmp_path)
    main_file = db.read_bytes()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("INSERT INTO setting (key, value) VALUES ('marker', '1')")
    conn.commit()
    log = Path(f"{db}-wal").read_bytes()
    conn.close()
    db.write_bytes(main_file)  # a desk that died: the change only in its -wal
    Path(f"{db}-wal").write_bytes(log)
    assert main(["seed", "--db", str(db), "--force", "--seed", "9", "--residents", "300"]) == 0
    capsys.readouterr()
    (kept,) = tmp_path.glob("desk.db.bak-*")
    conn = sqlite3.connect(kept)
    assert conn.execute("SELECT value FROM setting WHERE key = 'marker'").fetchone() == ("1",)
    conn.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT value FROM setting WHERE key = 'marker'").fetchone() is None
    conn.close()


DEMO_HANGS_UP = """
import json, os, signal, sys
import frontdesk.cli as cli
from frontdesk.audit.export import export_folder
from frontdesk.requests.lookup import slip_folder
def desk(path, clock, *, demo, prepare=None):
    print(json.dumps({"db": str(path), "slips": str(slip_folder()),
                      "exports": str(export_folder())}), flush=True)
    os.kill(os.getpid(), int(sys.argv[1]))  # the terminal closed, or kill
    return 0
cli._run_app = desk
sys.exit(cli.main(["--demo", "--residents", "300"]))
"""


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_the_demo_goes_on_hangup_and_sigterm(signum: int, tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "FRONTDESK_SLIPS": str(tmp_path / "real")}
    done = subprocess.run(
        [sys.executable, "-c", DEMO_HANGS_UP, str(signum)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert done.returncode == 128 + signum, done.stderr  # once: killed, -signum
    seen = json.loads(done.stdout)
    demo = Path(seen["db"]).parent
    assert demo.parent == tmp_path
    assert Path(seen["slips"]) == demo / "slips" and Path(seen["exports"]) == demo / "exports"
    assert list(tmp_path.iterdir()) == []  # once: the demo database left in /tmp


def _command_line_entries(path: Path) -> list[tuple[str, int | None, str]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT action, actor_id, os_user FROM audit_entry"
            " WHERE reason = 'audit.reason.command_line' ORDER BY id"
        )
        return list(rows)
    finally:
        conn.close()


def test_every_command_line_write_is_audited_with_the_os_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    from frontdesk.clock import Clock
    from frontdesk.db.connection import open_database

    monkeypatch.delenv("SUDO_USER", raising=False)
    me = getpass.getuser()
    db = tmp_path / "desk.db"
    assert main(["seed", "--db", str(db), *SEED_SMALL]) == 0  # once: not recorded
    assert main(["backup", "--db", str(db), str(tmp_path / "copy.db")]) == 0  # nor this
    monkeypatch.setenv("SUDO_USER", "wang-it")  # an administrator working through sudo
    assert main(["account", "reset", "desk-lj-1", "--db", str(db)]) == 0
    assert _command_line_entries(db) == [
        ("database.seeded", None, me),
        ("database.backup", None, me),
        ("staff.password_reset", None, "wang-it"),
    ]
    fresh = tmp_path / "fresh.db"
    open_database(fresh, create=True, now=Clock().now).close()
    assert main(["account", "add", "boss", "--name", "王主任", "--db", str(fresh)]) == 0
    assert _command_line_entries(fresh) == [("staff.created", None, "wang-it")]
    capsys.readouterr()


@pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux")
def test_the_running_demo_desk_goes_when_its_terminal_closes_or_is_killed(tmp_path: Path) -> None:
    """In a real terminal: SIGTERM asks the desk to quit (the terminal restored, status 143);
    closing the terminal (SIGHUP) ends it too; either way its temporary folder goes."""
    import time

    from tests.terminal import Tmux, frontdesk_command

    demo = ["env", f"TMPDIR={tmp_path}", frontdesk_command(), "--demo", "--residents", "300"]
    tmux = Tmux()
    try:
        pane = tmux.open("killed", demo)
        pane.wait_for("desk-lj-1", timeout=30)  # the login lists the demo's accounts
        assert len(list(tmp_path.glob("frontdesk-demo-*"))) == 1
        shell = int(tmux.run("display-message", "-p", "-t", pane.id, "#{pane_pid}").strip())
        (desk,) = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        os.kill(int(desk), signal.SIGTERM)
        pane.wait_until(lambda _screen: pane.status() is not None, "the desk to quit", 20)
        assert pane.status() == 128 + signal.SIGTERM and pane.after_exit() == ""
        assert list(tmp_path.iterdir()) == []
        closed = tmux.open("closed", demo)
        closed.wait_for("desk-lj-1", timeout=30)
        tmux.run("kill-pane", "-t", closed.id)  # the terminal closes: SIGHUP
        deadline = time.monotonic() + 20
        while list(tmp_path.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.2)  # polling, as tests/terminal.py does
        assert list(tmp_path.iterdir()) == []  # once: left in /tmp
    finally:
        tmux.close()


def test_a_corrupt_page_found_while_counting_is_damaged_too(
    small_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _copy(small_file, tmp_path)
    conn = sqlite3.connect(db)
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    roots = conn.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'resident'")
    pages = [root for (root,) in roots if root]
    conn.close()
    with db.open("r+b") as handle:  # the residents' first pages overwritten: the header is fine
        for root in pages:
            handle.seek((root - 1) * page_size)
            handle.write(b"\xff" * page_size)
    assert main(["info", "--db", str(db), "--lang", "en"]) == 1  # once: a traceback
    assert "is damaged" in _one_line_error(capsys)
