"""Screens that follow what other desks change (see ``frontdesk.db.changes``)."""

from __future__ import annotations

from typing import Any

from frontdesk.vocabulary import Changes


class FollowsChanges:
    """A screen showing records other desks may change. It says which changes touch it
    (``shows``) and how to load again (``refresh_data``); the mixin reloads at once when the
    screen is on top, and otherwise when it comes back from under a form, the lock or another
    mode. Call ``follow_changes()`` from ``on_mount``."""

    _missed = False

    def shows(self, changes: Changes) -> bool:
        raise NotImplementedError

    def refresh_data(self) -> None:
        raise NotImplementedError

    def follow_changes(self: Any) -> None:
        self.app.data_changed.subscribe(self, self._changes_arrived)

    def _changes_arrived(self: Any, changes: Changes) -> None:
        if not self.shows(changes):
            return
        if self.is_current:
            self.refresh_data()
        else:
            self._missed = True

    def on_screen_resume(self) -> None:
        if self._missed:
            self._missed = False
            self.refresh_data()
