"""Writing accounts: create, edit, disable and enable, reset a password. Each is one short
write transaction that checks the operator first and leaves its audit entry; a change that
opens an account reading residents, made by someone who does not read them, leaves the account
waiting for the leadership (``confirm``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from frontdesk import audit
from frontdesk.auth.passwords import USERNAME, hash_password, temporary_password
from frontdesk.db.connection import write
from frontdesk.db.models import Staff
from frontdesk.errors import UserError
from frontdesk.permissions import Can, placement, require
from frontdesk.residents.validation import Validation, normalise_phone
from frontdesk.staff.checks import (
    bump,
    check_grids,
    check_person,
    community_of,
    guard_installation,
    guard_leadership,
    keeps_one,
    load_current,
    take_grids,
)
from frontdesk.staff.confirm import Change, pending_values, reads_residents, unknown_password
from frontdesk.staff.rows import ROLE_ORDER, NewStaff, StaffInput, StaffUpdate, load, managed
from frontdesk.vocabulary import Role


def _waits(row: Any, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` unless the account already waits (the first change that made it wait stays)."""
    return {} if row.pending_change else values


def create_staff(data: StaffInput, *, actor_id: int | None, now: datetime) -> NewStaff:
    """A new account with a temporary password (returned once; it must be changed at the first
    sign-in). One that waits for the leadership gets no password: its confirmation gives it."""
    username = data.username.strip().lower()
    phone = normalise_phone(data.phone)
    password = temporary_password()
    password_hash = hash_password(password)  # slow on purpose: before the transaction

    def run() -> NewStaff:
        operator = require(actor_id, Can.MANAGE_STAFF)
        guard_leadership(operator, data.role)
        guard_installation(operator, data.role)
        v = Validation()
        if not USERNAME.fullmatch(username):
            v.error("username", "staff.username_format")
        elif Staff.select().where(Staff.username == username).exists():
            v.error("username", "staff.username_taken")
        check_person(v, data.display_name, data.role, phone)
        community_id = community_of(operator, data.community_id)
        if data.role in ROLE_ORDER:
            check_grids(
                v,
                role=data.role,
                wanted=data.grid_ids,
                current=frozenset(),
                community_id=community_id,
                active=True,
            )
        v.raise_if_refused(confirm_warnings=True)
        home, subdistrict = placement(data.role, community_id)
        name = data.display_name.strip()
        waits = pending_values(operator, data.role, Change.CREATED, now)
        staff_id = Staff.insert(
            username=username,
            display_name=name,
            role=data.role,
            phone=phone,
            community=home,
            subdistrict=subdistrict,
            password_hash=unknown_password() if waits else password_hash,
            must_change_password=True,
            active=True,
            away=data.away,
            created_at=now,
            updated_at=now,
            **waits,
        ).execute()
        taken = take_grids(staff_id, name, data.grid_ids, actor_id=actor_id, now=now)
        detail: dict[str, Any] = {
            "username": username,
            "name": name,
            "role": data.role,
            "phone": phone,
            "away": data.away,
        }
        if waits:
            detail["waits"] = True
        if taken:
            detail["grids"] = [item["grid"] for item in taken]
            detail["grids_taken"] = [item for item in taken if item["from_id"] is not None]
        audit.record("staff.created", "staff", staff_id, actor_id=actor_id, at=now, detail=detail)
        return NewStaff(int(staff_id), username, "" if waits else password, pending=bool(waits))

    return write(run)


def update_staff(
    staff_id: int, version: int, data: StaffUpdate, *, actor_id: int | None, now: datetime
) -> int:
    """Change name, phone, role, grids and away; the new version (the same when nothing
    changed)."""
    phone = normalise_phone(data.phone)

    def run() -> int:
        operator = require(actor_id, Can.MANAGE_STAFF)
        row = load_current(staff_id, version, operator)
        guard_leadership(operator, row.role, data.role)
        if data.role != row.role:
            guard_installation(operator, data.role)
        v = Validation()
        check_person(v, data.display_name, data.role, phone, was=row.display_name)
        if data.role != row.role:
            if staff_id == operator.id:
                v.error("role", "staff.own_role")
            elif key := keeps_one(row):
                v.error("role", key)
        current = frozenset(grid_id for _code, grid_id in managed([staff_id]).get(staff_id, []))
        community_id = row.community_id or community_of(operator, None)
        if data.role in ROLE_ORDER:
            check_grids(
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
            home, subdistrict = placement(data.role, community_id)
            if (home, subdistrict) != (row.community_id, row.subdistrict_id):
                values.update(community=home, subdistrict=subdistrict)
            waits = _waits(row, pending_values(operator, data.role, Change.ROLE, now))
            if waits:
                values.update(waits)
                detail["waits"] = True
            elif row.pending_change and not reads_residents(data.role):
                # nothing left to confirm (and no leadership would vouch for an admin account)
                values.update(pending_change=None, pending_by=None, pending_since=None)
        new_version = bump(row, version, now, **values)
        name = data.display_name.strip()
        taken = take_grids(staff_id, name, given, actor_id=actor_id, now=now)
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
        row = load_current(staff_id, version, operator)
        if row.active == active:
            return version
        values: dict[str, Any] = {"active": active}
        if not active:
            if staff_id == operator.id:
                raise UserError("staff.cannot_disable_self")
            if key := keeps_one(row):
                raise UserError(key)
            grids = managed([staff_id]).get(staff_id, [])
            if grids:
                codes = " ".join(code for code, _id in grids)
                raise UserError("staff.still_manages_grids", name=row.display_name, codes=codes)
        else:
            values.update(_waits(row, pending_values(operator, row.role, Change.ENABLED, now)))
        new_version = bump(row, version, now, **values)
        action = "staff.enabled" if active else "staff.disabled"
        detail = {"waits": True} if "pending_change" in values else None
        audit.record(action, "staff", staff_id, actor_id=actor_id, at=now, detail=detail)
        return new_version

    return write(run)


def reset_password(staff_id: int, *, actor_id: int | None, now: datetime) -> str | None:
    """A new temporary password (returned once), to be changed at the next sign-in; any lock
    and count of wrong passwords go. None when the account now waits for the leadership: the
    old password opens nothing and the confirmation gives the new one."""
    password = temporary_password()
    password_hash = hash_password(password)

    def run() -> str | None:
        operator = require(actor_id, Can.MANAGE_STAFF)
        row = load(staff_id, operator)
        guard_leadership(operator, row.role)
        waits = pending_values(operator, row.role, Change.RESET, now)
        if row.pending_change and not waits:  # the leadership: confirming gives the password
            raise UserError("staff.confirm_instead", name=row.display_name)
        Staff.update(
            password_hash=unknown_password() if waits else password_hash,
            must_change_password=True,
            failed_logins=0,
            locked_until=None,
            version=Staff.version + 1,
            updated_at=now,
            **_waits(row, waits),
        ).where(Staff.id == row.id).execute()
        detail: dict[str, Any] = {
            "was_locked": row.locked_until is not None and row.locked_until > now
        }
        if waits:
            detail["waits"] = True
        audit.record(
            "staff.password_reset", "staff", staff_id, actor_id=actor_id, at=now, detail=detail
        )
        return None if waits else password

    return write(run)
