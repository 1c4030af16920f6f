"""The resident detail at 80×24 is reachable by keyboard (issue 12, point 6): the grid manager
shows without scrolling, PageDown / End scroll the page (to the history) whichever table has the
focus, ↓ past a table's last row goes on, and the footer offers p / i when they reveal
something."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from frontdesk import i18n
from frontdesk.clock import FixedClock
from frontdesk.screens.residents.detail import ResidentDetailScreen
from tests.conftest import RECEPTION, SNAPSHOT_SIZE, desk_on, settle


async def _open(pilot: Any) -> ResidentDetailScreen:
    """F2, the flat 3-2-1001, Enter: the detail of its first resident (as the snapshots do)."""
    await settle(pilot)
    for key in ("f2", *"3-2-1001", "enter"):
        await pilot.press(key)
        await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ResidentDetailScreen) and screen.detail is not None
    return screen


def _shown(screen: ResidentDetailScreen, selector: str) -> bool:
    """Whether the whole of the part is inside the page's visible area."""
    body = screen.query_one("#detail-body", VerticalScroll).region
    part = screen.query_one(selector, Widget).region
    return bool(part.height) and body.y <= part.y and part.bottom <= body.bottom


def _keys(screen: ResidentDetailScreen) -> list[str]:
    return [key.key_display for key in screen.query(FooterKey)]


async def test_the_grid_manager_shows_without_scrolling(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        assert "网格员" in str(screen.query_one("#grid", Static).render())
        assert _shown(screen, "#grid")
        assert not _shown(screen, "#history")  # the page is longer than the screen


async def test_page_down_and_end_in_a_table_scroll_the_page(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        neighbours = screen.query_one("#neighbours", DataTable)
        assert screen.focused is neighbours and not _shown(screen, "#history")
        await pilot.press("pagedown")
        await settle(pilot)
        assert _shown(screen, "#history")
        await pilot.press("home")
        await settle(pilot)
        assert _shown(screen, "#person") and not _shown(screen, "#history")
        screen.query_one("#members", DataTable).focus()
        await pilot.press("end")
        await settle(pilot)
        assert _shown(screen, "#history")
        await pilot.press("pageup")
        await settle(pilot)
        assert _shown(screen, "#person")
        assert screen.focused is screen.query_one("#members", DataTable)


async def test_down_past_the_last_row_goes_on(demo_db: SqliteDatabase, clock: FixedClock) -> None:
    app = desk_on(demo_db, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        neighbours = screen.query_one("#neighbours", DataTable)
        members = screen.query_one("#members", DataTable)
        for _ in range(neighbours.row_count):
            await pilot.press("down")
        await settle(pilot)
        assert screen.focused is members and members.cursor_row == 0
        assert _shown(screen, "#members")
        for _ in range(members.row_count):
            await pilot.press("down")
        await settle(pilot)
        assert screen.focused is members and _shown(screen, "#history")
        for _ in range(members.row_count):  # ↑ from the first member: the last neighbour
            await pilot.press("up")
        await settle(pilot)
        assert screen.focused is neighbours
        assert neighbours.cursor_row == neighbours.row_count - 1
        assert _shown(screen, "#neighbours")


async def test_escape_and_f_keys_still_work_on_the_scrolled_page(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("end")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not screen
        screen = await _open(pilot)
        await pilot.press("pagedown", "f5")
        await settle(pilot)
        assert not isinstance(app.screen, ResidentDetailScreen)


async def test_the_footer_offers_p_and_i_when_they_reveal_something(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, operator=RECEPTION)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        neighbours = screen.query_one("#neighbours", DataTable)
        phones = [str(neighbours.get_row_at(i)[4]) for i in range(neighbours.row_count)]
        assert phones[0] != "—"
        assert {"p", "i"} <= set(_keys(screen))
        # a neighbour without a phone: nothing for p to reveal
        await pilot.press(*["down"] * phones.index("—"))
        await settle(pilot)
        assert "p" not in _keys(screen) and "i" in _keys(screen)
        await pilot.press("p")  # does nothing: no reason is asked
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("home", "up")  # back to a neighbour with a phone
        neighbours.move_cursor(row=0)
        await settle(pilot)
        assert "p" in _keys(screen)


async def test_the_history_names_a_request_s_category(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    """The history showed the category's code ("sanitation") in both languages."""
    reporter, code = demo_db.execute_sql(
        "SELECT q.reporter_id, c.code FROM request q JOIN request_category c"
        " ON c.id = q.category_id WHERE q.reporter_kind = 'resident' ORDER BY q.id LIMIT 1"
    ).fetchone()
    app = desk_on(demo_db, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        app.open_resident(reporter)
        await settle(pilot)
        history = str(app.screen.query_one("#history", Static).render())
        assert i18n._(f"category.{code}") in history and code not in history
