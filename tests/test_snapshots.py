"""The look of the shell at 80×24, in Chinese and English, on a fixed clock and seed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SNAPSHOT_SIZE as SIZE
from tests.conftest import press_then_settle as _press_then_settle


@pytest.mark.parametrize("language", ["zh", "en"])
def test_home(snap_compare: Any, app_factory: Any, language: str) -> None:
    assert snap_compare(app_factory(language), terminal_size=SIZE, run_before=_press_then_settle())


@pytest.mark.parametrize("language", ["zh", "en"])
def test_help(snap_compare: Any, app_factory: Any, language: str) -> None:
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle("f1")
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_residents_search(snap_compare: Any, app_factory: Any, language: str) -> None:
    keys = ("f2", *"3-2-10")
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle(*keys)
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_resident_detail(snap_compare: Any, app_factory: Any, language: str) -> None:
    keys = ("f2", *"3-2-1001", "enter")
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle(*keys)
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_login(snap_compare: Any, app_factory: Any, language: str) -> None:
    """The demo's login: the accounts shown, the user name box focused."""
    assert snap_compare(
        app_factory(language, operator=None), terminal_size=SIZE, run_before=_press_then_settle()
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_locked(snap_compare: Any, app_factory: Any, language: str) -> None:
    """Locked over the resident detail: nothing of it shows."""
    keys = ("f2", *"3-2-1001", "enter", "ctrl+l")
    assert snap_compare(
        app_factory(language), terminal_size=SIZE, run_before=_press_then_settle(*keys)
    )
