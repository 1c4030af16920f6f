"""Opening a database: the one place that knows it is SQLite.

Every write transaction is ``BEGIN IMMEDIATE`` (``lock_type``), so a read-then-write never
fails half-way with "database is locked"; WAL lets readers go on while one process writes;
the busy timeout makes writers queue instead of failing.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import OperationalError, SqliteDatabase

from frontdesk.db import writers
from frontdesk.db.base import database_proxy
from frontdesk.db.filecheck import (
    SCHEMA_VERSION,
    FileState,
    check_openable,
    inspect_file,
    read_header,
    read_only_uri,
)
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


# What a read-only inspection sets: no journal mode (that would be a write), no writes at all.
READ_PRAGMAS: dict[str, object] = {
    "busy_timeout": BUSY_TIMEOUT_MS,
    "query_only": 1,
    "cache_size": -32_000,
    "temp_store": "memory",
}


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


def raw_rows(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a built query as the engine gives them (dates and times as ISO text, not
    converted field by field): for readers of many rows that parse only what they use."""
    return list(database_proxy.obj.execute(query).fetchall())


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
    from frontdesk.db.migrations import migrate

    check_openable(path, create=create)
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
