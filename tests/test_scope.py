"""Scope: every service × every role × a record of the operator's own community and of another.

A database of two communities (one subdistrict) is generated once for the module. For each
service call the set of roles it lets past its checks must be exactly those whose role allows the
act *and* whose communities hold the record: community staff only their own; the subdistrict
office its subdistrict's communities; the administrator no resident data anywhere. A service
that crashes fails the test: only a ``PermissionDenied`` counts as refused, and only a
``UserError`` (a rule or a status said no, after the checks) counts as let through.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.bookings import attendance, booking, closures, reports, views
from frontdesk.bookings.rules import Booker, BookingInput
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import (
    Booking,
    Building,
    Closure,
    Community,
    Compound,
    Flat,
    GridL3,
    GridL4,
    Household,
    Request,
    Resident,
    Room,
    Staff,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.overview import community_figures
from frontdesk.permissions import ROLE_CAN, Can, PermissionDenied, grids_of, load_operator
from frontdesk.requests import detail as request_detail
from frontdesk.requests import intake, lifecycle, queue
from frontdesk.requests.lifecycle import escalate_row
from frontdesk.residents import editing, privacy, tagging
from frontdesk.residents.detail import get_detail
from frontdesk.residents.search import search, search_everywhere
from frontdesk.residents.validation import HouseholdInput, ResidentInput
from frontdesk.vocabulary import Level, Role
from tests.conftest import DEMO_NOW, DEMO_TODAY

NOW = DEMO_NOW
ROLES = [r.value for r in Role]


@dataclass(frozen=True)
class Records:
    """One of each kind of record of one community."""

    community: int
    grid: int  # a level-4 grid of the home grid manager (any grid elsewhere)
    person: Any  # a living resident, not a head, in that grid
    household: int
    room: int
    booking: int  # a booked, future booking
    closure: int
    request: int  # at the subdistrict level


def _communities() -> tuple[int, int]:
    ids = [c.id for c in Community.select(Community.id).order_by(Community.id)]
    assert len(ids) >= 2, "the district demo should hold two communities"
    return ids[0], ids[1]


def _staff(role: str, home: int) -> int:
    """The first active staff member of ``role`` working in community ``home``."""
    query = Staff.select(Staff.id).where((Staff.role == role) & (Staff.active == True))  # noqa: E712
    if role in (Role.RECEPTION, Role.GRID_MANAGER, Role.SUPERVISOR):
        query = query.where(Staff.community == home)
    elif role == Role.SUBDISTRICT:
        query = query.where(Staff.subdistrict == _row(Community, home).subdistrict_id)
    found = query.order_by(Staff.id).scalar()
    assert found is not None, f"no active {role} for community {home}"
    return int(found)


def _in_community(query: Any, community: int) -> Any:
    return (
        query.join(Flat, on=(Household.flat == Flat.id))
        .join(Unit, on=(Flat.unit == Unit.id))
        .join(Building, on=(Unit.building == Building.id))
        .join(Compound, on=(Building.compound == Compound.id))
        .where(Compound.community == community)
    )


def _request(grid: int, level: str, actor: int) -> int:
    flat: Any = Flat.select().where(Flat.grid_l4 == grid).first()
    logged = intake.create_request(
        intake.RequestInput(
            category="lighting",
            urgency="normal",
            description="楼道灯不亮",
            reporter=intake.Reporter("来访者", "13900000000"),
            place=intake.Place(flat_id=flat.id),
        ),
        actor_id=actor,
        now=NOW,
    )
    for _ in range([lv.value for lv in Level].index(level)):
        escalate_row(Request.get_by_id(logged.id), "测试上报", actor_id=None, now=NOW)
    return logged.id


def _records(community: int) -> Records:
    manager = _staff(Role.GRID_MANAGER, community)
    grid = min(grids_of(manager))
    person: Any = (
        _in_community(
            Resident.select(Resident).join(Household, on=(Resident.household == Household.id)),
            community,
        )
        .where(
            (Flat.grid_l4 == grid) & (Resident.status == "living") & (Resident.relation != "head")
        )
        .order_by(Resident.id)
        .first()
    )
    room: Any = Room.select().where(Room.community == community).order_by(Room.id).first()
    future: Any = (
        Booking.select()
        .join(Room)
        .where(
            (Room.community == community)
            & (Booking.status == "booked")
            & (Booking.starts_at > NOW + timedelta(days=1))
        )
        .order_by(Booking.id)
        .first()
    )
    start = datetime(2027, 1, 4, 8, 0) + timedelta(days=community)
    closed = closures.create_closure(
        community,
        room.id,
        start,
        start + timedelta(hours=1),
        "检修",
        cancel_hit=False,
        actor_id=_staff(Role.SUPERVISOR, community),
        now=NOW,
    )
    closure: Any = Closure.select().order_by(Closure.id.desc()).first()
    assert closed is not None
    return Records(
        community=community,
        grid=grid,
        person=person,
        household=int(person.household_id),
        room=int(room.id),
        booking=int(future.id),
        closure=int(closure.id),
        request=_request(grid, Level.SUBDISTRICT.value, _staff(Role.RECEPTION, community)),
    )


@pytest.fixture
def world(district: SqliteDatabase) -> dict[str, Any]:
    home, other = _communities()
    return {
        "home": home,
        "staff": {role: _staff(role, home) for role in ROLES},
        "own": _records(home),
        "other": _records(other),
    }


def _outcome(call: Callable[[int], object], actor: int) -> bool:
    """True when the service let ``actor`` past its checks. Any exception but a
    ``UserError`` fails the test: a crash is not a refusal."""
    try:
        call(actor)
    except PermissionDenied:
        return False
    except UserError:  # refused by a rule or a status, after the permission and scope checks
        return True
    return True


def _expect(
    world: dict[str, Any],
    records: Records,
    call: Callable[[int], object],
    needs: Can,
    *,
    but: frozenset[str] = frozenset(),
) -> None:
    staff: dict[str, int] = world["staff"]
    allowed = {role for role in ROLES if _outcome(call, staff[role])}
    expected = {
        role
        for role in ROLES
        if needs in ROLE_CAN[role] and load_operator(staff[role]).covers(records.community)
    } - but
    where = "own" if records.community == world["home"] else "other"
    assert allowed == expected, (
        f"{needs} on a record of the {where} community: allowed {sorted(allowed)}, "
        f"should be {sorted(expected)}"
    )


WHERE = ["own", "other"]


def _row(model: Any, row_id: int) -> Any:
    """A row, typed loosely: peewee's ``*_id`` attributes are not declared."""
    return model.get_by_id(row_id)


def test_the_district_has_two_communities_of_one_subdistrict(district: SqliteDatabase) -> None:
    home, other = _communities()
    assert _row(Community, home).subdistrict_id == _row(Community, other).subdistrict_id
    office = load_operator(_staff(Role.SUBDISTRICT, home))
    assert office.covers(home) and office.covers(other)
    assert load_operator(_staff(Role.SUPERVISOR, home)).communities == frozenset({home})
    admin = Staff.select().where(Staff.role == Role.ADMIN).first()
    assert load_operator(admin.id).communities == frozenset()


@pytest.mark.parametrize("where", WHERE)
def test_residents(world: dict[str, Any], where: str) -> None:
    r: Records = world[where]
    rid = r.person.id
    _expect(world, r, lambda a: get_detail(rid, DEMO_TODAY, actor_id=a), Can.VIEW_RESIDENT)
    _expect(
        world,
        r,
        lambda a: privacy.reveal(rid, "id_number", "核对身份", actor_id=a, now=NOW),
        Can.REVEAL,
    )
    newcomer = ResidentInput(name="测试人", gender="F", birth_date=date(1990, 1, 1))
    edits: list[Callable[[int], object]] = [
        lambda a: editing.update_resident(
            rid, Resident.get_by_id(rid).version, {"notes": "改"}, actor_id=a, now=NOW
        ),
        lambda a: editing.register_resident(r.household, newcomer, actor_id=a, now=NOW),
        lambda a: editing.register_household(
            HouseholdInput(
                flat_id=_row(Household, r.household).flat_id,
                moved_in_on=DEMO_TODAY,
                head=newcomer,
            ),
            actor_id=a,
            now=NOW,
        ),
        lambda a: editing.move_out_household(
            r.household, DEMO_TODAY, "", version=0, actor_id=a, now=NOW
        ),
        lambda a: editing.move_out_resident(rid, DEMO_TODAY, "", version=0, actor_id=a, now=NOW),
        lambda a: editing.record_death(rid, DEMO_TODAY, version=0, actor_id=a, now=NOW),
        lambda a: editing.change_head(r.household, rid, version=0, actor_id=a, now=NOW),
        lambda a: tagging.add_tag(rid, "disabled", actor_id=a, now=NOW),
        lambda a: tagging.remove_tag(rid, "disabled", actor_id=a, now=NOW),
    ]
    for call in edits:
        _expect(world, r, call, Can.EDIT_RESIDENT)


@pytest.mark.parametrize("where", WHERE)
def test_bookings(world: dict[str, Any], where: str) -> None:
    r: Records = world[where]
    c = r.community

    def one_off(actor: int) -> BookingInput:
        start = datetime(2026, 12, 2, 9, 0) + timedelta(minutes=30 * (actor % 14))
        return BookingInput(
            room_id=r.room,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            title=f"范围测试{actor}",
            booker=Booker(kind="person", name="张三", phone="13900000001"),
            attendees=2,
        )

    _expect(world, r, lambda a: booking.create_booking(one_off(a), actor_id=a, now=NOW), Can.BOOK)
    _expect(world, r, lambda a: booking.get_booking(r.booking, actor_id=a), Can.VIEW_ROOMS)
    _expect(world, r, lambda a: attendance.check_in(r.booking, actor_id=a, now=NOW), Can.BOOK)
    _expect(
        world,
        r,
        lambda a: booking.cancel_booking(r.booking, 0, "测试", actor_id=a, now=NOW),
        Can.BOOK,
    )
    _expect(world, r, lambda a: views.day(c, DEMO_TODAY, actor_id=a), Can.VIEW_ROOMS)
    _expect(world, r, lambda a: views.week(c, r.room, DEMO_TODAY, actor_id=a), Can.VIEW_ROOMS)
    _expect(world, r, lambda a: views.upcoming(c, NOW, actor_id=a), Can.VIEW_ROOMS)
    _expect(world, r, lambda a: reports.utilisation(c, date(2026, 11, 23), actor_id=a), Can.REPORTS)
    start = datetime(2027, 3, 1, 8, 0)
    _expect(
        world,
        r,
        lambda a: closures.create_closure(
            c,
            r.room,
            start,
            start + timedelta(hours=1),
            "检修",
            cancel_hit=False,
            actor_id=a,
            now=NOW,
        ),
        Can.CLOSE_ROOM,
    )
    _expect(
        world, r, lambda a: closures.lift_closure(r.closure, actor_id=a, now=NOW), Can.CLOSE_ROOM
    )


def test_a_booking_is_not_moved_into_another_communitys_room(world: dict[str, Any]) -> None:
    own, other = world["own"], world["other"]
    desk = world["staff"][Role.RECEPTION]
    row: Any = Booking.get_by_id(own.booking)
    moved = BookingInput(
        room_id=other.room,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        title=row.title,
        booker=Booker(kind="person", name="张三", phone="13900000001"),
        attendees=1,
    )
    with pytest.raises(PermissionDenied):
        booking.change_booking(own.booking, row.version, moved, actor_id=desk, now=NOW)
    assert _row(Booking, own.booking).room_id == row.room_id


@pytest.mark.parametrize("where", WHERE)
def test_requests(world: dict[str, Any], where: str) -> None:
    r: Records = world[where]
    rid = r.request
    visitor = intake.Reporter("又一位", "13900000002")
    form = intake.RequestInput(
        category="lighting",
        urgency="normal",
        description="灯",
        reporter=visitor,
        place=intake.Place(grid_l4_id=r.grid),
    )

    def version() -> int:
        return int(Request.get_by_id(rid).version)

    _expect(world, r, lambda a: intake.create_request(form, actor_id=a, now=NOW), Can.LOG_REQUEST)
    _expect(
        world,
        r,
        lambda a: intake.attach_report(rid, visitor, "", actor_id=a, now=NOW),
        Can.LOG_REQUEST,
    )
    _expect(world, r, lambda a: request_detail.get_request(rid, NOW, actor_id=a), Can.VIEW_REQUESTS)
    _expect(
        world,
        r,
        lambda a: queue.queue(r.community, queue.QueueFilters(), NOW, actor_id=a),
        Can.VIEW_REQUESTS,
    )
    _expect(
        world,
        r,
        lambda a: lifecycle.add_note(rid, "记一笔", actor_id=a, now=NOW),
        Can.UPDATE_REQUEST,
    )
    holder = _staff(Role.SUPERVISOR, r.community)
    _expect(
        world,
        r,
        lambda a: lifecycle.reassign(rid, version(), holder, "换人", actor_id=a, now=NOW),
        Can.UPDATE_REQUEST,
    )
    _expect(
        world,
        r,
        lambda a: lifecycle.escalate(rid, version(), "再上报", actor_id=a, now=NOW),
        Can.UPDATE_REQUEST,
    )
    gone_up = frozenset({Role.GRID_MANAGER.value})  # at 街道: out of the grid manager's hands
    _expect(
        world,
        r,
        lambda a: lifecycle.start(rid, version(), actor_id=a, now=NOW),
        Can.HANDLE_REQUEST,
        but=gone_up,
    )
    _expect(
        world,
        r,
        lambda a: lifecycle.resolve(rid, version(), "修好了", "grid", actor_id=a, now=NOW),
        Can.HANDLE_REQUEST,
        but=gone_up,
    )
    _expect(
        world,
        r,
        lambda a: lifecycle.close(rid, version(), actor_id=a, now=NOW),
        Can.HANDLE_REQUEST,
        but=gone_up,
    )
    _expect(
        world,
        r,
        lambda a: lifecycle.reopen(rid, version(), "没修好", actor_id=a, now=NOW),
        Can.UPDATE_REQUEST,
    )


def test_a_request_is_not_logged_about_another_communitys_resident(world: dict[str, Any]) -> None:
    own, other = world["own"], world["other"]
    form = intake.RequestInput(
        category="lighting",
        urgency="normal",
        description="灯",
        reporter=intake.Reporter("", "", other.person.id),
        place=intake.Place(grid_l4_id=own.grid),
    )
    before = Request.select().count()
    with pytest.raises(PermissionDenied):
        intake.create_request(form, actor_id=world["staff"][Role.RECEPTION], now=NOW)
    assert Request.select().count() == before


@pytest.mark.parametrize("where", WHERE)
def test_figures(world: dict[str, Any], where: str) -> None:
    r: Records = world[where]
    _expect(
        world,
        r,
        lambda a: community_figures(r.community, NOW, actor_id=a),
        Can.VIEW_FIGURES,
    )


def test_a_search_never_returns_a_person_of_another_community(world: dict[str, Any]) -> None:
    own, other = world["own"], world["other"]
    staff = world["staff"]
    theirs, ours = other.person, own.person
    home: Any = (
        Resident.select(Household.number, Compound.name, Building.number, Unit.number, Flat.number)
        .join(Household, on=(Resident.household == Household.id))
        .join(Flat, on=(Household.flat == Flat.id))
        .join(Unit, on=(Flat.unit == Unit.id))
        .join(Building, on=(Unit.building == Building.id))
        .join(Compound, on=(Building.compound == Compound.id))
        .where(Resident.id == theirs.id)
        .tuples()
        .first()
    )
    number, compound, building, unit, flat = home
    queries = (
        theirs.name,
        theirs.id_number[-6:],
        theirs.phone or theirs.name,
        theirs.phone[:3] if theirs.phone else theirs.name,
        number,  # their household number
        f"{compound} {building}-{unit}-{flat}",  # their address
        f"{building}-{unit}-{flat}",
    )
    for query in queries:
        for role in (Role.RECEPTION, Role.GRID_MANAGER, Role.SUPERVISOR):
            found = search(query, actor_id=staff[role], today=DEMO_TODAY).hits
            assert theirs.id not in {hit.id for hit in found}, (role, query)
            outside = [h for h in found if h.id != ours.id]
            homes = {_community_of(h.id) for h in outside}
            assert homes <= {own.community}, (role, query, homes)
        if query == queries[3] or query == queries[6]:  # too wide to find one person by
            continue
        # the subdistrict office searches its communities; the command line everywhere
        office = search(query, actor_id=staff[Role.SUBDISTRICT], today=DEMO_TODAY).hits
        assert theirs.id in {hit.id for hit in office}, query
        everywhere = search_everywhere(query, today=DEMO_TODAY).hits
        assert theirs.id in {hit.id for hit in everywhere}, query
    assert ours.id in {
        h.id for h in search(ours.name, actor_id=staff[Role.RECEPTION], today=DEMO_TODAY).hits
    }
    with pytest.raises(PermissionDenied):  # the administrator reads no resident data
        search(ours.name, actor_id=staff[Role.ADMIN], today=DEMO_TODAY)


def test_a_grid_filter_stays_in_ones_own_community(world: dict[str, Any]) -> None:
    """Grid codes repeat in every community: "2-3网格" means one's own 2-3."""
    from frontdesk.residents.search import SearchFilters

    code = GridL4.get_by_id(world["own"].grid).code
    found = search(
        "",
        SearchFilters(grid_l4_code=code),
        actor_id=world["staff"][Role.RECEPTION],
        today=DEMO_TODAY,
    )
    assert found.hits
    assert {_community_of(h.id) for h in found.hits} == {world["home"]}


def _community_of(resident_id: int) -> int:
    from frontdesk.scope import community_of_resident

    found = community_of_resident(resident_id)
    assert found is not None
    return found


def test_a_guessed_id_is_refused_like_another_communitys(world: dict[str, Any]) -> None:
    desk = world["staff"][Role.RECEPTION]
    with pytest.raises(PermissionDenied):
        get_detail(10**9, DEMO_TODAY, actor_id=desk)
    with pytest.raises(PermissionDenied):
        request_detail.get_request(10**9, NOW, actor_id=desk)


def test_grid_ids_are_of_one_community(world: dict[str, Any]) -> None:
    """The grid manager's grids are all in their own community (the matrix relies on it)."""
    manager = world["staff"][Role.GRID_MANAGER]
    homes = {_row(GridL3, _row(GridL4, g).grid_l3_id).community_id for g in grids_of(manager)}
    assert homes == {world["home"]}


def test_an_older_database_gets_its_search_keys_by_community(
    district_file: Path, tmp_path: Path
) -> None:
    """Schema version 3 makes the keys anew, each leading with its resident's community."""
    import sqlite3

    from frontdesk.db import migrations
    from frontdesk.db.models import SearchKey

    path = tmp_path / "old.db"
    shutil.copy(district_file, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE search_key")
        conn.execute(
            'CREATE TABLE "search_key" ("key" TEXT NOT NULL, "resident_id" INTEGER NOT NULL,'
            ' PRIMARY KEY ("key", "resident_id")) WITHOUT ROWID'
        )
        conn.execute('DROP INDEX "resident_id_number_current"')
        conn.execute('DROP INDEX "resident_id_number"')
        conn.execute('CREATE UNIQUE INDEX "resident_id_number" ON "resident" ("id_number")')
        conn.execute("DELETE FROM schema_migration")
        conn.execute(
            "INSERT INTO schema_migration VALUES (2, 'audit chain', '2026-11-01 00:00:00')"
        )
    conn.close()
    db = open_database(path, create=False, now=FixedClock(NOW).now)
    try:
        assert migrations.current_version(db) == migrations.SCHEMA_VERSION
        indexes = {row[1]: row[2] for row in db.execute_sql('PRAGMA index_list("resident")')}
        assert indexes["resident_id_number_current"] == 1 and indexes["resident_id_number"] == 0
        home, other = _communities()
        assert SearchKey.select().where(SearchKey.community_id == other).count() > 0
        person: Any = _records_person(home)
        found = search(person.name, actor_id=_staff(Role.RECEPTION, other), today=DEMO_TODAY)
        assert person.id not in {hit.id for hit in found.hits}
        found = search(person.name, actor_id=_staff(Role.RECEPTION, home), today=DEMO_TODAY)
        assert person.id in {hit.id for hit in found.hits}
    finally:
        db.close()


def _records_person(community: int) -> Any:
    return (
        _in_community(
            Resident.select(Resident).join(Household, on=(Resident.household == Household.id)),
            community,
        )
        .where(Resident.status == "living")
        .order_by(Resident.id)
        .first()
    )


@pytest.mark.parametrize("where", WHERE)
def test_pickers(world: dict[str, Any], where: str) -> None:
    """The forms' pickers answer only about a community the operator works in."""
    from frontdesk.bookings.lookup import resident_booker
    from frontdesk.requests.lookup import find_places, staff_choices
    from frontdesk.residents.flats import find_flats

    r: Records = world[where]
    c = r.community
    _expect(world, r, lambda a: find_places("1-1-101", c, actor_id=a), Can.LOG_REQUEST)
    _expect(world, r, lambda a: find_flats("1-1-101", c, actor_id=a), Can.EDIT_RESIDENT)
    _expect(world, r, lambda a: staff_choices(c, actor_id=a), Can.VIEW_REQUESTS)
    _expect(world, r, lambda a: resident_booker(r.person.id, actor_id=a), Can.BOOK)


def test_possible_duplicates_stay_in_ones_own_community(world: dict[str, Any]) -> None:
    other = world["other"]
    flat = _row(Household, other.household).flat_id
    their_desk = _staff(Role.RECEPTION, other.community)
    desk = world["staff"][Role.RECEPTION]
    place = intake.Place(flat_id=flat)
    theirs = _request_flat(flat, their_desk)
    found = intake.possible_duplicates("lighting", place, NOW, actor_id=their_desk)
    assert theirs in [c.id for c in found]
    assert intake.possible_duplicates("lighting", place, NOW, actor_id=desk) == []


def _request_flat(flat: int, actor: int) -> int:
    return intake.create_request(
        intake.RequestInput(
            category="lighting",
            urgency="normal",
            description="灯坏了",
            reporter=intake.Reporter("来访者", "13900000000"),
            place=intake.Place(flat_id=flat),
        ),
        actor_id=actor,
        now=NOW,
    ).id


def test_a_person_who_moved_between_communities(world: dict[str, Any]) -> None:
    """Living in another community: refused without naming them. Once that community records
    the move-out, they are registered here; each community keeps its own record."""
    from frontdesk.residents.validation import ValidationFailed

    own, other = world["own"], world["other"]
    mover: Any = Resident.get_by_id(other.person.id)
    lead = world["staff"][Role.SUPERVISOR]
    arriving = ResidentInput(
        name=mover.name,
        gender=mover.gender,
        birth_date=mover.birth_date,
        id_number=mover.id_number,
        relation="other",
    )
    with pytest.raises(ValidationFailed) as refused:
        editing.register_resident(own.household, arriving, actor_id=lead, now=NOW)
    said = refused.value.validation.errors["id_number"]
    assert (said.key, said.params) == ("validation.id_elsewhere", {})  # nobody named
    # their own community records the move; the same-name warning does not reach across either
    their_lead = _staff(Role.SUPERVISOR, other.community)
    editing.move_out_resident(
        mover.id, DEMO_TODAY, "", version=mover.version, actor_id=their_lead, now=NOW
    )
    new_id = editing.register_resident(own.household, arriving, actor_id=lead, now=NOW)
    assert new_id != mover.id
    assert Resident.get_by_id(mover.id).status == "moved_out"  # the past stays as it was
    assert _community_of(new_id) == own.community
    from frontdesk.residents.search import SearchFilters

    everyone = SearchFilters(status=None)
    found = search(mover.name, everyone, actor_id=lead, today=DEMO_TODAY).hits
    assert new_id in {h.id for h in found} and mover.id not in {h.id for h in found}
    theirs = search(mover.name, everyone, actor_id=their_lead, today=DEMO_TODAY).hits
    assert mover.id in {h.id for h in theirs} and new_id not in {h.id for h in theirs}
    # while the new record lives here, the old community cannot register them back
    with pytest.raises(ValidationFailed) as back:
        editing.register_resident(other.household, arriving, actor_id=their_lead, now=NOW)
    assert back.value.validation.errors["id_number"].key == "validation.id_elsewhere"


def test_someone_moving_back_is_a_warning_naming_the_old_record(world: dict[str, Any]) -> None:
    from frontdesk.residents.validation import ValidationFailed

    own = world["own"]
    lead = world["staff"][Role.SUPERVISOR]
    person: Any = Resident.get_by_id(own.person.id)
    editing.move_out_resident(
        person.id, DEMO_TODAY, "", version=person.version, actor_id=lead, now=NOW
    )
    back = ResidentInput(
        name=person.name,
        gender=person.gender,
        birth_date=person.birth_date,
        id_number=person.id_number,
    )
    with pytest.raises(ValidationFailed) as asked:
        editing.register_resident(own.household, back, actor_id=lead, now=NOW)
    assert asked.value.needs_confirmation
    assert asked.value.validation.warnings["id_number"].params["resident_id"] == person.id
    new_id = editing.register_resident(
        own.household, back, actor_id=lead, now=NOW, confirm_warnings=True
    )
    assert Resident.get_by_id(new_id).id_number == person.id_number != None  # noqa: E711


@pytest.mark.parametrize("where", WHERE)
def test_series(world: dict[str, Any], where: str) -> None:
    from frontdesk.bookings import series
    from frontdesk.bookings.occurrences import preview

    r: Records = world[where]
    lead = _staff(Role.SUPERVISOR, r.community)
    weekly = series.SeriesInput(
        room_id=r.room,
        title="范围测试固定预约",
        booker=Booker(kind="organisation", name="社区舞蹈队", phone=""),
        weekdays=(2,),
        start_time=datetime(2026, 12, 9, 8, 30).time(),
        end_time=datetime(2026, 12, 9, 9, 0).time(),
        starts_on=date(2026, 12, 9),
        occurrences=3,
    )
    saved = series.create_series(weekly, skip_conflicts=True, actor_id=lead, now=NOW)
    assert saved.booked, saved
    first: Any = (
        Booking.select()
        .where(Booking.series == saved.series_id)
        .order_by(Booking.starts_at)
        .first()
    )

    def version() -> int:
        return int(_row(series.BookingSeries, saved.series_id).version)

    _expect(world, r, lambda a: preview(weekly, now=NOW, actor_id=a), Can.BOOK)
    _expect(
        world,
        r,
        lambda a: series.create_series(weekly, skip_conflicts=True, actor_id=a, now=NOW),
        Can.BOOK,
    )
    later = weekly.__class__(**{**weekly.__dict__, "title": "改了名"})
    _expect(
        world,
        r,
        lambda a: series.change_series(
            first.id,
            "all",
            later,
            series_id=saved.series_id,
            version=version(),
            actor_id=a,
            now=NOW,
        ),
        Can.BOOK,
    )
    _expect(
        world,
        r,
        lambda a: series.cancel_series(
            first.id,
            "all",
            "停办",
            series_id=saved.series_id,
            version=version(),
            actor_id=a,
            now=NOW,
        ),
        Can.BOOK,
    )


@pytest.mark.parametrize("where", WHERE)
def test_room_list_and_a_reporters_home(world: dict[str, Any], where: str) -> None:
    r: Records = world[where]
    _expect(world, r, lambda a: views.rooms(r.community, actor_id=a), Can.VIEW_ROOMS)
    _expect(
        world,
        r,
        lambda a: intake.place_of_resident(r.person.id, actor_id=a),
        Can.LOG_REQUEST,
    )


def test_a_request_is_never_handed_to_someone_of_another_community(world: dict[str, Any]) -> None:
    own, other = world["own"], world["other"]
    rid = _request(own.grid, Level.GRID.value, world["staff"][Role.RECEPTION])
    outsider = _staff(Role.GRID_MANAGER, other.community)
    before: Any = _row(Request, rid)
    with pytest.raises(UserError) as refused:
        lifecycle.reassign(
            rid, before.version, outsider, "换人", actor_id=world["staff"][Role.SUPERVISOR], now=NOW
        )
    assert refused.value.key == "request.holder_elsewhere"
    assert _row(Request, rid).holder_id == before.holder_id


def test_a_series_is_read_only_in_its_rooms_community(world: dict[str, Any]) -> None:
    from frontdesk.bookings.series import load_series

    series: Any = (
        Booking.select(Booking.series)
        .join(Room)
        .where((Room.community == world["other"].community) & Booking.series.is_null(False))
        .first()
    )
    assert series is not None
    office, desk = world["staff"][Role.SUBDISTRICT], world["staff"][Role.RECEPTION]
    assert load_series(series.series_id, actor_id=office).id == series.series_id
    with pytest.raises(PermissionDenied):
        load_series(series.series_id, actor_id=desk)


def _resident_booker(resident_id: int) -> Booker:
    return Booker(kind="resident", name="", phone="", resident_id=resident_id)


def test_a_booker_is_a_resident_of_ones_own_communities(world: dict[str, Any]) -> None:
    """Another community's resident (or one that does not exist) as the booker is refused like
    any record out of scope, for a booking, its change and a series."""
    from frontdesk.bookings import series

    own, other = world["own"], world["other"]
    desk = world["staff"][Role.RECEPTION]
    start = datetime(2026, 12, 3, 9, 0)

    def asked(resident_id: int) -> BookingInput:
        return BookingInput(
            room_id=own.room,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            title="范围测试",
            booker=_resident_booker(resident_id),
            attendees=1,
        )

    before = Booking.select().count()
    for outsider in (other.person.id, 10**9):
        with pytest.raises(PermissionDenied):
            booking.create_booking(asked(outsider), actor_id=desk, now=NOW)
        row: Any = _row(Booking, own.booking)
        with pytest.raises(PermissionDenied):
            booking.change_booking(
                own.booking, row.version, asked(outsider), actor_id=desk, now=NOW
            )
        weekly = series.SeriesInput(
            room_id=own.room,
            title="范围测试固定预约",
            booker=_resident_booker(outsider),
            weekdays=(2,),
            start_time=datetime(2026, 12, 9, 8, 30).time(),
            end_time=datetime(2026, 12, 9, 9, 0).time(),
            starts_on=date(2026, 12, 9),
            occurrences=2,
        )
        with pytest.raises(PermissionDenied):
            series.create_series(weekly, skip_conflicts=True, actor_id=desk, now=NOW)
    assert Booking.select().count() == before


def test_bookings_hit_by_a_closure_only_for_its_community(world: dict[str, Any]) -> None:
    own, other = world["own"], world["other"]
    lead = world["staff"][Role.SUPERVISOR]
    future: Any = _row(Booking, other.booking)
    span = (future.starts_at, future.ends_at)
    with pytest.raises(PermissionDenied):
        closures.bookings_hit(other.community, None, *span, actor_id=lead)
    mine: Any = _row(Booking, own.booking)
    hits = closures.bookings_hit(own.community, None, mine.starts_at, mine.ends_at, actor_id=lead)
    assert own.booking in [h.id for h in hits]
    for hit in hits:  # a resident's phone comes from the register: masked
        kind = _row(Booking, hit.id).booker_kind
        assert kind != "resident" or "*" in hit.booker_phone or not hit.booker_phone


def test_a_request_names_places_of_one_community_that_exist(world: dict[str, Any]) -> None:
    own, other = world["own"], world["other"]
    desk = world["staff"][Role.RECEPTION]
    flat = _row(Household, own.household).flat_id
    their_flat: Any = _row(Household, other.household).flat_id
    their_building = (
        Building.select(Building.id).join(Unit).join(Flat).where(Flat.id == their_flat).scalar()
    )
    places = [
        intake.Place(flat_id=flat, building_id=their_building),  # another community's building
        intake.Place(grid_l4_id=own.grid, building_id=their_building),
        intake.Place(flat_id=flat, compound_id=10**6),  # no such compound
        intake.Place(grid_l4_id=10**6),  # no such grid
    ]
    before = Request.select().count()
    for place in places:
        form = intake.RequestInput(
            category="lighting",
            urgency="normal",
            description="灯",
            reporter=intake.Reporter("来访者", "13900000003"),
            place=place,
        )
        with pytest.raises(UserError) as refused:
            intake.create_request(form, actor_id=desk, now=NOW)
        assert refused.value.key in ("request.no_place", "perm.denied_scope"), place
    assert Request.select().count() == before


def test_a_request_goes_to_nobody_who_waits_for_confirmation(world: dict[str, Any]) -> None:
    own = world["own"]
    lead = world["staff"][Role.SUPERVISOR]
    manager = _staff(Role.GRID_MANAGER, own.community)
    Staff.update(pending_change="created").where(Staff.id == manager).execute()
    rid = _request(own.grid, Level.GRID.value, world["staff"][Role.RECEPTION])
    assert _row(Request, rid).holder_id != manager  # routed past the waiting account
    with pytest.raises(UserError) as refused:
        lifecycle.reassign(rid, _row(Request, rid).version, manager, "换人", actor_id=lead, now=NOW)
    assert refused.value.key == "request.holder_waiting"


def test_a_refused_holder_elsewhere_is_not_named(world: dict[str, Any]) -> None:
    own, other = world["own"], world["other"]
    rid = _request(own.grid, Level.GRID.value, world["staff"][Role.RECEPTION])
    lead = world["staff"][Role.SUPERVISOR]
    outsider = _staff(Role.GRID_MANAGER, other.community)
    name = _row(Staff, outsider).display_name
    for who in (outsider, 10**9):
        with pytest.raises(UserError) as refused:
            lifecycle.reassign(rid, _row(Request, rid).version, who, "换人", actor_id=lead, now=NOW)
        assert refused.value.key == "request.holder_elsewhere"
        assert name not in str(refused.value)


def test_a_screen_narrows_a_search_to_a_community_but_never_widens_it(
    world: dict[str, Any],
) -> None:
    from frontdesk.residents.search import SearchFilters

    own, other = world["own"], world["other"]
    office, desk = world["staff"][Role.SUBDISTRICT], world["staff"][Role.RECEPTION]
    theirs = other.person
    everywhere = SearchFilters(status=None)
    found = search(theirs.name, everywhere, actor_id=office, today=DEMO_TODAY).hits
    assert theirs.id in {h.id for h in found}
    only_own = SearchFilters(status=None, communities=frozenset({own.community}))
    narrowed = search(theirs.name, only_own, actor_id=office, today=DEMO_TODAY).hits
    assert {_community_of(h.id) for h in narrowed} <= {own.community}
    asked_other = SearchFilters(status=None, communities=frozenset({other.community}))
    assert search(theirs.name, asked_other, actor_id=desk, today=DEMO_TODAY).hits == []
