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


def set_aside(path: Path, now: datetime) -> Path:
    """Copy the database consistently to ``PATH.bak-YYYYmmdd-HHMMSS`` (0600), then remove it."""
    backup = path.with_name(f"{path.name}.bak-{now:%Y%m%d-%H%M%S}")
    source = sqlite3.connect(str(path))
    target = sqlite3.connect(str(backup))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    os.chmod(backup, 0o600)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return backup
