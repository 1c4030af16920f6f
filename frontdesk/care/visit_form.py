"""What the visit form starts from (``visit_form``): the household's address, its living members
with their care (level, next due, whether today's round has them), and the defaults — a visit in
person, seen, now, seeing the members due (everyone living there when nobody is due).

The same permission and scope as ``record_visit``: ``Can.VISIT``; a grid manager the households
of their own grids and those assigned to them, the leadership any of their community. No
Textual; plain values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from frontdesk.care.access import require_household
from frontdesk.care.cadence import DueKind, dues
from frontdesk.care.history import Scope, load
from frontdesk.care.round import on_round
from frontdesk.care.settings import care_days, tag_levels
from frontdesk.care.visits import living_on
from frontdesk.db.care import CareAssignment
from frontdesk.db.models import Resident
from frontdesk.errors import UserError
from frontdesk.permissions import Can
from frontdesk.residents.addresses import addresses
from frontdesk.residents.detail import age
from frontdesk.scope import community_of_household
from frontdesk.vocabulary import CareLevel, VisitMode, VisitOutcome


@dataclass(frozen=True)
class FormMember:
    resident_id: int
    name: str
    age: int
    in_care: bool
    level: CareLevel | None
    due_on: date | None  # the next visit due, if in care
    due_kind: DueKind | None
    due_now: bool  # on today's round: due today or overdue, or an event's or campaign's due
    overdue_days: int


@dataclass(frozen=True)
class VisitForm:
    household_id: int
    address: str  # 宏泰学府苑 3-2-1001
    members: tuple[FormMember, ...]  # living there now, the household's order
    mode: VisitMode
    outcome: VisitOutcome
    visited_at: datetime
    seen: tuple[int, ...]  # whom the form ticks at first
    volunteer: str  # the household's assigned volunteer, if any

    def member(self, resident_id: int) -> FormMember | None:
        return next((m for m in self.members if m.resident_id == resident_id), None)


def visit_form(household_id: int, *, actor_id: int | None, now: datetime) -> VisitForm:
    """The form of a visit to ``household_id`` as ``actor_id`` may record it."""
    _operator, household = require_household(actor_id, Can.VISIT, household_id)
    community_id = community_of_household(household.id)
    assert community_id is not None
    today = now.date()
    rows: Any = Resident.select().where(Resident.household == household.id).order_by(Resident.id)
    living = [person for person in rows if living_on(person, today)]
    scope = Scope(communities=frozenset({community_id}), households=frozenset({household.id}))
    days = care_days(community_id)
    cares = {c.person.resident_id: c for c in load(scope, tag_levels(community_id), now)}
    members = []
    for person in living:
        cared = cares.get(person.id)
        state = dues(cared.history, days, now) if cared is not None else None
        upcoming = state.next_due if state is not None else None
        due_now = state is not None and any(on_round(due, today) for due in state.open)
        late = 0
        if state is not None:
            late = max(
                (max(0, (today - d.due_on).days) for d in state.open if d.overdue(now)),
                default=0,
            )
        members.append(
            FormMember(
                resident_id=person.id,
                name=person.name,
                age=age(person.birth_date, today),
                in_care=state is not None and (state.level is not None or bool(state.open)),
                level=state.level if state is not None else None,
                due_on=upcoming.due_on if upcoming is not None else None,
                due_kind=upcoming.kind if upcoming is not None else None,
                due_now=due_now,
                overdue_days=late,
            )
        )
    due = tuple(m.resident_id for m in members if m.due_now)
    assignment: Any = CareAssignment.get_or_none(
        (CareAssignment.household == household.id) & CareAssignment.ended_at.is_null(True)
    )
    volunteer = str(assignment.volunteer or "") if assignment is not None else ""
    place = addresses([household.flat_id]).get(household.flat_id)
    address = f"{place.compound} {place.short}" if place is not None else ""
    return VisitForm(
        household_id=household.id,
        address=address,
        members=tuple(members),
        mode=VisitMode.IN_PERSON,
        outcome=VisitOutcome.SEEN,
        visited_at=now.replace(second=0, microsecond=0),
        seen=due or tuple(m.resident_id for m in members),
        volunteer=volunteer if assignment is not None and assignment.staff_id is None else "",
    )


def visit_form_of_resident(resident_id: int, *, actor_id: int | None, now: datetime) -> VisitForm:
    """The form of a visit to the household ``resident_id`` lives in (found as in F2)."""
    row: Any = Resident.get_or_none(Resident.id == resident_id)
    if row is None:
        raise UserError("resident.not_found", id=resident_id)
    return visit_form(row.household_id, actor_id=actor_id, now=now)
