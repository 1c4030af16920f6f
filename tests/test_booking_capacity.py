"""More people than the room holds: the refusal offers the community's rooms that hold them and
are free then, never another time of the same room; when no room is big enough it says so."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import OptionList, Select, Static

from frontdesk.bookings.booking import create_booking
from frontdesk.bookings.rules import Booker, BookingInput, BookingRefused, is_free, load_room
from frontdesk.clock import FixedClock
from frontdesk.db.models import Booking, Room
from frontdesk.screens.rooms.booking_form import BookingFormScreen
from frontdesk.screens.rooms.calendar import RoomsScreen
from frontdesk.widgets.room_grid import RoomGrid
from tests.conftest import DEMO_NOW, DEMO_TODAY, SUPERVISOR, desk_on, settle
from tests.roles import staff_of

MONDAY = DEMO_TODAY + timedelta(days=1)
ORG = Booker("organisation", "社区老年协会", "03588888888")


def _room(code: str) -> int:
    return int(Room.get(Room.code == code).id)


def _free_in_both(small: int, big: int, minutes: int = 60) -> datetime:
    """A start on Monday afternoon when both rooms are free."""
    rules = [load_room(small), load_room(big)]
    for hour in range(14, 20):
        start = datetime.combine(MONDAY, time(hour, 0))
        if all(is_free(r, start, start + timedelta(minutes=minutes)) for r in rules):
            return start
    raise AssertionError("no common free hour")


def _asking(room_id: int, start: datetime, attendees: int) -> BookingInput:
    return BookingInput(room_id, start, start + timedelta(hours=1), "居民大会", ORG, attendees)


def _refusal(data: BookingInput) -> BookingRefused:
    with pytest.raises(BookingRefused) as refused:
        create_booking(data, actor_id=staff_of(), now=DEMO_NOW)
    return refused.value


def test_a_bigger_free_room_is_offered_not_another_time(demo_copy: SqliteDatabase) -> None:
    small, hall = _room("women_home"), _room("lecture_hall")  # 20 and 80 people
    start = _free_in_both(small, hall)
    refused = _refusal(_asking(small, start, 50))
    assert [p.key for p in refused.problems] == ["booking.over_capacity"]
    assert refused.suggestions, "a room that holds 50 is free then"
    for slot in refused.suggestions:
        assert slot.room_id != small  # the same room at another time would be refused again
        assert (slot.starts_at, slot.ends_at) == (start, start + timedelta(hours=1))
        assert Room.get_by_id(slot.room_id).capacity >= 50
    assert hall in {s.room_id for s in refused.suggestions}


def test_no_room_big_enough_is_said(demo_copy: SqliteDatabase) -> None:
    small = _room("women_home")
    start = _free_in_both(small, _room("lecture_hall"))
    refused = _refusal(_asking(small, start, 500))
    assert refused.suggestions == []
    keys = [p.key for p in refused.problems]
    assert keys == ["booking.over_capacity", "booking.no_room_big_enough"]
    said = refused.problems[1]
    assert said.params == {"attendees": 500, "biggest": 80}
    assert "500" in said.text() and "80" in said.text()


def test_the_big_rooms_taken_then_is_said(demo_copy: SqliteDatabase) -> None:
    small, hall = _room("women_home"), _room("lecture_hall")
    start = _free_in_both(small, hall)
    create_booking(_asking(hall, start, 60), actor_id=staff_of(), now=DEMO_NOW)
    refused = _refusal(_asking(small, start, 70))  # only the hall holds 70, and it is taken
    assert refused.suggestions == []
    assert [p.key for p in refused.problems][-1] == "booking.big_rooms_taken"


# ------------------------------------------------------------------------------- the form


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await settle(pilot)


async def _open_form(pilot: Any, room_id: int, at: time) -> BookingFormScreen:
    await _keys(pilot, "f3", "right_square_bracket")
    screen = pilot.app.screen
    assert isinstance(screen, RoomsScreen) and screen.model is not None
    model = screen.model
    grid = screen.query_one(RoomGrid)
    column = next(i for i, c in enumerate(model.columns) if c.room.id == room_id)
    dx, dy = column - grid.column, model.slots.index(at) - grid.row
    await _keys(
        pilot,
        *(["right" if dx > 0 else "left"] * abs(dx) + ["down" if dy > 0 else "up"] * abs(dy)),
        "enter",
    )
    form = pilot.app.screen
    assert isinstance(form, BookingFormScreen)
    return form


async def _fill(pilot: Any, form: BookingFormScreen, attendees: str) -> None:
    await _keys(pilot, *"居民大会")
    form.query_one("#f-name").focus()
    await _keys(pilot, *"社区老年协会")
    form.query_one("#f-attendees").focus()
    await _keys(pilot, *attendees, "ctrl+s")


async def test_the_form_offers_the_bigger_room_and_books_it(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    small, hall = _room("women_home"), _room("lecture_hall")
    start = _free_in_both(small, hall)
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, small, start.time())
        await _fill(pilot, form, "50")
        assert isinstance(app.screen, BookingFormScreen)
        problems = str(form.query_one("#bf-problems", Static).render())
        assert "容量" in problems
        choices = form.query_one("#bf-choices", OptionList)
        assert choices.has_focus and choices.option_count >= 1
        assert all(s.room_id != small for s in form.suggestions)
        hall_at = next(i for i, s in enumerate(form.suggestions) if s.room_id == hall)
        await _keys(pilot, *["down"] * hall_at, "enter")
        assert form.query_one("#f-room", Select).value == hall
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, RoomsScreen)
    row = Booking.get(Booking.title == "居民大会")
    assert (row.room_id, row.starts_at, row.attendees) == (hall, start, 50)


async def test_the_form_says_no_room_is_big_enough(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    small = _room("women_home")
    start = _free_in_both(small, _room("lecture_hall"))
    app = desk_on(demo_copy, clock, "en", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, small, start.time())
        await _fill(pilot, form, "500")
        problems = str(form.query_one("#bf-problems", Static).render())
        assert "No room here holds 500 people (the biggest holds 80)" in problems
        assert form.query_one("#bf-choices", OptionList).option_count == 0
