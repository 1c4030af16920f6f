"""A database file looked at before it is opened: what is there, whether it is ours, whether
this program can open it to write — with SQLite's own module only, no ORM, so that the desk
checks its file on the command line and still draws its first screen before the ORM, the
models and the migrations are imported (they load behind the login: see ``FrontdeskApp``).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from frontdesk.errors import UserError

# The schema this program writes; ``frontdesk.db.migrations`` holds a step for each version up
# to it (a test keeps the two together).
SCHEMA_VERSION = 9

SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100


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
        if _locked(exc):
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
        if _locked(exc):
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


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def check_openable(path: Path, *, create: bool) -> FileState:
    """Everything that would stop ``path`` being opened to write, said as a ``UserError`` before
    anything is written: a missing file (created, empty, with ``create``), a file that is not a
    frontdesk database, one whose schema is newer than this program's, a read-only file or
    folder (SQLite keeps its -wal and -shm beside the file)."""
    state = inspect_file(path)
    if not state.exists:
        if not create:
            raise UserError("error.db_missing", path=str(path))
        create_file(path)
        state = FileState(exists=True, schema_version=None)
    elif state.schema_version is not None and state.schema_version > SCHEMA_VERSION:
        raise UserError(
            "error.db_newer", path=str(path), found=state.schema_version, supported=SCHEMA_VERSION
        )
    elif not os.access(path, os.W_OK):
        raise UserError("error.db_readonly", path=str(path))
    if not folder_writable(path):
        raise UserError("error.db_folder_readonly", path=str(path), folder=str(path.parent))
    return state
