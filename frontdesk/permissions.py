"""Who may do what: roles, the operator behind every call, and the checks every service makes.

A screen that forgets a check is still refused: every write and every sensitive read in the
services calls ``require`` with the operator's id, which loads the staff row afresh (inside the
caller's transaction), so a disabled account or a changed role counts from the next call on.

The roles and the ``Operator`` are plain Python; the functions that read the database import the
models when called, so that the login (which names the roles) is drawn before the data layer
loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from frontdesk.errors import UserError
from frontdesk.vocabulary import Level, Role


class Can(StrEnum):
    """Permissions. Their display names are ``can.<value>`` in the catalogs."""

    VIEW_RESIDENT = "view_resident"  # a resident's detail page (masked)
    REVEAL = "reveal"  # show a full ID number, phone ... with a reason
    EDIT_RESIDENT = "edit_resident"  # register, edit, move, tag (grid managers: own grids)
    VIEW_ROOMS = "view_rooms"
    BOOK = "book"  # make, change, cancel bookings; check in
    CLOSE_ROOM = "close_room"  # closures
    VIEW_REQUESTS = "view_requests"
    LOG_REQUEST = "log_request"  # intake, attach a further reporter
    UPDATE_REQUEST = "update_request"  # notes, reassign, escalate, reopen
    HANDLE_REQUEST = "handle_request"  # hold: start, resolve, close
    REPORTS = "reports"
    MANAGE_STAFF = "manage_staff"
    CONFIGURE = "configure"
    VIEW_AUDIT = "view_audit"
    VIEW_FIGURES = "view_figures"  # the home screen's counts of one community
    # book series for the center's own programmes beyond the booker's weekly quota, the days
    # ahead and the length one-off bookings keep to (the community leadership)
    EXEMPT_BOOKING_RULES = "exempt_booking_rules"
    IMPORT = "import"  # bring residents and places in from spreadsheets, take an import back
    # care visits (frontdesk.care): record a visit or attempt and read the visits' notes (grid
    # managers: their own grids and the households assigned to them)
    VISIT = "visit"
    # a person's care level by hand, pauses, major events, who visits a household (grid
    # managers: their own grids)
    MANAGE_CARE = "manage_care"
    CARE_CAMPAIGN = "care_campaign"  # start a campaign (寒潮来袭: every 独居老人 within 2 days)


_RECEPTION = frozenset(
    {
        Can.VIEW_RESIDENT,
        Can.REVEAL,
        Can.VIEW_ROOMS,
        Can.BOOK,
        Can.VIEW_REQUESTS,
        Can.LOG_REQUEST,
        Can.UPDATE_REQUEST,
        Can.VIEW_FIGURES,
    }
)

ROLE_CAN: dict[str, frozenset[Can]] = {
    Role.RECEPTION: _RECEPTION,
    Role.GRID_MANAGER: _RECEPTION
    | {Can.EDIT_RESIDENT, Can.HANDLE_REQUEST, Can.VISIT, Can.MANAGE_CARE},
    Role.SUPERVISOR: frozenset(Can),
    # reads everything masked; acts only on requests escalated to the subdistrict
    Role.SUBDISTRICT: frozenset(
        {
            Can.VIEW_RESIDENT,
            Can.REVEAL,
            Can.VIEW_ROOMS,
            Can.VIEW_REQUESTS,
            Can.UPDATE_REQUEST,
            Can.HANDLE_REQUEST,
            Can.REPORTS,
            Can.VIEW_FIGURES,
        }
    ),
    # accounts and installation-wide settings, and the installation's own audit entries; never
    # resident data
    Role.ADMIN: frozenset({Can.MANAGE_STAFF, Can.CONFIGURE, Can.VIEW_AUDIT}),  # log: its own
}


@dataclass(frozen=True)
class Operator:
    """The person signed in at a desk, as the services see them."""

    id: int
    username: str
    name: str
    role: str
    community_id: int | None
    subdistrict_id: int | None
    grid_ids: frozenset[int]  # level-4 grids they manage or lead (grid managers)
    must_change_password: bool = False
    # the communities whose records they see and act on: their own (community staff), their
    # subdistrict's (the subdistrict office), none (the administrator: installation-wide for
    # accounts and settings, never resident data)
    communities: frozenset[int] = frozenset()

    def can(self, what: Can) -> bool:
        return what in ROLE_CAN.get(self.role, frozenset())

    def covers(self, community_id: int | None) -> bool:
        """Whether a record of ``community_id`` is inside their scope."""
        return community_id is not None and community_id in self.communities


class PermissionDenied(UserError):
    """The operator's role does not allow this (or not on this record)."""

    def __init__(self, operator: Operator | None, what: Can, *, scope: str = "") -> None:
        role = f"enum.role.{operator.role}" if operator else ""
        super().__init__(
            "perm.denied_scope" if scope else "perm.denied",
            role=role,
            action=f"can.{what.value}",
            scope=scope,
        )
        self.what = what

    def __str__(self) -> str:
        from frontdesk.i18n import _

        params = {k: (_(str(v)) if v else "—") for k, v in self.params.items()}
        return _(self.key, **params)


def grids_of(staff_id: int) -> frozenset[int]:
    """The level-4 grids a grid manager answers for: those they manage and those they lead."""
    from frontdesk.db.models import GridL3, GridL4

    managed = GridL4.select(GridL4.id).where(GridL4.manager == staff_id)
    led = (
        GridL4.select(GridL4.id)
        .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
        .where(GridL3.leader == staff_id)
    )
    return frozenset(row.id for row in managed) | frozenset(row.id for row in led)


def communities_of(
    role: str, community_id: int | None, subdistrict_id: int | None
) -> frozenset[int]:
    """The communities an account of ``role`` placed so works in (see ``Operator.communities``)."""
    if role == Role.ADMIN:
        return frozenset()
    if role == Role.SUBDISTRICT:
        if subdistrict_id is None:
            return frozenset()
        from frontdesk.db.models import Community

        rows = Community.select(Community.id).where(Community.subdistrict == subdistrict_id)
        return frozenset(row.id for row in rows)
    return frozenset() if community_id is None else frozenset({community_id})


def placement(role: str, community_id: int | None) -> tuple[int | None, int | None]:
    """(community, subdistrict) for an account of ``role``: community staff belong to the
    community, the subdistrict office to its subdistrict, the administrator to neither."""
    if role == Role.ADMIN.value or community_id is None:
        return None, None
    if role == Role.SUBDISTRICT.value:
        from frontdesk.db.models import Community

        community: Any = Community.get_by_id(community_id)
        return None, int(community.subdistrict_id)
    return community_id, None


def load_operator(staff_id: int | None) -> Operator:
    """The active staff member ``staff_id``; refused when there is none or they are disabled."""
    from frontdesk.db.models import Staff

    row: Any = None if staff_id is None else Staff.get_or_none(Staff.id == staff_id)
    if row is None or not row.active:
        raise UserError("perm.no_operator")
    if row.pending_change:  # waits for the leadership (frontdesk.staff.confirm): opens nothing
        raise UserError("perm.awaiting_confirmation")
    return Operator(
        id=row.id,
        username=row.username,
        name=row.display_name,
        role=row.role,
        community_id=row.community_id,
        subdistrict_id=row.subdistrict_id,
        grid_ids=grids_of(row.id) if row.role == Role.GRID_MANAGER else frozenset(),
        must_change_password=row.must_change_password,
        communities=communities_of(row.role, row.community_id, row.subdistrict_id),
    )


def operator_named(username: str) -> Operator:
    """The active staff member with this user name (``UserError`` when there is none)."""
    from frontdesk.db.models import Staff

    row: Any = Staff.get_or_none(Staff.username == username)
    return load_operator(row.id if row else None)


def require(staff_id: int | None, what: Can) -> Operator:
    """The operator, if their role may do ``what``; ``PermissionDenied`` otherwise."""
    operator = load_operator(staff_id)
    if operator.must_change_password:  # a reset password opens nothing but its own change
        raise UserError("perm.must_change_password")
    if not operator.can(what):
        raise PermissionDenied(operator, what)
    return operator


def check_community(operator: Operator, what: Can, community_id: int | None) -> None:
    """Refuse a record outside the operator's communities (``Operator.communities``)."""
    if not operator.covers(community_id):
        raise PermissionDenied(operator, what, scope="perm.scope.other_community")


def require_in(staff_id: int | None, what: Can, community_id: int | None) -> Operator:
    """``require``, and only on a record of one of the operator's communities."""
    operator = require(staff_id, what)
    check_community(operator, what, community_id)
    return operator


def grid_of_household(household_id: int) -> int:
    """The level-4 grid of a household's flat (0 when there is no such household)."""
    from frontdesk.db.models import Flat, Household

    row: Any = (
        Flat.select(Flat.grid_l4)
        .join(Household, on=(Household.flat == Flat.id))
        .where(Household.id == household_id)
        .first()
    )
    return int(row.grid_l4_id) if row else 0


def grid_of_resident(resident_id: int) -> int:
    from frontdesk.db.models import Resident

    row: Any = Resident.get_or_none(Resident.id == resident_id)
    return grid_of_household(int(row.household_id)) if row else 0


def require_grid(staff_id: int | None, what: Can, grid_id: int) -> Operator:
    """``require``, and for a grid manager: only inside their own grids."""
    from frontdesk.scope import community_of_grid

    operator = require(staff_id, what)
    check_community(operator, what, community_of_grid(grid_id))
    if operator.role == Role.GRID_MANAGER and grid_id not in operator.grid_ids:
        raise PermissionDenied(operator, what, scope="perm.scope.own_grids")
    return operator


def require_for_request(staff_id: int | None, what: Can, row: Any) -> Operator:
    """``require`` for an action on request ``row``: the subdistrict office acts only on
    requests at its level; a grid manager handles only those they hold or their grids' ones."""
    operator = require(staff_id, what)
    check_community(operator, what, row.community_id)
    if operator.role == Role.SUBDISTRICT and row.level != Level.SUBDISTRICT:
        raise PermissionDenied(operator, what, scope="perm.scope.subdistrict_level")
    if (
        operator.role == Role.GRID_MANAGER
        and what == Can.HANDLE_REQUEST
        and row.holder_id != operator.id
        and (row.grid_l4_id not in operator.grid_ids or row.level != Level.GRID)
    ):  # theirs to hold, or their grid's while it is still at the grid
        raise PermissionDenied(operator, what, scope="perm.scope.own_requests")
    return operator
