"""The installed ``frontdesk`` command in real terminals (tmux, 80×24), read as plain text.

One test signs in, opens every main screen, the help, and quits; another runs two desks on one
database file and sees a booking made at one appear at the other by itself. The program runs on
the real clock, so nothing here depends on a date: free slots are found by reading the screen.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.terminal import Pane, Tmux, frontdesk_command, tmux_available

pytestmark = pytest.mark.skipif(not tmux_available(), reason="needs tmux")

START = 15.0  # seconds for the program to start on a busy machine
STEP = 10.0  # seconds for one screen to follow a key, on a busy machine
SEEN_ELSEWHERE = 5.0  # seconds for a booking to show at the other desk (promised: 2)

RECEPTION = ("desk-lj-1", "desk2026")  # demo accounts: user name, password
SUPERVISOR = ("lead-lj-1", "lead2026")

# the day view's line under the grid for a free slot (rooms.info_free)
FREE_SLOT = "空闲 · Enter 预约"
TITLE = "终端测试"  # 8 cells: the day view's 80-column room columns show 8
BOOKER = "读书协会"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo community (seed 7, as tests/conftest.py's), made by the installed command."""
    path = tmp_path_factory.mktemp("terminal") / "desk.db"
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
    """A copy of its own for each test: the desks write to it."""
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


def start_desk(tmux: Tmux, name: str, database: Path, term: str = "xterm-256color") -> Pane:
    pane = tmux.open(name, [frontdesk_command(), "--db", str(database), "--lang", "zh"], term=term)
    pane.wait_for("用户名", START)
    pane.wait_for("未登录", START)
    return pane


def header(screen: str) -> str:
    return screen.split("\n", 1)[0]


def staff_name(database: Path, username: str) -> str:
    """The name the header shows for ``username``."""
    with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as db:
        row = db.execute("SELECT display_name FROM staff WHERE username = ?", (username,))
        return str(row.fetchone()[0])


def sign_in(pane: Pane, account: tuple[str, str], name: str) -> None:
    """User name, Enter, password, Enter — each only once the screen shows the one before
    arrived (typed ahead, the password would land in the user name box); until the header
    names the operator."""
    user, password = account
    pane.type(user)
    pane.wait_row("用户名", user)
    pane.keys("Enter")
    pane.wait_cursor_on("密码")
    pane.type(password)
    pane.wait_row("密码", "•" * len(password))
    pane.keys("Enter")
    pane.wait_until(
        lambda s: name in header(s) and "未登录" not in header(s),
        f"the header to name {name}",
        STEP,
    )


def show(pane: Pane, key: str, title: str, *texts: str) -> str:
    """Press ``key``; wait for the header to carry ``title`` and the screen ``texts``."""
    pane.keys(key)
    return pane.wait_until(
        lambda s: title in header(s) and all(t in s for t in texts),
        f"{key}: {title!r} in the header and {texts!r}",
        STEP,
    )


def quit_desk(pane: Pane) -> None:
    pane.keys("C-q")
    assert pane.wait_exit(STEP) == 0
    left = pane.after_exit()
    assert not left, f"the program left this on the terminal:\n{left}"  # a traceback?


# ------------------------------------------------------------------------------ every screen

COLOURS_256 = re.compile(r"\x1b\[[0-9;]*[34]8;[25];")  # 256-colour or RGB colour codes


@pytest.mark.parametrize("term", ["xterm-256color", "xterm"])
def test_sign_in_visit_every_screen_and_quit(tmux: Tmux, database: Path, term: str) -> None:
    desk = start_desk(tmux, "desk", database, term)
    sign_in(desk, RECEPTION, staff_name(database, RECEPTION[0]))
    shown = desk.wait_for("今日概况", STEP)  # reception starts at home
    assert "首页" in header(shown)

    # the header's title, and something of each screen's own
    show(desk, "F2", "居民查询", "姓名", "住址")  # the results' columns
    show(desk, "F3", "功能室预约", "（今天）", "妇女之家")  # today, a room
    show(desk, "F4", "来访诉求", "承办人", "LJ-")  # the queue: holder column, request numbers
    show(desk, "F5", "首页", "今日概况", "在住居民", "今日预约")

    desk.keys("F1")
    desk.wait_for("帮助 · 常用按键", STEP)
    desk.keys("Escape")
    desk.wait_until(
        lambda s: "帮助 · 常用按键" not in s and "今日概况" in s, "the help to close", STEP
    )

    # 16 colours when the terminal says so, more when it can
    styled = desk.styled()
    if term == "xterm":
        assert not COLOURS_256.search(styled), "256-colour codes on a 16-colour terminal"
    else:
        assert COLOURS_256.search(styled), "no 256-colour codes on a 256-colour terminal"

    quit_desk(desk)


# ------------------------------------------------------------------------- two desks, one file


SLOT = re.compile(r"(\d\d:\d\d)–\d\d:\d\d")
TIME_ROW = re.compile(r"^ (\d\d:\d\d)(?: |$)")
ROOMS_ACROSS = 7  # all seven rooms fit side by side at 80 columns


def info_line(pane: Pane) -> str:
    """The line under the rooms grid: what the cursor is on ("妇女之家 08:30–09:00 · 空闲 ...")."""
    return pane.lines()[-2]


def day_title(pane: Pane) -> str:
    """The rooms screen's second line: the day shown."""
    return pane.lines()[1].split("[ ]")[0].strip()


def visible_slots(pane: Pane) -> list[str]:
    """The times of the grid rows on screen, top to bottom."""
    return [m[1] for row in pane.lines()[3:-2] if (m := TIME_ROW.match(row))]


def cursor_slot(pane: Pane) -> str:
    found = SLOT.search(info_line(pane))
    assert found is not None, f"no slot under the grid:\n{pane.screen()}"
    return found[1]


def wait_grid(pane: Pane) -> None:
    pane.wait_until(lambda s: SLOT.search(s.split("\n")[-3]) is not None, "the grid", STEP)


class GridWalk:
    """The cursor of one desk's day view, moved by arrow keys and read from the screen. It
    never leaves the rows on screen, so that the grid does not scroll."""

    def __init__(self, pane: Pane) -> None:
        self.pane = pane
        self.column = 0  # the rooms screen starts on the first room
        self.slots = visible_slots(pane)
        assert len(self.slots) > 10, f"too few rows on screen:\n{pane.screen()}"
        self.info = info_line(pane)

    @property
    def row(self) -> int:
        found = SLOT.search(self.info)
        assert found is not None, f"no slot under the grid:\n{self.pane.screen()}"
        return self.slots.index(found[1])

    def press(self, key: str) -> None:
        """One arrow key; until the line under the grid describes another cell."""
        before = self.info
        self.pane.keys(key)
        deadline = time.monotonic() + STEP
        while (info := info_line(self.pane)) == before:
            assert time.monotonic() < deadline, f"{key} moved nothing:\n{self.pane.screen()}"
            time.sleep(0.02)
        self.info = info

    def go(self, column: int, row: int) -> None:
        while self.column != column:
            step = 1 if column > self.column else -1
            self.press("Right" if step > 0 else "Left")
            self.column += step
        now = self.row
        for _ in range(abs(row - now)):
            self.press("Down" if row > now else "Up")

    def find_free(self) -> bool:
        """Visit every cell on screen, from the cursor's row down, then the rows above it,
        along each row and back along the next, until one is free."""
        self.info = info_line(self.pane)  # another day may be shown now
        if FREE_SLOT in self.info:
            return True
        start = self.row
        rows = [*range(start, len(self.slots)), *range(start - 1, -1, -1)]
        for row in rows:
            if self.column < ROOMS_ACROSS // 2:
                across = range(ROOMS_ACROSS)
            else:
                across = range(ROOMS_ACROSS - 1, -1, -1)
            for column in across:
                self.go(column, row)
                if FREE_SLOT in self.info:
                    return True
        return False


def next_day(panes: list[Pane]) -> None:
    """The next day at every desk, until each shows it."""
    before = [day_title(p) for p in panes]
    for pane in panes:
        pane.keys("]")
    for pane, old in zip(panes, before, strict=True):
        pane.wait_until(
            _moved_on_from(old),
            "the next day",
            STEP,
        )
        wait_grid(pane)


def test_a_booking_at_one_desk_shows_at_the_other(tmux: Tmux, database: Path) -> None:
    desk = start_desk(tmux, "desk", database)
    lead = start_desk(tmux, "lead", database)
    sign_in(desk, RECEPTION, staff_name(database, RECEPTION[0]))
    sign_in(lead, SUPERVISOR, staff_name(database, SUPERVISOR[0]))
    both = [desk, lead]
    for pane in both:
        show(pane, "F3", "功能室预约", "前后翻")
        wait_grid(pane)

    # From tomorrow on every open slot is in the future, whatever the time now. Both desks
    # show the same day, the same rows; the desk's cursor stays on the rows shown, so the
    # other desk shows the slot it books without scrolling.
    walk: GridWalk | None = None
    for _day in range(7):
        next_day(both)
        walk = walk or GridWalk(desk)
        assert day_title(desk) == day_title(lead)
        assert visible_slots(desk) == visible_slots(lead) == walk.slots
        if walk.find_free():
            break
    else:
        pytest.fail(f"no free slot on screen in the next seven days:\n{desk.screen()}")
    booked = cursor_slot(desk)
    assert TITLE not in lead.screen()

    desk.keys("Enter")
    desk.wait_for("预约功能室", STEP)
    desk.wait_cursor_on("活动名称")
    desk.type(TITLE)
    desk.wait_row("活动名称", TITLE)
    desk.keys("Tab", "Tab")  # past the kind of booker (an organisation) to its name
    desk.wait_cursor_on("名称/姓名")
    desk.type(BOOKER)
    desk.wait_row("名称/姓名", BOOKER)
    desk.keys("C-s")
    sent = time.monotonic()
    desk.wait_until(lambda s: "预约功能室" not in s and TITLE in s, "the booking in the grid", STEP)
    saved = time.monotonic()

    # the other desk, not a key pressed there
    shown = lead.wait_until(
        lambda s: TITLE in s,
        f"{TITLE!r}, booked at the other desk (it should show within 2 s, no key pressed)",
        SEEN_ELSEWHERE,
    )
    waited = time.monotonic()
    assert [m[1] for r in shown.split("\n") if TITLE in r and (m := TIME_ROW.match(r))] == [
        booked
    ], f"not in the {booked} row:\n{shown}"
    assert day_title(desk) == day_title(lead)
    print(
        f"\nthe booking showed at the desk {saved - sent:.1f}s after Ctrl+S, "
        f"at the other desk {waited - sent:.1f}s after"
    )

    quit_desk(desk)
    quit_desk(lead)


def _moved_on_from(old: str) -> Callable[[str], bool]:
    """True once the pane's title line shows another day than ``old``."""
    return lambda screen: screen.split("\n")[1].split("[ ]")[0].strip() != old


def test_the_demo_login_keeps_the_keys_while_the_demo_is_made(tmux: Tmux) -> None:
    """``frontdesk --demo``: the name and Enter typed at once, while the demo is still being
    made; once it is there the password goes into its box and Enter signs in."""
    desk = tmux.open("demo", [frontdesk_command(), "--demo", "--lang", "zh"])
    desk.wait_for("用户名", START)  # typed at once, as a clerk does
    desk.type(RECEPTION[0])
    desk.keys("Enter")
    desk.wait_for(f"{RECEPTION[0]} / {RECEPTION[1]}", 60.0)  # the demo's accounts: it is there
    desk.type(RECEPTION[1])
    desk.wait_for("••••••••", STEP)
    desk.keys("Enter")
    assert "首页" in header(desk.wait_for("今日概况", STEP))


def test_a_database_that_will_not_open_ends_the_desk_with_one_line(
    tmux: Tmux, tmp_path: Path
) -> None:
    """The file passes the checks made before the first screen (a frontdesk database, an
    older schema) but its migration fails behind the login: the desk ends, and the terminal
    shows one line and a non-zero status — no traceback, no login left hanging."""
    path = tmp_path / "broken.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "CREATE TABLE schema_migration (id INTEGER PRIMARY KEY, version INTEGER, name TEXT,"
            " applied_at TEXT)"
        )
        conn.execute("INSERT INTO schema_migration (version, name, applied_at) VALUES (4, 'x', '')")
        conn.commit()
    desk = tmux.open("broken", [frontdesk_command(), "--db", str(path), "--lang", "zh"])
    desk.wait_until(lambda screen: desk.status() is not None, "the desk to end", START)
    assert desk.status() == 1
    # one line, wrapped by the 80 columns when the path is long
    assert desk.after_exit().replace("\n", "") == f"frontdesk: 无法读取数据库 {path}"
