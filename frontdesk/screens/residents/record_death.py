"""Record that a resident has died: the date, a note, and a new head when the head has died and
others still live in the household. The record is kept (status 去世), never deleted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.residents.detail import ResidentDetail
from frontdesk.residents.editing import record_death
from frontdesk.screens.base.forms import (
    FormScreen,
    choice,
    date_input,
    field,
    text_input,
)
from frontdesk.screens.residents.fields import living_others, member_label
from frontdesk.widgets.text import display


@dataclass(frozen=True)
class Death:
    on: date | None
    note: str
    new_head_id: int | None


class RecordDeathScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss", "record_death.tcss"]

    def __init__(self, detail: ResidentDetail, today: date) -> None:
        super().__init__()
        self.detail = detail
        self.today = today
        self.others = living_others(detail.household, detail.person.id)
        self.needs_head = detail.person.relation == "head" and bool(self.others)

    def title_text(self) -> str:
        return _("form.death.title", name=display(self.detail.person.name))

    def fields(self) -> Iterator[Widget]:
        yield field("on", "form.field.died_on", date_input(self.today))
        if self.needs_head:
            yield field(
                "new_head_id",
                "form.field.new_head",
                choice([(member_label(m), m.id) for m in self.others]),
            )
        yield field("note", "form.field.note", text_input(""))
        yield Static(_("form.death.note"), classes="form-note")

    def collect(self, problems: dict[str, Notice]) -> Death:
        on = self.date_value("on", problems)
        if on is None and "on" not in problems:
            problems["on"] = Notice("validation.required")
        return Death(
            on=on,
            note=self.value("note"),
            new_head_id=self.selected("new_head_id") if self.needs_head else None,
        )

    def write(self, values: Any, confirm: bool) -> int:
        death: Death = values
        assert death.on is not None
        desk = self.desk
        person = self.detail.person
        record_death(
            person.id,
            death.on,
            version=person.version,
            new_head_id=death.new_head_id,
            note=death.note,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
        )
        return person.id
