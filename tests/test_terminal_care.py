"""Today's round (F12) in a real terminal (tmux, 80×24), read as plain text: a grid manager
signs in, the home screen counts today's round, F12 shows it, Enter and Ctrl+S record a visit
to the first stop and the count goes down by the people it saw. The program runs on the real
clock: the counts are read from the screen, not known in advance."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.terminal import Pane, Tmux, frontdesk_command, tmux_available
from tests.test_terminal import START, STEP, header, quit_desk, sign_in, staff_name

pytestmark = pytest.mark.skipif(not tmux_available(), reason="needs tmux")

GRID_MANAGER = ("gm-lj-01", "grid2026")
COUNTS = re.compile(r"今日 (\d+) 人，逾期 (\d+) 人")
HOME = re.compile(r"今日走访 (\d+) 人（逾期 (\d+)）· F12")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo community (seed 7), made by the installed command."""
    path = tmp_path_factory.mktemp("terminal-care") / "desk.db"
    done = subprocess.run(
        [frontdesk_command(), "seed", "--db", str(path), "--seed", "7", "--today", "2026-11-29"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def database(seeded: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    shutil.copy(seeded, path)
    return path


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    try:
        yield server
    finally:
        server.close()


def counts(screen: str) -> tuple[int, int]:
    found = COUNTS.search(screen)
    assert found is not None, screen
    return int(found[1]), int(found[2])


def first_stop_people(pane: Pane) -> int:
    """How many people the first stop lists: its row and the rows under it without an
    address (the table's rows start under the column titles)."""
    lines = pane.lines()
    top = next(n for n, line in enumerate(lines) if "地址" in line and "到期" in line)
    people = 1
    for line in lines[top + 2 :]:
        if line[:22].strip() or not line.strip():
            break
        people += 1
    return people


def test_the_round_in_a_terminal_records_a_visit(tmux: Tmux, database: Path) -> None:
    desk = tmux.open("care", [frontdesk_command(), "--db", str(database), "--lang", "zh"])
    desk.wait_for("用户名", START)
    desk.wait_for("未登录", START)
    sign_in(desk, GRID_MANAGER, staff_name(database, GRID_MANAGER[0]))

    desk.keys("F5")  # a grid manager's home counts today's round
    home = desk.wait_until(lambda s: HOME.search(s) is not None, "the round's count", STEP)
    found = HOME.search(home)
    assert found is not None

    desk.keys("F12")
    shown = desk.wait_until(
        lambda s: "今日走访" in header(s) and COUNTS.search(s) is not None, "the round", STEP
    )
    people, overdue = counts(shown)
    assert (people, overdue) == (int(found[1]), int(found[2]))
    assert people > 0, "the demo's round is never empty"
    assert "地址" in shown and "姓名" in shown and "年龄" in shown  # age a column of its own
    seen = first_stop_people(desk)

    desk.keys("Enter")
    form = desk.wait_for("见到了谁", STEP)
    assert "1 上门" in form and "o 已见 / 未遇" in form
    desk.keys("C-s")
    after = desk.wait_until(
        lambda s: (
            "见到了谁" not in s and COUNTS.search(s) is not None and counts(s)[0] == people - seen
        ),
        f"the round to count {people - seen}",
        STEP,
    )
    assert "已记录" in after
    quit_desk(desk)
