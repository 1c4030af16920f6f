"""Shared fixtures. SQLite in tests is always a temp file, never :memory:."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk import i18n
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database

# the desk's own theme in every test, whatever terminal runs them (TERM=xterm would pick the
# 16-colour ANSI theme, see frontdesk.screens.base.theme.few_colours)
os.environ["TEXTUAL_COLOR_SYSTEM"] = "truecolor"

DEMO_SEED = 7
DEMO_TODAY = date(2026, 11, 29)
DEMO_NOW = datetime(2026, 11, 29, 10, 30)

# demo accounts (tests/test_demo.py checks the demo has them); passwords by role in the demo
RECEPTION = "desk-lj-1"
GRID_MANAGER = "gm-lj-01"
SUPERVISOR = "lead-lj-1"
SUBDISTRICT = "jd-lhc-1"
ADMIN = "admin"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: two workers a core. Most of the suite waits — on a Pilot's screen, a worker's
    answer, a tmux pane — rather than computes: with one worker a core the 2-core machine was
    busy one core's worth (370 s of CPU in 363 s); two a core took the suite from 363 s to 265 s,
    three a core to 253 s for a third more CPU."""
    return 2 * (os.cpu_count() or 1)


@pytest.fixture(autouse=True)
def strict_and_logged() -> Iterator[None]:
    """A crash in a screen's service call fails the test (a clerk only sees a line), and the
    desk's log and cache go to the test's temporary folder, never the user's folders."""
    saved = {
        key: os.environ.get(key) for key in ("FRONTDESK_STRICT", "FRONTDESK_LOG", "FRONTDESK_CACHE")
    }
    os.environ["FRONTDESK_STRICT"] = "1"
    # the catalogs' cached copies (frontdesk.i18n) too: never the user's cache folder
    os.environ["FRONTDESK_CACHE"] = str(
        Path(tempfile.gettempdir()) / f"frontdesk-tests-{os.getuid()}" / "cache"
    )
    # one fixed path (F1 help names it, and the help's snapshots must not change with it)
    os.environ["FRONTDESK_LOG"] = str(
        Path(tempfile.gettempdir()) / f"frontdesk-tests-{os.getuid()}" / "frontdesk.log"
    )
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def chinese_by_default() -> Iterator[None]:
    """Every test starts in the default language, whatever the one before it switched to."""
    i18n.set_language("zh")
    yield
    i18n.set_language("zh")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEMO_NOW)


@pytest.fixture
def empty_db(tmp_path: Path, clock: FixedClock) -> Iterator[SqliteDatabase]:
    db = open_database(tmp_path / "empty.db", create=True, now=clock.now)
    yield db
    db.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default demo community (seed 7, today 2026-11-29), generated once per run."""
    from frontdesk.demo import DemoOptions, generate

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(path, create=True, now=FixedClock(DEMO_NOW).now)
    try:
        generate(DemoOptions(seed=DEMO_SEED, today=DEMO_TODAY))
    finally:
        db.close()
    return path


@pytest.fixture
def demo_db(demo_file: Path, clock: FixedClock) -> Iterator[SqliteDatabase]:
    """The shared demo database, bound. Read it; copy it (``demo_copy``) to write."""
    db = open_database(demo_file, create=False, now=clock.now)
    yield db
    db.close()


@pytest.fixture
def demo_copy(demo_file: Path, tmp_path: Path, clock: FixedClock) -> Iterator[SqliteDatabase]:
    path = tmp_path / "demo-copy.db"
    shutil.copy(demo_file, path)
    db = open_database(path, create=False, now=clock.now)
    yield db
    db.close()


# ---------------------------------------------------------- a district: two communities


@pytest.fixture(scope="session")
def district_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two communities of one subdistrict (12,000 residents), generated once per run."""
    from frontdesk.demo import DemoOptions, generate

    path = tmp_path_factory.mktemp("district") / "district.db"
    db = open_database(path, create=True, now=FixedClock(DEMO_NOW).now)
    try:
        generate(DemoOptions(seed=DEMO_SEED, residents=12_000, today=DEMO_TODAY))
    finally:
        db.close()
    return path


@pytest.fixture
def district(district_file: Path, tmp_path: Path) -> Iterator[SqliteDatabase]:
    path = tmp_path / "district.db"
    shutil.copy(district_file, path)
    db = open_database(path, create=False, now=FixedClock(DEMO_NOW).now)
    yield db
    db.close()


# ------------------------------------------------------------------------- snapshot tests

SNAPSHOT_SIZE = (80, 24)


@pytest.fixture
def app_factory(demo_file: Path) -> Any:
    """Builds the app on the shared demo database, fixed clock, steady cursor, in a language."""
    from frontdesk.app import make_app

    def build(language: str, operator: str | None = SUPERVISOR) -> Any:
        clock = FixedClock(DEMO_NOW)
        open_database(demo_file, create=False, now=clock.now)
        return make_app(
            db_path=demo_file,
            clock=clock,
            language=language,
            demo=True,
            steady_cursor=True,
            operator=operator,
        )

    return build


def desk_on(
    db: SqliteDatabase,
    clock: FixedClock,
    language: str = "zh",
    operator: str | None = SUPERVISOR,
) -> Any:
    """The app on the open database ``db`` as the tests build it: fixed clock, steady cursor,
    signed in as ``operator`` (None: at the login)."""
    from frontdesk.app import make_app

    return make_app(
        db_path=Path(db.database),
        clock=clock,
        language=language,
        demo=True,
        steady_cursor=True,
        operator=operator,
    )


async def settle(pilot: Any) -> None:
    """Until every worker is done and the screen has caught up."""
    from textual.worker import WorkerCancelled

    try:
        await pilot.app.workers.wait_for_complete()
    except WorkerCancelled:  # a discarded screen's worker: what is left is waited for below
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()  # a table measures its new rows' widths when the app is next idle


def press_then_settle(*keys: str) -> Any:
    """A ``run_before`` for ``snap_compare``: each key, then settle."""

    async def run(pilot: Any) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run
