"""Whose round a supervisor may look at: the community's staff who have grids (managed, or led
while their manager is away) or households assigned to them, each with how many people their
round holds today and how many of those are overdue. No Textual; plain values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontdesk.care.round import build_round
from frontdesk.db.care import CareAssignment
from frontdesk.db.models import GridL3, GridL4, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import Can, PermissionDenied, require
from frontdesk.vocabulary import Role


@dataclass(frozen=True)
class Walker:
    staff_id: int
    name: str
    grids: tuple[str, ...]  # the codes of the level-4 grids they manage
    people: int  # on today's round
    overdue: int


def rounds_of(*, actor_id: int | None, now: datetime) -> list[Walker]:
    """The staff of the operator's community who make rounds, by name (the supervisor's)."""
    operator = require(actor_id, Can.VISIT)
    if operator.role != Role.SUPERVISOR or operator.community_id is None:
        raise PermissionDenied(operator, Can.VISIT, scope="perm.scope.own_round")
    community_id = operator.community_id
    grids: dict[int, list[str]] = {}
    rows: Any = (
        GridL4.select(GridL4.manager, GridL4.code)
        .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
        .where((GridL3.community == community_id) & GridL4.manager.is_null(False))
        .order_by(GridL4.code)
        .tuples()
    )
    for manager, code in rows:
        grids.setdefault(manager, []).append(code)
    leaders: Any = (
        GridL3.select(GridL3.leader)
        .where((GridL3.community == community_id) & GridL3.leader.is_null(False))
        .tuples()
    )
    assigned: Any = (
        CareAssignment.select(CareAssignment.staff)
        .where(CareAssignment.ended_at.is_null(True) & CareAssignment.staff.is_null(False))
        .tuples()
    )
    wanted = set(grids) | {leader for (leader,) in leaders} | {s for (s,) in assigned}
    staff: Any = (
        Staff.select(Staff.id, Staff.display_name)
        .where(
            Staff.id.in_(sorted(wanted))
            & (Staff.community == community_id)
            & (Staff.active == True)  # noqa: E712 (a peewee expression)
        )
        .tuples()
    )
    found = []
    for staff_id, name in staff:
        stops, _soon = build_round(staff_id, community_id, now)
        people = sum(len(stop.people) for stop in stops)
        overdue = sum(1 for stop in stops for p in stop.people if p.overdue_days > 0)
        found.append(Walker(staff_id, name, tuple(grids.get(staff_id, ())), people, overdue))
    if not found:
        raise UserError("care_round.no_walkers")
    return sorted(found, key=lambda w: (_grid_order(w.grids), w.name))


def _grid_order(codes: tuple[str, ...]) -> tuple[tuple[int, ...], ...]:
    """``2-1`` before ``10-1``; staff without grids of their own last."""
    if not codes:
        return ((1_000_000,),)
    return tuple(tuple(int(p) for p in code.split("-") if p.isdigit()) for code in codes)
