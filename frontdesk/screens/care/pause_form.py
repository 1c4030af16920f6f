"""Pause a person's visits while they are looked after elsewhere (in hospital, a care home,
away): the kind, from (today unless changed), the day they resume, a reason. Ctrl+S saves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from frontdesk.care.manage import start_pause
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.screens.base.forms import FormScreen, choice, date_input, field, text_input
from frontdesk.vocabulary import CarePauseKind


@dataclass(frozen=True)
class PauseInput:
    kind: str | None
    starts_on: date | None
    resume_on: date | None
    reason: str


class PauseFormScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss"]
    HELP_KEY = "care_detail.form_help"

    def __init__(self, resident_id: int, today: date) -> None:
        super().__init__()
        self.resident_id = resident_id
        self.today = today

    def title_text(self) -> str:
        return _("care_detail.pause_title")

    def fields(self) -> Iterator[Widget]:
        kinds = [(_(f"enum.care_pause_kind.{kind}"), kind.value) for kind in CarePauseKind]
        yield field("kind", "care_detail.field.pause_kind", choice(kinds))
        yield field("starts_on", "care_detail.field.starts_on", date_input(self.today))
        yield field("resume_on", "care_detail.field.resume_on", date_input(None))
        yield field("reason", "care_detail.field.reason", text_input(""))
        yield Static(_("care_detail.pause_note"), classes="form-note")

    def collect(self, problems: dict[str, Notice]) -> PauseInput:
        kind = self.selected("kind")
        if kind is None:
            problems["kind"] = Notice("validation.required")
        starts_on = self.date_value("starts_on", problems)
        resume_on = self.date_value("resume_on", problems)
        for name, value in (("starts_on", starts_on), ("resume_on", resume_on)):
            if value is None and name not in problems:
                problems[name] = Notice("validation.required")
        return PauseInput(kind, starts_on, resume_on, self.value("reason"))

    def write(self, values: Any, confirm: bool) -> int | None:
        data: PauseInput = values
        assert data.starts_on is not None and data.resume_on is not None
        desk = self.desk
        start_pause(
            self.resident_id,
            CarePauseKind(str(data.kind)),
            starts_on=data.starts_on,
            resume_on=data.resume_on,
            reason=data.reason,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
        )
        return self.resident_id
