"""Asks why a booking is cancelled: the reason is kept with the booking and told to the booker."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from frontdesk.i18n import _
from frontdesk.screens.base.screen import DeskModal
from frontdesk.textrules import REASON, text_problem
from frontdesk.widgets.input import DeskInput


class CancelReasonScreen(DeskModal[str | None]):
    """Enter with a reason dismisses with it; Escape with None (nothing is cancelled)."""

    CSS_PATH = "cancel_reason.tcss"
    BINDINGS = [Binding("escape", "cancel", "key.close")]

    def __init__(self, title: str, what: str) -> None:
        super().__init__()
        self.title_text = title
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="cancel-box"):
            yield Static(self.title_text, id="cancel-title")
            yield Static(self.what, id="cancel-what", markup=False)
            yield DeskInput(
                placeholder=_("rooms.cancel_placeholder"), id="cancel-reason", compact=True
            )
            yield Static("", id="cancel-error")
            yield Static(_("rooms.cancel_hint"), id="cancel-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#cancel-reason")
    def _submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.query_one("#cancel-error", Static).update(_("booking.reason_required"))
            return
        problem = text_problem(reason, REASON)
        if problem is not None:  # too long, or a control character: said, never cut
            self.query_one("#cancel-error", Static).update(problem.text())
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
