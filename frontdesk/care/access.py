"""Who may act on a household's care: the one check the write services share.

A grid manager acts on the households of their own grids and on those assigned to them (an
open ``CareAssignment`` naming them); the community's leadership on every household of their
community; nobody on another community's. The role's permission (``Can.VISIT``,
``Can.MANAGE_CARE`` ...) is checked first, from the staff row read afresh.
"""

from __future__ import annotations

from typing import Any

from frontdesk.db.care import CareAssignment
from frontdesk.db.models import Household
from frontdesk.errors import UserError
from frontdesk.permissions import (
    Can,
    Operator,
    PermissionDenied,
    check_community,
    grid_of_household,
    require,
)
from frontdesk.scope import community_of_household
from frontdesk.vocabulary import Role


def assigned_to(household_id: int, staff_id: int) -> bool:
    """Whether ``staff_id`` is the household's assigned visitor now."""
    return bool(
        CareAssignment.select()
        .where(
            (CareAssignment.household == household_id)
            & (CareAssignment.staff == staff_id)
            & CareAssignment.ended_at.is_null(True)
        )
        .exists()
    )


def require_household(
    actor_id: int | None, what: Can, household_id: int, *, assigned_ok: bool = True
) -> tuple[Operator, Any]:
    """The operator and the household row, if they may do ``what`` on it: of their community;
    for a grid manager of their grids, or (``assigned_ok``) assigned to them."""
    operator = require(actor_id, what)
    row: Any = Household.get_or_none(Household.id == household_id)
    if row is None:
        raise UserError("resident.household_not_found", id=household_id)
    check_community(operator, what, community_of_household(household_id))
    if operator.role == Role.GRID_MANAGER:
        mine = grid_of_household(household_id) in operator.grid_ids
        if not mine and not (assigned_ok and assigned_to(household_id, operator.id)):
            scope = "perm.scope.own_grids_or_assigned" if assigned_ok else "perm.scope.own_grids"
            raise PermissionDenied(operator, what, scope=scope)
    return operator, row
