"""Who holds a request: the grid manager of the place, or whoever stands in at each level."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from frontdesk.db.models import Building, Community, Flat, GridL3, GridL4, Staff, Unit
from frontdesk.errors import UserError
from frontdesk.vocabulary import Level, Role


@dataclass(frozen=True)
class Holder:
    staff_id: int
    name: str
    phone: str
    level: str  # Level value
    standing_in: bool  # the level-3 leader (or a supervisor) for an away grid manager


def grid_of_place(
    *,
    flat_id: int | None = None,
    building_id: int | None = None,
    compound_id: int | None = None,
    grid_l4_id: int | None = None,
) -> int:
    """The level-4 grid a place belongs to (a building or compound: the grid of most of its
    flats)."""
    if flat_id is not None:
        flat: Any = Flat.get_or_none(Flat.id == flat_id)
        if flat is None:
            raise UserError("request.no_place")
        return int(flat.grid_l4_id)
    if grid_l4_id is not None:
        if GridL4.get_or_none(GridL4.id == grid_l4_id) is None:
            raise UserError("request.no_place")
        return grid_l4_id
    query: Any = Flat.select(Flat.grid_l4).join(Unit).join(Building)
    if building_id is not None:
        query = query.where(Building.id == building_id)
    elif compound_id is not None:
        query = query.where(Building.compound == compound_id)
    else:
        raise UserError("request.no_place")
    grids = Counter(grid for (grid,) in query.tuples())
    if not grids:
        raise UserError("request.no_place")
    return int(grids.most_common(1)[0][0])


def _available(staff: Any) -> bool:
    """Active, not away, and able to sign in (not waiting for the leadership's confirmation)."""
    return staff is not None and staff.active and not staff.away and not staff.pending_change


def _holder(staff: Any, level: str, standing_in: bool) -> Holder:
    return Holder(staff.id, staff.display_name, staff.phone, level, standing_in)


def community_of_grid(grid_l4_id: int) -> int:
    row: Any = GridL4.select(GridL3.community).join(GridL3).where(GridL4.id == grid_l4_id)
    return int(row.scalar())


def _supervisor(community_id: int) -> Any:
    return (
        Staff.select()
        .where(
            (Staff.community == community_id)
            & (Staff.role == Role.SUPERVISOR)
            & (Staff.active == True)  # noqa: E712
            & (Staff.away == False)  # noqa: E712
            & Staff.pending_change.is_null(True)  # can sign in
        )
        .order_by(Staff.id)
        .first()
    )


def _subdistrict_staff(community_id: int) -> Any:
    community: Any = Community.get_by_id(community_id)
    return (
        Staff.select()
        .where(
            (Staff.subdistrict == community.subdistrict_id)
            & (Staff.role == Role.SUBDISTRICT)
            & (Staff.active == True)  # noqa: E712
            & (Staff.away == False)  # noqa: E712
            & Staff.pending_change.is_null(True)  # can sign in
        )
        .order_by(Staff.id)
        .first()
    )


def holder_for(grid_l4_id: int, level: str) -> Holder:
    """The grid manager at grid level (the level-3 leader when the manager is away, a community
    supervisor when both are); a community supervisor at community level; the subdistrict
    office at subdistrict level."""
    grid: Any = GridL4.get_by_id(grid_l4_id)
    community_id = community_of_grid(grid_l4_id)
    if level == Level.GRID:
        manager = Staff.get_or_none(Staff.id == grid.manager_id) if grid.manager_id else None
        if _available(manager):
            return _holder(manager, level, False)
        l3: Any = GridL3.get_by_id(grid.grid_l3_id)
        leader = Staff.get_or_none(Staff.id == l3.leader_id) if l3.leader_id else None
        if _available(leader):
            return _holder(leader, level, True)
        supervisor = _supervisor(community_id)
        if supervisor is not None:
            return _holder(supervisor, level, True)
    elif level == Level.COMMUNITY:
        supervisor = _supervisor(community_id)
        if supervisor is not None:
            return _holder(supervisor, level, False)
    else:
        office = _subdistrict_staff(community_id)
        if office is not None:
            return _holder(office, level, False)
    raise UserError("request.nobody_to_route", level=level)


NEXT_LEVEL = {
    Level.GRID.value: Level.COMMUNITY.value,
    Level.COMMUNITY.value: Level.SUBDISTRICT.value,
}
