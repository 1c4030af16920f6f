"""The rooms screen (F3) through Pilot: the day and week views, booking, refusals with
suggestions, cancelling, a series with a clash, a closure over a booking — keyboard only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, OptionList, Static

from frontdesk.app import FrontdeskApp
from frontdesk.bookings import views
from frontdesk.bookings.booking import create_booking
from frontdesk.bookings.rules import Booker, BookingInput, is_free, load_room
from frontdesk.clock import FixedClock
from frontdesk.db.models import Booking, BookingSeries, Closure, Room, SeriesException
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.rooms.booking_detail import BookingDetailScreen
from frontdesk.screens.rooms.booking_form import BookingFormScreen
from frontdesk.screens.rooms.calendar import RoomsScreen
from frontdesk.screens.rooms.cancel_reason import CancelReasonScreen
from frontdesk.screens.rooms.closure_form import ClosureFormScreen
from frontdesk.screens.rooms.room_report import RoomReportScreen
from frontdesk.widgets.room_grid import FREE, RoomGrid
from tests.conftest import DEMO_NOW, DEMO_TODAY, SUPERVISOR, desk_on
from tests.conftest import settle as _settle
from tests.roles import staff_of

MONDAY = DEMO_TODAY + timedelta(days=1)  # 2026-11-30
ORG = Booker("organisation", "测试街道志愿者协会", "03581234567")


def _app(db: SqliteDatabase, clock: FixedClock, language: str = "zh") -> FrontdeskApp:
    return desk_on(db, clock, language, SUPERVISOR)


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await _settle(pilot)


async def _type(pilot: Any, text: str) -> None:
    await pilot.press(*text)
    await _settle(pilot)


def _rooms_screen(app: FrontdeskApp) -> RoomsScreen:
    screen = app.screen
    assert isinstance(screen, RoomsScreen), screen
    return screen


def _text(app: FrontdeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open_monday(pilot: Any) -> RoomsScreen:
    await _keys(pilot, "f3")
    await _keys(pilot, "right_square_bracket")
    screen = _rooms_screen(pilot.app)
    assert screen.model is not None and screen.model.day == MONDAY
    return screen


async def _move_to(pilot: Any, screen: RoomsScreen, room_id: int, at: time) -> None:
    """Arrow keys to the cell of ``room_id`` (day view) or of the day (week view) at ``at``."""
    model = screen.model
    assert model is not None
    grid = screen.query_one(RoomGrid)
    column = next(i for i, c in enumerate(model.columns) if c.room.id == room_id)
    row = model.slots.index(at)
    dx, dy = column - grid.column, row - grid.row
    keys = ["right" if dx > 0 else "left"] * abs(dx) + ["down" if dy > 0 else "up"] * abs(dy)
    await _keys(pilot, *keys)
    assert (grid.column, grid.row) == (column, row)


def _room(code: str) -> int:
    return int(Room.get(Room.code == code).id)


def _free_at(room_id: int, days: list[date], minutes: int = 60) -> time:
    """A start time on the hour that is free in ``room_id`` on every one of ``days``."""
    rules = load_room(room_id)
    for hour in range(14, 20):
        start = time(hour, 0)
        if all(
            is_free(
                rules,
                datetime.combine(d, start),
                datetime.combine(d, start) + timedelta(minutes=minutes),
            )
            for d in days
        ):
            return start
    raise AssertionError("no common free hour")


def _book(room_id: int, day: date, start: time, title: str, minutes: int = 60) -> int:
    begin = datetime.combine(day, start)
    data = BookingInput(room_id, begin, begin + timedelta(minutes=minutes), title, ORG, 5)
    return create_booking(data, actor_id=staff_of(), now=DEMO_NOW)


# ------------------------------------------------------------------------------------ views


async def test_f3_shows_today_with_the_current_time(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f3")
        screen = _rooms_screen(app)
        model = screen.model
        assert model is not None and model.mode == "day" and model.day == DEMO_TODAY
        assert len(model.columns) == 7
        assert model.now_row == model.slots.index(time(10, 30))
        grid = screen.query_one(RoomGrid)
        assert grid.row == model.now_row and grid.has_focus
        assert "2026-11-29" in _text(app, "#rooms-title") and "今天" in _text(app, "#rooms-title")
        # before now is past, closed hours are not free
        assert model.cell(0, 0).past
        homework = next(i for i, c in enumerate(model.columns) if c.room.code == "homework")
        assert all(cell.kind == "closed" for cell in model.cells[homework])  # shut on Sundays
        await _keys(pilot, "right_square_bracket")
        assert screen.model is not None and screen.model.day == MONDAY
        assert screen.model.now_row is None and "明天" in _text(app, "#rooms-title")
        await _keys(pilot, "t")
        assert screen.model.day == DEMO_TODAY


async def test_week_view_toggles_for_the_room_under_the_cursor(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _keys(pilot, "right", "right")
        room = screen.model.columns[2].room  # type: ignore[union-attr]
        await _keys(pilot, "w")
        model = screen.model
        assert model is not None and model.mode == "week"
        assert [c.day for c in model.columns] == [MONDAY + timedelta(days=n) for n in range(7)]
        assert {c.room.id for c in model.columns} == {room.id}
        assert screen.query_one(RoomGrid).column == 0  # Monday, the day the cursor was on
        assert room.name in _text(app, "#rooms-title")
        await _keys(pilot, "left_square_bracket")
        assert screen.model is not None and screen.model.day == MONDAY - timedelta(days=7)
        assert screen.model.columns[6].today  # this week: Sunday the 29th is today
        await _keys(pilot, "w")
        assert screen.model is not None and screen.model.mode == "day"
        assert screen.query_one(RoomGrid).column == 2  # back on the same room


# ---------------------------------------------------------------------------------- booking


async def test_book_a_free_slot_keyboard_only(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        reading = _room("reading")
        start = _free_at(reading, [MONDAY], minutes=60)
        await _move_to(pilot, screen, reading, start)
        cell = screen.query_one(RoomGrid).cursor_cell
        assert cell is not None and cell.kind == FREE and cell.bookable
        await _keys(pilot, "enter")
        assert isinstance(app.screen, BookingFormScreen)
        await _type(pilot, "亲子绘本阅读")
        await _keys(pilot, "tab", "tab")  # the booker: an organisation, then its name
        await _type(pilot, "测试街道志愿者协会")
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, RoomsScreen)
        row = Booking.get(Booking.title == "亲子绘本阅读")
        assert row.room_id == reading and row.status == "booked"
        assert row.starts_at == datetime.combine(MONDAY, start)
        assert row.ends_at == datetime.combine(MONDAY, start) + timedelta(hours=1)
        assert row.booker_kind == "organisation" and row.booker_name == "测试街道志愿者协会"
        drawn = screen.query_one(RoomGrid).cursor_cell
        assert drawn is not None and drawn.booking is not None and drawn.booking.id == row.id
        assert drawn.text == "亲子绘本阅读"


async def test_overlap_is_refused_and_a_suggestion_books(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    reading = _room("reading")
    start = _free_at(reading, [MONDAY], minutes=90)
    later = (datetime.combine(MONDAY, start) + timedelta(minutes=30)).time()
    _book(reading, MONDAY, later, "已有的读书会")
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, reading, start)
        await _keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, BookingFormScreen)
        await _type(pilot, "书法练习")
        await _keys(pilot, "shift+tab", *["backspace"] * 5)  # the end time: 30 minutes later
        await _type(pilot, f"{later.hour + 1:02d}:{later.minute:02d}")
        await _keys(pilot, "tab", "tab", "tab")
        await _type(pilot, "测试书法社")
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, BookingFormScreen)
        problems = _text(app, "#bf-problems")
        assert "时间冲突" in problems and "已有的读书会" in problems
        choices = form.query_one("#bf-choices", OptionList)
        assert choices.has_focus and choices.option_count >= 1
        suggestion = form.suggestions[0]
        await _keys(pilot, "enter")  # the first suggestion fills the form
        assert form.query_one("#f-start").value == f"{suggestion.starts_at:%H:%M}"  # type: ignore[attr-defined]
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, RoomsScreen)
    row = Booking.get(Booking.title == "书法练习")
    assert (row.room_id, row.starts_at, row.ends_at) == (
        suggestion.room_id,
        suggestion.starts_at,
        suggestion.ends_at,
    )


async def test_open_a_booking_and_cancel_it_with_a_reason(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    art = _room("art")
    start = _free_at(art, [MONDAY])
    booking_id = _book(art, MONDAY, start, "剪纸兴趣班")
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, art, start)
        await _keys(pilot, "enter")
        assert isinstance(app.screen, BookingDetailScreen)
        assert "剪纸兴趣班" in _text(app, "#bd-title") and "已预约" in _text(app, "#bd-title")
        assert "测试街道志愿者协会" in _text(app, "#bd-fields")
        await _keys(pilot, "x")
        assert isinstance(app.screen, CancelReasonScreen)
        await _keys(pilot, "enter")  # no reason: not accepted
        assert isinstance(app.screen, CancelReasonScreen)
        await _type(pilot, "老师临时有事")
        await _keys(pilot, "enter")
        assert isinstance(app.screen, BookingDetailScreen)
        assert "已取消" in _text(app, "#bd-title") and "老师临时有事" in _text(app, "#bd-fields")
        await _keys(pilot, "escape")
        assert isinstance(app.screen, RoomsScreen)
        cell = screen.query_one(RoomGrid).cursor_cell
        assert cell is not None and cell.kind == FREE  # not drawn over free time
        assert "剪纸兴趣班" in _text(app, "#rooms-info")  # but named (struck out) below
    row = Booking.get_by_id(booking_id)
    assert row.status == "cancelled" and row.cancel_reason == "老师临时有事"


async def test_series_lists_the_clash_and_skip_books_the_rest(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    art = _room("art")
    mondays = [MONDAY + timedelta(days=7 * n) for n in range(3)]
    start = _free_at(art, mondays)
    _book(art, mondays[1], start, "已约的合唱排练")
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, art, start)
        await _keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, BookingFormScreen)
        await _type(pilot, "周一书画课")
        await _keys(pilot, "tab", "tab")
        await _type(pilot, "测试书画协会")
        await _keys(pilot, "ctrl+r")  # every week: Monday is ticked, the count has focus
        await _type(pilot, "3")
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, BookingFormScreen)
        listed = _text(app, "#bf-problems")
        assert f"{mondays[1]:%m-%d}" in listed and "已约的合唱排练" in listed
        assert f"{mondays[0]:%m-%d}" not in listed
        await _keys(pilot, "enter")  # skip the clash, book the rest
        assert isinstance(app.screen, RoomsScreen)
    series = BookingSeries.get(BookingSeries.title == "周一书画课")
    booked = sorted(b.starts_at.date() for b in Booking.select().where(Booking.series == series))
    assert booked == [mondays[0], mondays[2]]
    skipped = SeriesException.get(SeriesException.series == series)
    assert skipped.occurrence_date == mondays[1] and skipped.kind == "cancelled"


async def test_closure_lists_the_booking_it_hits_and_cancels_it(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    meeting = _room("meeting")
    start = _free_at(meeting, [MONDAY])
    booking_id = _book(meeting, MONDAY, start, "楼道议事")
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, meeting, start)
        await _keys(pilot, "z")
        form = app.screen
        assert isinstance(form, ClosureFormScreen)
        assert form.query_one("#c-start").value == f"{MONDAY:%Y-%m-%d} {start:%H:%M}"  # type: ignore[attr-defined]
        await _type(pilot, "空调检修")
        await _keys(pilot, "ctrl+s")
        hits = _text(app, "#cf-hit-list")
        assert "楼道议事" in hits and ORG.name in hits and ORG.phone in hits
        await _keys(pilot, "enter")  # close, and cancel the booking
        assert isinstance(app.screen, RoomsScreen)
        cell = screen.query_one(RoomGrid).cursor_cell
        assert cell is not None and cell.kind == "closure"
        closure = Closure.get(Closure.reason == "空调检修")
        assert closure.room_id == meeting and closure.lifted_at is None
        row = Booking.get_by_id(booking_id)
        assert row.status == "cancelled" and row.cancel_reason == "空调检修"
        await _keys(pilot, "enter")  # on the closure: lift it?
        assert isinstance(app.screen, ChoiceScreen)
        await _keys(pilot, "1")
        assert isinstance(app.screen, RoomsScreen)
        cell = screen.query_one(RoomGrid).cursor_cell
        assert cell is not None and cell.kind == FREE
    assert Closure.get_by_id(closure.id).lifted_at is not None


# ------------------------------------------------------------------------ list, report, palette


async def test_list_filters_and_shows_cancelled_struck_out(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    art = _room("art")
    start = _free_at(art, [MONDAY])
    booking_id = _book(art, MONDAY, start, "取消了的课")
    Booking.update(status="cancelled", cancel_reason="测试").where(
        Booking.id == booking_id
    ).execute()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f3", "l")
        screen = _rooms_screen(app)
        table = screen.query_one("#list-table", DataTable)
        assert screen.list_mode and table.row_count > 0
        row = table.get_row(str(booking_id))
        assert row[3] == "已取消" and "strike" in str(row[4].style)
        await _keys(pilot, "ctrl+f")
        await _type(pilot, "测试街道")
        assert [str(r[4]) for r in (table.get_row_at(i) for i in range(table.row_count))] == [
            "取消了的课"
        ]
        await _keys(pilot, "escape")
        assert not screen.list_mode and screen.query_one(RoomGrid).has_focus


async def test_report_and_palette_commands(demo_db: SqliteDatabase, clock: FixedClock) -> None:
    app = _app(demo_db, clock, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f3")
        screen = _rooms_screen(app)
        titles = [title for title, _help, _callback in screen.palette_commands()]
        assert "Close a room or the center (z)" in titles and len(titles) >= 8
        await _keys(pilot, "u")
        assert isinstance(app.screen, RoomReportScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 7
        assert "Women's Home" in str(table.get_row_at(0)[0])
        await _keys(pilot, "escape")
        assert isinstance(app.screen, RoomsScreen)


# ------------------------------------------------------------------------------- series scope


def _series_occurrence() -> Booking:
    """A live occurrence of a weekly series on Monday, with later ones after it."""
    found = (
        Booking.select()
        .where(
            Booking.series.is_null(False)
            & (Booking.status == "booked")
            & (Booking.starts_at >= datetime.combine(MONDAY, time.min))
            & (Booking.starts_at < datetime.combine(MONDAY + timedelta(days=1), time.min))
        )
        .order_by(Booking.starts_at)
        .first()
    )
    assert found is not None, "the demo has a weekly series on Mondays"
    return found


async def test_series_occurrence_asks_the_scope_and_cancels_only_this_one(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    occurrence = _series_occurrence()
    later = Booking.select().where(
        (Booking.series == occurrence.series_id) & (Booking.starts_at > occurrence.starts_at)
    )
    later_ids = [b.id for b in later if b.status == "booked"]
    assert later_ids
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, occurrence.room_id, occurrence.starts_at.time())
        await _keys(pilot, "enter")
        assert isinstance(app.screen, BookingDetailScreen)
        assert "每周" in _text(app, "#bd-fields")  # the series is described
        await _keys(pilot, "x")
        assert isinstance(app.screen, ChoiceScreen)
        await _keys(pilot, "1")  # this occurrence only
        assert isinstance(app.screen, CancelReasonScreen)
        await _type(pilot, "场地另有安排")
        await _keys(pilot, "enter", "escape")
        assert isinstance(app.screen, RoomsScreen)
    assert Booking.get_by_id(occurrence.id).status == "cancelled"
    assert all(Booking.get_by_id(i).status == "booked" for i in later_ids)


async def test_series_edit_this_and_following(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    occurrence = _series_occurrence()
    old_series = occurrence.series_id
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, occurrence.room_id, occurrence.starts_at.time())
        await _keys(pilot, "enter", "e")
        assert isinstance(app.screen, ChoiceScreen)
        await _keys(pilot, "2")  # this and the following ones
        form = app.screen
        assert isinstance(form, BookingFormScreen) and form.scope == "following"
        assert form.query_one("#f-repeat").value  # type: ignore[attr-defined]
        await _keys(pilot, *["backspace"] * 20)
        await _type(pilot, "新版四点半课堂")
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, BookingDetailScreen)
        await _keys(pilot, "escape")
    row = Booking.get_by_id(occurrence.id)
    assert row.title == "新版四点半课堂" and row.series_id != old_series
    before = Booking.select().where(
        (Booking.series == old_series) & (Booking.starts_at < occurrence.starts_at)
    )
    assert all(b.title != "新版四点半课堂" for b in before)


async def test_language_switch_keeps_the_view(demo_db: SqliteDatabase, clock: FixedClock) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _keys(pilot, "right", "down")
        app.set_language("en")
        await _settle(pilot)
        assert "Mon" in _text(app, "#rooms-title") and "(tomorrow)" in _text(app, "#rooms-title")
        assert screen.model is not None and screen.model.day == MONDAY
        assert screen.model.columns[0].label == "Women's Home"
        grid = screen.query_one(RoomGrid)
        assert (grid.column, grid.has_focus) == (1, True)


async def test_a_failed_load_is_said_not_swallowed(
    demo_db: SqliteDatabase, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The grid's load crashing (a bug, a broken file) shows an error line; the screen stays."""
    monkeypatch.setenv("FRONTDESK_STRICT", "0")  # as at a real desk

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the day broke")

    app = _app(demo_db, clock)
    async with app.run_test() as pilot:
        await _settle(pilot)
        before = len(app._notifications)
        monkeypatch.setattr(views, "day", broken)
        await _keys(pilot, "f3")
        screen = _rooms_screen(app)
        assert screen.model is None  # nothing drawn
        shown = [n.message for n in list(app._notifications)[before:]]
        assert len(shown) == 1 and "the day broke" in shown[0]
