"""F2's status filter (issue 12, point 8): 迁出 or 去世 with an empty box lists those people (it
was a blank list: the status alone did not count as narrowing the search), and 全部 shows each
one's status in a column of its own (a moved-out person looked like one living here)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Select, Static

from frontdesk.clock import FixedClock
from frontdesk.db.models import Resident
from frontdesk.residents.search import SearchFilters, SearchResult
from frontdesk.residents.search import search_everywhere as search
from frontdesk.screens.residents import search as search_screen
from frontdesk.screens.residents.search import ResidentsScreen
from tests.conftest import DEMO_TODAY, SNAPSHOT_SIZE, SUPERVISOR, desk_on, settle


def _status(db: SqliteDatabase, ids: list[int]) -> set[str]:
    query: Any = Resident.select(Resident.status).where(Resident.id.in_(ids))
    return {status for (status,) in query.tuples()}


def _column(table: DataTable[Any], column: str) -> list[str]:
    return [str(table.get_cell(row, column)) for row in table.rows]


def test_a_status_other_than_living_lists_people_without_a_query(demo_db: SqliteDatabase) -> None:
    moved = search("", SearchFilters(status="moved_out"), today=DEMO_TODAY)
    assert moved.hits and _status(demo_db, [hit.id for hit in moved.hits]) == {"moved_out"}
    dead = search("", SearchFilters(status="deceased"), today=DEMO_TODAY)
    assert dead.hits and _status(demo_db, [hit.id for hit in dead.hits]) == {"deceased"}
    # living here (the default) or everyone: the whole community, not a list to show
    assert search("", SearchFilters(), today=DEMO_TODAY).hits == []
    assert search("", SearchFilters(status=None), today=DEMO_TODAY).hits == []


async def _choose_status(pilot: Any, *keys: str) -> None:
    """From the search box: Tab to the status filter, open it, ``keys``, Enter, back."""
    await pilot.press("tab", "enter", *keys, "enter", "shift+tab")
    await settle(pilot)


async def test_moved_out_with_an_empty_box_lists_the_moved_out(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, "zh", SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResidentsScreen)
        await _choose_status(pilot, "down")  # 在住 → 迁出
        assert screen.query_one("#filter-status", Select).value == "moved_out"
        table = screen.query_one("#results", DataTable)
        assert table.row_count > 0
        ids = [int(str(key.value)) for key in table.rows]
        assert _status(demo_db, ids) == {"moved_out"}
        assert "共" in str(screen.query_one("#results-status", Static).render())
        assert "status" not in [key.value for key in table.columns]  # the filter says it


async def test_everyone_shows_a_status_column(demo_db: SqliteDatabase, clock: FixedClock) -> None:
    former: Any = Resident.select().where(Resident.status == "moved_out").first()
    app = desk_on(demo_db, clock, "zh", SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("f2", *former.name)
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#results", DataTable)
        assert "status" not in [key.value for key in table.columns]  # 在住: all living here
        await _choose_status(pilot, "down", "down", "down")  # 全部
        assert screen.query_one("#filter-status", Select).value == "all"
        keys = [key.value for key in table.columns]
        assert keys[:4] == ["name", "gender", "age", "status"]
        rows = [str(key.value) for key in table.rows]
        assert _column(table, "status")[rows.index(str(former.id))] == "迁出"
        assert set(_column(table, "status")) <= {"在住", "迁出", "去世"}
        await _choose_status(pilot, "up", "up", "up")  # back to 在住: no status column
        assert screen.query_one("#filter-status", Select).value == "living"
        assert "status" not in [key.value for key in table.columns]


async def test_none_with_that_status_is_said(
    demo_db: SqliteDatabase, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A community with no one of that status: said so, not "try another way of writing"."""
    service = search_screen.search

    def nobody(query: str, *args: Any, **kwargs: Any) -> SearchResult:
        return replace(service(query, *args, **kwargs), hits=[], total=0)

    monkeypatch.setattr(search_screen, "search", nobody)
    app = desk_on(demo_db, clock, "zh", SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        await _choose_status(pilot, "down", "down")  # 去世
        assert str(app.screen.query_one("#results-status", Static).render()) == "没有去世的居民。"
