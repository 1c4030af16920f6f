"""Go to a date on the rooms screen (``g``): one box that reads a date (2027-03-02, 3-2, 3月2日)
or a day said in words (+7, 明天, 下周一, next monday); what it names is shown as it is typed,
what cannot be read is said under the box. Enter dismisses with the day, Escape with None."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from frontdesk.bookings.goto import parse_day
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.screens.base.screen import DeskModal
from frontdesk.widgets.input import DeskInput


def day_name(day: date, today: date) -> str:
    """``2027-03-02 周二``, with 今天 / 明天 when it is one of them."""
    text = f"{day:%Y-%m-%d} {_(f'weekday.{day.weekday()}')}"
    if day == today:
        return _("rooms.mark_today", title=text)
    if (day - today).days == 1:
        return _("rooms.mark_tomorrow", title=text)
    return text


class GoToDateScreen(DeskModal[date | None]):
    """Reads the day to go to, relative to ``today`` (the desk's clock)."""

    CSS_PATH = "goto_date.tcss"
    BINDINGS = [Binding("escape", "close", "key.close")]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Static(_("rooms.goto.title"), id="goto-title")
            yield DeskInput(placeholder=_("rooms.goto.placeholder"), id="goto-day", compact=True)
            yield Static("", id="goto-said", markup=False)
            yield Static(_("rooms.goto.hint"), id="goto-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self.query_one("#goto-title", Static).update(_("rooms.goto.title"))
        self.query_one("#goto-hint", Static).update(_("rooms.goto.hint"))
        self.query_one(Input).placeholder = _("rooms.goto.placeholder")
        self._preview(self.query_one(Input).value)

    @on(Input.Changed, "#goto-day")
    def _changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def _preview(self, text: str) -> None:
        """The day typed so far, once it names one; nothing while it does not yet (a half-typed
        date is not an error until Enter)."""
        said = self.query_one("#goto-said", Static)
        said.remove_class("error")
        try:
            day = parse_day(text, self.today)
        except UserError:
            said.update("")
            return
        said.update(f"→ {day_name(day, self.today)}")

    @on(Input.Submitted, "#goto-day")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            day = parse_day(event.value, self.today)
        except UserError as refused:
            said = self.query_one("#goto-said", Static)
            said.add_class("error")
            said.update(str(refused))
            return
        self.dismiss(day)

    def action_close(self) -> None:
        self.dismiss(None)
