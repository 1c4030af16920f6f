"""Seconds from launching ``frontdesk --db EXISTING`` to its first screen (the login), in a
real pty; and from typing a demo account's name and password to the home screen (the sign-in,
scrypt included).

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
MARKER = "登录".encode()  # the header title of the first screen, the login
HOME = "首页".encode()  # the header title of the screen after signing in
SIGN_IN = b"desk-lj-1\rdesk2026\r"  # a demo account (bench databases are demo data)
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


def time_to_first_screen(args: list[str], *, sign_in: bool = False) -> tuple[float, float]:
    pid, fd = pty.fork()
    if pid == 0:  # child: the program, in an 80×24 terminal
        os.environ.update({"TERM": "xterm-256color", "FRONTDESK_LANG": "zh"})
        os.execv(FRONTDESK, [FRONTDESK, *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    elapsed = _wait_for(fd, MARKER, start)
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


def median_start(args: list[str]) -> float:
    return statistics.median(time_to_first_screen(args)[0] for _ in range(RUNS))


def median_sign_in(args: list[str]) -> float:
    return statistics.median(time_to_first_screen(args, sign_in=True)[1] for _ in range(RUNS))


def main() -> None:
    small = ensure_db("community.db", 7982)
    large = ensure_db("district-200k.db", 200_000)
    result = {
        "first_screen_s_community": round(median_start(["--db", str(small)]), 3),
        "first_screen_s_200k": round(median_start(["--db", str(large)]), 3),
        "demo_first_screen_s": round(median_start(["--demo"]), 3),
        "sign_in_to_home_s": round(median_sign_in(["--db", str(small)]), 3),
        "runs": RUNS,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
