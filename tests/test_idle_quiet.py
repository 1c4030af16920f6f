"""An idle desk is silent (issue 12, item 22).

A desk that writes while nobody types keeps a dead SSH connection open for ever (sshd's
ClientAlive never fires) and fills a thin line: the blinking cursor repainted the login's box
(about 1.3 KB a second), the header repainted its clock every second (160 B/s at home, more on
F2). On a remote terminal the cursor is steady; the clock is repainted when its minute changes.
The installed command runs in a real pseudo-terminal here, its bytes counted.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import Static

from frontdesk import desk as desk_module
from frontdesk.clock import FixedClock
from frontdesk.desk import Desk, _under_sshd, remote_terminal
from frontdesk.widgets.header import DeskHeader
from tests.conftest import RECEPTION, desk_on, settle
from tests.terminal import frontdesk_command, terminal_env

START = 20.0  # seconds for the program to start (and sign in) on a busy machine
QUIET = 0.6  # the screen has settled once nothing was written for this long (a blink: 0.5 s)
SETTLE = 8.0  # seconds a screen is given to settle
WINDOW = 1.5  # seconds an idle desk is listened to (three blinks of a blinking cursor)
# at most this many bytes in the window: the clock's minute may turn in it (about 90 bytes); a
# blinking login writes ~1.9 KB in it, home ~240 B, F2 ~780 B
BOUND = 120
SSH = {"SSH_CONNECTION": "192.0.2.7 50022 192.0.2.1 22", "SSH_TTY": "/dev/pts/3"}


class Terminal:
    """The installed command in an 80×24 pseudo-terminal; what it writes is counted."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the desk (its stdout and stderr are the terminal)
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.seen = b""

    def read(self, until: float) -> bytes:
        """What it writes until the monotonic time ``until``."""
        got = b""
        while (left := until - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # it ended
                    break
                got += chunk
        self.seen += got
        return got

    def wait_for(self, text: str, timeout: float = START) -> None:
        deadline = time.monotonic() + timeout
        mark = len(self.seen)
        while text.encode() not in self.seen[mark:]:
            if time.monotonic() >= deadline:
                raise AssertionError(f"no {text!r} within {timeout}s: {self.seen[-400:]!r}")
            self.read(time.monotonic() + 0.05)

    def settle(self) -> None:
        """Until nothing was written for ``QUIET`` seconds (the screen drawn, the database opened
        behind the login, the warm-up done), or ``SETTLE`` seconds at most: a desk that never
        stops writing is then caught by what it writes while it should be idle."""
        deadline = time.monotonic() + SETTLE
        while self.read(time.monotonic() + QUIET) and time.monotonic() < deadline:
            pass

    def idle_bytes(self) -> bytes:
        return self.read(time.monotonic() + WINDOW)

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def close(self) -> None:
        os.kill(self.pid, signal.SIGTERM)
        self.read(time.monotonic() + 0.5)  # what it writes as it goes
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture
def remote_desk(demo_copy: SqliteDatabase) -> Iterator[Terminal]:
    env = terminal_env("xterm-256color") | SSH | {"FRONTDESK_LANG": "zh"}
    terminal = Terminal([frontdesk_command(), "--db", str(demo_copy.database)], env)
    try:
        yield terminal
    finally:
        terminal.close()


def test_an_idle_desk_over_ssh_writes_nothing(remote_desk: Terminal) -> None:
    desk = remote_desk
    desk.wait_for("登录")
    desk.settle()
    login = desk.idle_bytes()
    assert len(login) <= BOUND, f"the login wrote {len(login)} bytes idle: {login[:300]!r}"

    desk.type(b"desk-lj-1\r")
    desk.settle()  # the password box has the focus (typed ahead, it would go to the user name)
    desk.type(b"desk2026\r")
    desk.wait_for("首页")
    desk.settle()
    home = desk.idle_bytes()
    assert len(home) <= BOUND, f"home wrote {len(home)} bytes idle: {home[:300]!r}"

    desk.type(b"\x1bOQ")  # F2, as xterm sends it
    desk.wait_for("姓名")
    desk.settle()
    search = desk.idle_bytes()
    assert len(search) <= BOUND, f"F2 wrote {len(search)} bytes idle: {search[:300]!r}"


def test_a_remote_terminal_is_known_by_what_sshd_sets(tmp_path: Path) -> None:
    no_proc = tmp_path / "no-proc"
    assert remote_terminal({"SSH_CONNECTION": "192.0.2.7 50022 192.0.2.1 22"}, no_proc)
    assert remote_terminal({"SSH_TTY": "/dev/pts/3"}, no_proc)
    assert not remote_terminal({"TERM": "xterm-256color", "SSH_CONNECTION": ""}, no_proc)


def _processes(proc: Path, *chain: tuple[int, str, int]) -> None:
    for pid, command, parent in chain:
        (proc / str(pid)).mkdir(parents=True)
        (proc / str(pid) / "stat").write_text(f"{pid} ({command}) S {parent} {pid} 0 0 -1\n")


def test_behind_sudo_the_desk_is_still_known_to_run_under_sshd(tmp_path: Path) -> None:
    """The SSH installation's sudo resets the environment: sshd is found among the ancestors."""
    ssh = tmp_path / "ssh"
    _processes(
        ssh,
        (400, "frontdesk", 300),
        (300, "sudo", 200),
        (200, "frontdesk-ssh", 150),
        (150, "sshd-session", 100),  # OpenSSH 9.8+; "sshd" before
        (100, "sshd", 1),
    )
    assert _under_sshd(ssh, 400)
    local = tmp_path / "local"
    _processes(local, (400, "frontdesk", 300), (300, "tmux: server (1) x", 1))
    assert not _under_sshd(local, 400)
    assert not _under_sshd(local, 401)  # gone, or no /proc: not remote
    assert not remote_terminal({}, tmp_path / "no-proc")


def test_the_cursor_is_steady_on_a_remote_terminal(
    monkeypatch: pytest.MonkeyPatch, clock: FixedClock, tmp_path: Path
) -> None:
    for name in SSH:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(desk_module, "_under_sshd", lambda proc: False)
    assert not Desk(db_path=tmp_path / "desk.db", clock=clock).steady_cursor
    assert Desk(db_path=tmp_path / "desk.db", clock=clock, steady_cursor=True).steady_cursor
    monkeypatch.setenv("SSH_CONNECTION", SSH["SSH_CONNECTION"])
    assert Desk(db_path=tmp_path / "desk.db", clock=clock).steady_cursor


async def test_the_header_repaints_its_clock_only_when_the_minute_changes(
    demo_db: SqliteDatabase, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = desk_on(demo_db, clock, operator=RECEPTION)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = app.screen.query_one(DeskHeader)
        updates: list[tuple[str, bool]] = []
        update = Static.update

        def counted(static: Static, content: Any = "", **kwargs: Any) -> None:
            if static.parent is header:
                updates.append((str(static.id), kwargs.get("layout", True)))
            update(static, content, **kwargs)

        monkeypatch.setattr(Static, "update", counted)
        header._tick()
        clock.advance(timedelta(seconds=20))  # 10:30:20: still 10:30
        header._tick()
        assert updates == []
        clock.advance(timedelta(seconds=40))  # 10:31
        header._tick()
        # as wide as before: no new layout (it repainted F4's table too, 2 KB each minute)
        assert updates == [("header-clock", False)]
        assert "10:31" in str(header.query_one("#header-clock", Static).content)
