"""The month's care figures, defined once (the supervisor's view and the reports use these):

- **On-time rate** of a month: the dues falling in the month (up to today, for the current
  month) that a visit met by their ``due_by``, divided by all the dues falling in it whose time
  is up (met, or past their ``due_by``: today's due not met yet is not counted until the day
  ends). A due dropped because the person died, moved out or left care before it fell is
  nobody's and is not counted; one that fell before that and was not met counts as missed.
- **Visit rate** of a month: the people in care that month who were seen at least once in it,
  divided by the people in care that month. In care that month: in care on at least one day of
  it (up to today) on which they were not paused.

Both per level-4 grid and for the whole; the last six months as a trend; the people overdue
now; the people in care now never seen. Each person's dues come from ``cadence.dues`` — the
same replay the round uses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from peewee import JOIN

from frontdesk.care.cadence import Dues, Pause, dues
from frontdesk.care.history import Cared, Scope, load
from frontdesk.care.privacy import mask_name
from frontdesk.care.settings import care_days, tag_levels
from frontdesk.db.models import Community, GridL3, GridL4, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import Can, Operator, PermissionDenied, require
from frontdesk.vocabulary import CareLevel, Role

TREND_MONTHS = 6


@dataclass(frozen=True)
class Rates:
    dues: int = 0
    on_time: int = 0
    in_care: int = 0
    seen: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.dues if self.dues else None

    @property
    def visit_rate(self) -> float | None:
        return self.seen / self.in_care if self.in_care else None

    def __add__(self, other: Rates) -> Rates:
        return Rates(
            self.dues + other.dues,
            self.on_time + other.on_time,
            self.in_care + other.in_care,
            self.seen + other.seen,
        )


@dataclass(frozen=True)
class GridFigures:
    grid_l4_id: int
    code: str  # 2-3
    manager: str
    community: str
    rates: Rates
    overdue: int  # people overdue now


@dataclass(frozen=True)
class Listed:
    """A person on the overdue or never-seen list (the name masked for the subdistrict)."""

    resident_id: int
    name: str
    address: str
    grid: str
    level: CareLevel | None
    due_on: date | None
    days_overdue: int


@dataclass(frozen=True)
class MonthFigures:
    month: date  # its first day
    until: date  # the last day counted (today, in the current month)
    grids: tuple[GridFigures, ...]
    total: Rates
    trend: tuple[tuple[date, Rates], ...]  # the six months to this one, oldest first
    overdue: tuple[Listed, ...]
    never_seen: tuple[Listed, ...]
    masked: bool  # names masked (the subdistrict office)


def first_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_back(month: date, count: int) -> list[date]:
    found = [first_of(month)]
    while len(found) < count:
        found.append(first_of(found[-1] - timedelta(days=1)))
    return found[::-1]


def _paused_throughout(pauses: Iterable[Pause], start: date, end: date) -> bool:
    """Whether pauses cover every day of [start, end)."""
    day = start
    for pause in sorted(pauses, key=lambda p: p.starts_on):
        if pause.starts_on <= day < pause.until:
            day = pause.until
    return day >= end


def windows(months: list[date], today: date) -> list[tuple[date, date]]:
    """Each month as [first day, end) with the end no later than tomorrow (the days counted)."""
    return [(month, min(next_month(month), today + timedelta(days=1))) for month in months]


def rates_by_month(
    cared: Cared, state: Dues, spans: list[tuple[date, date]], now: datetime
) -> list[Rates]:
    """One person's share of each month's figures (the definitions above), in one pass. A due
    not met whose time has not run out (today's, before the day ends) is not counted yet."""
    index = {(start.year, start.month): i for i, (start, _end) in enumerate(spans)}
    falling = [0] * len(spans)
    on_time = [0] * len(spans)
    for due in state.all:
        i = index.get((due.due_on.year, due.due_on.month))
        if i is not None and due.due_on < spans[i][1] and (due.met_at or due.overdue(now)):
            falling[i] += 1
            on_time[i] += due.on_time
    seen_in = {
        i
        for at in cared.history.seen
        if (i := index.get((at.year, at.month))) is not None and at.date() < spans[i][1]
    }
    found = []
    for i, (start, end) in enumerate(spans):
        in_care = end > start and any(
            since < end
            and until > start
            and not (
                cared.history.pauses
                and _paused_throughout(cared.history.pauses, max(since, start), min(until, end))
            )
            for since, until in state.in_care_days
        )
        found.append(Rates(falling[i], on_time[i], int(in_care), int(in_care and i in seen_in)))
    return found


def _scope(operator: Operator, community_id: int | None) -> tuple[Scope, bool]:
    """The people the operator's figures cover, and whether names are masked."""
    if operator.role == Role.GRID_MANAGER:
        return Scope(grids=operator.grid_ids), False
    if operator.role == Role.SUPERVISOR:
        if community_id is not None and community_id != operator.community_id:
            raise PermissionDenied(operator, Can.REPORTS, scope="perm.scope.other_community")
        return Scope(communities=operator.communities), False
    if operator.role == Role.SUBDISTRICT:
        if community_id is None:
            return Scope(communities=operator.communities), True
        if not operator.covers(community_id):
            raise PermissionDenied(operator, Can.REPORTS, scope="perm.scope.other_community")
        return Scope(communities=frozenset({community_id})), True
    raise PermissionDenied(operator, Can.REPORTS)


def _operator(actor_id: int | None) -> Operator:
    operator = require(actor_id, Can.VIEW_RESIDENT)
    if not (operator.can(Can.REPORTS) or operator.can(Can.VISIT)):
        raise PermissionDenied(operator, Can.REPORTS)
    return operator


def month_figures(
    month: date, *, actor_id: int | None, now: datetime, community_id: int | None = None
) -> MonthFigures:
    """The figures of ``month`` (any day of it) for the operator's share: a grid manager their
    grids, the leadership their community, the subdistrict office one community or all of
    theirs (names masked)."""
    operator = _operator(actor_id)
    scope, masked = _scope(operator, community_id)
    today = now.date()
    month = first_of(month)
    if month > today:
        raise UserError("care.error.future_month")
    grids = _grids(scope)
    by_community: dict[int, list[Cared]] = defaultdict(list)
    for community in {info[3] for info in grids.values()} or set(scope.communities):
        levels = tag_levels(community)
        wanted = (
            Scope(grids=frozenset(g for g, i in grids.items() if i[3] == community))
            if scope.grids
            else Scope(communities=frozenset({community}))
        )
        by_community[community] = load(wanted, levels, now)
    trend_months = months_back(month, TREND_MONTHS)
    spans = windows(trend_months, today)
    per_grid: dict[int, Rates] = defaultdict(Rates)
    per_month: dict[date, Rates] = defaultdict(Rates)
    overdue_now: dict[int, int] = defaultdict(int)
    overdue: list[Listed] = []
    never: list[Listed] = []
    for community, people in by_community.items():
        days = care_days(community)
        for cared in people:
            state = dues(cared.history, days, now)
            grid = cared.person.grid_l4_id
            for each, share in zip(
                trend_months, rates_by_month(cared, state, spans, now), strict=True
            ):
                per_month[each] = per_month[each] + share
                if each == month:
                    per_grid[grid] = per_grid[grid] + share
            if any(d.overdue(now) for d in state.open):
                overdue_now[grid] += 1
                overdue.append(_listed(cared, state, grids, masked, today))
            if state.level is not None and cared.last_seen is None:
                never.append(_listed(cared, state, grids, masked, today))
    rows = tuple(
        GridFigures(grid, info[0], info[1], info[2], per_grid[grid], overdue_now[grid])
        for grid, info in sorted(grids.items(), key=_grid_order)
    )
    total = sum((row.rates for row in rows), Rates())
    return MonthFigures(
        month=month,
        until=min(next_month(month) - timedelta(days=1), today),
        grids=rows,
        total=total,
        trend=tuple((each, per_month[each]) for each in trend_months),
        overdue=tuple(sorted(overdue, key=lambda p: (-p.days_overdue, p.grid, p.address))),
        never_seen=tuple(sorted(never, key=lambda p: (p.grid, p.address))),
        masked=masked,
    )


GridInfo = tuple[str, str, str, int]  # code, manager's name, community's name, community id


def _grid_order(item: tuple[int, GridInfo]) -> tuple[str, tuple[int, ...]]:
    code = item[1][0]
    return item[1][2], tuple(int(part) if part.isdigit() else 0 for part in code.split("-"))


def _listed(
    cared: Cared,
    state: Dues,
    grids: dict[int, tuple[str, str, str, int]],
    masked: bool,
    today: date,
) -> Listed:
    person = cared.person
    late = [d for d in state.open if d.due_on < today]
    first = min(late, key=lambda d: d.due_on, default=state.next_due)
    return Listed(
        resident_id=person.resident_id,
        name=mask_name(person.name) if masked else person.name,
        address=person.address,
        grid=grids.get(person.grid_l4_id, ("", "", "", 0))[0],
        level=state.level,
        due_on=first.due_on if first else None,
        days_overdue=max(0, (today - first.due_on).days) if first and late else 0,
    )


def _grids(scope: Scope) -> dict[int, GridInfo]:
    """grid id → (code, manager's name, community's name, community id) of the scope."""
    query = (
        GridL4.select(GridL4.id, GridL4.code, Staff.display_name, Community.name, Community.id)
        .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
        .join(Community, on=(GridL3.community == Community.id))
        .switch(GridL4)
        .join(Staff, on=(GridL4.manager == Staff.id), join_type=JOIN.LEFT_OUTER)
    )
    if scope.grids:
        query = query.where(GridL4.id.in_(sorted(scope.grids)))
    else:
        query = query.where(GridL3.community.in_(sorted(scope.communities)))
    rows: Any = query.tuples()
    return {
        grid: (code, manager or "", community, community_id)
        for grid, code, manager, community, community_id in rows
    }
