"""Opening a database: the one place that knows it is SQLite.

Every write transaction is ``BEGIN IMMEDIATE`` (``lock_type``), so a read-then-write never
fails half-way with "database is locked"; WAL lets readers go on while one process writes;
the busy timeout makes writers queue instead of failing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import OperationalError, SqliteDatabase

from frontdesk.db import writers
from frontdesk.db.base import database_proxy
from frontdesk.errors import UserError

BUSY_TIMEOUT_MS = 15_000
PRAGMAS: dict[str, object] = {
    "busy_timeout": BUSY_TIMEOUT_MS,  # first: the pragmas below may wait for a lock
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "cache_size": -32_000,  # KiB
    "temp_store": "memory",
}

T = TypeVar("T")


SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
# What a read-only inspection sets: no journal mode (that would be a write), no writes at all.
READ_PRAGMAS: dict[str, object] = {
    "busy_timeout": BUSY_TIMEOUT_MS,
    "query_only": 1,
    "cache_size": -32_000,
    "temp_store": "memory",
}


@dataclass(frozen=True)
class FileState:
    """What is at a database path, looked at without writing."""

    exists: bool
    schema_version: int | None  # None: empty or new file
    # Read with ``immutable=1`` (a WAL database in a folder we cannot write, no -wal file):
    # what the file held when read, not what a desk may be writing meanwhile.
    snapshot: bool = False


def _wal_path(path: Path) -> Path:
    return Path(f"{path}-wal")


def folder_writable(path: Path) -> bool:
    """Can files be created beside ``path`` (SQLite's -wal and -shm, the sessions lock)?"""
    return os.access(path.parent, os.W_OK | os.X_OK)


def read_header(path: Path) -> bytes:
    """The first bytes of the file; refuse a foreign file, call a cut-short one damaged."""
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if not header.startswith(SQLITE_HEADER[: len(header)]) or len(header) < len(SQLITE_HEADER):
        raise UserError("error.db_not_frontdesk", path=str(path))
    if len(header) < HEADER_SIZE:
        raise UserError("error.db_damaged", path=str(path))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):  # a power of two, 512 to 65536
        raise UserError("error.db_damaged", path=str(path))
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    size = path.stat().st_size
    # Without a -wal file the whole database is in this file: it cannot be shorter than the
    # header says, nor end in the middle of a page (a copy cut short, a disk that filled up).
    if not _wal_path(path).exists() and (
        size % page_size or (counter_valid and pages and size < pages * page_size)
    ):
        raise UserError("error.db_damaged", path=str(path))
    return header


def _uri(path: Path, query: str) -> str:
    return f"{path.resolve().as_uri()}?{query}"


def _is_wal(header: bytes) -> bool:
    return header[18] == 2 and header[19] == 2


def _closed_wal(path: Path, header: bytes) -> bool:
    """A WAL database no desk has open: neither its -wal nor its -shm is there (the last
    connection to close removes both), so the file holds every change."""
    return _is_wal(header) and not any(
        Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm")
    )


def _probe(uri: str) -> None:
    """Open ``uri`` and read the schema once (raises what SQLite raises)."""
    conn = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def read_only_uri(path: Path, header: bytes, *, closed: bool = True) -> tuple[str, bool]:
    """How to open ``path`` without writing it (the URI, and whether it is a snapshot).

    A WAL database no desk has open (no -wal, no -shm; ``closed``): ``immutable=1``, the file as
    it is, and nothing is created beside it (``mode=ro`` would leave a -shm and a -wal behind).
    Otherwise ``mode=ro``, which uses the -wal and -shm an open desk keeps and creates nothing
    new; where SQLite cannot read a WAL database that way (no -shm, and a folder it cannot
    create one in), ``immutable=1`` — a snapshot — but only when no -wal file holds changes the
    snapshot would miss. ``closed=False`` (a backup, which reads long enough for a desk to open
    the file meanwhile): always ``mode=ro``."""
    if closed and _closed_wal(path, header):
        immutable = _uri(path, "immutable=1")
        try:
            _probe(immutable)
        except sqlite3.DatabaseError as exc:
            raise UserError("error.db_damaged", path=str(path)) from exc
        return immutable, False
    uri = _uri(path, "mode=ro")
    try:
        _probe(uri)
    except sqlite3.OperationalError as exc:
        if is_locked_error(exc):
            raise UserError("error.db_busy", path=str(path)) from exc
        if not _is_wal(header) or folder_writable(path):
            raise UserError("error.db_unreadable", path=str(path)) from exc
        if _wal_path(path).exists():
            raise UserError(
                "error.db_wal_unreadable", path=str(path), folder=str(path.parent)
            ) from exc
        return _uri(path, "immutable=1"), True
    except sqlite3.DatabaseError as exc:
        raise UserError("error.db_damaged", path=str(path)) from exc
    return uri, False


def inspect_file(path: Path) -> FileState:
    """Look at ``path`` without writing it. Raises ``UserError`` for anything that is not ours."""
    if not path.exists():
        return FileState(exists=False, schema_version=None)
    if path.is_dir():
        raise UserError("error.db_is_directory", path=str(path))
    if not os.access(path, os.R_OK):
        raise UserError("error.db_unreadable", path=str(path))
    if path.stat().st_size == 0:
        return FileState(exists=True, schema_version=None)
    header = read_header(path)
    uri, snapshot = read_only_uri(path, header)
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise UserError("error.db_unreadable", path=str(path)) from exc
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            return FileState(exists=True, schema_version=None, snapshot=snapshot)
        if "schema_migration" not in tables:
            raise UserError("error.db_not_frontdesk", path=str(path))
        row = conn.execute("SELECT max(version) FROM schema_migration").fetchone()
        return FileState(exists=True, schema_version=row[0] if row else None, snapshot=snapshot)
    except sqlite3.OperationalError as exc:
        if is_locked_error(exc):
            raise UserError("error.db_busy", path=str(path)) from exc
        raise UserError("error.db_damaged", path=str(path)) from exc
    except sqlite3.DatabaseError as exc:  # the header is SQLite's: "malformed" and kin
        raise UserError("error.db_damaged", path=str(path)) from exc
    finally:
        conn.close()


def file_mode(folder: Path) -> int:
    """0600 — unless the folder is a group's shared one (setgid, see deploy/): then 0660, so
    every member's desk can write the database and the -wal/-shm files SQLite gives the same
    mode."""
    try:
        shared = bool(folder.stat().st_mode & stat.S_ISGID)
    except OSError:
        shared = False
    return 0o660 if shared else 0o600


def create_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (or its group, see
    ``file_mode``)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, file_mode(path.parent))
    except FileExistsError:
        return  # another process was first: fine
    except OSError as exc:
        raise UserError("error.db_cannot_create", path=str(path), reason=exc.strerror) from exc
    os.close(fd)


def make_database(path: Path) -> SqliteDatabase:
    return SqliteDatabase(
        str(path),
        pragmas=PRAGMAS,
        timeout=BUSY_TIMEOUT_MS / 1000,
        lock_type="IMMEDIATE",
        check_same_thread=False,
    )


def bind(db: SqliteDatabase) -> None:
    """Make ``db`` the database of every model."""
    database_proxy.initialize(db)


def is_locked_error(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError | sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def write(fn: Callable[[], T], *, attempts: int = 5) -> T:
    """Run ``fn`` in one IMMEDIATE transaction, retrying when another process holds the lock.

    The busy timeout already waits up to 15 s; this only covers the rare cases SQLite gives up
    early (a checkpoint in progress, a deadlock between two readers upgrading), so the user never
    sees "database is locked".
    """
    db = database_proxy.obj
    for attempt in range(attempts):
        try:
            with writers.turn(db), db.atomic():  # in turn: see frontdesk.db.writers
                return fn()
        except Exception as exc:
            if not is_locked_error(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


@contextlib.contextmanager
def connection() -> Iterator[None]:
    """A connection for the current thread (thread workers open their own)."""
    db = database_proxy.obj
    with db.connection_context():
        yield


def run_script(db: SqliteDatabase, statements: list[str]) -> None:
    for sql in statements:
        db.execute_sql(sql)


def executemany(db: SqliteDatabase, sql: str, rows: list[tuple[Any, ...]]) -> None:
    db.cursor().executemany(sql, rows)


def open_database(path: Path, *, create: bool, now: Callable[[], Any]) -> SqliteDatabase:
    """Open (and, with ``create``, create) the database at ``path``, migrated and bound.

    Nothing is written to a file that is not a frontdesk database, nor to one whose schema is
    newer than this program's.
    """
    from frontdesk.db.migrations import SCHEMA_VERSION, migrate

    state = inspect_file(path)
    if not state.exists:
        if not create:
            raise UserError("error.db_missing", path=str(path))
        create_file(path)
    elif state.schema_version is not None and state.schema_version > SCHEMA_VERSION:
        raise UserError(
            "error.db_newer", path=str(path), found=state.schema_version, supported=SCHEMA_VERSION
        )
    elif not os.access(path, os.W_OK):
        raise UserError("error.db_readonly", path=str(path))
    if not folder_writable(path):  # SQLite keeps its -wal and -shm beside the file
        raise UserError("error.db_folder_readonly", path=str(path), folder=str(path.parent))
    db = make_database(path)
    bind(db)
    try:
        db.connect(reuse_if_open=True)
        migrate(db, now())
    except (sqlite3.DatabaseError, PeeweeDatabaseError) as exc:
        db.close()
        if is_locked_error(exc):  # another program held the write lock throughout
            raise UserError("error.db_busy", path=str(path)) from exc
        raise UserError("error.db_unreadable", path=str(path)) from exc
    except Exception:
        db.close()
        raise
    return db


def open_read_only(path: Path) -> tuple[SqliteDatabase, FileState]:
    """Open the database at ``path`` to look, never to write (``info``, ``find``): no file is
    created, no schema written, no journal mode changed, no migration run. Bound like
    ``open_database``; the state says whether what is read is a snapshot."""
    from frontdesk.db.migrations import SCHEMA_VERSION

    state = inspect_file(path)
    if not state.exists:
        raise UserError("error.db_missing", path=str(path))
    if state.schema_version is None:
        raise UserError("error.db_empty", path=str(path))
    if state.schema_version > SCHEMA_VERSION:
        raise UserError(
            "error.db_newer", path=str(path), found=state.schema_version, supported=SCHEMA_VERSION
        )
    if state.schema_version < SCHEMA_VERSION:
        raise UserError(
            "error.db_older", path=str(path), found=state.schema_version, supported=SCHEMA_VERSION
        )
    uri, _snapshot = read_only_uri(path, read_header(path))
    db = SqliteDatabase(
        uri,
        uri=True,
        pragmas=READ_PRAGMAS,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    bind(db)
    try:
        db.connect(reuse_if_open=True)
    except (sqlite3.DatabaseError, PeeweeDatabaseError) as exc:
        db.close()
        raise UserError("error.db_unreadable", path=str(path)) from exc
    return db, state


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Queries on a database opened with ``open_read_only``: a page that turns out corrupt is
    "damaged", a lock held throughout is "busy" — one line each, not a traceback."""
    try:
        yield
    except (sqlite3.DatabaseError, PeeweeDatabaseError) as exc:
        if is_locked_error(exc):
            raise UserError("error.db_busy", path=str(path)) from exc
        raise UserError("error.db_damaged", path=str(path)) from exc


@contextlib.contextmanager
def bulk_load(tables: list[str], cache_mib: int = 512) -> Iterator[None]:
    """Load many rows into ``tables`` fast, inside the caller's transaction: their secondary
    indexes are dropped and built again afterwards (one sort each instead of a B-tree insert
    per row, unique ones checked then), and the page cache is large meanwhile. If the load
    fails the transaction rolls back, indexes included."""
    db = database_proxy.obj
    marks = ", ".join("?" for _ in tables)
    indexes = db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    db.execute_sql(f"PRAGMA cache_size = -{cache_mib * 1024}")
    for name, _sql in indexes:
        db.execute_sql(f'DROP INDEX "{name}"')
    try:
        yield
        for _name, sql in indexes:
            db.execute_sql(sql)
        db.execute_sql("ANALYZE")  # statistics for the new indexes: the planner needs them
    finally:
        db.execute_sql(f"PRAGMA cache_size = {PRAGMAS['cache_size']}")
