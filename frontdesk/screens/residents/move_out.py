"""Move a resident or their whole household out of the community. Nothing is deleted: the status
becomes 迁出 with the date and where they can be reached, and the history stays.

When others still live in the household the form asks which: this person alone, or everyone.
A head leaving alone hands over to a new head chosen here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import Select, Static

from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.residents.detail import ResidentDetail
from frontdesk.residents.editing import move_out_household, move_out_resident
from frontdesk.screens.base.forms import (
    FormScreen,
    choice,
    date_input,
    field,
    field_id,
    row_id,
    text_input,
)
from frontdesk.screens.residents.fields import living_others, member_label
from frontdesk.widgets.text import display

PERSON, HOUSEHOLD = "person", "household"


@dataclass(frozen=True)
class Leaving:
    scope: str
    on: date | None
    contact: str
    new_head_id: int | None


class MoveOutScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss", "move_out.tcss"]

    def __init__(self, detail: ResidentDetail, today: date, scope: str = PERSON) -> None:
        super().__init__()
        self.detail = detail
        self.today = today
        self.others = living_others(detail.household, detail.person.id)
        self.scope = scope if self.others else PERSON
        self.is_head = detail.person.relation == "head"

    def title_text(self) -> str:
        return _("form.move_out.title", name=display(self.detail.person.name))

    def fields(self) -> Iterator[Widget]:
        name = display(self.detail.person.name)
        if self.others:
            yield field(
                "scope",
                "form.field.scope",
                choice(
                    [
                        (_("form.move_out.scope_person", name=name), PERSON),
                        (_("form.move_out.scope_household", count=len(self.others) + 1), HOUSEHOLD),
                    ],
                    self.scope,
                    allow_blank=False,
                ),
            )
        yield field("on", "form.field.moved_out_on", date_input(self.today))
        yield field(
            "forwarding_contact",
            "form.field.forwarding_contact",
            text_input("", _("form.move_out.contact_placeholder")),
        )
        if self.is_head and self.others:
            yield field(
                "new_head_id",
                "form.field.new_head",
                choice([(member_label(m), m.id) for m in self.others]),
            )
        yield Static(_("form.move_out.note"), classes="form-note")

    def on_mount(self) -> None:
        self._show_scope()

    @on(Select.Changed, "#f-scope")
    def _scope_changed(self, event: Select.Changed) -> None:
        if event.value in (PERSON, HOUSEHOLD):
            self.scope = str(event.value)
        self._show_scope()

    def _show_scope(self) -> None:
        rows = self.query(f"#{row_id('new_head_id')}")
        if rows:
            rows.first().display = self.scope == PERSON

    def collect(self, problems: dict[str, Notice]) -> Leaving:
        on = self.date_value("on", problems)
        if on is None and "on" not in problems:
            problems["on"] = Notice("validation.required")
        new_head = None
        if self.scope == PERSON and self.query(f"#{field_id('new_head_id')}"):
            new_head = self.selected("new_head_id")
        return Leaving(
            scope=self.scope,
            on=on,
            contact=self.value("forwarding_contact"),
            new_head_id=new_head,
        )

    def write(self, values: Any, confirm: bool) -> int:
        leaving: Leaving = values
        assert leaving.on is not None
        desk = self.desk
        person, household = self.detail.person, self.detail.household
        if leaving.scope == HOUSEHOLD:
            move_out_household(
                household.id,
                leaving.on,
                leaving.contact,
                version=household.version,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            )
        else:
            move_out_resident(
                person.id,
                leaving.on,
                leaving.contact,
                version=person.version,
                new_head_id=leaving.new_head_id,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            )
        return person.id
