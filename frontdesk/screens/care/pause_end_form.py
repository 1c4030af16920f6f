"""End a person's pause early (back from hospital before the planned day): the day it ended
(today unless changed); the visits are due again from then. Ctrl+S saves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from frontdesk.care.manage import end_pause
from frontdesk.care.status import CareView
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.screens.base.forms import FormScreen, date_input, field


class PauseEndFormScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss"]
    HELP_KEY = "care_detail.form_help"

    def __init__(self, resident_id: int, view: CareView, today: date) -> None:
        super().__init__()
        assert view.pause_id is not None
        self.resident_id = resident_id
        self.pause_id = view.pause_id
        self.view = view
        self.today = today

    def title_text(self) -> str:
        return _("care_detail.pause_end_title")

    def fields(self) -> Iterator[Widget]:
        yield field("on", "care_detail.field.ended_on", date_input(self.today))
        view = self.view
        kind = _(f"enum.care_pause_kind.{view.pause_kind}") if view.pause_kind else ""
        if view.pause_from is not None and view.pause_from > self.today:  # called off
            start, to = f"{view.pause_from:%m-%d}", f"{view.pause_to:%m-%d}"
            note = _("care_detail.pause_coming", start=start, date=to, kind=kind)
            note += " · " + _("care_detail.pause_call_off")
        else:
            until = view.paused_until or view.pause_to
            note = _("care_detail.paused", date=f"{until:%m-%d}" if until else "—", kind=kind)
        yield Static(note, classes="form-note")

    def collect(self, problems: dict[str, Notice]) -> date | None:
        on = self.date_value("on", problems)
        if on is None and "on" not in problems:
            problems["on"] = Notice("validation.required")
        return on

    def write(self, values: Any, confirm: bool) -> int | None:
        desk = self.desk
        end_pause(self.pause_id, on=values, actor_id=desk.operator_id, now=desk.clock.now())
        return self.resident_id
