"""A major event on a person (hospitalised, bereaved, fell, heating failed ...): the kind, the
day it happened (today unless changed), a note. A visit is due within 24 hours of saving."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from frontdesk.care.manage import record_event
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.screens.base.forms import FormScreen, choice, date_input, field, text_input
from frontdesk.vocabulary import CareEventKind


@dataclass(frozen=True)
class EventInput:
    kind: str | None
    happened_on: date | None
    note: str


class EventFormScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss"]
    HELP_KEY = "care_detail.form_help"

    def __init__(self, resident_id: int, today: date) -> None:
        super().__init__()
        self.resident_id = resident_id
        self.today = today

    def title_text(self) -> str:
        return _("care_detail.event_title")

    def fields(self) -> Iterator[Widget]:
        kinds = [(_(f"enum.care_event_kind.{kind}"), kind.value) for kind in CareEventKind]
        yield field("kind", "care_detail.field.event_kind", choice(kinds))
        yield field("happened_on", "care_detail.field.happened_on", date_input(self.today))
        yield field("note", "care_detail.field.note", text_input(""))
        yield Static(_("care_detail.event_note"), classes="form-note")

    def collect(self, problems: dict[str, Notice]) -> EventInput:
        kind = self.selected("kind")
        if kind is None:
            problems["kind"] = Notice("validation.required")
        happened_on = self.date_value("happened_on", problems)
        if happened_on is None and "happened_on" not in problems:
            problems["happened_on"] = Notice("validation.required")
        return EventInput(kind, happened_on, self.value("note"))

    def write(self, values: Any, confirm: bool) -> int | None:
        data: EventInput = values
        assert data.happened_on is not None
        desk = self.desk
        record_event(
            self.resident_id,
            CareEventKind(str(data.kind)),
            happened_on=data.happened_on,
            note=data.note,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
        )
        return self.resident_id
