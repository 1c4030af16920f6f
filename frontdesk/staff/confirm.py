"""No role lifts itself: the four-eyes rule on accounts that can read residents.

The administrator manages accounts but reads no resident data. An account whose role reads
residents (``Can.VIEW_RESIDENT`` or ``Can.REVEAL``: reception, grid manager, supervisor,
subdistrict office) that is created, enabled again, given such a role or has its password reset
by someone who cannot read residents themselves does not open until the leadership confirms it:

- a community's account: a supervisor of that community;
- a subdistrict office account: a supervisor of any community of that subdistrict (the office
  reads those communities; each of their leaderships answers for who reads its residents);
- never the person who made the change, never the account itself (four eyes).

Until then the account cannot sign in (after a right password it is told it waits) and a desk
already open on it is refused everything. Confirming is audited and gives a new temporary
password, shown once to the confirming supervisor, who hands it over in person: whatever
password the one who made the change knew opens nothing. A supervisor's own changes in their
community need no second look: they read those residents themselves.
"""

from __future__ import annotations

import base64
import os
from datetime import datetime
from typing import Any

from frontdesk import audit
from frontdesk.auth import passwords
from frontdesk.auth.passwords import hash_password, temporary_password
from frontdesk.db.connection import write
from frontdesk.db.models import Staff
from frontdesk.errors import UserError
from frontdesk.permissions import ROLE_CAN, Can, Operator, PermissionDenied, require
from frontdesk.staff.checks import stale
from frontdesk.staff.rows import load, subdistrict_of
from frontdesk.vocabulary import Role

READS = frozenset({Can.VIEW_RESIDENT, Can.REVEAL})


class Change:
    """What made an account wait (``Staff.pending_change``; ``staff.change.<value>``)."""

    CREATED = "created"
    ENABLED = "enabled"
    ROLE = "role"
    RESET = "reset"


def reads_residents(role: str) -> bool:
    return bool(ROLE_CAN.get(role, frozenset()) & READS)


def needs_confirmation(operator: Operator, role: str) -> bool:
    """Whether a change by ``operator`` that opens an account of ``role`` waits for the
    leadership: the account reads residents and the operator does not."""
    return reads_residents(role) and not reads_residents(operator.role)


def pending_values(operator: Operator, role: str, change: str, now: datetime) -> dict[str, Any]:
    """The columns a change writes: waiting (when it must) or nothing."""
    if not needs_confirmation(operator, role):
        return {}
    return {"pending_change": change, "pending_by": operator.id, "pending_since": now}


def unknown_password() -> str:
    """A stored hash no password opens (random bytes, the hash of nothing): an account created
    or reset by someone who cannot read residents opens with no password until it is confirmed.
    Checking a password against it costs the same scrypt work as against a real one."""
    salt, digest = (base64.b64encode(os.urandom(size)).decode("ascii") for size in (16, 32))
    return f"scrypt${passwords.N}${passwords.R}${passwords.P}${salt}${digest}"


def vouches_for(operator: Operator, community_id: int | None, subdistrict_id: int | None) -> bool:
    """Whether ``operator`` is the leadership that confirms an account placed so."""
    if operator.role != Role.SUPERVISOR or operator.community_id is None:
        return False
    if community_id is not None:
        return community_id == operator.community_id
    return subdistrict_id is not None and subdistrict_id == subdistrict_of(operator.community_id)


def confirm_staff(staff_id: int, version: int, *, actor_id: int | None, now: datetime) -> str:
    """Confirm an account that waits; its new temporary password (returned once, to be changed
    at the first sign-in). Only the leadership of its community, never who made the change."""
    password = temporary_password()
    password_hash = hash_password(password)  # slow on purpose: before the transaction

    def run() -> str:
        operator = require(actor_id, Can.MANAGE_STAFF)
        row = load(staff_id, operator, change=False)
        if not vouches_for(operator, row.community_id, row.subdistrict_id):
            raise PermissionDenied(operator, Can.MANAGE_STAFF, scope="perm.scope.confirm")
        if row.version != version:
            raise stale(row)
        if not row.pending_change:
            raise UserError("staff.not_pending", name=row.display_name)
        if operator.id in (row.pending_by_id, row.id):
            raise UserError("staff.four_eyes")
        Staff.update(
            password_hash=password_hash,
            must_change_password=True,
            failed_logins=0,
            locked_until=None,
            pending_change=None,
            pending_by=None,
            pending_since=None,
            version=Staff.version + 1,
            updated_at=now,
        ).where(Staff.id == row.id).execute()
        audit.record(
            "staff.confirmed",
            "staff",
            row.id,
            actor_id=operator.id,
            at=now,
            detail={
                "change": row.pending_change,
                "role": row.role,
                "by_id": row.pending_by_id,
                "since": row.pending_since,
            },
        )
        return password

    return write(run)
