"""Whole-file operations on a database: does it hold data, copy it, build a new one beside it
and swap it in by one rename."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from peewee import SqliteDatabase

from frontdesk.db.filecheck import file_mode, read_header, read_only_uri
from frontdesk.errors import UserError

# SQLite's companions of a database file: its write-ahead log, the log's index, and the
# rollback journal of a database not in WAL mode.
COMPANIONS = ("-wal", "-shm", "-journal")


def holds_data(path: Path) -> bool:
    """True when a frontdesk database already holds a community, a resident or a staff member."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return any(
            conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in ("community", "resident", "staff")
        )
    finally:
        conn.close()


def backup(path: Path, target: Path) -> Path:
    """A consistent copy of the database at ``target`` (0600), taken with SQLite's online backup
    while desks go on reading and writing; ``target`` must not exist yet. Read through SQLite's
    locks (``mode=ro``), never as an immutable file: a desk may open it during the copy."""
    uri, _snapshot = read_only_uri(path, read_header(path), closed=False)
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # ours, private
    try:
        source = sqlite3.connect(uri, uri=True)
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    except BaseException as exc:
        _remove_with_companions(target)  # no half copy left to be taken for a backup
        if isinstance(exc, sqlite3.Error):
            raise OSError(str(exc)) from exc
        raise
    os.chmod(target, 0o600)
    return target


def backup_name(path: Path, now: datetime, kind: str = "backup") -> Path:
    return path.with_name(f"{path.name}.{kind}-{now:%Y%m%d-%H%M%S}")


def _remove_with_companions(path: Path) -> None:
    for suffix in ("", *COMPANIONS):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _new_prefix(path: Path) -> str:
    return f".{path.name}.new-"


@contextlib.contextmanager
def new_file_beside(path: Path) -> Iterator[Path]:
    """An empty file in ``path``'s folder (same file system, so ``swap_in`` is one rename) to
    build a new database in; removed, with its -wal and -shm, unless swapped in. Call it only
    while holding ``sessions.no_desk_open``: files an earlier run left when it was killed are
    removed first, and no other run can be using them."""
    for stale in path.parent.glob(f"{_new_prefix(path)}*"):
        stale.unlink(missing_ok=True)
    fd, name = tempfile.mkstemp(prefix=_new_prefix(path), dir=path.parent)
    try:
        os.fchmod(fd, file_mode(path.parent))
    finally:
        os.close(fd)
    new = Path(name)
    try:
        yield new
    finally:
        _remove_with_companions(new)  # nothing left once swapped in


def close_for_swap(db: SqliteDatabase) -> None:
    """Close a database built by ``new_file_beside`` with its whole log in the file, ready for
    ``swap_in``."""
    try:
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def _fsync(path: Path, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(new: Path, path: Path) -> None:
    """Put the closed database ``new`` in place of ``path`` by one atomic rename: a kill at any
    moment leaves either the old database whole or the new one.

    The old file's -wal is first checkpointed into it (the old data stays whole in the file
    itself), then its -wal, -shm and -journal are removed: left beside the new file, SQLite
    would replay the old log over it. ``new`` must have no -wal of its own (closed cleanly)."""
    if Path(f"{new}-wal").exists() and Path(f"{new}-wal").stat().st_size:
        raise RuntimeError(f"{new} was not closed cleanly")
    _fsync(new)
    if path.exists() and path.stat().st_size:
        old = sqlite3.connect(path, timeout=5)  # also rolls back a hot journal
        try:
            old.execute("SELECT count(*) FROM sqlite_master").fetchone()
            busy, _log, _done = old.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as exc:
            raise UserError("error.db_busy", path=str(path)) from exc
        finally:
            old.close()
        if busy:
            raise UserError("error.db_busy", path=str(path))
        kept = path.stat()  # the new file is the old one's: same owner and mode
        os.chmod(new, stat.S_IMODE(kept.st_mode))
        with contextlib.suppress(PermissionError):  # only root gives a file away
            os.chown(new, kept.st_uid, kept.st_gid)
    for suffix in COMPANIONS:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    for suffix in COMPANIONS:
        Path(f"{new}{suffix}").unlink(missing_ok=True)
    os.replace(new, path)
    with contextlib.suppress(OSError):  # not every file system syncs a folder
        _fsync(path.parent, os.O_RDONLY | os.O_DIRECTORY)
