"""After the intake: the request's number, who holds it (and their phone), when it is due.

The clerk reads this out to the person at the desk. ``p`` writes the slip to a text file for
printing, ``o`` opens the request, Enter or Escape closes.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from frontdesk.i18n import _
from frontdesk.requests.intake import Logged
from frontdesk.screens.base.screen import DeskModal
from frontdesk.screens.requests.slip import print_slip
from frontdesk.widgets.text import display

WEEKDAYS = [f"weekday.{n}" for n in range(7)]


class RequestLoggedScreen(DeskModal[bool]):
    """Dismisses with True when the clerk asked to open the request."""

    CSS_PATH = "logged.tcss"
    BINDINGS = [
        Binding("p", "slip", "request_form.key_slip"),
        Binding("o", "open", "request_form.key_open"),
        Binding("escape,enter", "close", "key.close"),
    ]

    def __init__(self, logged: Logged, grid: str) -> None:
        super().__init__()
        self.logged = logged
        self.grid = grid

    def compose(self) -> ComposeResult:
        with Vertical(id="logged-box"):
            yield Static(_("request_form.logged_title"), id="logged-title")
            yield Static(self._body(), id="logged-body")
            yield Static(_("request_form.logged_hint"), id="logged-hint")

    def _body(self) -> str:
        logged = self.logged
        holder = f"{display(logged.holder_name)} {logged.holder_phone}".strip()
        where = _("request_form.logged_grid", grid=self.grid) if self.grid else ""
        due = logged.due_at
        lines = [
            _("request_form.logged_number", number=logged.number),
            _("request_form.logged_holder", holder=holder, where=where),
        ]
        if logged.standing_in:
            lines.append(_("request_form.logged_standing_in"))
        lines.append(
            _(
                "request_form.logged_due",
                due=f"{due:%Y-%m-%d %H:%M}",
                weekday=_(WEEKDAYS[due.weekday()]),
            )
        )
        if logged.special_group:
            lines.append(_("request_form.logged_special"))
        return "\n".join(lines)

    # ------------------------------------------------------------------------------ actions

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        return [
            (_("request_form.palette.slip"), _("request_form.palette.slip_help"), self.action_slip),
            (_("request_form.palette.open"), _("request_form.palette.open_help"), self.action_open),
        ]

    def action_slip(self) -> None:
        print_slip(self, self.logged.id)

    def action_open(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
