"""Two desks on one database: a save from a stale copy is refused naming who changed the record
and when; what one desk writes shows at the other within two seconds, without a key press."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.app import FrontdeskApp
from frontdesk.bookings.booking import cancel_booking, change_booking, create_booking, get_booking
from frontdesk.bookings.rules import Booker, BookingInput, is_free, load_room
from frontdesk.clock import FixedClock
from frontdesk.db.models import Resident, Room, Staff
from frontdesk.errors import UserError
from frontdesk.requests import lifecycle
from frontdesk.requests.intake import Place, Reporter, RequestInput, create_request
from frontdesk.residents.editing import update_resident
from frontdesk.screens.residents.detail import ResidentDetailScreen
from frontdesk.screens.rooms.calendar import RoomsScreen
from tests.conftest import DEMO_NOW, SUPERVISOR, desk_on
from tests.roles import staff_of

NOW = DEMO_NOW


def _name(staff_id: int) -> str:
    return str(Staff.get_by_id(staff_id).display_name)


def _free_booking(on: date, title: str, not_before: time = time(8, 30)) -> BookingInput:
    room: Any = Room.select().order_by(Room.id).first()
    rules = load_room(room.id)
    start = datetime.combine(on, not_before)
    while not is_free(rules, start, start + timedelta(minutes=30)):
        start += timedelta(minutes=30)
    return BookingInput(
        room_id=room.id,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        title=title,
        booker=Booker(kind="person", name="张三", phone="13900000009"),
        attendees=2,
    )


# -- no lost update ------------------------------------------------------------------------------


def test_a_resident_saved_from_a_stale_copy_is_refused_naming_who(
    demo_copy: SqliteDatabase,
) -> None:
    person: Any = Resident.select().where(Resident.status == "living").first()
    first, second = staff_of("supervisor"), staff_of("grid_manager")
    loaded = person.version  # both desks opened the form on this version
    later = NOW + timedelta(minutes=12)
    update_resident(person.id, loaded, {"notes": "第一台的修改"}, actor_id=first, now=later)
    with pytest.raises(UserError) as refused:
        update_resident(person.id, loaded, {"notes": "第二台的修改"}, actor_id=second, now=later)
    message = str(refused.value)
    assert _name(first) in message and "11-29 10:42" in message and "重新载入" in message
    assert Resident.get_by_id(person.id).notes == "第一台的修改"  # nothing lost, nothing mixed


def test_a_booking_changed_from_a_stale_copy_is_refused_naming_who(
    demo_copy: SqliteDatabase,
) -> None:
    desk_a, desk_b = staff_of("reception"), staff_of("supervisor")
    data = _free_booking(date(2026, 12, 3), "并发测试")
    booking_id = create_booking(data, actor_id=desk_a, now=NOW)
    loaded = get_booking(booking_id, actor_id=desk_b).version
    moved = BookingInput(**{**data.__dict__, "title": "A 改了标题"})
    change_booking(booking_id, loaded, moved, actor_id=desk_a, now=NOW + timedelta(minutes=1))
    with pytest.raises(UserError) as refused:
        cancel_booking(booking_id, loaded, "B 要取消", actor_id=desk_b, now=NOW)
    assert _name(desk_a) in str(refused.value) and "10:31" in str(refused.value)
    assert get_booking(booking_id, actor_id=desk_b).status == "booked"


def test_a_request_changed_from_a_stale_copy_is_refused_naming_who(
    demo_copy: SqliteDatabase,
) -> None:
    desk, lead = staff_of("reception"), staff_of("supervisor")
    person: Any = Resident.select().where(Resident.status == "living").first()
    logged = create_request(
        RequestInput(
            category="lighting",
            urgency="normal",
            description="楼道灯不亮",
            reporter=Reporter(person.name, "", person.id),
            place=Place(),
        ),
        actor_id=desk,
        now=NOW,
    )
    lifecycle.escalate(logged.id, 1, "网格解决不了", actor_id=lead, now=NOW + timedelta(minutes=5))
    with pytest.raises(UserError) as refused:
        lifecycle.add_note(logged.id, "", actor_id=desk, now=NOW)  # a note needs no version
    with pytest.raises(UserError) as refused:
        lifecycle.reassign(logged.id, 1, lead, "换人", actor_id=desk, now=NOW)
    assert _name(lead) in str(refused.value) and "10:35" in str(refused.value)


# -- seen at the other desk ----------------------------------------------------------------------


def _desk(db: SqliteDatabase, clock: FixedClock) -> FrontdeskApp:
    return desk_on(db, clock, "zh", SUPERVISOR)


async def _until(pilot: Any, seen: Any, seconds: float = 2.0) -> bool:
    """Wait (no key pressed) until ``seen()`` holds, at most ``seconds``."""
    for _ in range(int(seconds / 0.1)):
        await pilot.pause(0.1)
        if seen():
            return True
    return bool(seen())


async def test_a_booking_made_at_another_desk_shows_in_the_day_view(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _desk(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoomsScreen) and screen.model is not None
        data = _free_booking(clock.today(), "另一台订的", not_before=time(11, 0))
        booking_id = create_booking(data, actor_id=staff_of("reception"), now=NOW)

        def shown() -> bool:
            model = screen.model
            return model is not None and any(
                cell.booking is not None and cell.booking.id == booking_id
                for column in range(len(model.columns))
                for cell in model.cells[column]
            )

        assert await _until(pilot, shown)


async def test_a_resident_edited_at_another_desk_updates_the_open_detail(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    person: Any = Resident.select().where(Resident.status == "living").first()
    app = _desk(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(person.id)
        await app.workers.wait_for_complete()
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, ResidentDetailScreen) and detail.detail is not None
        update_resident(
            person.id, person.version, {"notes": "网格员刚核实"}, actor_id=staff_of(), now=NOW
        )
        assert await _until(
            pilot,
            lambda: detail.detail is not None and detail.detail.person.notes == "网格员刚核实",
        )
