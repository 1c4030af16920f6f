"""Whole-file operations on a database: does it hold data, set it aside as a backup."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path


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
    while desks go on reading and writing; ``target`` must not exist yet."""
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # ours, private
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    os.chmod(target, 0o600)
    return target


def backup_name(path: Path, now: datetime, kind: str = "backup") -> Path:
    return path.with_name(f"{path.name}.{kind}-{now:%Y%m%d-%H%M%S}")


def set_aside(path: Path, now: datetime) -> Path:
    """Copy the database consistently to ``PATH.bak-YYYYmmdd-HHMMSS`` (0600), then remove it."""
    kept = backup(path, backup_name(path, now, "bak"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return kept
