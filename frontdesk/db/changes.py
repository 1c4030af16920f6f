"""Seeing what other sessions changed, cheaply.

Every write leaves an audit entry, so "what changed since I last looked" is the audit entries
after the last id seen: one primary-key range scan. And whether anything was committed at all
is SQLite's ``PRAGMA data_version`` on one long-lived connection: it moves only when another
connection commits, costs microseconds and reads no table. A desk that sees no change does
nothing more than that.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from frontdesk.vocabulary import Changes

# audit actions that read, not write: they change nothing on anyone's screen
_NOT_CHANGES = ("reveal", "auth.", "audit.")


class ChangeWatch:
    """One read-only connection of its own, used from one thread at a time (a lock guards it)."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1, check_same_thread=False
        )
        self._lock = threading.Lock()
        self._version = self._data_version()
        self.last_id = self._max_id()

    def _data_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _max_id(self) -> int:
        with self._lock:
            return int(
                self._conn.execute("SELECT coalesce(max(id), 0) FROM audit_entry").fetchone()[0]
            )

    def committed_elsewhere(self) -> bool:
        """The trivial check: has any other connection committed since the last call?"""
        try:
            version = self._data_version()
        except sqlite3.Error:
            return False  # busy for a moment: look again next time
        if version == self._version:
            return False
        self._version = version
        return True

    def collect(self) -> Changes:
        """The records written since the last collect (reads only new audit entries)."""
        try:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT id, action, entity, entity_id FROM audit_entry WHERE id > ? "
                    "ORDER BY id",
                    (self.last_id,),
                ).fetchall()
        except sqlite3.Error:
            return Changes(frozenset())
        if rows:
            self.last_id = int(rows[-1][0])
        return Changes(
            frozenset(
                (str(entity), entity_id)
                for _id, action, entity, entity_id in rows
                if not any(marker in str(action) for marker in _NOT_CHANGES)
            )
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()
