"""Counts and facts about a database and a community: ``frontdesk info`` and the home screen."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

from peewee import fn

from frontdesk.db.migrations import current_version
from frontdesk.db.models import (
    Booking,
    Community,
    GridL3,
    GridL4,
    Household,
    Request,
    Resident,
    Room,
    Setting,
    Staff,
    Subdistrict,
    database_proxy,
)
from frontdesk.permissions import Can, Operator, require_in
from frontdesk.vocabulary import (
    BookingStatus,
    CommunityRef,
    HouseholdStatus,
    RequestStatus,
    ResidentStatus,
    Role,
)

OPEN_REQUEST_STATUSES = (RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)


@dataclass(frozen=True)
class DatabaseInfo:
    path: str
    schema_version: int
    communities: int
    residents: int  # living here
    residents_moved_out: int
    residents_deceased: int
    households: int  # active
    grids_l3: int
    grids_l4: int
    grid_managers: int
    rooms: int
    bookings: int
    requests: int
    staff: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def database_info(path: Path) -> DatabaseInfo:
    db = database_proxy.obj
    counts = Resident.select(Resident.status, fn.COUNT(Resident.id)).group_by(Resident.status)
    rows = cast(Iterable[tuple[str, int]], counts.tuples())
    by_status = dict(rows)
    return DatabaseInfo(
        path=str(path),
        schema_version=current_version(db) or 0,
        communities=Community.select().count(),
        residents=by_status.get(ResidentStatus.LIVING.value, 0),
        residents_moved_out=by_status.get(ResidentStatus.MOVED_OUT.value, 0),
        residents_deceased=by_status.get(ResidentStatus.DECEASED.value, 0),
        households=Household.select().where(Household.status == HouseholdStatus.ACTIVE).count(),
        grids_l3=GridL3.select().count(),
        grids_l4=GridL4.select().count(),
        grid_managers=Staff.select()
        .where((Staff.role == Role.GRID_MANAGER) & (Staff.active == True))  # noqa: E712
        .count(),
        rooms=Room.select().where(Room.active == True).count(),  # noqa: E712
        bookings=Booking.select().count(),
        requests=Request.select().count(),
        staff=Staff.select().where(Staff.active == True).count(),  # noqa: E712
    )


def first_community() -> CommunityRef | None:
    """The first community of the database: what the login's header names before anyone
    signs in (then the desk serves the operator's, see ``communities_for``)."""
    row = (
        Community.select(Community.id, Community.name, Subdistrict.name.alias("sub"))
        .join(Subdistrict)
        .order_by(Community.id)
        .dicts()
        .first()
    )
    if row is None:
        return None
    return CommunityRef(id=row["id"], name=row["name"], subdistrict=row["sub"])


def communities_for(operator: Operator) -> list[CommunityRef]:
    """Every community the operator works in, in order (the subdistrict office: several)."""
    if not operator.communities:
        return []
    query = (
        Community.select(Community.id, Community.name, Subdistrict.name.alias("sub"))
        .join(Subdistrict)
        .where(Community.id.in_(sorted(operator.communities)))
        .order_by(Community.id)
    )
    rows = cast(list[dict[str, Any]], list(query.dicts()))
    return [CommunityRef(id=r["id"], name=r["name"], subdistrict=r["sub"]) for r in rows]


@dataclass(frozen=True)
class CommunityFigures:
    residents: int
    households: int
    grids_l3: int
    grids_l4: int
    grid_managers: int
    rooms: int
    bookings_today: int
    bookings_upcoming_7d: int
    requests_open: int
    requests_overdue: int
    requests_due_today: int
    requests_resolved_week: int
    requests_settled_in_grid: float  # share of this month's resolved requests settled in the grid


def community_figures(
    community_id: int, now: datetime, *, actor_id: int | None
) -> CommunityFigures:
    """The home screen's figures for one community, each one indexed count (only of a
    community the operator works in)."""
    require_in(actor_id, Can.VIEW_FIGURES, community_id)
    from frontdesk.db.models import Building, Compound, Flat, Unit
    from frontdesk.requests.queue import figures as request_figures

    today = now.date()
    day_start = datetime.combine(today, time.min)
    households = (
        Household.select()
        .join(Flat)
        .join(Unit)
        .join(Building)
        .join(Compound)
        .where((Compound.community == community_id) & (Household.status == HouseholdStatus.ACTIVE))
    )
    residents = (
        Resident.select()
        .join(Household)
        .join(Flat)
        .join(Unit)
        .join(Building)
        .join(Compound)
        .where((Compound.community == community_id) & (Resident.status == ResidentStatus.LIVING))
    )
    live_bookings = (
        Booking.select()
        .join(Room)
        .where((Room.community == community_id) & (Booking.status != BookingStatus.CANCELLED))
    )
    requests = request_figures(community_id, now)
    return CommunityFigures(
        residents=residents.count(),
        households=households.count(),
        grids_l3=GridL3.select().where(GridL3.community == community_id).count(),
        grids_l4=GridL4.select().join(GridL3).where(GridL3.community == community_id).count(),
        grid_managers=GridL4.select(GridL4.manager)
        .join(GridL3)
        .where((GridL3.community == community_id) & GridL4.manager.is_null(False))
        .distinct()
        .count(),
        rooms=Room.select().where((Room.community == community_id) & (Room.active == True)).count(),  # noqa: E712
        bookings_today=live_bookings.where(
            (Booking.starts_at >= day_start) & (Booking.starts_at < day_start + timedelta(days=1))
        ).count(),
        bookings_upcoming_7d=live_bookings.where(
            (Booking.starts_at >= now) & (Booking.starts_at < day_start + timedelta(days=8))
        ).count(),
        requests_open=requests.open,
        requests_overdue=requests.overdue,
        requests_due_today=requests.due_today,
        requests_resolved_week=requests.resolved_this_week,
        requests_settled_in_grid=requests.settled_in_grid_share,
    )


@dataclass(frozen=True)
class DemoAccountHint:
    username: str
    password: str
    role: str


DEMO_ACCOUNTS_SETTING = "demo.accounts"


def demo_accounts() -> list[DemoAccountHint]:
    """The demo accounts and their published passwords, one per role, on a database the demo
    generator made (``frontdesk --demo``, ``frontdesk seed``, an SSH desk on a seeded database);
    empty on any other database. An account disabled since is left out."""
    row = Setting.get_or_none(Setting.key == DEMO_ACCOUNTS_SETTING)
    if row is None:
        return []
    accounts = json.loads(row.value)
    active = {
        staff.username
        for staff in Staff.select(Staff.username).where(
            Staff.username.in_([a["username"] for a in accounts]) & (Staff.active == True)  # noqa: E712
        )
    }
    return [
        DemoAccountHint(username=a["username"], password=a["password"], role=a["role"])
        for a in accounts
        if a["username"] in active
    ]


def first_run_hint() -> str | None:
    """What the login screen says on a database nobody can sign in to yet (a catalog key)."""
    if Community.select().count() == 0:
        return "home.empty_database"
    if Staff.select().where(Staff.active == True).count() == 0:  # noqa: E712
        return "login.no_accounts"
    return None
