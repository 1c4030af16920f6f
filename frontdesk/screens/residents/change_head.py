"""Change the head of a household: one living member becomes head, the old head takes another
relation. A household always has exactly one head; the service swaps them in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import Select, Static

from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.residents.detail import ResidentDetail
from frontdesk.residents.editing import change_head
from frontdesk.screens.base.forms import (
    FormScreen,
    choice,
    field,
    field_id,
)
from frontdesk.screens.residents.fields import member_label, relation_choice
from frontdesk.vocabulary import Relation
from frontdesk.widgets.text import display

# What the old head most likely is to the new one, from what the new head was to the old.
FORMER_HEAD_IS = {
    Relation.SPOUSE.value: Relation.SPOUSE.value,
    Relation.CHILD.value: Relation.PARENT.value,
    Relation.PARENT.value: Relation.CHILD.value,
}


@dataclass(frozen=True)
class NewHead:
    new_head_id: int | None
    old_head_relation: str


class ChangeHeadScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss", "change_head.tcss"]

    def __init__(self, detail: ResidentDetail) -> None:
        super().__init__()
        self.detail = detail
        living = [m for m in detail.household.members if m.status == "living"]
        self.head = next((m for m in living if m.is_head), None)
        self.candidates = [m for m in living if not m.is_head]
        person = detail.person
        chosen = next((m for m in self.candidates if m.id == person.id), None)
        if chosen is None and len(self.candidates) == 1:
            chosen = self.candidates[0]
        self.chosen = chosen

    def title_text(self) -> str:
        head = display(self.head.name) if self.head else "—"
        return _("form.head.title", number=self.detail.household.number, head=head)

    def fields(self) -> Iterator[Widget]:
        yield field(
            "new_head_id",
            "form.field.new_head",
            choice(
                [(member_label(m), m.id) for m in self.candidates],
                self.chosen.id if self.chosen else None,
            ),
        )
        yield field(
            "old_head_relation",
            "form.field.old_head_relation",
            relation_choice(self._former_head_is(self.chosen.relation if self.chosen else "")),
        )
        yield Static(_("form.head.note"), classes="form-note")

    @staticmethod
    def _former_head_is(relation: str) -> str:
        return FORMER_HEAD_IS.get(relation, Relation.OTHER.value)

    @on(Select.Changed, "#f-new_head_id")
    def _new_head_chosen(self, event: Select.Changed) -> None:
        member = next((m for m in self.candidates if m.id == event.value), None)
        if member is not None:
            old = self.query_one(f"#{field_id('old_head_relation')}", Select)
            old.value = self._former_head_is(member.relation)

    def collect(self, problems: dict[str, Notice]) -> NewHead:
        new_head = self.selected("new_head_id")
        if new_head is None:
            problems["new_head_id"] = Notice("validation.required")
        old = self.selected("old_head_relation")
        if old is None:
            problems["old_head_relation"] = Notice("validation.required")
        return NewHead(new_head_id=new_head, old_head_relation=old or "")

    def write(self, values: Any, confirm: bool) -> int:
        chosen: NewHead = values
        assert chosen.new_head_id is not None
        desk = self.desk
        household = self.detail.household
        change_head(
            household.id,
            chosen.new_head_id,
            version=household.version,
            old_head_relation=chosen.old_head_relation,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
        )
        return self.detail.person.id
