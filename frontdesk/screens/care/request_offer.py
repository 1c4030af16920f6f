"""After a visit with a concern: open a walk-in request from it? One line, the request's summary,
pre-filled (``走访发现居家安全需关注：燃气灶打火不着``, or without a note just the first part) for
the clerk to say what is wrong; Enter opens the request with that text, Escape skips."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from frontdesk.i18n import _
from frontdesk.screens.base.screen import DeskModal
from frontdesk.textrules import NOTE, text_problem
from frontdesk.widgets.input import DeskInput


class RequestOfferScreen(DeskModal[str | None]):
    """Dismisses with the summary to open the request with, None to skip."""

    CSS_PATH = "request_offer.tcss"
    BINDINGS = [Binding("escape", "skip", "care_visit.request_skip")]

    def __init__(self, category: str, summary: str) -> None:
        super().__init__()
        self.category = category  # the category's name, as shown
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(id="offer-box"):
            yield Static(_("care_visit.request_title"), id="offer-title")
            yield Static(_("care_visit.request_open", category=self.category), id="offer-body")
            yield DeskInput(self.summary, id="offer-summary", compact=True, max_length=400)
            yield Static("", id="offer-error")
            yield Static(_("care_visit.request_hint"), id="offer-hint")

    def on_mount(self) -> None:
        self.query_one("#offer-summary", Input).focus()

    @on(Input.Submitted, "#offer-summary")
    def _accepted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        problem = text_problem(text, NOTE)
        if not text or problem is not None:
            error = _("validation.required") if not text else problem.text() if problem else ""
            self.query_one("#offer-error", Static).update(error)
            return
        self.dismiss(text)

    def action_skip(self) -> None:
        self.dismiss(None)
