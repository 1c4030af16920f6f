"""The rules a write of an account asks: the fields, the grids, the roles a community cannot be
without, who may make or open a leadership account, and a save from a stale copy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from peewee import JOIN

from frontdesk import audit
from frontdesk.db.models import Community, GridL3, GridL4, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import Can, Operator, PermissionDenied
from frontdesk.residents.validation import Validation, check_name, phone_ok
from frontdesk.staff.rows import ROLE_ORDER, grid_order, load
from frontdesk.vocabulary import Role

# The roles a community cannot be without: the last active one is never disabled nor re-roled.
KEEP_ONE = {Role.SUPERVISOR.value: "staff.last_supervisor", Role.ADMIN.value: "staff.last_admin"}
# accounts that belong to no community: only the administrator (installation-wide) manages them
INSTALLATION_ROLES = frozenset({Role.SUBDISTRICT.value, Role.ADMIN.value})


def check_person(
    v: Validation, display_name: str, role: str, phone: str, *, was: str | None = None
) -> None:
    """``was``: the name stored, which an edit that leaves it alone need not correct."""
    if was is None or display_name.strip() != was.strip():
        check_name(v, "display_name", display_name)
    if role not in ROLE_ORDER:
        v.error("role", "validation.required")
    if phone and not phone_ok(phone):
        v.error("phone", "validation.phone_format")


def community_of(operator: Operator, wanted: int | None) -> int | None:
    """The community a new account belongs to: the operator's, else the one asked for, else the
    first one in the database."""
    if operator.community_id is not None:
        return operator.community_id
    if wanted is not None and Community.get_or_none(Community.id == wanted) is not None:
        return wanted
    first = Community.select(Community.id).order_by(Community.id).scalar()
    return int(first) if first is not None else None


def codes_of(grid_ids: Iterable[int]) -> str:
    codes = [g.code for g in GridL4.select(GridL4.code).where(GridL4.id.in_(list(grid_ids)))]
    return " ".join(sorted(codes, key=grid_order))


def check_grids(
    v: Validation,
    *,
    role: str,
    wanted: frozenset[int],
    current: frozenset[int],
    community_id: int | None,
    active: bool,
) -> None:
    """Grids only for grid managers, only of their community, none left without a manager."""
    if role != Role.GRID_MANAGER.value:
        if current:
            v.error("role", "staff.reassign_grids_first", codes=codes_of(current))
        elif wanted:
            v.error("grids", "staff.grids_only_for_managers")
        return
    removed = current - wanted
    if removed:
        v.error("grids", "staff.grid_left_without_manager", codes=codes_of(removed))
    given = wanted - current
    if given:
        known = {
            row.id
            for row in GridL4.select(GridL4.id)
            .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
            .where((GridL4.id.in_(list(given))) & (GridL3.community == community_id))
        }
        if given - known:
            v.error("grids", "staff.unknown_grid")
        elif not active:
            v.error("grids", "staff.grids_need_active")


def _others_active(role: str, staff_id: int, community_id: int | None) -> int:
    """Active accounts of ``role`` besides ``staff_id`` (supervisors: in the same community)."""
    query = Staff.select().where(
        (Staff.role == role) & (Staff.active == True) & (Staff.id != staff_id)  # noqa: E712
    )
    if role == Role.SUPERVISOR.value:
        query = query.where(Staff.community == community_id)
    return int(query.count())


def keeps_one(row: Any) -> str | None:
    """The message key when ``row`` is the last active account of a role that must have one."""
    key = KEEP_ONE.get(row.role)
    if key and row.active and _others_active(row.role, row.id, row.community_id) == 0:
        return key
    return None


def take_grids(
    staff_id: int, name: str, grid_ids: Iterable[int], *, actor_id: int | None, now: datetime
) -> list[dict[str, Any]]:
    """Give these grids to ``staff_id``; each previous manager's version moves and their history
    says which grids went to whom. What was taken from whom, for the audit detail."""
    query: Any = (
        GridL4.select(GridL4.id, GridL4.code, GridL4.manager, Staff.display_name)
        .join(Staff, join_type=JOIN.LEFT_OUTER, on=(GridL4.manager == Staff.id))
        .where(GridL4.id.in_(list(grid_ids)))
    )
    grids: list[tuple[Any, ...]] = list(query.tuples())
    taken: list[dict[str, Any]] = []
    by_previous: dict[int, list[str]] = defaultdict(list)
    for grid_id, code, manager_id, manager_name in sorted(grids, key=lambda g: grid_order(g[1])):
        GridL4.update(manager=staff_id).where(GridL4.id == grid_id).execute()
        taken.append({"grid": code, "from_id": manager_id, "from": manager_name or ""})
        if manager_id is not None:
            by_previous[manager_id].append(code)
    for previous, codes in by_previous.items():
        Staff.update(version=Staff.version + 1, updated_at=now).where(
            Staff.id == previous
        ).execute()
        audit.record(
            "staff.grids_taken",
            "staff",
            previous,
            actor_id=actor_id,
            at=now,
            detail={"grids": codes, "to_id": staff_id, "to": name},
        )
    return taken


def stale(row: Any) -> UserError:
    who, at = audit.last_change("staff", row.id)
    return UserError("staff.changed_elsewhere", name=row.display_name, who=who, at=at)


def load_current(staff_id: int, version: int, operator: Operator) -> Any:
    row = load(staff_id, operator)
    if row.version != version:
        raise stale(row)
    return row


def bump(row: Any, version: int, now: datetime, **values: Any) -> int:
    changed = (
        Staff.update(**values, version=Staff.version + 1, updated_at=now)
        .where((Staff.id == row.id) & (Staff.version == version))
        .execute()
    )
    if changed != 1:
        raise stale(row)
    return version + 1


def guard_leadership(operator: Operator, *roles: str) -> None:
    """Only the leadership makes, promotes or resets leadership accounts: an admin manages the
    other staff but cannot hand themselves the community's full powers."""
    if operator.role != Role.SUPERVISOR and Role.SUPERVISOR in roles:
        raise PermissionDenied(operator, Can.MANAGE_STAFF, scope="perm.scope.leadership")


def guard_installation(operator: Operator, *roles: str) -> None:
    """The subdistrict office and the administrators belong to no community: a supervisor
    neither makes such an account nor turns one of their staff into one (the office reads every
    community of the subdistrict, beyond the supervisor's own)."""
    if operator.role != Role.ADMIN and INSTALLATION_ROLES.intersection(roles):
        raise PermissionDenied(operator, Can.MANAGE_STAFF, scope="perm.scope.own_staff")
