"""Who has the database open: each running desk holds a shared lock on ``PATH.sessions``.

Whole-file operations that would pull the file from under a running desk (``seed --force``
replacing it) take the exclusive lock first and refuse while any desk is open; a desk that
starts while such an operation runs is told to wait. The locks are the operating system's
(``flock``): a desk that crashes or loses its SSH link releases its lock with its process.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from frontdesk.db.filecheck import file_mode
from frontdesk.errors import UserError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no cross-process guard
    fcntl = None  # type: ignore[assignment]


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.sessions")


def _open(db_path: Path) -> IO[bytes]:
    path = lock_path(db_path)
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, file_mode(path.parent))
        except PermissionError:  # another member's file without group write: a lock needs none
            fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:  # none yet, and a folder we cannot create it in
        raise UserError(
            "error.db_folder_readonly", path=str(db_path), folder=str(db_path.parent)
        ) from None
    except OSError as exc:
        raise UserError("error.db_unreadable", path=str(db_path)) from exc
    return os.fdopen(fd, "rb")


class DeskSession:
    """Held for as long as a desk runs on ``db_path``."""

    def __init__(self, db_path: Path) -> None:
        self.file: IO[bytes] | None = None
        if fcntl is None:
            return
        handle = _open(db_path)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise UserError("error.db_being_replaced", path=str(db_path)) from None
        self.file = handle

    def close(self) -> None:
        if self.file is not None:
            self.file.close()  # releases the lock
            self.file = None

    def __enter__(self) -> DeskSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def no_desk_open(db_path: Path) -> Iterator[None]:
    """Run the block only while no desk has ``db_path`` open, and keep new ones out meanwhile
    (a path with no database yet too: two runs creating it do not cross)."""
    if fcntl is None:
        yield
        return
    handle = _open(db_path)
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError("error.desks_open", path=str(db_path)) from None
        yield
    finally:
        handle.close()


class SweeperLease:
    """One desk among those open does the program's own rounds (no-shows, escalation); the
    others only watch for changes. Whoever gets the lock keeps it until it quits; then the next
    desk to try takes over."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(f"{db_path.name}.sweeper")
        self.file: IO[bytes] | None = None

    def held(self) -> bool:
        if fcntl is None:
            return True
        if self.file is not None:
            return True
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, file_mode(self.path.parent))
        except PermissionError:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return True  # cannot coordinate (read-only folder): sweep; the sweeps are idempotent
        handle = os.fdopen(fd, "rb")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.file = handle
        return True

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
