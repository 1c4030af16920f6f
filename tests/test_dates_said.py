"""A date written right that the calendar does not have is said so — not "write it as
YYYY-MM-DD" — and after a refused save the focus is in the field to correct (issue 12, point 11)."""

from __future__ import annotations

from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import Input, Static

from frontdesk.cli import main
from frontdesk.clock import FixedClock
from frontdesk.screens.base.forms import BadDate, NoSuchDay, parse_date
from frontdesk.screens.office.audit_log import DATE_INPUTS, AuditLogScreen
from frontdesk.screens.residents.resident_form import ResidentFormScreen
from frontdesk.screens.rooms.booking_form import BookingFormScreen, Unreadable, parse_day
from frontdesk.screens.rooms.closure_form import ClosureFormScreen, parse_moment
from tests.conftest import SUPERVISOR, desk_on, settle
from tests.test_resident_forms_ui import _open_detail, _young_adult
from tests.test_rooms_ui import MONDAY, _free_at, _move_to, _open_monday, _room


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def _replace(pilot: Any, box: Input, text: str) -> None:
    box.focus()
    box.value = ""
    await settle(pilot)
    await _keys(pilot, *text)


def _said(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def test_the_parsers_say_there_is_no_such_day() -> None:
    with pytest.raises(NoSuchDay):
        parse_date("2026-02-30")
    with pytest.raises(Unreadable) as unread:
        parse_day("2026-02-30", MONDAY)
    assert unread.value.key == "date.no_such_day"
    with pytest.raises(Unreadable) as unread:
        parse_day("2026-2", MONDAY)
    assert unread.value.key == "booking_form.bad_date"
    assert parse_moment("2026-02-30 10:00") == "没有这一天：2026 年 2 月没有 30 日"
    assert parse_moment("2026-02-28 10:00").year == 2026  # type: ignore[union-attr]


def test_the_command_line_says_there_is_no_such_day(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["seed", "--today", "2026-02-30"])
    said = capsys.readouterr().err
    assert "没有这一天" in said and "YYYY-MM-DD" not in said


async def test_the_resident_form_says_no_such_day_beside_the_field(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    person = _young_adult()
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_detail(pilot, person.id)
        await _keys(pilot, "e")
        form = app.screen
        assert isinstance(form, ResidentFormScreen)
        await _replace(pilot, form.query_one("#f-birth_date", Input), "1990-02-30")
        form.query_one("#f-name", Input).focus()
        await _keys(pilot, "ctrl+s")
        assert "没有这一天" in _said(form, "#m-birth_date")
        assert form.focused is form.query_one("#f-birth_date", Input)


async def test_the_booking_form_says_no_such_day_and_focuses_the_field_at_fault(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    reading = _room("reading")
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, reading, _free_at(reading, [MONDAY]))
        await _keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, BookingFormScreen)
        await _replace(pilot, form.query_one("#f-date", Input), "2026-02-30")
        form.query_one("#f-title", Input).focus()
        await _keys(pilot, "ctrl+s")
        assert "没有这一天" in _said(form, "#bf-problems")
        assert form.focused is form.query_one("#f-date", Input)
        # the rules refuse (no title): the focus goes to the title
        await _replace(pilot, form.query_one("#f-date", Input), f"{MONDAY:%Y-%m-%d}")
        form.query_one("#f-attendees", Input).focus()
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, BookingFormScreen)
        assert form.focused is form.query_one("#f-title", Input), form.focused


async def test_the_closure_form_says_no_such_day_and_focuses_the_field(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    meeting = _room("meeting")
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, meeting, _free_at(meeting, [MONDAY]))
        await _keys(pilot, "z")
        form = app.screen
        assert isinstance(form, ClosureFormScreen)
        await _replace(pilot, form.query_one("#c-end", Input), "2026-02-30 18:00")
        await _replace(pilot, form.query_one("#c-reason", Input), "检修")
        await _keys(pilot, "ctrl+s")
        assert "没有这一天" in _said(form, "#cf-status")
        assert form.focused is form.query_one("#c-end", Input)


async def test_the_audit_logs_date_filter_says_no_such_day(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_audit_log()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        box = next(iter(screen.query(f"#{next(iter(DATE_INPUTS))}").results(Input)))
        await _replace(pilot, box, "2026-02-30")
        await settle(pilot)
        assert screen.bad_date is not None and "没有这一天" in screen.bad_date


def test_a_month_that_does_not_exist_is_not_a_date_at_all() -> None:
    with pytest.raises(Unreadable) as unread:
        parse_day("2026-13-01", MONDAY)
    assert unread.value.key == "booking_form.bad_date"
    with pytest.raises(BadDate) as bad:
        parse_date("2026-13-01")
    assert not isinstance(bad.value, NoSuchDay)
    assert (
        parse_moment("2026-00-10 10:00") == "开始和结束请写成 YYYY-MM-DD HH:MM，如 2026-11-30 14:00"
    )
