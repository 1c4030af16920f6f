"""What watching for other sessions' changes costs, on the 200,000-resident database.

An idle desk does one ``PRAGMA data_version`` a second: its cost is ``idle_check_us``. When
another process commits, the desk reads the new audit entries (``collect_ms``); the whole
round — commit in another process until this desk knows which records changed, polling as the
app does every second — is ``seen_after_s`` (the issue asks for ≤ 2 s). Prints one JSON line.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import DATA, ensure_db

from frontdesk import audit
from frontdesk.clock import FixedClock
from frontdesk.db.changes import ChangeWatch
from frontdesk.db.connection import open_database, write

NOW = datetime(2026, 11, 29, 10, 0)
POLL_SECONDS = 1.0  # as frontdesk.app.CHANGE_POLL_SECONDS
ROUNDS = 10


def _other_desk(
    path: str, go: multiprocessing.synchronize.Event, done: multiprocessing.Queue
) -> None:  # type: ignore[name-defined]
    db = open_database(Path(path), create=False, now=FixedClock(NOW).now)
    for n in range(ROUNDS):
        go.wait()
        go.clear()
        write(lambda n=n: audit.record("booking.create", "booking", n + 1, actor_id=None, at=NOW))
        done.put(time.perf_counter())
    db.close()


def main() -> None:
    source = ensure_db()
    path = DATA / "changes-200k.db"
    shutil.copy(source, path)
    watch = ChangeWatch(path)
    idle = []
    for _ in range(2000):
        start = time.perf_counter()
        watch.committed_elsewhere()
        idle.append((time.perf_counter() - start) * 1e6)
    go = multiprocessing.Event()
    done: multiprocessing.Queue[float] = multiprocessing.Queue()
    other = multiprocessing.Process(target=_other_desk, args=(str(path), go, done))
    other.start()
    seen, collect = [], []
    next_poll = time.perf_counter() + POLL_SECONDS
    for _ in range(ROUNDS):
        time.sleep((next_poll - time.perf_counter()) % POLL_SECONDS * 0.37)  # commit mid-interval
        go.set()
        committed = done.get()
        while True:  # the app's timer
            time.sleep(max(0.0, next_poll - time.perf_counter()))
            next_poll += POLL_SECONDS
            if watch.committed_elsewhere():
                start = time.perf_counter()
                changes = watch.collect()
                collect.append((time.perf_counter() - start) * 1000)
                assert changes.touches("booking")
                seen.append(time.perf_counter() - committed)
                break
    other.join()
    watch.close()
    print(
        json.dumps(
            {
                "idle_check_us": round(statistics.median(idle), 1),
                "collect_ms": round(max(collect), 2),
                "seen_after_s_max": round(max(seen), 2),
                "seen_after_s_median": round(statistics.median(seen), 2),
                "rounds": ROUNDS,
            }
        )
    )
    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
