"""The demo login's list of every account with its grids (issue 12, point 10), through Pilot:
F2 or the palette opens it, typing filters it, Escape closes it; never on a real database."""

from __future__ import annotations

from typing import Any, cast

from peewee import SqliteDatabase
from textual.widgets import DataTable, Static

from frontdesk.clock import FixedClock
from frontdesk.db.grids import GridL4
from frontdesk.db.models import Setting, Staff
from frontdesk.overview import DEMO_ACCOUNTS_SETTING
from frontdesk.screens.desk.demo_roster import DemoRosterScreen
from frontdesk.screens.desk.login import LoginScreen
from tests.conftest import desk_on, settle


def _rows(app: Any) -> list[list[str]]:
    table = app.screen.query_one("#dr-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_f2_at_the_demo_login_lists_every_account_and_finds_grid_8_1(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    holder = cast(Any, GridL4.get(GridL4.code == "8-1").manager).username
    accounts = Staff.select().where(Staff.active == True).count()  # noqa: E712
    app = desk_on(demo_db, clock, operator=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hint = str(app.screen.query_one("#login-demo", Static).render())
        assert "gm-lj-01" in hint and "F2" in hint  # the one-line list stays, and points on
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, DemoRosterScreen)
        rows = _rows(app)
        assert len(rows) == accounts > 40  # every one, in a list that scrolls
        assert rows[7][:3] == ["gm-lj-01", "grid2026", "网格员"]
        await pilot.press(*"8-1")  # the filter box has the focus
        await settle(pilot)
        rows = _rows(app)
        assert [row[0] for row in rows] == [holder]
        assert rows[0][1] == "grid2026" and rows[0][4].startswith("8-1")
        assert "1 个，共 47" in str(app.screen.query_one("#dr-count", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_the_palette_opens_it_at_the_demo_login(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, language="en", operator=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Demo accounts")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DemoRosterScreen)
        assert _rows(app)[0][:3] == ["admin", "admin2026", "admin"]


async def test_no_list_on_a_database_that_is_not_a_demo(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    Setting.delete().where(Setting.key == DEMO_ACCOUNTS_SETTING).execute()
    app = desk_on(demo_copy, clock, operator=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "F2" not in str(app.screen.query_one("#login-demo", Static).render())
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        commands = [str(c.title) for c in app.get_system_commands(app.screen)]
        assert not any("演示" in title for title in commands)


async def test_a_language_switch_keeps_the_filter_and_the_list(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, operator=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"8-1")
        await settle(pilot)
        app.set_language("en")
        await settle(pilot)
        assert isinstance(app.screen, DemoRosterScreen)
        table = app.screen.query_one("#dr-table", DataTable)
        assert [str(c.label) for c in table.columns.values()][:2] == ["User", "Password"]
        assert len(_rows(app)) == 1 and _rows(app)[0][2] == "grid"
        await pilot.press("backspace", "backspace")  # the filter box has the focus again: "8"
        await settle(pilot)
        assert len(_rows(app)) == 3  # grid 8's managers, its leader among them
