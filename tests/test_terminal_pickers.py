"""Picking in a real terminal (issue 12, point 4, and the leak story): ↓ then Enter takes the
second one found, in F2 and in the intake's reporter list; after picking the reporter the typing
goes to the next empty field, not over the flat filled in; and the leak from upstairs — a name,
Enter, the neighbour above, p, a reason — from the search box."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.residents.search import SearchFilters, search_everywhere
from tests.conftest import DEMO_NOW, DEMO_TODAY
from tests.terminal import Pane, Tmux, tmux_available
from tests.test_residents_ui import _leak_story_resident
from tests.test_terminal import (
    STEP,
    SUPERVISOR,
    database,  # noqa: F401  (fixtures)
    header,
    quit_desk,
    seeded,  # noqa: F401
    sign_in,
    staff_name,
    start_desk,
    tmux,  # noqa: F401
)

pytestmark = pytest.mark.skipif(not tmux_available(), reason="tmux is not installed")

QUERY = "王秀"


def _found(path: Path) -> tuple[list[str], str, str, str]:
    """What F2 lists for QUERY (names, in order), and the leak story's resident, the name of
    the one above and their phone."""
    db = open_database(path, create=False, now=FixedClock(DEMO_NOW).now)
    try:
        result = search_everywhere(QUERY, SearchFilters(), today=DEMO_TODAY)
        resident, upstairs, phone = _leak_story_resident()
        return [hit.name for hit in result.hits], str(resident.name), upstairs, phone
    finally:
        db.close()


def _hits(screen: str) -> list[str]:
    """The names listed under the reporter box (up to the line offering a visitor)."""
    inside = [row.strip().strip("│").strip() for row in screen.split("\n")]
    start = next((i for i, row in enumerate(inside) if row.startswith("反映人")), None)
    if start is None:
        return []
    names = []
    for row in inside[start + 1 :]:
        if not row or row.startswith("按来访者登记"):
            break
        names.append(row.split()[0])
    return names


def _desk(tmux: Tmux, database: Path) -> Pane:  # noqa: F811
    pane = start_desk(tmux, "pick", database)
    sign_in(pane, SUPERVISOR, staff_name(database, SUPERVISOR[0]))
    return pane


def _listed(screen: str, heading: str) -> list[str]:
    """The first cells of the rows under the row holding ``heading`` (a table's names)."""
    rows = screen.split("\n")
    top = next((i for i, row in enumerate(rows) if row.strip().startswith(heading)), None)
    if top is None:  # not drawn yet
        return []
    return [row.split()[0] for row in rows[top + 1 :] if row.split()]


def test_down_then_enter_takes_the_second_and_the_flat_is_not_typed_over(
    tmux: Tmux,  # noqa: F811
    database: Path,  # noqa: F811
) -> None:
    pane = _desk(tmux, database)
    pane.keys("F2")
    pane.wait_until(lambda s: "居民" in header(s), "F2", STEP)
    pane.type(QUERY)
    shown = pane.wait_until(  # the answer to the whole query (not to its first character)
        lambda s: (
            len(_listed(s, "姓名")) >= 3
            and all(name.startswith(QUERY) for name in _listed(s, "姓名")[:3])
        ),
        "the results",
        STEP,
    )
    second = _listed(shown, "姓名")[1]
    pane.keys("Down", "Enter")  # in one burst, as over SSH: applied in order
    pane.wait_until(lambda s: "居民详情" in header(s) and "正在读取" not in s, "the detail", STEP)
    top = "\n".join(pane.screen().split("\n")[:3])
    assert second in top, top
    pane.keys("Escape", "F6")
    pane.wait_for("登记来访诉求", STEP)
    pane.type(QUERY)
    pane.wait_until(  # the answer to the whole query, not to its first character
        lambda s: len(_hits(s)) >= 2 and all(hit.startswith(QUERY) for hit in _hits(s)),
        "the reporters found",
        STEP,
    )
    hits = _hits(pane.screen())
    assert len(hits) >= 2, pane.screen()
    pane.keys("Down", "Enter")
    pane.wait_until(lambda s: f"居民 {hits[1]}，电话" in s, "the reporter chosen", STEP)
    pane.type("楼道")  # the next empty field: the place's detail, not the flat
    pane.wait_for("楼道", STEP)
    screen = pane.screen()
    assert "找不到这个地点" not in screen, screen
    pane.keys("Escape")
    quit_desk(pane)


def test_the_leak_from_upstairs_from_the_search_box(
    tmux: Tmux,  # noqa: F811
    database: Path,  # noqa: F811
) -> None:
    _names, name, upstairs, phone = _found(database)
    pane = _desk(tmux, database)
    pane.keys("F2")
    pane.wait_until(lambda s: "居民" in header(s), "F2", STEP)
    pane.type(name)
    pane.wait_for(name, STEP)
    pane.keys("Enter")  # the first found: the detail
    shown = pane.wait_until(lambda s: "楼上  " in s and upstairs in s, "the neighbours", STEP)
    assert phone not in shown  # masked
    pane.keys("p")
    pane.wait_for("联系邻居", STEP)
    pane.keys("1")
    pane.wait_for(phone, STEP)
    quit_desk(pane)
