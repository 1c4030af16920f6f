"""F3's go-to-date (g) and the booking's check-in key through Pilot, keyboard only: a date or a
day in words goes there in the view shown, an impossible day is said beside the box, the week
title names a year that is not the desk's, check-in is offered only in its window."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import Input, Static

from frontdesk.app import FrontdeskApp
from frontdesk.bookings.booking import create_booking
from frontdesk.bookings.rules import Booker, BookingInput, is_free, load_room
from frontdesk.clock import FixedClock
from frontdesk.db.models import Booking, Room
from frontdesk.screens.rooms.booking_detail import BookingDetailScreen
from frontdesk.screens.rooms.calendar import RoomsScreen
from frontdesk.screens.rooms.goto_date import GoToDateScreen
from frontdesk.widgets.room_grid import RoomGrid
from tests.conftest import DEMO_NOW, DEMO_TODAY, SUPERVISOR, desk_on
from tests.conftest import settle as _settle
from tests.roles import staff_of

ORG = Booker("organisation", "测试街道志愿者协会", "03581234567")


def _app(db: SqliteDatabase, clock: FixedClock, language: str = "zh") -> FrontdeskApp:
    return desk_on(db, clock, language, SUPERVISOR)


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await _settle(pilot)


def _rooms(app: FrontdeskApp) -> RoomsScreen:
    assert isinstance(app.screen, RoomsScreen), app.screen
    return app.screen


def _text(app: FrontdeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _footer(screen: Any) -> set[str]:
    return {b.binding.action for b in screen.active_bindings.values() if b.binding.show}


async def _go(pilot: Any, text: str) -> None:
    """g, the text typed, Enter."""
    await _keys(pilot, "g")
    assert isinstance(pilot.app.screen, GoToDateScreen)
    box = pilot.app.screen.query_one(Input)
    box.value = ""
    await pilot.press(*text)
    await _keys(pilot, "enter")


async def test_g_goes_to_a_date_and_an_impossible_day_is_said(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f3")
        screen = _rooms(app)
        assert "goto" in _footer(screen)
        await _go(pilot, "2026-02-30")
        assert isinstance(app.screen, GoToDateScreen)  # not gone anywhere
        assert _text(app, "#goto-said") == "没有这一天：2026年2月只有 28 天"
        assert app.screen.query_one(Input).has_focus
        app.screen.query_one(Input).value = ""
        await pilot.press(*"3-2")
        await _settle(pilot)
        assert _text(app, "#goto-said") == "→ 2027-03-02 周二"  # what Enter will show
        await _keys(pilot, "enter")
        screen = _rooms(app)
        assert screen.model is not None and screen.model.day == date(2027, 3, 2)
        assert screen.model.mode == "day"
        assert _text(app, "#rooms-title").startswith("2027-03-02 周二")
        await _go(pilot, "明天")
        assert screen.model is not None and screen.model.day == DEMO_TODAY + timedelta(days=1)
        await _keys(pilot, "g")
        await pilot.press(*"+7")
        await _keys(pilot, "escape")  # closes, goes nowhere
        assert app.screen is screen and screen.model.day == DEMO_TODAY + timedelta(days=1)


async def test_the_week_view_stays_a_week_and_names_another_year(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f3", "w")
        screen = _rooms(app)
        assert screen.model is not None and screen.model.mode == "week"
        await _go(pilot, "下周三")  # today is Sunday 2026-11-29
        model = screen.model
        assert model is not None and model.mode == "week"
        assert model.columns[0].day == date(2026, 11, 30)
        assert screen.query_one(RoomGrid).column == 2  # the cursor on the Wednesday
        assert "11-30 至 12-06" in _text(app, "#rooms-title")
        assert "2026" not in _text(app, "#rooms-title")  # the desk's own year is not said
        await _go(pilot, "2027-01-01")
        assert screen.model is not None and screen.model.columns[0].day == date(2026, 12, 28)
        assert "12-28 至 2027-01-03" in _text(app, "#rooms-title")
        await _go(pilot, "2027年3月2日")
        assert "2027-03-01 至 03-07" in _text(app, "#rooms-title")
        assert screen.query_one(RoomGrid).column == 1


async def test_english_words_and_the_palette(demo_db: SqliteDatabase, clock: FixedClock) -> None:
    app = _app(demo_db, clock, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f3", "l")
        screen = _rooms(app)
        assert screen.list_mode and "goto" not in _footer(screen)
        commands = {title: run for title, _help, run in screen.palette_commands()}
        commands["Go to a date (g)"]()  # from the list: the grid, then the box
        await _settle(pilot)
        assert isinstance(app.screen, GoToDateScreen) and not screen.list_mode
        await pilot.press(*"next monday")
        await _keys(pilot, "enter")
        assert screen.model is not None and screen.model.day == date(2026, 11, 30)
        await _go(pilot, "2026-02-30")
        assert "There is no such day" in _text(app, "#goto-said")
        await _keys(pilot, "escape")
        await _go(pilot, "today")
        assert screen.model is not None and screen.model.day == DEMO_TODAY


# ---------------------------------------------------------------------------------- check-in


def _free_today(code: str, start: time) -> int:
    room_id = int(Room.get(Room.code == code).id)
    begin = datetime.combine(DEMO_TODAY, start)
    assert is_free(load_room(room_id), begin, begin + timedelta(hours=1))
    return room_id


@pytest.mark.parametrize(
    ("starts_at", "offered"),
    [
        (DEMO_NOW + timedelta(days=1), False),  # tomorrow's: a future occurrence
        (DEMO_NOW + timedelta(minutes=31), False),  # not yet half an hour before
        (DEMO_NOW + timedelta(minutes=30), True),
    ],
)
async def test_check_in_is_offered_only_in_its_window(
    demo_copy: SqliteDatabase, clock: FixedClock, starts_at: datetime, offered: bool
) -> None:
    room_id = _free_room(starts_at)
    data = BookingInput(room_id, starts_at, starts_at + timedelta(hours=1), "读书会", ORG, 5)
    booking_id = create_booking(data, actor_id=staff_of(), now=DEMO_NOW)
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f3")
        _rooms(app).open_booking(booking_id)
        await _settle(pilot)
        detail = app.screen
        assert isinstance(detail, BookingDetailScreen)
        assert ("check_in" in _footer(detail)) is offered
        await _keys(pilot, "c")
        status = Booking.get_by_id(booking_id).status
        assert status == ("checked_in" if offered else "booked")


async def test_check_in_goes_when_the_booking_would_be_a_no_show(
    demo_copy: SqliteDatabase,
) -> None:
    starts_at = DEMO_NOW + timedelta(minutes=30)
    room_id = _free_room(starts_at)
    data = BookingInput(room_id, starts_at, starts_at + timedelta(hours=1), "读书会", ORG, 5)
    booking_id = create_booking(data, actor_id=staff_of(), now=DEMO_NOW)
    clock = FixedClock(starts_at + timedelta(minutes=15))  # the grace is over
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f3")
        Booking.update(status="booked").where(Booking.id == booking_id).execute()
        _rooms(app).open_booking(booking_id)
        await _settle(pilot)
        detail = app.screen
        assert isinstance(detail, BookingDetailScreen)
        assert "check_in" not in _footer(detail)
        await _keys(pilot, "c")
        assert Booking.get_by_id(booking_id).status != "checked_in"


def _free_room(starts_at: datetime) -> int:
    for room in Room.select().order_by(Room.id):
        if is_free(load_room(int(room.id)), starts_at, starts_at + timedelta(hours=1)):
            return int(room.id)
    raise AssertionError(f"no room free at {starts_at}")
