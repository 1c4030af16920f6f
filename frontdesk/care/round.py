"""Today's round (今日走访): whom a grid manager goes to see, in the order of a walk.

A staff member's round holds the households of the grids they manage, of the grids of their
level-3 grid whose manager is away (when they lead it), and those assigned to them; a household
assigned to another staff member goes to that person's round (one assigned to a volunteer stays
on the grid manager's, marked, for the grid manager follows it up).

On the round: everyone with a routine visit due today or overdue, and everyone with an open
major event or campaign due (those are short: 24 hours, a few days). Stops are households, in
the order of a walk — compound, building, unit, flat — each person marked with how many days
overdue. ``soon`` lists the next days' routine dues, so a grid manager can fold them into
today's walk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from peewee import JOIN

from frontdesk.care.cadence import Due, DueKind, dues
from frontdesk.care.history import Cared, Scope, load
from frontdesk.care.settings import care_days, tag_levels
from frontdesk.db.models import CareAssignment, Flat, GridL3, GridL4, Household, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import Can, Operator, PermissionDenied, require
from frontdesk.residents.detail import age
from frontdesk.vocabulary import CareLevel, Role

SOON_DAYS = 3


@dataclass(frozen=True)
class RoundPerson:
    resident_id: int
    name: str
    age: int
    level: CareLevel | None
    kind: DueKind
    due_on: date
    overdue_days: int  # 0: due today (or not yet: an event's 24 hours, a campaign's days)


@dataclass(frozen=True)
class RoundStop:
    household_id: int
    address: str  # 宏泰学府苑 3-2-1001
    grid: str  # 2-3
    people: tuple[RoundPerson, ...]
    last_attempt: datetime | None  # 未遇 since the last visit
    volunteer: str  # the household's assigned volunteer, if any

    @property
    def overdue(self) -> bool:
        return any(person.overdue_days > 0 for person in self.people)


@dataclass(frozen=True)
class Round:
    staff_id: int
    staff_name: str
    day: date
    stops: tuple[RoundStop, ...]
    soon: tuple[RoundStop, ...]

    @property
    def people(self) -> int:
        return sum(len(stop.people) for stop in self.stops)

    @property
    def overdue(self) -> int:
        return sum(1 for stop in self.stops for p in stop.people if p.overdue_days > 0)


@dataclass(frozen=True)
class Beat:
    """What a staff member visits: grids, plus households assigned to them, minus those of
    their grids assigned to another staff member; volunteers per household."""

    community_id: int
    grids: frozenset[int]
    assigned_in: frozenset[int]
    assigned_away: frozenset[int]
    volunteers: dict[int, str]


def beat_of(staff_id: int, community_id: int) -> Beat:
    mine: Any = (
        GridL4.select(GridL4.id)
        .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
        .where((GridL4.manager == staff_id) & (GridL3.community == community_id))
        .tuples()
    )
    managed = {grid for (grid,) in mine}
    led: Any = (
        GridL4.select(GridL4.id, Staff.away)
        .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
        .switch(GridL4)
        .join(Staff, on=(GridL4.manager == Staff.id), join_type=JOIN.LEFT_OUTER)
        .where((GridL3.leader == staff_id) & (GridL3.community == community_id))
        .tuples()
    )
    covered = {grid for grid, away in led if away is None or away}  # no manager, or away
    grids = frozenset(managed | covered)
    assigned_in: set[int] = set()
    assigned_away: set[int] = set()
    volunteers: dict[int, str] = {}
    for household_id, assignee, volunteer, _grid in _assignments(community_id):
        if assignee == staff_id:
            assigned_in.add(household_id)
        elif assignee is not None:
            assigned_away.add(household_id)
        elif volunteer:
            volunteers[household_id] = volunteer
    return Beat(community_id, grids, frozenset(assigned_in), frozenset(assigned_away), volunteers)


def _assignments(community_id: int) -> Iterable[tuple[int, int | None, str, int]]:
    rows: Any = (
        CareAssignment.select(
            CareAssignment.household, CareAssignment.staff, CareAssignment.volunteer, Flat.grid_l4
        )
        .join(Household, on=(CareAssignment.household == Household.id))
        .join(Flat, on=(Household.flat == Flat.id))
        .join(GridL4, on=(Flat.grid_l4 == GridL4.id))
        .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
        .where(CareAssignment.ended_at.is_null() & (GridL3.community == community_id))
        .tuples()
    )
    return list(rows)


URGENCY = (DueKind.EVENT, DueKind.CAMPAIGN, DueKind.ROUTINE)


def most_urgent(found: Iterable[Due]) -> DueKind:
    """What makes a person due, the most pressing first: a major event, a campaign, the rhythm."""
    kinds = {due.kind for due in found}
    return next(kind for kind in URGENCY if kind in kinds)


def on_round(due: Due, today: date) -> bool:
    """Whether an open due belongs on today's walk."""
    if due.kind == DueKind.ROUTINE:
        return due.due_on <= today
    return True  # an event (24 hours) or a campaign (a few days): now


def _cared_of(beat: Beat, now: datetime) -> list[Cared]:
    levels = tag_levels(beat.community_id)
    found = load(Scope(grids=beat.grids), levels, now) if beat.grids else []
    found = [c for c in found if c.person.household_id not in beat.assigned_away]
    if beat.assigned_in:
        extra = Scope(communities=frozenset({beat.community_id}), households=beat.assigned_in)
        known = {c.person.resident_id for c in found}
        found += [c for c in load(extra, levels, now) if c.person.resident_id not in known]
    return found


def _stop(group: list[tuple[Cared, RoundPerson]], codes: dict[int, str], beat: Beat) -> RoundStop:
    first = group[0][0]
    attempts = [c.last_attempt for c, _ in group if c.last_attempt is not None]
    return RoundStop(
        household_id=first.person.household_id,
        address=first.person.address,
        grid=codes.get(first.person.grid_l4_id, ""),
        people=tuple(person for _, person in group),
        last_attempt=max(attempts, default=None),
        volunteer=beat.volunteers.get(first.person.household_id, ""),
    )


def build_round(
    staff_id: int, community_id: int, now: datetime
) -> tuple[list[RoundStop], list[RoundStop]]:
    """(today's stops, the next days' stops) of a staff member; no permission check."""
    beat = beat_of(staff_id, community_id)
    days = care_days(community_id)
    today = now.date()
    todays: dict[int, list[tuple[Cared, RoundPerson]]] = defaultdict(list)
    soon: dict[int, list[tuple[Cared, RoundPerson]]] = defaultdict(list)
    for cared in _cared_of(beat, now):
        state = dues(cared.history, days, now)
        if state.level is None and not state.open:
            continue
        person = cared.person
        now_due = [due for due in state.open if on_round(due, today)]
        coming = [
            due
            for due in state.open
            if due.due_on <= today + timedelta(days=SOON_DAYS) and not on_round(due, today)
        ]
        for wanted, into in ((now_due, todays), (coming, soon)):
            if not wanted:
                continue
            first = min(wanted, key=lambda due: due.due_by)  # the most overdue
            late = max(0, (today - first.due_on).days) if now > first.due_by else 0
            entry = RoundPerson(
                person.resident_id,
                person.name,
                age(person.birth_date, today),
                state.level,
                most_urgent(wanted),  # a new event shows even when a routine visit is late
                first.due_on,
                late,
            )
            into[person.household_id].append((cared, entry))
            break
    codes = _grid_codes(community_id)

    def route(groups: dict[int, list[tuple[Cared, RoundPerson]]]) -> list[RoundStop]:
        ordered = sorted(groups.values(), key=lambda group: group[0][0].person.route)
        return [_stop(group, codes, beat) for group in ordered]

    return route(todays), sorted(route(soon), key=lambda s: min(p.due_on for p in s.people))


def _grid_codes(community_id: int) -> dict[int, str]:
    rows: Any = (
        GridL4.select(GridL4.id, GridL4.code)
        .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
        .where(GridL3.community == community_id)
        .tuples()
    )
    return dict(rows)


def _whose(operator: Operator, staff_id: int | None) -> tuple[int, str, int]:
    """(staff id, name, community) of the round asked for, if ``operator`` may see it: their
    own; the leadership any staff member's of their community."""
    wanted = operator.id if staff_id is None else staff_id
    row = Staff.get_or_none(Staff.id == wanted)
    if row is None or row.community_id is None or not operator.covers(row.community_id):
        raise UserError("care.error.no_such_staff")
    if wanted != operator.id and operator.role != Role.SUPERVISOR:
        raise PermissionDenied(operator, Can.VISIT, scope="perm.scope.own_round")
    return int(row.id), str(row.display_name), int(row.community_id)


def todays_round(*, actor_id: int | None, now: datetime, staff_id: int | None = None) -> Round:
    """A staff member's round today (default: the operator's own)."""
    operator = require(actor_id, Can.VISIT)
    wanted, name, community_id = _whose(operator, staff_id)
    stops, soon = build_round(wanted, community_id, now)
    return Round(wanted, name, now.date(), tuple(stops), tuple(soon))


def round_count(*, actor_id: int | None, now: datetime) -> int | None:
    """How many people the operator's round holds today; None for one who makes no rounds
    (the home screen shows the count to grid managers)."""
    figures = round_figures(actor_id=actor_id, now=now)
    return None if figures is None else figures[0]


def round_figures(*, actor_id: int | None, now: datetime) -> tuple[int, int] | None:
    """(people on the operator's round today, of them overdue); None for one who makes no
    rounds (the home screen's line for a grid manager)."""
    operator = require(actor_id, Can.VIEW_RESIDENT)
    if not operator.can(Can.VISIT) or operator.community_id is None:
        return None
    stops, _soon = build_round(operator.id, operator.community_id, now)
    people = sum(len(stop.people) for stop in stops)
    return people, sum(1 for stop in stops for p in stop.people if p.overdue_days > 0)
