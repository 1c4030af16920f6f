"""A temporary password, shown once: after a new account is made or a password is reset.

The supervisor reads it out or writes it down for its owner, who must change it at the first
sign-in. It is not stored anywhere but as its hash, so closing this (Enter or Escape) is the last
time anybody sees it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from frontdesk.i18n import _
from frontdesk.screens.base.screen import DeskModal
from frontdesk.widgets.text import display


class TempPasswordScreen(DeskModal[None]):
    """Enter closes it as well as Escape (the base's key)."""

    CSS_PATH = "temp_password.tcss"
    BINDINGS = [Binding("enter", "close", "key.close")]

    def __init__(
        self, name: str, username: str, password: str, *, reset: bool = False, title: str = ""
    ) -> None:
        super().__init__()
        self.person = name
        self.username = username
        self.password = password
        self.reset = reset
        self.title_key = title  # a catalog key other than "made" or "reset" (confirmed)

    def compose(self) -> ComposeResult:
        title = self.title_key or (
            "temp_password.title_reset" if self.reset else "temp_password.title_new"
        )
        with Vertical(id="tp-box"):
            yield Static(_(title), id="tp-title")
            yield Static(
                _("temp_password.who", name=display(self.person), username=self.username),
                id="tp-who",
                markup=False,
            )
            yield Static(self.password, id="tp-password", markup=False)
            yield Static(_("temp_password.note"), id="tp-note")
            yield Static(_("temp_password.hint"), id="tp-hint")

    def action_close(self) -> None:
        self.dismiss(None)
