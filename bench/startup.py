"""Seconds from launching ``frontdesk --db EXISTING`` to its first screen (the login), in a
real pty; and from typing a demo account's name and password to the home screen (the sign-in,
scrypt included).

Measured on the default community and on a 200,000-resident district (both generated once and
kept in bench/.data/), and with ``--demo`` (the login drawn while the demo is made behind it).
A bare Textual app (a Header and a Footer) is timed the same way in the same run, and each
first screen is given as a ratio to it: the machine's speed divides out. Targets: the login
≤ 1.5× bare on the community database and flat on 200,000 residents, the demo's ≤ 2× bare.
Prints one JSON line.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
FRONTDESK = shutil.which("frontdesk") or str(Path(sys.executable).with_name("frontdesk"))
MARKER = "登录".encode()  # the header title of the first screen, the login
BARE_MARKER = b"bare-textual"  # the bare app's header title
BARE = """
from textual.app import App
from textual.widgets import Footer, Header


class Bare(App[None]):
    TITLE = "bare-textual"
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Footer()


Bare().run()
"""
HOME = "首页".encode()  # the header title of the screen after signing in
SIGN_IN = b"desk-lj-1\rdesk2026\r"  # a demo account (bench databases are demo data)
RUNS = (
    11  # rounds; the medians of 11 vary by a few milliseconds from one run of the bench to the next
)


def ensure_db(name: str, residents: int) -> Path:
    path = DATA / name
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        subprocess.run(
            [
                FRONTDESK,
                "seed",
                "--db",
                str(path),
                "--residents",
                str(residents),
                "--seed",
                "1",
                "--today",
                "2026-11-29",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return path


def _wait_for(fd: int, marker: bytes, start: float) -> float:
    seen = b""
    deadline = start + 20
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if marker in seen:
                return time.perf_counter() - start
    return float("nan")


def time_to_first_screen(
    args: list[str], *, sign_in: bool = False, bare: bool = False
) -> tuple[float, float]:
    """Launch in an 80×24 pty; seconds until the first screen's text appears (and, with
    ``sign_in``, from typing the account to the home screen)."""
    pid, fd = pty.fork()
    if pid == 0:  # child: the program, in an 80×24 terminal
        os.environ.update({"TERM": "xterm-256color", "FRONTDESK_LANG": "zh"})
        if bare:
            os.execv(sys.executable, [sys.executable, "-c", BARE])
        os.execv(FRONTDESK, [FRONTDESK, *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    elapsed = _wait_for(fd, BARE_MARKER if bare else MARKER, start)
    signed_in = float("nan")
    if sign_in:
        time.sleep(0.3)  # let the login screen take the focus
        typed = time.perf_counter()
        os.write(fd, SIGN_IN)
        signed_in = _wait_for(fd, HOME, typed)
    os.kill(pid, signal.SIGTERM)
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if not ready or not os.read(fd, 65536):
                break
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed, signed_in


def interleaved_starts(
    launches: dict[str, list[str] | None],
) -> tuple[dict[str, float], dict[str, float]]:
    """Median seconds to the first screen of each launch (None: the bare app), run in turns
    (one of each, RUNS times) so that a busy moment of the machine falls on all of them; and
    each launch's median ratio to the bare app started in the same round."""
    seen: dict[str, list[float]] = {name: [] for name in launches}
    for _ in range(RUNS):
        for name, args in launches.items():
            elapsed = time_to_first_screen(args or [], bare=args is None)[0]
            seen[name].append(elapsed)
    medians = {name: statistics.median(times) for name, times in seen.items()}
    ratios = {
        name: statistics.median(t / b for t, b in zip(times, seen["bare"], strict=True))
        for name, times in seen.items()
    }
    return medians, ratios


def median_sign_in(args: list[str]) -> float:
    return statistics.median(time_to_first_screen(args, sign_in=True)[1] for _ in range(RUNS))


def main() -> None:
    small = ensure_db("community.db", 7982)
    large = ensure_db("district-200k.db", 200_000)
    starts, ratios = interleaved_starts(
        {
            "bare": None,
            "community": ["--db", str(small)],
            "district": ["--db", str(large)],
            "demo": ["--demo"],
        }
    )
    bare, community = starts["bare"], starts["community"]
    district, demo = starts["district"], starts["demo"]
    result = {
        "bare_textual_s": round(bare, 3),
        "first_screen_s_community": round(community, 3),
        "first_screen_s_200k": round(district, 3),
        "demo_first_screen_s": round(demo, 3),
        # each the median of the rounds' ratios (launch ÷ the bare app of the same round)
        "ratio_community": round(ratios["community"], 2),  # target ≤ 1.5
        "ratio_200k": round(ratios["district"], 2),  # target ≤ 1.5 (flat)
        "ratio_demo": round(ratios["demo"], 2),  # target ≤ 2
        "sign_in_to_home_s": round(median_sign_in(["--db", str(small)]), 3),
        "runs": RUNS,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
