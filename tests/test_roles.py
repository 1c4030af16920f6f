"""Every service called as every role: what the role may not do is refused by the service itself
(a screen that forgot the check would still be refused), what it may do goes past the check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.bookings import attendance, booking, closures, reports, series, views
from frontdesk.bookings.rules import Booker, BookingInput
from frontdesk.db.enums import Level, Role
from frontdesk.db.models import Booking, Closure, Flat, GridL4, Household, Request, Resident, Room
from frontdesk.errors import UserError
from frontdesk.permissions import ROLE_CAN, Can, PermissionDenied, grids_of
from frontdesk.requests import detail as request_detail
from frontdesk.requests import intake, lifecycle, queue
from frontdesk.requests.lifecycle import escalate_row
from frontdesk.residents import editing, privacy, tagging
from frontdesk.residents.detail import get_detail
from frontdesk.residents.validation import HouseholdInput, ResidentInput
from tests.conftest import DEMO_NOW, DEMO_TODAY

ROLES = [r.value for r in Role]
NOW = DEMO_NOW


def _staff(role: str) -> int:
    """The demo's first active staff member of ``role`` (gm-lj-01 for grid managers)."""
    from tests.roles import staff_of

    return staff_of(role)


def _grid_manager_grid() -> int:
    return min(grids_of(_staff(Role.GRID_MANAGER)))


def _living_in(grid_id: int, *, other: bool = False) -> Any:
    """A living resident (not a head) in ``grid_id`` — or, with ``other``, outside it."""
    grid_test = Flat.grid_l4 != grid_id if other else Flat.grid_l4 == grid_id
    return (
        Resident.select(Resident)
        .join(Household, on=(Resident.household == Household.id))
        .join(Flat, on=(Household.flat == Flat.id))
        .where(grid_test & (Resident.status == "living") & (Resident.relation != "head"))
        .order_by(Resident.id)
        .first()
    )


def _request_in(grid_id: int, level: str) -> int:
    """A fresh request in ``grid_id`` raised to ``level`` (by the program's own escalation)."""
    flat = Flat.select().where(Flat.grid_l4 == grid_id).first()
    logged = intake.create_request(
        intake.RequestInput(
            category="lighting",
            urgency="normal",
            description="楼道灯不亮",
            reporter=intake.Reporter("来访者", "13900000000"),
            place=intake.Place(flat_id=flat.id),
        ),
        actor_id=_staff(Role.RECEPTION),
        now=NOW,
    )
    for _ in range([lv.value for lv in Level].index(level)):
        row = Request.get_by_id(logged.id)
        escalate_row(row, "测试上报", actor_id=None, now=NOW)
    return logged.id


def _version(request_id: int) -> int:
    return int(Request.get_by_id(request_id).version)


def _booking_input(actor_id: int) -> BookingInput:
    """A booking in a slot of its own for each caller."""
    room: Any = Room.select().order_by(Room.id).first()
    start = datetime(2026, 12, 2, 9, 0) + timedelta(hours=actor_id % 8)
    return BookingInput(
        room_id=room.id,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        title=f"权限测试{actor_id}",
        booker=Booker(kind="person", name="张三", phone="13900000001"),
        attendees=2,
    )


def _outcome(call: Callable[[int], object], role: str) -> bool:
    """True when the service let ``role`` past its permission check. Anything but a
    ``UserError`` fails the test: a service that crashes has not checked anything."""
    try:
        call(_staff(role))
    except PermissionDenied:
        return False
    except UserError:  # refused for another reason (a rule, a status): the role was allowed
        return True
    return True


def _expect(
    call: Callable[[int], object], needs: Can, *, but: frozenset[str] = frozenset()
) -> None:
    """``needs`` decides who may — ``but`` those a scope keeps out on this record."""
    allowed = {role for role in ROLES if _outcome(call, role)}
    expected = {role for role in ROLES if needs in ROLE_CAN[role]} - but
    assert allowed == expected, f"{needs}: allowed {sorted(allowed)}, should be {sorted(expected)}"


@pytest.fixture
def world(demo_copy: SqliteDatabase) -> dict[str, Any]:
    grid = _grid_manager_grid()
    person = _living_in(grid)
    community = GridL4.get_by_id(grid).grid_l3.community_id
    return {
        "grid": grid,
        "person": person,
        "community": community,
        "request": _request_in(grid, Level.SUBDISTRICT.value),
    }


# -- residents ---------------------------------------------------------------------------------


def test_resident_reads_and_reveals(world: dict[str, Any]) -> None:
    rid = world["person"].id
    _expect(lambda a: get_detail(rid, DEMO_TODAY, actor_id=a), Can.VIEW_RESIDENT)
    _expect(lambda a: privacy.reveal(rid, "id_number", "核对身份", actor_id=a, now=NOW), Can.REVEAL)


def test_resident_edits(world: dict[str, Any]) -> None:
    person = world["person"]
    household = Household.get_by_id(person.household_id)
    flat_id = household.flat_id
    newcomer = ResidentInput(name="测试人", gender="F", birth_date=date(1990, 1, 1))
    calls: list[Callable[[int], object]] = [
        lambda a: editing.update_resident(
            person.id, Resident.get_by_id(person.id).version, {"notes": "改"}, actor_id=a, now=NOW
        ),
        lambda a: editing.register_resident(household.id, newcomer, actor_id=a, now=NOW),
        lambda a: editing.register_household(
            HouseholdInput(flat_id=flat_id, moved_in_on=DEMO_TODAY, head=newcomer),
            actor_id=a,
            now=NOW,
        ),
        lambda a: editing.move_out_resident(
            person.id, DEMO_TODAY, "", version=0, actor_id=a, now=NOW
        ),
        lambda a: editing.record_death(person.id, DEMO_TODAY, version=0, actor_id=a, now=NOW),
        lambda a: editing.move_out_household(
            household.id, DEMO_TODAY, "", version=0, actor_id=a, now=NOW
        ),
        lambda a: editing.change_head(household.id, person.id, version=0, actor_id=a, now=NOW),
        lambda a: tagging.add_tag(person.id, "disabled", actor_id=a, now=NOW),
        lambda a: tagging.remove_tag(person.id, "disabled", actor_id=a, now=NOW),
    ]
    for call in calls:
        _expect(call, Can.EDIT_RESIDENT)


def test_a_grid_manager_edits_only_their_own_grids(world: dict[str, Any]) -> None:
    manager = _staff(Role.GRID_MANAGER)
    outsider = _living_in(world["grid"], other=True)
    other_grids = set(grids_of(manager))
    assert Flat.get_by_id(Household.get_by_id(outsider.household_id).flat_id).grid_l4_id not in (
        other_grids
    )
    with pytest.raises(PermissionDenied) as refused:
        editing.update_resident(
            outsider.id, outsider.version, {"notes": "x"}, actor_id=manager, now=NOW
        )
    assert "自己网格" in str(refused.value)
    mine = world["person"]
    editing.update_resident(
        mine.id, mine.version, {"notes": "网格员改的"}, actor_id=manager, now=NOW
    )
    assert Resident.get_by_id(mine.id).notes == "网格员改的"


# -- bookings ----------------------------------------------------------------------------------


def test_bookings(world: dict[str, Any]) -> None:
    community = world["community"]
    room: Any = Room.select().order_by(Room.id).first()
    existing: Any = Booking.select().where(Booking.status == "booked").first()
    _expect(
        lambda a: booking.create_booking(_booking_input(a), actor_id=a, now=NOW),
        Can.BOOK,
    )
    _expect(lambda a: booking.cancel_booking(existing.id, 0, "测试", actor_id=a, now=NOW), Can.BOOK)
    _expect(lambda a: attendance.check_in(existing.id, actor_id=a, now=NOW), Can.BOOK)
    _expect(lambda a: booking.get_booking(existing.id, actor_id=a), Can.VIEW_ROOMS)
    _expect(lambda a: views.day(community, DEMO_TODAY, actor_id=a), Can.VIEW_ROOMS)
    _expect(lambda a: views.upcoming(community, NOW, actor_id=a), Can.VIEW_ROOMS)
    _expect(lambda a: reports.utilisation(community, date(2026, 11, 23), actor_id=a), Can.REPORTS)
    start = datetime(2027, 1, 4, 8, 0)
    _expect(
        lambda a: closures.create_closure(
            community,
            room.id,
            start,
            start + timedelta(hours=1),
            "检修",
            cancel_hit=False,
            actor_id=a,
            now=NOW,
        ),
        Can.CLOSE_ROOM,
    )
    closure: Any = Closure.select().order_by(Closure.id.desc()).first()
    _expect(lambda a: closures.lift_closure(closure.id, actor_id=a, now=NOW), Can.CLOSE_ROOM)
    weekly = series.SeriesInput(
        room_id=room.id,
        title="权限测试固定预约",
        booker=Booker(kind="organisation", name="社区舞蹈队", phone=""),
        weekdays=(2,),
        start_time=datetime(2027, 2, 1, 19, 0).time(),
        end_time=datetime(2027, 2, 1, 20, 0).time(),
        starts_on=date(2027, 2, 1),
        occurrences=2,
    )
    _expect(
        lambda a: series.create_series(weekly, skip_conflicts=True, actor_id=a, now=NOW), Can.BOOK
    )


# -- requests ----------------------------------------------------------------------------------


def test_requests(world: dict[str, Any]) -> None:
    rid, community = world["request"], world["community"]
    visitor = intake.Reporter("又一位", "13900000002")
    form = intake.RequestInput(
        category="lighting",
        urgency="normal",
        description="灯",
        reporter=visitor,
        place=intake.Place(grid_l4_id=world["grid"]),
    )
    _expect(lambda a: intake.create_request(form, actor_id=a, now=NOW), Can.LOG_REQUEST)
    _expect(lambda a: intake.attach_report(rid, visitor, "", actor_id=a, now=NOW), Can.LOG_REQUEST)
    _expect(lambda a: request_detail.get_request(rid, NOW, actor_id=a), Can.VIEW_REQUESTS)
    _expect(
        lambda a: queue.queue(community, queue.QueueFilters(), NOW, actor_id=a), Can.VIEW_REQUESTS
    )
    _expect(lambda a: lifecycle.add_note(rid, "记一笔", actor_id=a, now=NOW), Can.UPDATE_REQUEST)
    supervisor = _staff(Role.SUPERVISOR)
    _expect(
        lambda a: lifecycle.reassign(rid, _version(rid), supervisor, "换人", actor_id=a, now=NOW),
        Can.UPDATE_REQUEST,
    )
    _expect(
        lambda a: lifecycle.escalate(rid, _version(rid), "再上报", actor_id=a, now=NOW),
        Can.UPDATE_REQUEST,
    )
    # at 街道 now: out of the grid manager's hands (they hold their grid's only while at the grid)
    gone_up = frozenset({Role.GRID_MANAGER.value})
    _expect(
        lambda a: lifecycle.start(rid, _version(rid), actor_id=a, now=NOW),
        Can.HANDLE_REQUEST,
        but=gone_up,
    )
    _expect(
        lambda a: lifecycle.resolve(rid, _version(rid), "修好了", "grid", actor_id=a, now=NOW),
        Can.HANDLE_REQUEST,
        but=gone_up,
    )
    _expect(
        lambda a: lifecycle.close(rid, _version(rid), actor_id=a, now=NOW),
        Can.HANDLE_REQUEST,
        but=gone_up,
    )
    _expect(
        lambda a: lifecycle.reopen(rid, _version(rid), "没修好", actor_id=a, now=NOW),
        Can.UPDATE_REQUEST,
    )


def test_the_subdistrict_acts_only_on_requests_escalated_to_it(world: dict[str, Any]) -> None:
    office = _staff(Role.SUBDISTRICT)
    grid_level = _request_in(world["grid"], Level.GRID.value)
    with pytest.raises(PermissionDenied) as refused:
        lifecycle.add_note(grid_level, "街道看看", actor_id=office, now=NOW)
    assert "街道" in str(refused.value)
    with pytest.raises(PermissionDenied):
        lifecycle.start(grid_level, _version(grid_level), actor_id=office, now=NOW)
    # but reads it (masked) like everything else
    assert request_detail.get_request(grid_level, NOW, actor_id=office).number
    ours = world["request"]
    lifecycle.start(ours, _version(ours), actor_id=office, now=NOW)
    assert Request.get_by_id(ours).status == "in_progress"


def test_a_grid_manager_handles_what_they_hold_or_their_grids_have(world: dict[str, Any]) -> None:
    manager = _staff(Role.GRID_MANAGER)
    elsewhere: Any = (
        GridL4.select().where(GridL4.id.not_in(list(grids_of(manager)))).order_by(GridL4.id).first()
    )
    theirs = _request_in(elsewhere.id, Level.GRID.value)
    with pytest.raises(PermissionDenied) as refused:
        lifecycle.start(theirs, _version(theirs), actor_id=manager, now=NOW)
    assert "自己承办" in str(refused.value)
    # handed to them, it is theirs to hold
    lifecycle.reassign(
        theirs, _version(theirs), manager, "代班", actor_id=_staff(Role.RECEPTION), now=NOW
    )
    lifecycle.start(theirs, _version(theirs), actor_id=manager, now=NOW)
    assert Request.get_by_id(theirs).status == "in_progress"


def test_reception_cannot_be_handed_a_request(world: dict[str, Any]) -> None:
    rid = _request_in(world["grid"], Level.GRID.value)
    desk = _staff(Role.RECEPTION)
    with pytest.raises(UserError, match="不能承办"):
        lifecycle.reassign(
            rid, _version(rid), desk, "试试", actor_id=_staff(Role.SUPERVISOR), now=NOW
        )


def test_a_disabled_account_is_refused_from_its_next_call(world: dict[str, Any]) -> None:
    from frontdesk.db.models import Staff

    desk = _staff(Role.RECEPTION)
    Staff.update(active=False).where(Staff.id == desk).execute()
    with pytest.raises(UserError, match="停用"):
        lifecycle.add_note(world["request"], "还能写吗", actor_id=desk, now=NOW)
    with pytest.raises(UserError, match="登录"):
        lifecycle.add_note(world["request"], "没人登录", actor_id=None, now=NOW)


def test_a_reset_password_opens_nothing_until_changed(world: dict[str, Any]) -> None:
    from frontdesk.db.models import Staff

    desk = _staff(Role.RECEPTION)
    Staff.update(must_change_password=True).where(Staff.id == desk).execute()
    with pytest.raises(UserError, match="新密码"):
        get_detail(world["person"].id, DEMO_TODAY, actor_id=desk)


def test_the_subdistrict_holds_only_what_reached_it(world: dict[str, Any]) -> None:
    rid = _request_in(world["grid"], Level.COMMUNITY.value)
    with pytest.raises(UserError, match="街道"):
        lifecycle.reassign(
            rid,
            _version(rid),
            _staff(Role.SUBDISTRICT),
            "给街道",
            actor_id=_staff(Role.SUPERVISOR),
            now=NOW,
        )


def test_an_escalated_request_leaves_the_grid_managers_hands(world: dict[str, Any]) -> None:
    manager = _staff(Role.GRID_MANAGER)
    rid = _request_in(world["grid"], Level.COMMUNITY.value)  # their grid, gone up to the community
    assert Request.get_by_id(rid).holder_id != manager
    with pytest.raises(PermissionDenied):
        lifecycle.resolve(rid, _version(rid), "我来办结", "grid", actor_id=manager, now=NOW)
    lifecycle.add_note(rid, "网格员补充情况", actor_id=manager, now=NOW)  # following up still works
    at_grid = _request_in(world["grid"], Level.GRID.value)  # still at the grid: theirs
    lifecycle.start(at_grid, _version(at_grid), actor_id=manager, now=NOW)
    lifecycle.resolve(at_grid, _version(at_grid), "换了灯泡", "grid", actor_id=manager, now=NOW)
    assert Request.get_by_id(at_grid).status == "resolved"
