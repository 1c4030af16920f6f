"""The app shell through Pilot: start, navigate, help, palette, language switch."""

from __future__ import annotations

from peewee import SqliteDatabase
from textual.widgets import Static

from frontdesk.app import FrontdeskApp
from frontdesk.clock import FixedClock
from frontdesk.screens.desk.help import HelpScreen
from frontdesk.screens.desk.home import Figure, HomeScreen
from frontdesk.screens.requests.queue import RequestsScreen
from frontdesk.screens.residents.search import ResidentsScreen
from frontdesk.screens.rooms.calendar import RoomsScreen
from tests.conftest import SUPERVISOR, desk_on


def _app(
    db: SqliteDatabase,
    clock: FixedClock,
    language: str = "zh",
    operator: str | None = SUPERVISOR,
) -> FrontdeskApp:
    return desk_on(db, clock, language, operator)


def _text(app: FrontdeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_starts_on_home_with_the_community_and_its_figures(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert _text(app, "#header-community") == "丽景街社区"  # 80 columns: no room for more
        assert _text(app, "#header-clock") == "11-29 周日 10:30"
        assert _text(app, "#header-operator") == "徐菲 负责人"
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert _text(app, "#header-community") == "丽景街社区（莲花池街道）"
        figures = {
            f.field: str(f.query_one(".figure-value", Static).render())
            for f in app.screen.query(Figure)
        }
        assert figures["residents"] == "7,982"
        assert figures["households"] == "3,014"
        assert figures["grids"] == "12 / 40"


async def test_function_keys_switch_screens_and_escape_closes_help(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, ResidentsScreen) and app.current_mode == "residents"
        await pilot.press("f3")
        assert isinstance(app.screen, RoomsScreen) and app.current_mode == "rooms"
        await pilot.press("f4")
        assert isinstance(app.screen, RequestsScreen) and app.current_mode == "requests"
        await pilot.press("f5")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_palette_reaches_screens_by_name(demo_db: SqliteDatabase, clock: FixedClock) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"功能室")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "rooms"


async def test_language_switch_retranslates_everything(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.press("f5")
        app.set_language("en")
        await pilot.pause()
        assert _text(app, "#header-title") == "Home"
        assert _text(app, "#header-clock") == "11-29 Sun 10:30"
        descriptions = {b.description for _k, b in app._bindings}
        assert {"Help", "People", "Quit"} <= descriptions
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        assert _text(app, "#rq-hint").startswith("Enter open")
        app.set_language("zh")
        await pilot.pause()
        assert _text(app, "#rq-hint").startswith("Enter 打开")


async def test_english_from_the_start(demo_db: SqliteDatabase, clock: FixedClock) -> None:
    app = _app(demo_db, clock, language="en")
    async with app.run_test(size=(80, 24)):
        assert _text(app, "#header-title") == "Home"


async def test_empty_database_says_what_to_do(empty_db: SqliteDatabase, clock: FixedClock) -> None:
    app = _app(empty_db, clock, operator=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "frontdesk --demo" in _text(app, "#login-demo")  # nobody can sign in yet
        assert _text(app, "#header-community") == "尚无社区数据"


async def test_f_keys_go_where_they_say_from_the_office_screens(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """F7, F9 and F10 open one office screen at a time; F2–F5 leave them for where they say."""
    from frontdesk.screens.office.audit_log import AuditLogScreen
    from frontdesk.screens.office.settings import SettingsScreen
    from frontdesk.screens.office.staff import StaffScreen
    from tests.conftest import settle

    app = desk_on(demo_copy, clock, "zh")  # the leadership: every office screen
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, StaffScreen)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, AuditLogScreen)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, RequestsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AuditLogScreen | StaffScreen | SettingsScreen)
