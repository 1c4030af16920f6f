"""Who visits a household instead of its grid manager: a staff member of the community (chosen
from the list) or a volunteer named here — one of the two; or, while someone is assigned, back
to the grid manager (the first choice of the list). Ctrl+S saves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.widget import Widget
from textual.widgets import Select, Static

from frontdesk.care.manage import assign_visitor, end_assignment
from frontdesk.care.status import CareView
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.requests.lookup import StaffChoice, staff_choices
from frontdesk.screens.base.forms import FormScreen, choice, field, field_id, text_input
from frontdesk.vocabulary import Role
from frontdesk.widgets.text import display

END = -1  # the choice "back to the grid manager" (ends the assignment)


@dataclass(frozen=True)
class AssignInput:
    staff_id: int | None
    volunteer: str
    note: str


class AssignFormScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss"]
    HELP_KEY = "care_detail.form_help"

    def __init__(self, household_id: int, community_id: int, view: CareView) -> None:
        super().__init__()
        self.household_id = household_id
        self.community_id = community_id
        self.view = view

    def title_text(self) -> str:
        return _("care_detail.assign_title")

    def fields(self) -> Iterator[Widget]:
        yield field("staff_id", "care_detail.field.staff", choice([]))
        yield field(
            "volunteer",
            "care_detail.field.volunteer",
            text_input("", _("care_detail.volunteer_hint")),
        )
        yield field("note", "care_detail.field.note", text_input(""))
        who = display(self.view.visitor) or "—"
        key = "care_detail.assign_now_assigned" if self.view.assigned else "care_detail.assign_now"
        yield Static(_(key, name=who), classes="form-note")

    def on_mount(self) -> None:
        job = partial(staff_choices, self.community_id, actor_id=self.desk.operator_id)
        self.call(job, self._staff_loaded)

    def _staff_loaded(self, staff: list[StaffChoice]) -> None:
        options: list[tuple[str, int]] = []
        if self.view.assigned:
            options.append((_("care_detail.assign_end"), END))
        for person in staff:
            if person.role == Role.SUBDISTRICT:
                continue  # not the community's staff
            grids = " ".join(person.grids)
            label = f"{display(person.name)}  {_(f'enum.role.{person.role}')} {grids}".rstrip()
            options.append((label, person.id))
        self.query_one(f"#{field_id('staff_id')}", Select).set_options(options)

    def collect(self, problems: dict[str, Notice]) -> AssignInput:
        return AssignInput(self.selected("staff_id"), self.value("volunteer"), self.value("note"))

    def write(self, values: Any, confirm: bool) -> int | None:
        data: AssignInput = values
        desk = self.desk
        if data.staff_id == END:
            end_assignment(self.household_id, actor_id=desk.operator_id, now=desk.clock.now())
        else:
            assign_visitor(
                self.household_id,
                staff_id=data.staff_id,
                volunteer=data.volunteer,
                note=data.note,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            )
        return self.household_id
