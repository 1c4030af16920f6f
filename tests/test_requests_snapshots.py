"""The look of the walk-in requests screens at 80×24, in Chinese and English, on a fixed clock
and seed: the queue (F4), the intake (F6) with the residents found, and one request's detail."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SNAPSHOT_SIZE as SIZE
from tests.conftest import press_then_settle as _press_then_settle


@pytest.mark.parametrize("language", ["zh", "en"])
def test_queue(snap_compare: Any, app_factory: Any, language: str) -> None:
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle("f4")
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_intake(snap_compare: Any, app_factory: Any, language: str) -> None:
    keys = ("f4", "f6", *"3-2-1001")
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle(*keys)
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_detail(snap_compare: Any, app_factory: Any, language: str) -> None:
    keys = ("f4", "down", "down", "enter")  # an overdue lighting request with its timeline
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle(*keys)
    )
