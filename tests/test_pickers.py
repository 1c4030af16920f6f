"""One gesture, one result (issue 12, point 4): under a search box the first thing found is the
current one, ↓ makes the next one current, Enter takes it — in F2's results, the intake's
reporter list and the booking form's resident list alike; after a pick the focus goes on to the
next empty field."""

from __future__ import annotations

import threading
from typing import Any

from peewee import SqliteDatabase
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Select

from frontdesk.clock import FixedClock
from frontdesk.screens.requests.request_form import RequestFormScreen
from frontdesk.screens.residents.detail import ResidentDetailScreen
from frontdesk.screens.residents.search import ResidentsScreen
from frontdesk.screens.rooms.booking_form import BookingFormScreen
from frontdesk.widgets.picker import PickList
from tests.conftest import SUPERVISOR, desk_on, settle
from tests.test_rooms_ui import MONDAY, _free_at, _move_to, _open_monday, _room

QUERY = "王"  # many residents: at least two found everywhere


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def test_down_then_enter_opens_the_second_in_f2(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f2", QUERY)
        screen = app.screen
        assert isinstance(screen, ResidentsScreen)
        table = screen.query_one("#results", DataTable)
        assert table.row_count >= 2
        second = table.coordinate_to_cell_key(Coordinate(1, 0)).row_key.value
        await _keys(pilot, "down", "enter")
        assert isinstance(app.screen, ResidentDetailScreen)
        assert str(app.screen.resident_id) == second


async def test_down_then_enter_takes_the_second_reporter_and_keeps_the_place(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f6", QUERY)
        form = app.screen
        assert isinstance(form, RequestFormScreen)
        hits = form.query_one("#reporter-hits", PickList)
        assert hits.option_count >= 3  # two residents and "as a visitor"
        second = hits.get_option_at_index(1).id
        await _keys(pilot, "down", "enter")
        assert form.reporter is not None and str(form.reporter.resident_id) == second
        place = form.query_one("#f-place", Input)
        assert place.value  # their flat, filled in
        assert form.focused is not None and form.focused is not place
        assert isinstance(form.focused, Input | Select)
        await _keys(pilot, "x")  # typing goes to the next empty field, not over the flat
        assert form.place is not None and place.value == form.query_one("#f-place", Input).value


async def test_down_then_enter_takes_the_second_resident_booker(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    reading = _room("reading")
    start = _free_at(reading, [MONDAY])
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, reading, start)
        await _keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, BookingFormScreen)
        form.query_one("#f-kind", Select).value = "resident"
        await settle(pilot)
        form.query_one("#f-resident", Input).focus()
        await _keys(pilot, QUERY)
        results = form.query_one("#f-resident-results", PickList)
        assert results.option_count >= 2 and results.highlighted == 0
        second = results.get_option_at_index(1).id
        await _keys(pilot, "down", "enter")
        assert form.resident is not None and str(form.resident[0]) == second
        assert form.focused is not None and form.focused.id != "f-resident"


async def test_enter_before_the_answer_opens_the_first_found(
    demo_db: SqliteDatabase, clock: FixedClock, monkeypatch: Any
) -> None:
    """F2: a name and Enter typed at once (over SSH) — Enter came before the list, which held
    nothing yet, and did nothing; it now opens the first found once the answer is there."""
    from frontdesk.screens.residents import search as search_screen

    release = threading.Event()
    service = search_screen.search

    def slow(query: str, *args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return service(query, *args, **kwargs)

    monkeypatch.setattr(search_screen, "search", slow)
    app = desk_on(demo_db, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f2")
        await pilot.press(*"王秀", "enter")  # the answers are held back: Enter comes first
        assert isinstance(app.screen, ResidentsScreen)
        release.set()
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
