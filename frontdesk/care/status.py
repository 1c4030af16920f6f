"""One resident's care, as their page shows it: level, last visit, next due, the visits.

The household's visits show on each member (whether the visit saw this member is marked). What
an operator gets follows ``care.privacy``: reception only the next due date, the subdistrict
office levels and dates without notes, the grid manager of the household (or its assigned
visitor) and the leadership everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import JOIN

from frontdesk.care.cadence import DueKind, dues
from frontdesk.care.history import Scope, load
from frontdesk.care.manage import open_pause
from frontdesk.care.privacy import Sight, sight
from frontdesk.care.settings import care_days, tag_levels
from frontdesk.db.models import (
    CareAssignment,
    CareLevelChange,
    Flat,
    GridL3,
    GridL4,
    Household,
    Resident,
    Staff,
    Visit,
    VisitPerson,
)
from frontdesk.errors import UserError
from frontdesk.permissions import Can, require
from frontdesk.scope import community_of_resident
from frontdesk.vocabulary import (
    AreaState,
    CareArea,
    CareLevel,
    CarePauseKind,
    VisitMode,
    VisitOutcome,
)

HISTORY_LIMIT = 50


@dataclass(frozen=True)
class AreaNote:
    area: CareArea
    state: AreaState
    note: str


@dataclass(frozen=True)
class VisitRow:
    visit_id: int
    visited_at: datetime
    mode: VisitMode
    outcome: VisitOutcome
    visitor: str  # the staff member's name, or the volunteer's
    saw_this_person: bool
    seen: tuple[str, ...]  # the names of whom it saw
    areas: tuple[AreaNote, ...]  # empty for an attempt, or without the right to read notes
    note: str  # "" without the right to read notes
    request_id: int | None


@dataclass(frozen=True)
class CareView:
    resident_id: int
    sight: Sight
    in_care: bool
    due_on: date | None  # the next visit due (what reception sees too)
    due_kind: DueKind | None
    overdue: bool
    level: CareLevel | None = None
    level_by_hand: bool = False
    level_reason: str = ""
    last_seen: datetime | None = None
    last_attempt: datetime | None = None
    paused_until: date | None = None
    pause_kind: CarePauseKind | None = None
    visitor: str = ""  # who visits this household
    visits: tuple[VisitRow, ...] = ()
    pause_id: int | None = None  # the pause running now or still to come (to end or call off)
    pause_from: date | None = None  # its days: from, and the day it resumes
    pause_to: date | None = None
    assigned: bool = False  # the visitor is assigned to the household, not its grid manager


def care_of_resident(resident_id: int, *, actor_id: int | None, now: datetime) -> CareView:
    """The resident's care as ``actor_id`` may see it."""
    operator = require(actor_id, Can.VIEW_RESIDENT)
    community_id = community_of_resident(resident_id)
    if community_id is None or not operator.covers(community_id):
        raise UserError("resident.not_found", id=resident_id)
    place: Any = (
        Resident.select(Resident.household, Flat.grid_l4, GridL4.manager, GridL3.leader)
        .join(Household, on=(Resident.household == Household.id))
        .join(Flat, on=(Household.flat == Flat.id))
        .join(GridL4, on=(Flat.grid_l4 == GridL4.id))
        .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
        .where(Resident.id == resident_id)
        .tuples()
        .first()
    )
    household_id, grid_id, manager_id, leader_id = place
    assignment: Any = CareAssignment.get_or_none(
        (CareAssignment.household == household_id) & CareAssignment.ended_at.is_null()
    )
    assigned_to_them = assignment is not None and assignment.staff_id == operator.id
    seen_as = sight(operator, community_id, grid_id, assigned_to_them)
    if seen_as == Sight.NONE:
        raise UserError("resident.not_found", id=resident_id)
    scope = Scope(communities=frozenset({community_id}), residents=frozenset({resident_id}))
    found = load(scope, tag_levels(community_id), now)
    if not found:
        return CareView(resident_id, seen_as, False, None, None, False)
    cared = found[0]
    state = dues(cared.history, care_days(community_id), now)
    upcoming = state.next_due
    base = CareView(
        resident_id,
        seen_as,
        in_care=state.level is not None or bool(state.open),
        due_on=upcoming.due_on if upcoming else None,
        due_kind=upcoming.kind if upcoming else None,
        overdue=any(due.overdue(now) for due in state.open),
    )
    if seen_as == Sight.DUE:
        return base
    hand: Any = (
        CareLevelChange.select()
        .where(CareLevelChange.resident == resident_id)
        .order_by(CareLevelChange.id.desc())
        .first()
    )
    pause: Any = open_pause(resident_id, now.date())  # running, or still to come
    full = seen_as == Sight.FULL
    return CareView(
        resident_id,
        seen_as,
        base.in_care,
        base.due_on,
        base.due_kind,
        base.overdue,
        level=state.level,
        level_by_hand=hand is not None and hand.level is not None,
        level_reason=(hand.reason if hand is not None and hand.level is not None and full else ""),
        last_seen=cared.last_seen,
        last_attempt=cared.last_attempt,
        paused_until=cared.paused_until,
        pause_kind=CarePauseKind(pause.kind) if pause is not None else None,
        pause_from=pause.starts_on if pause is not None else None,
        pause_to=pause.resume_on if pause is not None else None,
        visitor=_visitor(assignment, manager_id, leader_id),
        visits=_visits(household_id, resident_id, full=full),
        pause_id=pause.id if pause is not None else None,
        assigned=assignment is not None,
    )


def _visitor(assignment: Any, manager_id: int | None, leader_id: int | None) -> str:
    """Who visits the household: the assigned one, else the grid manager (the level-3 leader
    while the manager is away)."""
    if assignment is not None:
        if assignment.staff_id is None:
            return str(assignment.volunteer)
        return str(Staff.get_by_id(assignment.staff_id).display_name)
    manager: Any = Staff.get_or_none(Staff.id == manager_id) if manager_id else None
    if manager is not None and not manager.away:
        return str(manager.display_name)
    leader: Any = Staff.get_or_none(Staff.id == leader_id) if leader_id else None
    return str(leader.display_name) if leader is not None else ""


def _visits(household_id: int, resident_id: int, *, full: bool) -> tuple[VisitRow, ...]:
    rows: Any = (
        Visit.select(Visit, Staff.display_name.alias("staff_name"))
        .join(Staff, on=(Visit.staff == Staff.id), join_type=JOIN.LEFT_OUTER)
        .where(Visit.household == household_id)
        .order_by(Visit.visited_at.desc(), Visit.id.desc())
        .limit(HISTORY_LIMIT)
    )
    visits = list(rows.objects())
    seen: dict[int, list[tuple[int, str]]] = {visit.id: [] for visit in visits}
    if visits:
        people: Any = (
            VisitPerson.select(VisitPerson.visit, Resident.id, Resident.name)
            .join(Resident, on=(VisitPerson.resident == Resident.id))
            .where(VisitPerson.visit.in_(list(seen)))
            .order_by(VisitPerson.id)
            .tuples()
        )
        for visit_id, person_id, name in people:
            seen[visit_id].append((person_id, name))
    found = []
    for visit in visits:
        areas: tuple[AreaNote, ...] = ()
        if full and visit.outcome == VisitOutcome.SEEN:
            areas = tuple(
                AreaNote(
                    area,
                    AreaState(getattr(visit, area.value)),
                    getattr(visit, f"{area.value}_note"),
                )
                for area in CareArea
                if getattr(visit, area.value)
            )
        found.append(
            VisitRow(
                visit_id=visit.id,
                visited_at=visit.visited_at,
                mode=VisitMode(visit.mode),
                outcome=VisitOutcome(visit.outcome),
                visitor=visit.staff_name or visit.volunteer,
                saw_this_person=any(pid == resident_id for pid, _ in seen[visit.id]),
                seen=tuple(name for _, name in seen[visit.id]),
                areas=areas,
                note=visit.note if full else "",
                request_id=visit.request_id if full else None,
            )
        )
    return tuple(found)
