"""The look of the rooms screen at 80×24, in Chinese and English, on a fixed clock and seed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from frontdesk.app import make_app
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from tests.conftest import DEMO_NOW

SIZE = (80, 24)


@pytest.fixture
def app_factory(demo_file: Path) -> Any:
    def build(language: str) -> Any:
        clock = FixedClock(DEMO_NOW)
        open_database(demo_file, create=False, now=clock.now)
        return make_app(
            db_path=demo_file, clock=clock, language=language, demo=True, steady_cursor=True
        )

    return build


async def _settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _press_then_settle(*keys: str) -> Any:
    async def run(pilot: Any) -> None:
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run


@pytest.mark.parametrize("language", ["zh", "en"])
def test_rooms_day_today(snap_compare: Any, app_factory: Any, language: str) -> None:
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle("f3")
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_rooms_day_monday(snap_compare: Any, app_factory: Any, language: str) -> None:
    keys = ("f3", "right_square_bracket", "right", "right", "right")
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle(*keys)
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_rooms_week(snap_compare: Any, app_factory: Any, language: str) -> None:
    keys = ("f3", "right_square_bracket", "right", "right", "right", "w")
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle(*keys)
    )
