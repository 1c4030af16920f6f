"""Reading accounts: the list the staff screen shows, one account, the grids to pick from, and
which accounts an operator sees and may change.

A supervisor sees and changes the staff of their own community; they also see (read-only) the
subdistrict office accounts of their subdistrict, whose pending changes they may confirm. The
administrator sees and changes every account of the installation. A staff member of another
community is refused like a record of another community.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peewee import JOIN

from frontdesk.db.models import Community, GridL3, GridL4, Staff
from frontdesk.permissions import Can, Operator, PermissionDenied, require
from frontdesk.vocabulary import Role

ROLE_ORDER = {role.value: rank for rank, role in enumerate(Role)}


@dataclass(frozen=True)
class StaffRow:
    """One account as the staff list shows it."""

    id: int
    username: str
    name: str
    role: str  # Role value
    phone: str
    active: bool
    away: bool
    grids: tuple[str, ...]  # codes of the level-4 grids they manage, in order ("1-1", "1-2")
    grid_ids: tuple[int, ...]  # the same grids' ids, in the same order
    locked: bool  # too many wrong passwords: locked_until is still ahead
    locked_until: datetime | None
    must_change_password: bool
    last_login_at: datetime | None
    version: int
    community_id: int | None
    # waiting for the leadership's confirmation: what was changed ("created", "enabled",
    # "role", "reset"; "" when nothing waits), by whom, when
    pending_change: str = ""
    pending_by: str = ""
    pending_since: datetime | None = None
    subdistrict_id: int | None = None

    @property
    def pending(self) -> bool:
        return bool(self.pending_change)


@dataclass(frozen=True)
class GridOption:
    """A level-4 grid for the picker, with whoever manages it now."""

    id: int
    code: str
    name: str
    manager_id: int | None
    manager_name: str  # "" when nobody


@dataclass(frozen=True)
class StaffInput:
    """A new account as typed. ``community_id`` counts only for an operator without a community
    of their own (the administrator); a supervisor creates staff of their own community."""

    username: str
    display_name: str
    role: str  # Role value
    phone: str = ""
    grid_ids: frozenset[int] = field(default_factory=frozenset)  # grid managers only
    away: bool = False
    community_id: int | None = None


@dataclass(frozen=True)
class StaffUpdate:
    """What can change on an account (the user name cannot)."""

    display_name: str
    role: str
    phone: str = ""
    grid_ids: frozenset[int] = field(default_factory=frozenset)  # grid managers only
    away: bool = False


@dataclass(frozen=True)
class NewStaff:
    id: int
    username: str
    temporary_password: str  # shown once, never stored; "" while the account waits
    pending: bool = False  # waits for the leadership, who get the password when they confirm


# -- scope -------------------------------------------------------------------------------------


def subdistrict_of(community_id: int | None) -> int | None:
    if community_id is None:
        return None
    found = Community.select(Community.subdistrict).where(Community.id == community_id).scalar()
    return None if found is None else int(found)


def _visible(operator: Operator) -> Any:
    """The accounts ``operator`` sees, as a condition (None: every account)."""
    if operator.role == Role.ADMIN:
        return None
    if operator.community_id is None:
        return Staff.id.is_null()  # nobody
    # an administrator belongs to no community; one placed in a community by an older version
    # (the command line's first account) is still nobody's staff but the administrators'
    own = (Staff.community == operator.community_id) & (Staff.role != Role.ADMIN.value)
    subdistrict = subdistrict_of(operator.community_id)
    if subdistrict is None:
        return own
    office = (Staff.role == Role.SUBDISTRICT.value) & (Staff.subdistrict == subdistrict)
    return own | (Staff.community.is_null() & office)


def manages(operator: Operator, community_id: int | None) -> bool:
    """Whether ``operator`` changes an account placed in ``community_id`` (None: the
    subdistrict office and the administrators, who belong to no community)."""
    return operator.role == Role.ADMIN or operator.covers(community_id)


def out_of_scope(operator: Operator) -> PermissionDenied:
    if operator.role == Role.ADMIN:
        return PermissionDenied(operator, Can.MANAGE_STAFF, scope="perm.scope.other_community")
    return PermissionDenied(operator, Can.MANAGE_STAFF, scope="perm.scope.own_staff")


def load(staff_id: int, operator: Operator, *, change: bool = True) -> Any:
    """The staff row, if the operator sees it (and with ``change``, may change it); refused like
    a record of another community otherwise (a guessed id tells nobody whether it exists)."""
    row: Any = Staff.get_or_none(Staff.id == staff_id)
    if row is None:
        raise out_of_scope(operator)
    scope = _visible(operator)
    if scope is not None and not Staff.select().where((Staff.id == staff_id) & scope).exists():
        raise out_of_scope(operator)
    if change and not manages(operator, row.community_id):
        raise out_of_scope(operator)
    return row


# -- reading -----------------------------------------------------------------------------------


def grid_order(code: str) -> tuple[Any, ...]:
    """``1-2`` before ``1-10``: the numbers in a grid code as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in code.split("-"))


def managed(staff_ids: Iterable[int] | None = None) -> dict[int, list[tuple[str, int]]]:
    """(code, id) of the level-4 grids each manager manages, in grid order."""
    query: Any = GridL4.select(GridL4.id, GridL4.code, GridL4.manager).where(
        GridL4.manager.is_null(False)
    )
    if staff_ids is not None:
        query = query.where(GridL4.manager.in_(list(staff_ids)))
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for grid_id, code, manager_id in query.tuples():
        found[manager_id].append((code, grid_id))
    for grids in found.values():
        grids.sort(key=lambda item: grid_order(item[0]))
    return found


def _names(ids: Iterable[int]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows: Any = Staff.select(Staff.id, Staff.display_name).where(Staff.id.in_(wanted))
    return {int(staff_id): name for staff_id, name in rows.tuples()}


def _row(
    staff: Any, grids: list[tuple[str, int]], now: datetime | None, names: dict[int, str]
) -> StaffRow:
    locked_until = staff.locked_until
    if now is None:
        locked = locked_until is not None
    else:
        locked = locked_until is not None and locked_until > now
    return StaffRow(
        id=staff.id,
        username=staff.username,
        name=staff.display_name,
        role=staff.role,
        phone=staff.phone,
        active=staff.active,
        away=staff.away,
        grids=tuple(code for code, _id in grids),
        grid_ids=tuple(grid_id for _code, grid_id in grids),
        locked=locked,
        locked_until=locked_until,
        must_change_password=staff.must_change_password,
        last_login_at=staff.last_login_at,
        version=staff.version,
        community_id=staff.community_id,
        pending_change=staff.pending_change or "",
        pending_by=names.get(staff.pending_by_id, "") if staff.pending_by_id else "",
        pending_since=staff.pending_since,
        subdistrict_id=staff.subdistrict_id,
    )


def list_staff(
    *, actor_id: int | None, now: datetime, include_disabled: bool = True
) -> list[StaffRow]:
    """The accounts the operator sees, by role (reception first) then user name."""
    operator = require(actor_id, Can.MANAGE_STAFF)
    query = Staff.select()
    scope = _visible(operator)
    if scope is not None:
        query = query.where(scope)
    if not include_disabled:
        query = query.where(Staff.active == True)  # noqa: E712
    rows: list[Any] = list(query)
    grids = managed()
    names = _names({s.pending_by_id for s in rows})
    rows.sort(key=lambda s: (ROLE_ORDER.get(s.role, len(ROLE_ORDER)), s.username))
    return [_row(s, grids.get(s.id, []), now, names) for s in rows]


def get_staff(staff_id: int, *, actor_id: int | None, now: datetime | None = None) -> StaffRow:
    """One account (``locked`` needs ``now``; without it any lock time counts)."""
    operator = require(actor_id, Can.MANAGE_STAFF)
    row: Any = load(staff_id, operator, change=False)
    names = _names([row.pending_by_id])
    return _row(row, managed([row.id]).get(row.id, []), now, names)


def grid_choices(community_id: int, *, actor_id: int | None) -> list[GridOption]:
    """The level-4 grids of a community, in order, with their managers."""
    operator = require(actor_id, Can.MANAGE_STAFF)
    if not manages(operator, community_id):
        raise out_of_scope(operator)
    query: Any = (
        GridL4.select(GridL4.id, GridL4.code, GridL4.name, GridL4.manager, Staff.display_name)
        .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
        .switch(GridL4)
        .join(Staff, join_type=JOIN.LEFT_OUTER, on=(GridL4.manager == Staff.id))
        .where(GridL3.community == community_id)
    )
    options = [
        GridOption(grid_id, code, name, manager_id, manager_name or "")
        for grid_id, code, name, manager_id, manager_name in query.tuples()
    ]
    options.sort(key=lambda g: grid_order(g.code))
    return options


def assignable_roles(operator_role: str) -> tuple[str, ...]:
    """The roles an operator may give an account, in list order: a supervisor their
    community's roles; the administrator every role but the leadership's."""
    if operator_role == Role.SUPERVISOR:
        wanted = {Role.RECEPTION, Role.GRID_MANAGER, Role.SUPERVISOR}
    elif operator_role == Role.ADMIN:
        wanted = {Role.RECEPTION, Role.GRID_MANAGER, Role.SUBDISTRICT, Role.ADMIN}
    else:
        wanted = set()
    return tuple(role.value for role in Role if role in wanted)


def community_choices(*, actor_id: int | None) -> list[tuple[int, str]]:
    """(id, name) of the communities the operator places new accounts in: the administrator
    any, a supervisor their own."""
    operator = require(actor_id, Can.MANAGE_STAFF)
    query = Community.select(Community.id, Community.name).order_by(Community.id)
    if operator.role != Role.ADMIN:
        query = query.where(Community.id == operator.community_id)
    return [(int(row.id), str(row.name)) for row in query]
