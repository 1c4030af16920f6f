"""Real terminals for tests: the installed ``frontdesk`` command in tmux panes.

Each ``Tmux`` is a private tmux server (its own socket, no config file), so tests never touch
anyone's tmux and can run side by side. A ``Pane`` runs one command in an 80×24 terminal with a
clean environment; the tests send it keys and read the screen as plain text, polling. When the
command ends, the terminal stays open and shows its exit status.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

POLL = 0.2  # seconds between two looks at the screen
TMUX_TIMEOUT = 10  # seconds one tmux command may take on a very busy machine
EXIT_MARK = "[program exited: "
EXIT_STATUS = re.compile(re.escape(EXIT_MARK) + r"(\d+)\]")


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


def frontdesk_command() -> str:
    """The installed command: beside this Python (a venv), else on the PATH."""
    beside = Path(sys.executable).with_name("frontdesk")
    if beside.exists():
        return str(beside)
    found = shutil.which("frontdesk")
    if found is None:
        raise RuntimeError("the frontdesk command is not installed (pip install -e .)")
    return found


def terminal_env(term: str) -> dict[str, str]:
    """What the program sees: nothing of the caller's environment but PATH and HOME, so that
    a FRONTDESK_*, COLORTERM, NO_COLOR or LC_ALL around the test run changes nothing."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TERM": term,
        "LANG": "C.UTF-8",
        "TEXTUAL_ANIMATIONS": "none",
        "TEXTUAL_DISABLE_KITTY_KEY": "1",
    }


class Tmux:
    """One private tmux server. ``close`` kills it and every program still running in it."""

    def __init__(self) -> None:
        self.socket = f"fd-test-{uuid.uuid4().hex[:12]}"
        self.socket_path: Path | None = None  # known once the server runs

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=TMUX_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def open(
        self,
        name: str,
        argv: Sequence[str],
        *,
        term: str = "xterm-256color",
        width: int = 80,
        height: int = 24,
    ) -> Pane:
        """A new session ``name`` running ``argv`` (stderr left alone: Textual draws there)."""
        env = terminal_env(term)
        # tmux sets TERM in a pane itself, so the environment is given by env(1), not -e. The
        # shell says how the program ended: tmux 3.3 sometimes misses its own child's exit
        # status (the pane shows dead, the process stays a zombie), the shell never does; and
        # it then keeps the terminal open, since what is written just before the last close of
        # a pseudo-terminal can be lost (a traceback, the status).
        program = shlex.join(["env", "-i", *(f"{k}={v}" for k, v in env.items()), *argv])
        pane_id = self.run(
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            str(width),
            "-y",
            str(height),
            "-P",
            "-F",
            "#{pane_id}",
            shlex.join(["sh", "-c", f"{program}; echo '{EXIT_MARK}'$?]; exec sleep 3600"]),
            ";",
            "set-option",
            "-g",
            "remain-on-exit",
            "on",
        ).strip()
        if self.socket_path is None:
            self.socket_path = Path(self.run("display-message", "-p", "#{socket_path}").strip())
        return Pane(self, name, pane_id)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):  # already gone
            self.run("kill-server")
        if self.socket_path is not None:  # tmux 3.3 leaves it behind
            self.socket_path.unlink(missing_ok=True)


class Pane:
    """One terminal: keys in, plain text out."""

    def __init__(self, tmux: Tmux, name: str, pane_id: str) -> None:
        self.tmux = tmux
        self.name = name
        self.id = pane_id

    # ------------------------------------------------------------------------------ reading

    def screen(self) -> str:
        """The screen as plain text (a Chinese character is one character, two cells)."""
        return self.tmux.run("capture-pane", "-p", "-J", "-t", self.id)

    def lines(self) -> list[str]:
        """The screen's rows, one string per terminal row (row numbers match ``cursor``)."""
        return self.tmux.run("capture-pane", "-p", "-t", self.id).split("\n")[:-1]

    def styled(self) -> str:
        """The screen with its colours and attributes as escape sequences."""
        return self.tmux.run("capture-pane", "-p", "-e", "-t", self.id)

    def cursor(self) -> tuple[int, int]:
        """The terminal cursor (column, row): Textual puts it in the focused input box."""
        x, y = self.tmux.run(
            "display-message", "-p", "-t", self.id, "#{cursor_x} #{cursor_y}"
        ).split()
        return int(x), int(y)

    def status(self) -> int | None:
        """The program's exit status once it has ended, else None."""
        found = EXIT_STATUS.search(self.screen())
        return int(found[1]) if found else None

    def after_exit(self) -> str:
        """What the program left on the terminal (a traceback?), beside what tmux adds."""
        rows = self.lines()
        return "\n".join(
            r for r in rows if not r.startswith("Pane is dead") and EXIT_MARK not in r
        ).strip()

    # ----------------------------------------------------------------------------- keys in

    def keys(self, *keys: str) -> None:
        """tmux key names: ``Enter``, ``Tab``, ``Escape``, ``F2``, ``C-q``, ``Down`` ..."""
        self.tmux.run("send-keys", "-t", self.id, *keys)

    def type(self, text: str) -> None:
        """Literal text, as typed (UTF-8, so Chinese too)."""
        self.tmux.run("send-keys", "-t", self.id, "-l", "--", text)  # "--": text may start with "-"

    # ----------------------------------------------------------------------------- waiting

    def wait_until(
        self, check: Callable[[str], bool], what: str, timeout: float, interval: float = POLL
    ) -> str:
        """Poll the screen until ``check`` holds; the screen then. Fails showing the last one."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if check(shown):
                return shown
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"[{self.name}] waited {timeout:.1f}s for {what}; the screen:\n{shown}"
                )
            time.sleep(interval)

    def wait_for(self, text: str, timeout: float = 10.0, interval: float = POLL) -> str:
        return self.wait_until(lambda s: text in s, repr(text), timeout, interval)

    def row_of(self, text: str) -> int | None:
        """The first row showing ``text``."""
        return next((y for y, row in enumerate(self.lines()) if text in row), None)

    def wait_cursor_on(self, label: str, timeout: float = 10.0) -> None:
        """Until the terminal cursor is on the row labelled ``label``: the input box there has
        the focus. (Keys sent before that could still reach the box that had it.)"""
        deadline = time.monotonic() + timeout
        while True:
            row = self.row_of(label)
            if row is not None and self.cursor()[1] == row:
                return
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"[{self.name}] waited {timeout:.1f}s for the cursor on the {label!r} row "
                    f"(row {row}, cursor at {self.cursor()}); the screen:\n{self.screen()}"
                )
            time.sleep(POLL / 4)

    def wait_row(self, label: str, text: str, timeout: float = 10.0) -> None:
        """Until the row labelled ``label`` shows ``text`` (what was typed has arrived)."""
        self.wait_until(
            lambda s: any(label in row and text in row for row in s.split("\n")),
            f"{text!r} on the {label!r} row",
            timeout,
            POLL / 4,
        )

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Until the command has ended; its exit status."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.status()
            if status is not None:
                return status
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"[{self.name}] still running after {timeout:.1f}s; the screen:\n"
                    f"{self.screen()}"
                )
            time.sleep(POLL)
