"""Seconds from launching ``frontdesk --db EXISTING`` to its first screen, in a real pty.

Measured on the default community and on a 200,000-resident district (both generated once and
kept in bench/.data/). Prints one JSON line. The start-up must not grow with the database.
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
MARKER = "首页".encode()  # the header title of the first screen
RUNS = 5


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


def time_to_first_screen(args: list[str]) -> float:
    pid, fd = pty.fork()
    if pid == 0:  # child: the program, in an 80×24 terminal
        os.environ.update({"TERM": "xterm-256color", "FRONTDESK_LANG": "zh"})
        os.execv(FRONTDESK, [FRONTDESK, *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    seen = b""
    elapsed = float("nan")
    deadline = start + 20
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if MARKER in seen:
                elapsed = time.perf_counter() - start
                break
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
    return elapsed


def median_start(args: list[str]) -> float:
    return statistics.median(time_to_first_screen(args) for _ in range(RUNS))


def main() -> None:
    small = ensure_db("community.db", 7982)
    large = ensure_db("district-200k.db", 200_000)
    result = {
        "first_screen_s_community": round(median_start(["--db", str(small)]), 3),
        "first_screen_s_200k": round(median_start(["--db", str(large)]), 3),
        "demo_first_screen_s": round(median_start(["--demo"]), 3),
        "runs": RUNS,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
