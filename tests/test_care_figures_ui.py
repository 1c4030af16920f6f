"""走访统计 at the desk: the supervisor opens it from the palette, moves between months (never
past this one), the lists; the subdistrict office sees names masked; reception is refused; and
the snapshots of the supervisor's view at 80×24, zh and en."""

from __future__ import annotations

from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Static, TabbedContent

from frontdesk.app_palette import desk_commands
from frontdesk.clock import FixedClock
from frontdesk.screens.care.figures import CareFiguresScreen, percent, shifted
from tests.conftest import (
    DEMO_NOW,
    DEMO_TODAY,
    GRID_MANAGER,
    RECEPTION,
    SNAPSHOT_SIZE,
    SUBDISTRICT,
    SUPERVISOR,
    desk_on,
    settle,
)


async def _open(pilot: Any) -> CareFiguresScreen:
    app = pilot.app
    await settle(pilot)
    titles = {c.title: c for c in desk_commands(app, app.screen)}
    command = titles["走访统计"]
    command.callback()
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, CareFiguresScreen)
    return screen


def _status(screen: CareFiguresScreen) -> str:
    return str(screen.query_one("#cf-status", Static).render())


def _rows(screen: CareFiguresScreen, table_id: str) -> list[list[str]]:
    table = screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


def test_helpers() -> None:
    assert percent(None) == "—"
    assert percent(0.875) == "87.5%"
    assert shifted(DEMO_TODAY.replace(day=1), 2).isoformat() == "2027-01-01"
    assert shifted(DEMO_TODAY.replace(day=1), -11).isoformat() == "2025-12-01"


async def test_the_supervisor_moves_between_months_and_lists(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, operator=SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        assert "2026 年 11 月" in _status(screen)
        assert screen.figures is not None and screen.figures.grids
        grids = _rows(screen, "#cf-grid-table")
        assert grids[0][0] == "合计"
        assert len(grids) == len(screen.figures.grids) + 1
        await pilot.press("right")  # never past this month
        await settle(pilot)
        assert screen.month == DEMO_TODAY.replace(day=1)
        await pilot.press("left")
        await settle(pilot)
        assert "2026 年 10 月" in _status(screen) and screen.figures.month.month == 10
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.figures.month.month == 9
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert screen.figures.month.month == 11
        await pilot.press("2")
        await settle(pilot)
        assert screen.query_one("#cf-tabs", TabbedContent).active == "cf-trend"
        assert len(_rows(screen, "#cf-trend-table")) == 6
        await pilot.press("3")
        await settle(pilot)
        assert screen.query_one("#cf-tabs", TabbedContent).active == "cf-overdue"
        overdue = _rows(screen, "#cf-overdue-table")
        assert len(overdue) == max(1, len(screen.figures.overdue))
        if screen.figures.overdue:
            first = screen.figures.overdue[0]
            assert overdue[0][0] == first.name and "*" not in first.name
        await pilot.press("4")
        await settle(pilot)
        assert screen.query_one("#cf-tabs", TabbedContent).active == "cf-never"
        assert len(_rows(screen, "#cf-never-table")) == max(1, len(screen.figures.never_seen))
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CareFiguresScreen)


async def test_the_subdistrict_sees_names_masked(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, operator=SUBDISTRICT)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        figures = screen.figures
        assert figures is not None and figures.masked
        assert "姓名已遮挡" in _status(screen)
        listed = figures.overdue or figures.never_seen
        assert listed and all("*" in person.name for person in listed)
        await pilot.press("3")
        await settle(pilot)
        names = [row[0] for row in _rows(screen, "#cf-overdue-table")]
        assert all("*" in name for name in names if name != "（无）")


async def test_a_grid_manager_sees_their_own_grids(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, operator=GRID_MANAGER)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        assert screen.figures is not None
        assert {row.grid_l4_id for row in screen.figures.grids} <= app.desk.operator.grid_ids


async def test_reception_is_not_offered_the_figures_and_is_refused_if_it_gets_there(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    """The reception may see the home screen's counts (VIEW_FIGURES) but the service answers
    only who may see reports or makes visits: the palette does not offer a dead end."""
    app = desk_on(demo_db, clock, operator=RECEPTION)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in desk_commands(app, app.screen)}
        assert "走访统计" not in titles
        app.push_screen(CareFiguresScreen())
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CareFiguresScreen)
        assert screen.figures is None
        assert "前台" in _status(screen)
        assert screen.query_one("#cf-grid-table", DataTable).row_count == 0


@pytest.mark.parametrize("language", ["zh", "en"])
def test_snapshot(snap_compare: Any, app_factory: Any, language: str) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.push_screen(CareFiguresScreen())
        await settle(pilot)

    assert snap_compare(app_factory(language), terminal_size=SNAPSHOT_SIZE, run_before=run_before)


async def test_the_subdistrict_picks_a_community_or_all(
    district: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(district, clock, operator=SUBDISTRICT)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        communities = app.desk.communities
        assert len(communities) > 1 and screen.check_action("community", ())
        figures = screen.figures
        assert figures is not None and figures.masked
        assert len({row.community for row in figures.grids}) == len(communities)
        rows = _rows(screen, "#cf-grid-table")
        assert sum(1 for row in rows if row[0] == "∑") == len(communities)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("2")  # the first community (1 is all of them)
        await settle(pilot)
        assert app.screen is screen and screen.community_id == communities[0].id
        figures = screen.figures
        assert figures is not None and figures.masked
        assert {row.community for row in figures.grids} == {communities[0].name}
        assert communities[0].name in _status(screen)
        assert not any(row[0] == "∑" for row in _rows(screen, "#cf-grid-table"))


async def test_another_desks_visit_shows(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    """A visit recorded at another desk: the figures and the never-seen list load again."""
    from frontdesk.care.visits import VisitInput, record_visit
    from frontdesk.db.models import Resident, Staff
    from frontdesk.vocabulary import Changes, VisitMode, VisitOutcome

    app = desk_on(demo_copy, clock, operator=SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        figures = screen.figures
        assert figures is not None and figures.never_seen
        person = figures.never_seen[0]
        household = Resident.get_by_id(person.resident_id).household_id
        lead = Staff.get(Staff.username == SUPERVISOR)
        visit_id = record_visit(
            VisitInput(
                household, VisitMode.IN_PERSON, VisitOutcome.SEEN, DEMO_NOW, (person.resident_id,)
            ),
            actor_id=lead.id,
            now=DEMO_NOW,
        )
        app.data_changed.publish(Changes(frozenset({("visit", visit_id)})))
        await settle(pilot)
        after = screen.figures
        assert after is not None and after is not figures
        assert person.resident_id not in {p.resident_id for p in after.never_seen}
        assert after.total.seen == figures.total.seen + 1
