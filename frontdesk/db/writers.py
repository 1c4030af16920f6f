"""Writers take turns: a desk waiting to write goes as soon as the one before it commits.

SQLite's busy handler lets a waiting writer sleep and poll (1, 2, 5 … 100 ms between tries)
and does not queue waiters: in a crowd a desk can wait seconds while the lock is free most of
the time (``bench/crowd.py`` measured a flat-out p99 of 5 s and a maximum near 10 s). So before
``BEGIN IMMEDIATE`` a writer takes its turn: threads of one process on a ``threading.Lock``,
processes on an exclusive ``flock`` of a small file that names the database (by device and
inode) in a folder only this account can use (``$XDG_RUNTIME_DIR`` or ``/dev/shm``); the kernel
wakes the next waiter when the turn is let go, and nobody waits for a turn longer than SQLite
would wait for its lock.

SQLite's lock stays the authority: the turn only orders who asks next. Where it cannot be had
(no ``fcntl``, no private folder, an in-memory database) writers go on as before; nested
transactions and other accounts' processes simply do not queue here.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # not on POSIX: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

_guard = threading.Lock()
_turns: dict[str, tuple[threading.RLock, int | None]] = {}
_held = threading.local()  # the databases whose turn this thread holds


def _private_folder() -> Path | None:
    """A folder of this account's own (mode 0700) on a memory file system, or None."""
    roots = [os.environ.get("XDG_RUNTIME_DIR", ""), "/dev/shm"]
    for root in filter(None, roots):
        folder = Path(root) / f"frontdesk-{os.getuid()}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            info = folder.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077:
            return folder
    return None


def lock_file(database: str) -> Path | None:
    """The file whose lock orders the writers of ``database`` (None: they do not queue)."""
    try:
        info = os.stat(database)
    except OSError:
        return None
    folder = _private_folder()
    return None if folder is None else folder / f"{info.st_dev}-{info.st_ino}.writers"


def _open(database: str) -> int | None:
    name = lock_file(database)
    if fcntl is None or name is None:
        return None
    try:
        return os.open(name, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return None


def _turn_of(database: str) -> tuple[threading.RLock, int | None]:
    key = (
        f"{os.getpid()}:{database}"  # a forked child opens its own (a shared one excludes nothing)
    )
    with _guard:
        found = _turns.get(key)
        if found is None:
            found = _turns[key] = (threading.RLock(), _open(database))
        return found


WAIT_S = 15.0  # as long as SQLite's busy timeout: a stopped holder never hangs the others


def _take(fd: int) -> bool:
    """The turn, within ``WAIT_S``. Free: taken at once. Otherwise a helper thread waits on the
    kernel's lock (woken the moment the holder lets go) while this one waits at most ``WAIT_S``
    for it: a holder stopped with Ctrl+Z never hangs every other desk, SQLite then decides."""
    assert fcntl is not None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    except OSError:
        return False
    got = threading.Event()
    gate = threading.Lock()
    abandoned = False

    def wait() -> None:
        assert fcntl is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # lets the GIL go while it waits
        except OSError:
            return
        with gate:
            if abandoned:  # the writer went on without it: let the next one have it
                fcntl.flock(fd, fcntl.LOCK_UN)
            else:
                got.set()

    threading.Thread(target=wait, name="frontdesk-writer-turn", daemon=True).start()
    if got.wait(WAIT_S):
        return True
    with gate:
        if got.is_set():
            return True
        abandoned = True
    return False


@contextlib.contextmanager
def turn(db: Any) -> Iterator[None]:
    """Wait for this process's and the other processes' writers before us (outermost
    transactions only), for as long as the ``with`` block runs."""
    database = str(getattr(db, "database", "") or "")
    if not database or database.startswith(":") or db.transaction_depth() > 0:
        yield
        return
    held: set[str] = _held.__dict__.setdefault("databases", set())
    if database in held:  # this thread has the turn already (another handle on the file)
        yield
        return
    local, fd = _turn_of(database)
    with local:
        held.add(database)
        try:
            if fd is None or fcntl is None:
                yield
                return
            if not _take(fd):  # no turn in time: SQLite's own busy handler decides
                yield
                return
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            held.discard(database)
