"""The look of the rooms screen at 80×24, in Chinese and English, on a fixed clock and seed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SNAPSHOT_SIZE as SIZE
from tests.conftest import press_then_settle as _press_then_settle


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
