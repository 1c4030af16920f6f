"""Staff management: a supervisor manages the accounts of their community, the administrator
every account of the installation; both create accounts, edit them, disable and enable them,
and reset passwords.

Nobody is ever deleted (the audit log points at them): ``active`` disables. A new account and a
reset one get a temporary password, returned once and stored only as its scrypt hash; its owner
must change it at the next sign-in. Every write is one IMMEDIATE transaction that checks the
operator's permission first and leaves its audit entry; a save from a stale copy is refused with
who changed the account last and when.

No role lifts itself (``confirm``): an account that can read residents, when created,
re-enabled, given such a role or reset by someone who cannot read residents (the
administrator), waits for the leadership of its community to confirm it.

``rows`` reads, ``checks`` holds the rules a write asks, ``writes`` writes, ``confirm`` holds the
four-eyes rule.
"""

from __future__ import annotations

from frontdesk.auth.passwords import USERNAME, temporary_password
from frontdesk.staff.confirm import confirm_staff, needs_confirmation, reads_residents
from frontdesk.staff.rows import (
    GridOption,
    NewStaff,
    StaffInput,
    StaffRow,
    StaffUpdate,
    assignable_roles,
    community_choices,
    get_staff,
    grid_choices,
    grid_order,
    list_staff,
)
from frontdesk.staff.writes import create_staff, reset_password, set_active, update_staff

__all__ = [
    "USERNAME",
    "GridOption",
    "NewStaff",
    "StaffInput",
    "StaffRow",
    "StaffUpdate",
    "assignable_roles",
    "community_choices",
    "confirm_staff",
    "create_staff",
    "get_staff",
    "grid_choices",
    "grid_order",
    "list_staff",
    "needs_confirmation",
    "reads_residents",
    "reset_password",
    "set_active",
    "temporary_password",
    "update_staff",
]
