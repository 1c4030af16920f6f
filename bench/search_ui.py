"""The residents screen on the 200,000-resident database, typed into one key at a time.

Runs the real app headless at 80×24 (``App.run_test``). For every key of a fixed list of
queries, a key event goes to the focused search box and the clock runs until the results table
holds the answer for the new text. (``Pilot.press`` is not used for the timing: it waits for the
whole process to fall idle, about 80 ms here, which is the harness, not the app.) Prints one
JSON line: p50/p95/max milliseconds, the count, and the process's peak resident memory.
"""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import ensure_db
from textual import events

from frontdesk.app import make_app
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.screens.residents.search import ResidentsScreen

NOW = datetime(2026, 11, 29, 9, 0)
QUERIES = [
    "lihui",
    "王芳",
    "zhangwei",
    "3-2-1001",
    "学府苑3号楼",
    "1380",
    "5678",
    "wxm",
    "欧阳",
    "刘",
    "chen",
    "0512",
    "LJ-000123",
]


async def measure(path: Path) -> list[float]:
    clock = FixedClock(NOW)
    open_database(path, create=False, now=clock.now)
    app = make_app(db_path=path, clock=clock, language="zh", operator="desk-lj-1")
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, ResidentsScreen)
        search_box = screen.query_one("#search")
        for query in QUERIES:
            await pilot.press("ctrl+r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            typed = ""
            for key in query:
                typed += key
                start = time.perf_counter()
                search_box.post_message(events.Key(key, key))
                while screen.result is None or screen.result.query != typed:
                    await asyncio.sleep(0.0005)
                times.append((time.perf_counter() - start) * 1000)
            assert search_box.value == query  # type: ignore[attr-defined]
    return times


def main() -> None:
    path = ensure_db()
    times = sorted(asyncio.run(measure(path)))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "keys": len(times),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                "max_ms": round(times[-1], 1),
                "peak_rss_mb": round(peak_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
