"""The deterministic demo community (or district): ``generate`` fills an empty database.

Everything comes from ``random.Random(seed)`` and ``today``: the same options give the same
data, byte for byte. All rows are written in one transaction with ``executemany``; ids are
assigned here, so no row is read back.

Faker is imported only by this package (its zh_CN name and phone pools), never at start-up.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from frontdesk.db import reference
from frontdesk.db.base import database_proxy
from frontdesk.db.connection import bulk_load, write
from frontdesk.db.models import Community, Resident, Setting
from frontdesk.db.search import rebuild_index
from frontdesk.demo import org
from frontdesk.demo.context import Context
from frontdesk.demo.emergency import add_emergency_contacts
from frontdesk.demo.grids import make_grids
from frontdesk.demo.people import TENANT_SHARE, People
from frontdesk.demo.places import PlaceNames, make_places
from frontdesk.demo.population import PeopleMaker
from frontdesk.demo.requests import RequestMaker
from frontdesk.demo.rooms import RoomMaker
from frontdesk.demo.staff import Account, CommunityStaff, StaffMaker
from frontdesk.demo.tables import Tables
from frontdesk.demo.tags import Tagger
from frontdesk.demo.visits import make_visits
from frontdesk.errors import UserError
from frontdesk.overview import DEMO_ACCOUNTS_SETTING

DEMO_TODAY = dt.date(2026, 11, 29)
SETTING_ACCOUNTS = DEMO_ACCOUNTS_SETTING
VACANT_SHARE = 0.09  # of flats, empty
# The tables that get most rows: their indexes are built once, after the load.
BULK_TABLES = [
    "resident",
    "household",
    "move",
    "resident_tag",
    "flat",
    "visit",
    "visit_person",
    "booking",
    "request",
    "request_event",
    "audit_entry",
]

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class DemoOptions:
    seed: int = 1
    residents: int = org.MODEL_RESIDENTS  # living here, over all communities
    today: dt.date = DEMO_TODAY  # callers pass the day the demo stands at


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    display_name: str


@dataclass(frozen=True)
class DemoSummary:
    communities: int
    residents: int
    households: int
    accounts: list[DemoAccount]
    seconds: float


@dataclass
class _Totals:
    residents: int = 0
    households: int = 0


def _no_progress(stage: str, fraction: float) -> None:
    return None


def generate(options: DemoOptions, progress: Progress | None = None) -> DemoSummary:
    """Write the demo into the bound (empty) database; refuse one that holds data."""
    started = time.perf_counter()
    report = progress or _no_progress
    plans = org.plan(options.residents)
    report("start", 0.0)

    def run() -> tuple[list[DemoAccount], _Totals]:
        refuse_if_not_empty()
        with bulk_load(BULK_TABLES):
            return _build(options, plans, report)

    accounts, totals = write(run)
    report("done", 1.0)
    return DemoSummary(
        communities=len(plans),
        residents=totals.residents,
        households=totals.households,
        accounts=accounts,
        seconds=time.perf_counter() - started,
    )


def refuse_if_not_empty() -> None:
    """Raise ``UserError`` when the bound database already holds a community or a resident."""
    if Community.select().exists() or Resident.select().exists():
        raise UserError("error.db_not_empty", path=str(database_proxy.obj.database))


@dataclass(frozen=True)
class _Subdistrict:
    id: int
    name: str
    staff: list[Account]


def _build(
    options: DemoOptions, plans: list[org.CommunityPlan], report: Progress
) -> tuple[list[DemoAccount], _Totals]:
    tables = Tables()
    ctx = Context.create(options.seed, options.today, tables)
    staff = StaffMaker(ctx)
    admin = staff.admin()
    district_id = tables.district.new_id()
    tables.district.add(district_id, org.DISTRICT, org.REGION_CODE)
    subdistricts: list[_Subdistrict] = []
    for name, slug in org.SUBDISTRICTS[: org.subdistrict_count(len(plans))]:
        subdistrict_id = tables.subdistrict.new_id()
        tables.subdistrict.add(subdistrict_id, district_id, name)
        subdistricts.append(
            _Subdistrict(subdistrict_id, name, staff.subdistrict(subdistrict_id, slug))
        )
    tag_ids = reference.tag_ids()  # installed with the schema
    category_ids = reference.category_ids()
    tables.flush()

    place_names = PlaceNames(ctx)
    totals = _Totals()
    accounts: list[DemoAccount] = []
    for plan in plans:

        def step(stage: str, part: float, index: int = plan.index) -> None:
            report(stage, 0.95 * (index + part) / len(plans))

        subdistrict = subdistricts[plan.subdistrict]
        team, people = _community(
            ctx, plan, subdistrict, staff, place_names, tag_ids, category_ids, step
        )
        totals.residents += len(people.living)
        totals.households += len(people.active())
        if plan.index == 0:
            first = (team.reception[0], team.managers[0], team.supervisors[0])
            accounts = [_account(a) for a in (*first, subdistrict.staff[0], admin)]
    tables.flush()
    add_emergency_contacts(options.today)  # own draws: the rest of the demo is as before
    report("search index", 0.9)
    rebuild_index(analyze=False)  # bulk_load analyses once its indexes are back
    stored = [
        {
            "username": a.username,
            "password": a.password,
            "role": a.role,
            "display_name": a.display_name,
        }
        for a in accounts
    ]
    Setting.delete().where(Setting.key == SETTING_ACCOUNTS).execute()
    Setting.create(key=SETTING_ACCOUNTS, value=json.dumps(stored, ensure_ascii=False))
    report("commit", 0.96)
    return accounts, totals


def _community(
    ctx: Context,
    plan: org.CommunityPlan,
    subdistrict: _Subdistrict,
    staff: StaffMaker,
    place_names: PlaceNames,
    tag_ids: dict[str, int],
    category_ids: dict[str, int],
    step: Progress,
) -> tuple[CommunityStaff, People]:
    """One community, whole: its staff, grids, places, people, rooms and requests."""
    tables = ctx.tables
    community_id = tables.community.new_id()
    address = f"{org.DISTRICT}{subdistrict.name}{plan.street}{1 + int(ctx.rng.random() * 99)}号"
    tables.community.add(
        community_id, subdistrict.id, plan.name, plan.code, address, ctx.phones.landline()
    )
    team = staff.community(community_id, plan.code, plan.grids_l4)
    grids = make_grids(ctx, community_id, team.managers, plan.grids_l3)
    step("places", 0.05)
    occupied = plan.households / (1 + TENANT_SHARE)
    flats_wanted = max(1, math.ceil(occupied / (1 - VACANT_SHARE)))
    first = plan.index == 0
    places = make_places(ctx, place_names, community_id, plan.street, first, grids, flats_wanted)
    step("residents", 0.15)
    people = PeopleMaker(ctx, plan.code, team.reception).make(
        places.flats, plan.households, plan.residents
    )
    step("tags", 0.55)
    first_tag = len(tables.resident_tag.rows)
    Tagger(ctx, tag_ids).community(people)
    tag_rows = tables.resident_tag.rows[first_tag:]
    make_visits(ctx, people, tag_rows, tag_ids, community_id, team.supervisors[0].id)
    step("rooms", 0.65)
    RoomMaker(ctx, community_id, plan.name, subdistrict.name, team.reception, people).make()
    step("requests", 0.7)
    RequestMaker(
        ctx,
        community_id,
        plan.code,
        category_ids,
        team,
        subdistrict.staff,
        places,
        people,
        subdistrict.name,
    ).make(plan.requests)
    step("writing", 0.75)
    tables.flush()
    return team, people


def _account(account: Account) -> DemoAccount:
    return DemoAccount(account.username, account.password, account.role, account.display_name)


__all__ = [
    "DEMO_TODAY",
    "SETTING_ACCOUNTS",
    "DemoAccount",
    "DemoOptions",
    "DemoSummary",
    "generate",
    "refuse_if_not_empty",
]
