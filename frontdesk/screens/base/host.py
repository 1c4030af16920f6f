"""What a screen may ask of the application it runs in (the app satisfies it).

Screens and widgets type against this, never against ``frontdesk.app``: the app imports the
screens, so the screens importing the app would tie them all into one circle.
"""

from __future__ import annotations

from typing import Protocol

from textual.signal import Signal

from frontdesk.desk import Desk
from frontdesk.permissions import Operator
from frontdesk.vocabulary import Changes


class DeskHost(Protocol):
    """The desk's application as the screens see it."""

    desk: Desk
    language: str
    language_changed: Signal[str]  # published after the language changed
    data_changed: Signal[Changes]  # records written at other desks (or by this one's workers)

    @property
    def locked(self) -> bool: ...

    def open_resident(self, resident_id: int) -> None:
        """Show a resident's detail over whatever is shown."""

    def signed_in(self, operator: Operator, password: str) -> None:
        """The login accepted someone (a reset password is changed first)."""

    def unlocked(self, operator: Operator) -> None:
        """The lock accepted the same person's password."""

    def set_language(self, language: str) -> None:
        """Switch every screen to ``language``."""

    def load_idle_minutes(self) -> object:
        """Read the idle lock's setting again."""
