"""The look of today's round (F12) and the visit form at 80×24, in Chinese and English, on a
fixed clock and seed: the grid manager gm-lj-01's round on the demo."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GRID_MANAGER
from tests.conftest import SNAPSHOT_SIZE as SIZE
from tests.conftest import press_then_settle as _press_then_settle


@pytest.mark.parametrize("language", ["zh", "en"])
def test_round(snap_compare: Any, app_factory: Any, language: str) -> None:
    assert snap_compare(
        app_factory(language, GRID_MANAGER),
        terminal_size=SIZE,
        run_before=_press_then_settle("f12"),
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_visit_form(snap_compare: Any, app_factory: Any, language: str) -> None:
    keys = ("f12", "enter", "d")  # the first stop; home safety a concern
    assert snap_compare(
        app_factory(language, GRID_MANAGER),
        terminal_size=SIZE,
        run_before=_press_then_settle(*keys),
    )
