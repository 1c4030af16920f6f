"""The login and the lock in a real terminal, keyboard only (issue 12, points 1 and 2): Tab and
Shift+Tab between the boxes, a failed sign-in corrected without a mouse, the lock's keys, and a
language switch at the login that leaves every key working."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terminal import Pane, Tmux, tmux_available
from tests.test_terminal import (
    RECEPTION,
    START,
    STEP,
    database,  # noqa: F401  (fixtures)
    header,
    quit_desk,
    seeded,  # noqa: F401
    start_desk,
    tmux,  # noqa: F401
)

pytestmark = pytest.mark.skipif(not tmux_available(), reason="tmux is not installed")


def _home(pane: Pane, title: str = "首页") -> None:
    pane.wait_until(lambda s: title in header(s), f"{title} in the header", STEP)


def test_tab_between_the_boxes_and_a_failed_sign_in_corrected_by_keys(
    tmux: Tmux,  # noqa: F811
    database: Path,  # noqa: F811
) -> None:
    pane = start_desk(tmux, "login-tab", database)
    user, password = RECEPTION
    pane.type(user[:-1] + "9")  # a wrong name: desk-lj-9
    pane.wait_row("用户名", user[:-1] + "9")
    pane.keys("Tab")
    pane.wait_cursor_on("密码")
    pane.type(password)
    pane.wait_row("密码", "•" * len(password))
    pane.keys("Enter")
    pane.wait_for("登录失败", STEP)
    pane.keys("BTab")  # Shift+Tab: back to the name, which is corrected
    pane.wait_cursor_on("用户名")
    pane.keys("End", "BSpace")
    pane.wait_until(lambda s: f"{user[:-1]} " in s, "the wrong digit erased", STEP)
    pane.type(user[-1])
    pane.wait_row("用户名", user)
    pane.keys("Tab")
    pane.wait_cursor_on("密码")
    pane.type(password)  # the refused password was cleared
    pane.wait_row("密码", "•" * len(password))
    pane.keys("Enter")
    _home(pane)
    # the lock: Tab stays on the password box, and it unlocks
    pane.keys("C-l")
    pane.wait_until(lambda s: "已锁定" in header(s), "the lock", STEP)
    pane.keys("Tab", "BTab")
    pane.type(password)
    pane.wait_row("密码", "•" * len(password))
    pane.keys("Enter")
    _home(pane)
    quit_desk(pane)


def test_a_language_switch_at_the_login_keeps_every_key(
    tmux: Tmux,  # noqa: F811
    database: Path,  # noqa: F811
) -> None:
    pane = start_desk(tmux, "login-lang", database)
    user, password = RECEPTION
    pane.type(user[:4])  # part of the name before the switch: it stays
    pane.wait_row("用户名", user[:4])
    pane.keys("C-p")
    pane.wait_for("切换语言", STEP)
    pane.type("English")
    pane.wait_for("English", STEP)
    pane.keys("Enter")
    pane.wait_until(lambda s: "Sign in" in header(s), "the login in English", START)
    pane.wait_for(f"{user} / {password}", STEP)  # the demo's accounts are still listed
    pane.keys("F1")  # help opens and closes
    pane.wait_for("Help · keys", STEP)
    pane.keys("Escape")
    pane.wait_until(lambda s: "Sign in" in header(s), "back at the login", STEP)
    pane.type(user[4:])  # the name box has the keys again, with what was typed before
    pane.wait_row("User name", user)
    pane.keys("Enter")
    pane.wait_cursor_on("Password")
    pane.type(password)
    pane.keys("Enter")
    _home(pane, "Home")
    quit_desk(pane)
