"""Escape on a filled form asks first, keeping on editing is the default; F8 still discards
(issue 12, point 7)."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase
from textual.widgets import Input

from frontdesk.clock import FixedClock
from frontdesk.db.models import Booking
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.desk.login import LoginScreen
from frontdesk.screens.rooms.booking_form import BookingFormScreen
from frontdesk.screens.rooms.calendar import RoomsScreen
from tests.conftest import SUPERVISOR, desk_on, settle
from tests.test_rooms_ui import MONDAY, _free_at, _move_to, _open_monday, _room


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def _booking_form(pilot: Any) -> BookingFormScreen:
    reading = _room("reading")
    screen = await _open_monday(pilot)
    await _move_to(pilot, screen, reading, _free_at(reading, [MONDAY]))
    await _keys(pilot, "enter")
    form = pilot.app.screen
    assert isinstance(form, BookingFormScreen)
    return form


async def test_escape_on_a_filled_booking_form_asks_and_keeps_it_by_default(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    before = Booking.select().count()
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _booking_form(pilot)
        await _keys(pilot, "escape")  # nothing typed yet: closed at once
        assert isinstance(app.screen, RoomsScreen)
        await _keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, BookingFormScreen)
        await _keys(pilot, *"读书会")
        await _keys(pilot, "escape")
        assert isinstance(app.screen, ChoiceScreen)
        await _keys(pilot, "enter")  # the highlighted answer: keep editing
        assert app.screen is form
        assert form.query_one("#f-title", Input).value == "读书会"
        await _keys(pilot, "escape", "escape")  # Escape on the question keeps it too
        assert app.screen is form
        await _keys(pilot, "escape", "down", "enter")  # the second answer: throw it away
        assert isinstance(app.screen, RoomsScreen)
    assert Booking.select().count() == before


async def test_f8_discards_a_filled_form_without_asking(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    before = Booking.select().count()
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _booking_form(pilot)
        await _keys(pilot, *"读书会", "f8")
        assert isinstance(app.screen, LoginScreen)
    assert Booking.select().count() == before
