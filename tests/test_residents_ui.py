"""The residents screens through Pilot: search as you type, the leak and old-neighbour stories."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from peewee import SqliteDatabase, fn
from rich.cells import cell_len
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from frontdesk.app import FrontdeskApp
from frontdesk.clock import FixedClock
from frontdesk.db.models import AuditEntry, Resident
from frontdesk.pinyin import full_pinyin
from frontdesk.residents.detail import get_detail
from frontdesk.residents.search import SearchFilters, SearchResult
from frontdesk.residents.search import search_everywhere as search
from frontdesk.screens.residents import search as search_screen
from frontdesk.screens.residents.detail import ResidentDetailScreen
from frontdesk.screens.residents.reveal_reason import RevealReasonScreen
from frontdesk.screens.residents.search import ResidentsScreen
from tests.conftest import DEMO_TODAY, SUPERVISOR, desk_on
from tests.conftest import settle as _settle
from tests.roles import staff_of


def _app(db: SqliteDatabase, clock: FixedClock, language: str = "zh") -> FrontdeskApp:
    return desk_on(db, clock, language, SUPERVISOR)


def _unique_names() -> set[str]:
    counts: Any = Resident.select(Resident.name, fn.COUNT(Resident.id)).group_by(Resident.name)
    return {name for name, n in counts.tuples() if n == 1}


def _leak_story_resident() -> tuple[Resident, str, str]:
    """A resident with a unique name and someone with a phone living directly above."""
    unique = _unique_names()
    for resident in Resident.select().where(Resident.status == "living").order_by(Resident.id):
        if resident.name not in unique:
            continue
        detail = get_detail(resident.id, DEMO_TODAY, actor_id=staff_of())
        for flat in detail.neighbours:
            if flat.position == "above" and flat.residents and flat.residents[0].has_phone:
                upstairs = Resident.get_by_id(flat.residents[0].id)
                return resident, upstairs.name, str(upstairs.phone)
    raise AssertionError("the demo has no leak story")


def _table_text(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.fixture
def writable(demo_copy: SqliteDatabase) -> Iterator[SqliteDatabase]:
    yield demo_copy


async def test_results_follow_every_key_without_enter(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, ResidentsScreen)
        table = app.screen.query_one("#results", DataTable)
        for key in "lihui":
            await pilot.press(key)
            await _settle(pilot)
            assert app.screen.query_one("#search", Input).value.endswith(key)
        assert table.row_count > 0
        for row in _table_text(table):
            assert any(reading.startswith("lihui") for reading in full_pinyin(row[0])), row
        status = str(app.screen.query_one("#results-status", Static).render())
        assert "共" in status


async def test_a_slow_answer_to_an_older_query_never_replaces_the_newer_one(
    demo_db: SqliteDatabase, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    service = search_screen.search

    def slow_for_one_key(query: str, *args: Any, **kwargs: Any) -> SearchResult:
        if query == "王":
            release.wait(10)
        return service(query, *args, **kwargs)

    monkeypatch.setattr(search_screen, "search", slow_for_one_key)
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        assert isinstance(screen, ResidentsScreen)
        await pilot.press("王")
        await pilot.pause()
        await pilot.press("芳")
        await pilot.pause()
        release.set()
        await _settle(pilot)
        assert screen.result is not None and screen.result.query == "王芳"
        names = [row[0] for row in _table_text(screen.query_one("#results", DataTable))]
        assert names and all("王芳" in name for name in names)


async def test_leak_from_upstairs_under_ten_keystrokes(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    resident, upstairs_name, upstairs_phone = _leak_story_resident()
    audits_before = AuditEntry.select().count()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        keys = [*resident.name, "enter", "p", "1"]
        assert len(keys) < 10
        for key in keys[:-3]:
            await pilot.press(key)
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
        neighbours = app.screen.query_one("#neighbours", DataTable)
        first = _table_text(neighbours)[0]
        assert first[0] == "楼上" and first[2] == upstairs_name
        assert first[4] != upstairs_phone and "****" in first[4]
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, RevealReasonScreen)
        await pilot.press("1")
        await _settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
        assert _table_text(neighbours)[0][4] == upstairs_phone
    entries = list(AuditEntry.select().order_by(AuditEntry.id))[audits_before:]
    assert [e.action for e in entries] == ["resident.reveal_phone"]
    assert "reveal.reason.contact_neighbour" in (entries[0].reason + entries[0].detail)


async def test_reveal_needs_a_reason_and_escape_cancels(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    resident, _name, _phone = _leak_story_resident()
    before = AuditEntry.select().count()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(resident.id)
        await _settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("5", "enter")  # "other" without text: asks for the text
        await pilot.pause()
        assert isinstance(app.screen, RevealReasonScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResidentDetailScreen)
        assert str(resident.id_number) not in str(app.screen.query_one("#person", Static).render())
    assert AuditEntry.select().count() == before


async def test_old_neighbour_found_through_a_relative(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    unique = _unique_names()
    for former in Resident.select().where(Resident.status == "moved_out").order_by(Resident.id):
        detail = get_detail(former.id, DEMO_TODAY, actor_id=staff_of())
        if former.name in unique and detail.former and detail.former.relatives:
            break
    else:
        raise AssertionError("the demo has no old-neighbour story")
    relatives = {r.name for r in detail.former.relatives}
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.press(*former.name)
        await _settle(pilot)
        assert app.screen.query_one("#results", DataTable).row_count == 0  # not living here
        await pilot.press("ctrl+r")  # clear, then look among everyone
        screen = app.screen
        assert isinstance(screen, ResidentsScreen)
        screen.query_one("#filter-status").value = "all"  # type: ignore[attr-defined]
        await pilot.press(*former.name)
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
        shown = {row[1] for row in _table_text(app.screen.query_one("#relatives", DataTable))}
        assert relatives <= shown
        assert "迁出" in str(app.screen.query_one("#former", Static).render())


async def test_filter_words_in_the_box_say_what_they_understood(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    child = search("", SearchFilters(tag="left_behind_child"), today=DEMO_TODAY).hits[0]
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.press(*f"留守儿童 {child.grid}网格")
        await _settle(pilot)
        status = str(app.screen.query_one("#results-status", Static).render())
        assert "留守儿童" in status and f"{child.grid}网格" in status
        rows = _table_text(app.screen.query_one("#results", DataTable))
        assert child.name in [row[0] for row in rows]
        assert all(row[4] == child.grid and "留守儿童" in row[6] for row in rows)


async def test_one_long_name_does_not_widen_the_results_for_later_searches(
    demo_db: SqliteDatabase, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's DataTable kept the widths old rows measured: after one long name the name
    column stayed wide and pushed the others off the 80 columns (issue 12, point 3)."""
    service = search_screen.search
    long_name = "阿依古丽・买买提・艾山江・阿不都热合曼・吐尔逊"

    def one_long_name(query: str, *args: Any, **kwargs: Any) -> SearchResult:
        found = service(query, *args, **kwargs)
        if query == "王" and found.hits:
            found = replace(found, hits=[replace(found.hits[0], name=long_name), *found.hits[1:]])
        return found

    monkeypatch.setattr(search_screen, "search", one_long_name)
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await _settle(pilot)
        table = app.screen.query_one("#results", DataTable)
        await pilot.press("王")
        await _settle(pilot)
        assert table.columns[ColumnKey("name")].content_width >= cell_len(long_name)
        await pilot.press("芳")
        await _settle(pilot)
        names = [row[0] for row in _table_text(table)]
        assert names and long_name not in names
        widest = max(cell_len(name) for name in names)
        name_column = table.columns[ColumnKey("name")]
        assert name_column.content_width == max(widest, name_column.label.cell_len)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 80
