"""Staff management: a supervisor (or the administrator) creates accounts, edits them, disables
and enables them, and resets passwords.

Nobody is ever deleted (the audit log points at them): ``active`` disables. A new account and a
reset one get a temporary password, returned once and stored only as its scrypt hash; its owner
must change it at the next sign-in. Every write is one IMMEDIATE transaction that checks the
operator's permission first and leaves its audit entry; a save from a stale copy is refused with
who changed the account last and when.

Grids: a grid manager's level-4 grids are set here. A grid given to someone is taken from its
previous manager (whose own history records it, and whose version moves so that a form open on
them cannot give it back unseen); a grid is never left without a manager, so removing one from
someone without giving it to another is refused, as is disabling a grid manager who still has
grids or turning them into another role.

A community's supervisor manages the staff of their community, of its subdistrict office, and the
administrators; the administrator (no community) manages everyone.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from peewee import JOIN

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.enums import Role
from frontdesk.db.models import Community, GridL3, GridL4, Staff
from frontdesk.errors import UserError
from frontdesk.passwords import hash_password
from frontdesk.permissions import Can, Operator, PermissionDenied, require
from frontdesk.residents.validation import (
    MAX_NAME,
    Validation,
    normalise_phone,
    phone_ok,
)

USERNAME = re.compile(r"[a-z0-9._-]{3,32}", re.ASCII)
# no 0/o, 1/l/i: read out or copied from the screen without doubt
TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMP_LENGTH = 10
ROLE_ORDER = {role.value: rank for rank, role in enumerate(Role)}
# The roles a community cannot be without: the last active one is never disabled nor re-roled.
KEEP_ONE = {Role.SUPERVISOR.value: "staff.last_supervisor", Role.ADMIN.value: "staff.last_admin"}


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
    of their own (the administrator); everyone else creates staff of their own community."""

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
    temporary_password: str  # shown once, never stored


# -- reading -----------------------------------------------------------------------------------


def _scope(operator: Operator) -> Any:
    """The staff ``operator`` manages, as a condition (None: everyone)."""
    if operator.community_id is None:
        return None
    community: Any = Community.get_by_id(operator.community_id)
    return (Staff.community == operator.community_id) | (
        Staff.community.is_null()
        & (Staff.subdistrict.is_null() | (Staff.subdistrict == community.subdistrict_id))
    )


def grid_order(code: str) -> tuple[Any, ...]:
    """``1-2`` before ``1-10``: the numbers in a grid code as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in code.split("-"))


def _managed(staff_ids: Iterable[int] | None = None) -> dict[int, list[tuple[str, int]]]:
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


def _row(staff: Any, grids: list[tuple[str, int]], now: datetime | None) -> StaffRow:
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
    )


def list_staff(
    *, actor_id: int | None, now: datetime, include_disabled: bool = True
) -> list[StaffRow]:
    """The accounts the operator manages, by role (reception first) then user name."""
    operator = require(actor_id, Can.MANAGE_STAFF)
    query = Staff.select()
    scope = _scope(operator)
    if scope is not None:
        query = query.where(scope)
    if not include_disabled:
        query = query.where(Staff.active == True)  # noqa: E712
    rows = list(query)
    grids = _managed()
    rows.sort(key=lambda s: (ROLE_ORDER.get(s.role, len(ROLE_ORDER)), s.username))
    return [_row(s, grids.get(s.id, []), now) for s in rows]


def _load(staff_id: int, operator: Operator) -> Any:
    """The staff row, if the operator manages it (``staff.not_found`` otherwise)."""
    query = Staff.select().where(Staff.id == staff_id)
    scope = _scope(operator)
    if scope is not None:
        query = query.where(scope)
    row = query.first()
    if row is None:
        raise UserError("staff.not_found", id=staff_id)
    return row


def get_staff(staff_id: int, *, actor_id: int | None, now: datetime | None = None) -> StaffRow:
    """One account (``locked`` needs ``now``; without it any lock time counts)."""
    operator = require(actor_id, Can.MANAGE_STAFF)
    row = _load(staff_id, operator)
    return _row(row, _managed([row.id]).get(row.id, []), now)


def grid_choices(community_id: int, *, actor_id: int | None) -> list[GridOption]:
    """The level-4 grids of a community, in order, with their managers."""
    require(actor_id, Can.MANAGE_STAFF)
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


# -- checks ------------------------------------------------------------------------------------


def _check_person(v: Validation, display_name: str, role: str, phone: str) -> None:
    name = display_name.strip()
    if not name:
        v.error("display_name", "validation.required")
    elif len(name) > MAX_NAME:
        v.error("display_name", "validation.name_too_long", max=MAX_NAME)
    if role not in ROLE_ORDER:
        v.error("role", "validation.required")
    if phone and not phone_ok(phone):
        v.error("phone", "validation.phone_format")


def _community_of(operator: Operator, wanted: int | None) -> int | None:
    """The community a new account belongs to: the operator's, else the one asked for, else the
    first one in the database."""
    if operator.community_id is not None:
        return operator.community_id
    if wanted is not None and Community.get_or_none(Community.id == wanted) is not None:
        return wanted
    first = Community.select(Community.id).order_by(Community.id).scalar()
    return int(first) if first is not None else None


def _placement(role: str, community_id: int | None) -> tuple[int | None, int | None]:
    """(community, subdistrict) for an account of ``role``: community staff belong to the
    community, the subdistrict office to its subdistrict, the administrator to neither."""
    if role == Role.ADMIN.value or community_id is None:
        return None, None
    if role == Role.SUBDISTRICT.value:
        community: Any = Community.get_by_id(community_id)
        return None, int(community.subdistrict_id)
    return community_id, None


def _codes(grid_ids: Iterable[int]) -> str:
    codes = [g.code for g in GridL4.select(GridL4.code).where(GridL4.id.in_(list(grid_ids)))]
    return " ".join(sorted(codes, key=grid_order))


def _check_grids(
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
            v.error("role", "staff.reassign_grids_first", codes=_codes(current))
        elif wanted:
            v.error("grids", "staff.grids_only_for_managers")
        return
    removed = current - wanted
    if removed:
        v.error("grids", "staff.grid_left_without_manager", codes=_codes(removed))
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


def _keeps_one(row: Any) -> str | None:
    """The message key when ``row`` is the last active account of a role that must have one."""
    key = KEEP_ONE.get(row.role)
    if key and row.active and _others_active(row.role, row.id, row.community_id) == 0:
        return key
    return None


def _take_grids(
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


def _stale(row: Any) -> UserError:
    who, at = audit.last_change("staff", row.id)
    return UserError("staff.changed_elsewhere", name=row.display_name, who=who, at=at)


def _load_current(staff_id: int, version: int, operator: Operator) -> Any:
    row = _load(staff_id, operator)
    if row.version != version:
        raise _stale(row)
    return row


def _bump(row: Any, version: int, now: datetime, **values: Any) -> int:
    changed = (
        Staff.update(**values, version=Staff.version + 1, updated_at=now)
        .where((Staff.id == row.id) & (Staff.version == version))
        .execute()
    )
    if changed != 1:
        raise _stale(row)
    return version + 1


def temporary_password() -> str:
    """Ten letters and digits nobody misreads, with at least one of each."""
    while True:
        text = "".join(secrets.choice(TEMP_ALPHABET) for _ in range(TEMP_LENGTH))
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            return text


# -- writing -----------------------------------------------------------------------------------


def _guard_leadership(operator: Operator, *roles: str) -> None:
    """Only the leadership makes, promotes or resets leadership accounts: an admin manages the
    other staff but cannot hand themselves the community's full powers."""
    if operator.role != Role.SUPERVISOR and Role.SUPERVISOR in roles:
        raise PermissionDenied(operator, Can.MANAGE_STAFF, scope="perm.scope.leadership")


def create_staff(data: StaffInput, *, actor_id: int | None, now: datetime) -> NewStaff:
    """A new account with a temporary password (returned once; it must be changed at the first
    sign-in)."""
    username = data.username.strip().lower()
    phone = normalise_phone(data.phone)
    password = temporary_password()
    password_hash = hash_password(password)  # slow on purpose: before the transaction

    def run() -> NewStaff:
        operator = require(actor_id, Can.MANAGE_STAFF)
        _guard_leadership(operator, data.role)
        v = Validation()
        if not USERNAME.fullmatch(username):
            v.error("username", "staff.username_format")
        elif Staff.select().where(Staff.username == username).exists():
            v.error("username", "staff.username_taken")
        _check_person(v, data.display_name, data.role, phone)
        community_id = _community_of(operator, data.community_id)
        if data.role in ROLE_ORDER:
            _check_grids(
                v,
                role=data.role,
                wanted=data.grid_ids,
                current=frozenset(),
                community_id=community_id,
                active=True,
            )
        v.raise_if_refused(confirm_warnings=True)
        home, subdistrict = _placement(data.role, community_id)
        name = data.display_name.strip()
        staff_id = Staff.insert(
            username=username,
            display_name=name,
            role=data.role,
            phone=phone,
            community=home,
            subdistrict=subdistrict,
            password_hash=password_hash,
            must_change_password=True,
            active=True,
            away=data.away,
            created_at=now,
            updated_at=now,
        ).execute()
        taken = _take_grids(staff_id, name, data.grid_ids, actor_id=actor_id, now=now)
        detail: dict[str, Any] = {
            "username": username,
            "name": name,
            "role": data.role,
            "phone": phone,
            "away": data.away,
        }
        if taken:
            detail["grids"] = [item["grid"] for item in taken]
            detail["grids_taken"] = [item for item in taken if item["from_id"] is not None]
        audit.record("staff.created", "staff", staff_id, actor_id=actor_id, at=now, detail=detail)
        return NewStaff(int(staff_id), username, password)

    return write(run)


def update_staff(
    staff_id: int, version: int, data: StaffUpdate, *, actor_id: int | None, now: datetime
) -> int:
    """Change name, phone, role, grids and away; the new version (the same when nothing
    changed)."""
    phone = normalise_phone(data.phone)

    def run() -> int:
        operator = require(actor_id, Can.MANAGE_STAFF)
        row = _load_current(staff_id, version, operator)
        _guard_leadership(operator, row.role, data.role)
        v = Validation()
        _check_person(v, data.display_name, data.role, phone)
        if data.role != row.role:
            if staff_id == operator.id:
                v.error("role", "staff.own_role")
            elif key := _keeps_one(row):
                v.error("role", key)
        current = frozenset(grid_id for _code, grid_id in _managed([staff_id]).get(staff_id, []))
        community_id = row.community_id or _community_of(operator, None)
        if data.role in ROLE_ORDER:
            _check_grids(
                v,
                role=data.role,
                wanted=data.grid_ids,
                current=current,
                community_id=community_id,
                active=row.active,
            )
        v.raise_if_refused(confirm_warnings=True)
        values: dict[str, Any] = {}
        for name, old, new in (
            ("display_name", row.display_name, data.display_name.strip()),
            ("phone", row.phone, phone),
            ("role", row.role, data.role),
            ("away", row.away, data.away),
        ):
            if new != old:
                values[name] = new
        given = data.grid_ids - current if data.role == Role.GRID_MANAGER.value else frozenset()
        if not values and not given:
            return version
        detail: dict[str, Any] = {name: [getattr(row, name), new] for name, new in values.items()}
        if "role" in values:
            home, subdistrict = _placement(data.role, community_id)
            if (home, subdistrict) != (row.community_id, row.subdistrict_id):
                values.update(community=home, subdistrict=subdistrict)
        new_version = _bump(row, version, now, **values)
        name = data.display_name.strip()
        taken = _take_grids(staff_id, name, given, actor_id=actor_id, now=now)
        if taken:
            detail["grids_taken"] = taken
        audit.record("staff.updated", "staff", staff_id, actor_id=actor_id, at=now, detail=detail)
        return new_version

    return write(run)


def set_active(
    staff_id: int, version: int, active: bool, *, actor_id: int | None, now: datetime
) -> int:
    """Disable (or enable again) an account; the new version. Never yourself, never the last
    active supervisor or administrator, never a grid manager who still has grids."""

    def run() -> int:
        operator = require(actor_id, Can.MANAGE_STAFF)
        row = _load_current(staff_id, version, operator)
        if row.active == active:
            return version
        if not active:
            if staff_id == operator.id:
                raise UserError("staff.cannot_disable_self")
            if key := _keeps_one(row):
                raise UserError(key)
            grids = _managed([staff_id]).get(staff_id, [])
            if grids:
                codes = " ".join(code for code, _id in grids)
                raise UserError("staff.still_manages_grids", name=row.display_name, codes=codes)
        new_version = _bump(row, version, now, active=active)
        action = "staff.enabled" if active else "staff.disabled"
        audit.record(action, "staff", staff_id, actor_id=actor_id, at=now)
        return new_version

    return write(run)


def reset_password(staff_id: int, *, actor_id: int | None, now: datetime) -> str:
    """A new temporary password (returned once), to be changed at the next sign-in; any lock
    and count of wrong passwords go."""
    password = temporary_password()
    password_hash = hash_password(password)

    def run() -> str:
        operator = require(actor_id, Can.MANAGE_STAFF)
        row = _load(staff_id, operator)
        _guard_leadership(operator, row.role)
        Staff.update(
            password_hash=password_hash,
            must_change_password=True,
            failed_logins=0,
            locked_until=None,
            version=Staff.version + 1,
            updated_at=now,
        ).where(Staff.id == row.id).execute()
        audit.record(
            "staff.password_reset",
            "staff",
            staff_id,
            actor_id=actor_id,
            at=now,
            detail={"was_locked": row.locked_until is not None and row.locked_until > now},
        )
        return password

    return write(run)
