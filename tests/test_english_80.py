"""English at 80×24: no label is cut or broken mid-word (home tiles, the home's key line, the F4
filters, the F3 week header, the F1 help in both languages), and lists in running text are
joined the way each language writes them."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Select

from frontdesk import i18n
from frontdesk.bookings.rules import Booker, BookingInput, load_room, problems_for
from frontdesk.bookings.views import RoomColumn
from frontdesk.db.models import Room
from frontdesk.i18n import _
from frontdesk.screens.desk.home import FIGURES
from frontdesk.screens.rooms.calendar import RoomsScreen
from frontdesk.screens.rooms.cell_info import hours_text
from frontdesk.widgets.room_grid import RoomGrid
from tests.conftest import DEMO_NOW, settle

SIZE = (80, 24)
ORG = Booker("organisation", "社区老年协会", "03588888888")
MONDAY = date(2026, 11, 30)


def _screen_lines(app: Any) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _widget_lines(widget: Widget) -> list[str]:
    """All the lines a widget draws at its width, scrolled into view or not."""
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def _on_one_line(text: str, lines: list[str]) -> bool:
    return any(text in line for line in lines)


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await settle(pilot)


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_home_labels_whole(app_factory: Any, language: str) -> None:
    app = app_factory(language)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = _screen_lines(app)
        for _field, key in FIGURES:
            assert _on_one_line(_(key), lines), (key, _(key))
        for key in ("home.keys_hint", "home.demo_notice"):
            assert _on_one_line(_(key), lines), (key, _(key))


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_help_words_never_broken(app_factory: Any, language: str) -> None:
    """The F1 help wraps between words: no Latin word ("English" in the Chinese text) is split
    over two lines."""
    app = app_factory(language)
    async with app.run_test(size=SIZE) as pilot:
        await _keys(pilot, "f1")
        drawn = "\n".join(_widget_lines(app.screen.query_one("#help-text")))
        for word in set(re.findall(r"[A-Za-z][A-Za-z+'-]*", _("help.text"))):
            assert re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", drawn), word


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_request_filters_show_whole_prompts(app_factory: Any, language: str) -> None:
    app = app_factory(language)
    async with app.run_test(size=SIZE) as pilot:
        await _keys(pilot, "f4")
        status = app.screen.query_one("#filter-status", Select)
        status.value = "in_progress"  # the longest status a clerk can choose
        await settle(pilot)
        row = _screen_lines(app)[app.screen.query_one("#rq-filters").region.y]
        for key in ("level", "grid", "holder", "category", "overdue", "mine"):
            assert _(f"requests.filter.{key}") in row, (key, row)
        assert _("requests.status.in_progress") in row, row


async def test_rooms_week_header_whole(app_factory: Any) -> None:
    """The week view's title and keys beside it, for the room with the longest name."""
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await _keys(pilot, "f3")
        screen = app.screen
        assert isinstance(screen, RoomsScreen) and screen.model is not None
        homework = int(Room.get(Room.code == "homework").id)
        column = next(i for i, c in enumerate(screen.model.columns) if c.room.id == homework)
        grid = screen.query_one(RoomGrid)
        await _keys(pilot, *["right"] * (column - grid.column), "w")
        nav = _screen_lines(app)[screen.query_one("#rooms-nav").region.y]
        assert _("room.homework") in nav and "(this week)" in nav, nav
        hint = str(screen.query_one("#rooms-hint").render())
        assert hint.endswith(_("rooms.hint_report")) and hint in nav, (hint, nav)


# ---------------------------------------------------------------------- lists in running text


def test_join_follows_the_language() -> None:
    i18n.set_language("zh")
    assert i18n.join(["08:30–12:00", "14:00–21:00"]) == "08:30–12:00、14:00–21:00"
    i18n.set_language("en")
    assert i18n.join(["08:30–12:00", "14:00–21:00"]) == "08:30–12:00, 14:00–21:00"
    assert i18n.join([]) == "" and i18n.join(["a"]) == "a"


def test_opening_hours_in_english_have_no_chinese_comma(demo_db: SqliteDatabase) -> None:
    """The refusal outside the opening hours and the F3 line under the grid."""
    women = int(Room.get(Room.code == "women_home").id)
    rules = load_room(women)
    at = datetime.combine(MONDAY, time(12, 30))  # between the morning and the afternoon
    asked = BookingInput(women, at, at.replace(hour=13), "读书会", ORG, 5)
    column = RoomColumn(
        women,
        "women_home",
        "妇女之家",
        rules.capacity,
        {d: tuple(w) for d, w in rules.hours.items()},
    )
    for language, hours in (
        ("en", "08:30–12:00, 14:00–21:00"),
        ("zh", "08:30–12:00、14:00–21:00"),
    ):
        i18n.set_language(language)
        said = [p.text() for p in problems_for(asked, rules, now=DEMO_NOW)]
        assert any(hours in text for text in said), said
        assert hours_text(column, MONDAY) == hours
