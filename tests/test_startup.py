"""Start-up: the login is drawn before anything it does not need is imported; the database is
opened behind it (``--demo``: the demo community made behind it), and a database that will not
open ends the desk with one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase
from textual.widgets import Input, Static

from frontdesk.app import FrontdeskApp, make_app
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.errors import UserError
from frontdesk.screens.desk.login import LoginScreen
from frontdesk.widgets.footer import DeskFooter
from tests.conftest import DEMO_NOW, RECEPTION, SUBDISTRICT, desk_on, settle

LOADED = """
import json, sys
import frontdesk.cli, frontdesk.app, frontdesk.db.filecheck, frontdesk.db.sessions
print(json.dumps(sorted(sys.modules)))
"""

# what the login does not need: each comes when first used
NOT_AT_START = (
    "frontdesk.screens.residents",
    "frontdesk.screens.rooms",
    "frontdesk.screens.requests",
    "frontdesk.screens.office",
    "frontdesk.screens.desk.home",
    "frontdesk.screens.desk.help",
    "frontdesk.screens.desk.change_password",
    "frontdesk.auth",
    "frontdesk.audit",
    "frontdesk.bookings",
    "frontdesk.demo",
    "frontdesk.overview",
    "frontdesk.cli_commands",
    "pypinyin",
    # the data layer: the file is checked with SQLite's own module, opened after the first frame
    "peewee",
    "frontdesk.db.connection",
    "frontdesk.db.models",
    "frontdesk.db.migrations",
    # the catalogs come from their cached copies
    "tomllib",
)


def test_importing_the_app_imports_only_what_the_login_needs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOADED], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(done.stdout)
    assert "frontdesk.screens.desk.login" in loaded
    early = [m for m in loaded if any(m == p or m.startswith(p + ".") for p in NOT_AT_START)]
    assert early == []


async def test_a_screen_is_imported_when_first_opened(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app: FrontdeskApp = desk_on(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert type(app.screen).__module__ == "frontdesk.screens.rooms.calendar"
        assert "frontdesk.screens.rooms.calendar" in sys.modules


WARM_AND_READ = """
import threading
from frontdesk import pinyin
found = []
warm = threading.Thread(target=pinyin.warm_up)
warm.start()
found.append(pinyin.full_pinyin("单雄信"))  # meanwhile: waits for the import, does not fail
warm.join()
print(found[0])
"""


def test_a_name_read_while_the_dictionaries_warm_up_is_read_right() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WARM_AND_READ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == "['shanxiongxin']"


class _SlowDemo:
    """A ``prepare`` that reports half-way, then waits to be let go; then the demo is there."""

    def __init__(self, source: Path, target: Path) -> None:
        self.source = source
        self.target = target
        self.go = threading.Event()

    def __call__(self, progress: Callable[[str, float], None]) -> None:
        progress("people", 0.5)
        assert self.go.wait(30)
        shutil.copy(self.source, self.target)
        open_database(self.target, create=False, now=FixedClock(DEMO_NOW).now)


def _text(app: FrontdeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _until(pilot: object, ready: Callable[[], bool]) -> None:
    for _ in range(200):
        if ready():
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("never happened")


async def test_the_demo_login_is_drawn_first_and_a_sign_in_waits_for_the_demo(
    demo_file: Path, tmp_path: Path, clock: FixedClock
) -> None:
    demo = _SlowDemo(demo_file, tmp_path / "demo.db")
    app = make_app(
        db_path=demo.target,
        clock=clock,
        language="zh",
        demo=True,
        steady_cursor=True,
        prepare=demo,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: "50%" in _text(app, "#login-demo"))
        assert isinstance(app.screen, LoginScreen)
        assert "正在生成演示社区" in _text(app, "#login-demo")
        app.screen.query_one("#login-username", Input).focus()
        await pilot.press(*RECEPTION, "enter", *"desk2026", "enter")
        await _until(pilot, lambda: "生成完毕后自动登录" in _text(app, "#login-message"))
        assert app.desk.operator is None  # still at the login: nothing to sign in to yet
        demo.go.set()
        await _until(pilot, lambda: app.desk.operator is not None)
        await settle(pilot)
        assert app.desk.operator is not None and app.desk.operator.username == RECEPTION
        assert app.current_mode == "home"
        assert _text(app, "#header-community") == "丽景街社区"


async def test_the_demo_accounts_show_once_the_demo_is_there(
    demo_file: Path, tmp_path: Path, clock: FixedClock
) -> None:
    demo = _SlowDemo(demo_file, tmp_path / "demo.db")
    app = make_app(db_path=demo.target, clock=clock, language="en", demo=True, prepare=demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: "Generating the demo" in _text(app, "#login-demo"))
        demo.go.set()
        await _until(pilot, lambda: RECEPTION in _text(app, "#login-demo"))
        assert app.desk.operator is None  # nobody typed anything: nobody signed in


async def _sign_in(pilot: Any, username: str, password: str) -> None:
    app = pilot.app
    app.screen.query_one("#login-username", Input).focus()
    await pilot.press(*username, "enter", *password, "enter")
    await _until(pilot, lambda: app.desk.operator is not None)
    await settle(pilot)


async def test_each_person_signing_in_gets_their_own_communities(
    district: SqliteDatabase, clock: FixedClock
) -> None:
    """Read on a worker at each sign-in: after F8 the next person's, not the last one's."""
    app: FrontdeskApp = desk_on(district, clock, "zh", None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _sign_in(pilot, SUBDISTRICT, "jiedao2026")
        assert len(app.desk.communities) == 2  # the office: both of its communities
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await _sign_in(pilot, RECEPTION, "desk2026")
        assert [c.name for c in app.desk.communities] == ["丽景街社区"]
        assert app.desk.community is not None and app.desk.community.name == "丽景街社区"


async def test_the_keyboard_still_works_at_the_login_once_the_demo_is_there(
    demo_file: Path, tmp_path: Path, clock: FixedClock
) -> None:
    """Name, Enter while the demo is made; once it is there the password box still has the
    keys, and Shift+Tab goes back to the name."""
    demo = _SlowDemo(demo_file, tmp_path / "demo.db")
    app = make_app(
        db_path=demo.target,
        clock=clock,
        language="zh",
        demo=True,
        steady_cursor=True,
        prepare=demo,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: "50%" in _text(app, "#login-demo"))
        await pilot.press(*RECEPTION, "enter")
        demo.go.set()
        await _until(pilot, lambda: RECEPTION in _text(app, "#login-demo"))
        await settle(pilot)
        password = app.screen.query_one("#login-password", Input)
        assert password.has_focus, app.screen.focused
        await pilot.press("shift+tab", "x")
        assert app.screen.query_one("#login-username", Input).value == RECEPTION + "x"


class _SlowOpen:
    """A ``prepare`` for a database that takes its time to open (a migration): it waits to be
    let go, then opens ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.go = threading.Event()

    def __call__(self, progress: Callable[[str, float], None]) -> None:
        assert self.go.wait(30)
        open_database(self.path, create=False, now=FixedClock(DEMO_NOW).now)


async def test_the_login_is_drawn_before_the_database_is_open_and_a_sign_in_waits(
    demo_file: Path, tmp_path: Path, clock: FixedClock
) -> None:
    """Nothing of the database shows until it is open (not "no community data"); Enter says it
    is opening and signs in once it is."""
    path = tmp_path / "desk.db"
    shutil.copy(demo_file, path)
    opening = _SlowOpen(path)
    app = make_app(db_path=path, clock=clock, language="zh", steady_cursor=True, prepare=opening)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert _text(app, "#header-community") == ""
        assert _text(app, "#login-demo") == ""  # no demo progress for an ordinary database
        app.screen.query_one("#login-username", Input).focus()
        await pilot.press(*RECEPTION, "enter", *"desk2026", "enter")
        await _until(pilot, lambda: "正在打开数据库" in _text(app, "#login-message"))
        assert app.desk.operator is None
        opening.go.set()
        await _until(pilot, lambda: app.desk.operator is not None)
        await settle(pilot)
        assert app.current_mode == "home"
        assert _text(app, "#header-community") == "丽景街社区"


def _will_not_open(progress: Callable[[str, float], None]) -> None:
    raise UserError("error.db_unreadable", path="/srv/desk.db")


async def test_a_database_that_will_not_open_ends_the_desk_with_its_message(
    tmp_path: Path, clock: FixedClock
) -> None:
    """The command line then says it in one line (``frontdesk.cli._run_app`` raises it)."""
    app = make_app(db_path=tmp_path / "desk.db", clock=clock, language="zh", prepare=_will_not_open)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: app.open_error is not None)
        await pilot.pause()
    assert app.open_error is not None and str(app.open_error) == "无法读取数据库 /srv/desk.db"
    assert not app.is_running


async def test_the_footer_is_rebuilt_once_for_changes_that_come_together(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app: FrontdeskApp = desk_on(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(DeskFooter)
        rebuilt: list[int] = []
        original = footer.recompose

        async def counted() -> None:
            rebuilt.append(1)
            await original()

        footer.recompose = counted  # type: ignore[method-assign]
        for _ in range(3):  # e.g. a screen mounting, then the focus, then the language
            app.screen.refresh_bindings()
        await settle(pilot)
        assert rebuilt == [1]
        assert footer.children  # the keys are there


async def test_a_pop_up_over_the_login_keeps_what_was_typed(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    """The login resumes when the palette (a language switch) or help closes over it: it used
    to empty its boxes then, as after a sign-out (issue 12, point 2); after F8 they are empty."""
    app: FrontdeskApp = desk_on(demo_db, clock, "zh", None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"desk")
        await pilot.press("f1")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        name = app.screen.query_one("#login-username", Input)
        assert name.value == "desk" and name.has_focus
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"English")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert app.language == "en"
        name = app.screen.query_one("#login-username", Input)
        assert name.value == "desk" and name.has_focus
        await pilot.press(*"-lj-1", "enter", *"desk2026", "enter")
        await _until(pilot, lambda: app.desk.operator is not None)
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-username", Input).value == ""
