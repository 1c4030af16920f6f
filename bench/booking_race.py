"""No double booking across processes: P processes race A random bookings each on one file.

Each process opens the same SQLite database and tries random bookings over a few rooms and days
(``create_booking``: the checks and the insert in one IMMEDIATE transaction). Afterwards the
database is checked for overlapping live bookings. Prints one JSON line: attempts, booked,
conflicts (refused by a rule), overlaps_in_db (must be 0), lock_errors (must be 0), other_errors
and p95 milliseconds per attempt.

    python bench/booking_race.py [--processes 4] [--attempts 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = date(2026, 11, 30)  # a Monday
NAMES = "甲乙丙丁戊己庚辛"  # one booker per process (a name holds no digits)
NOW = datetime(2026, 11, 30, 7, 0)
ROOMS = ("women_home", "meeting", "reading")
DAYS = 3


def prepare(path: Path) -> list[int]:
    from frontdesk.clock import FixedClock
    from frontdesk.db.connection import open_database
    from frontdesk.db.models import Room
    from frontdesk.demo import DemoOptions, generate

    db = open_database(path, create=True, now=FixedClock(NOW).now)
    generate(DemoOptions(seed=3, residents=600, today=TODAY))
    ids = [room.id for room in Room.select().where(Room.code.in_(ROOMS)).order_by(Room.id)]
    db.close()
    return ids


def race(args: tuple[str, list[int], int, int]) -> dict[str, object]:
    path, rooms, attempts, seed = args
    from peewee import OperationalError

    from frontdesk.bookings.booking import create_booking
    from frontdesk.bookings.rules import Booker, BookingInput, BookingRefused
    from frontdesk.clock import FixedClock
    from frontdesk.db.connection import open_database

    db = open_database(Path(path), create=False, now=FixedClock(NOW).now)
    from frontdesk.db.models import Staff

    desk = Staff.select(Staff.id).where(Staff.role == "reception").scalar()  # each a front desk
    rng = random.Random(seed)
    booked = conflicts = locks = others = 0
    times: list[float] = []
    for n in range(attempts):
        day = TODAY + timedelta(days=rng.randrange(DAYS))
        start = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=30 * rng.randrange(17, 40)
        )
        data = BookingInput(
            room_id=rng.choice(rooms),
            starts_at=start,
            ends_at=start + timedelta(minutes=30 * rng.randint(1, 4)),
            title=f"race {seed}-{n}",
            booker=Booker("person", f"赛跑者{NAMES[seed % len(NAMES)]}", f"1380000{seed:04d}"),
            attendees=rng.randint(1, 10),
        )
        began = time.perf_counter()
        try:
            create_booking(data, actor_id=desk, now=NOW)
            booked += 1
        except BookingRefused:
            conflicts += 1
        except OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                locks += 1
            else:
                others += 1
        except Exception:
            others += 1
        times.append((time.perf_counter() - began) * 1000)
    db.close()
    return {
        "booked": booked,
        "conflicts": conflicts,
        "locks": locks,
        "others": others,
        "times": times,
    }


def overlaps_in(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(path)
    (count,) = conn.execute(
        """SELECT count(*) FROM booking a JOIN booking b
           ON a.room_id = b.room_id AND a.id < b.id
          AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
          WHERE a.status IN ('booked', 'checked_in') AND b.status IN ('booked', 'checked_in')"""
    ).fetchone()
    conn.close()
    return int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="booking-race-"))
    path = folder / "race.db"
    rooms = prepare(path)
    jobs = [
        (str(path), rooms, options.attempts, options.seed * 100 + p)
        for p in range(options.processes)
    ]
    with multiprocessing.get_context("spawn").Pool(options.processes) as pool:
        results = pool.map(race, jobs)
    times = sorted(t for r in results for t in r["times"])  # type: ignore[attr-defined]
    print(
        json.dumps(
            {
                "processes": options.processes,
                "attempts": options.processes * options.attempts,
                "booked": sum(int(r["booked"]) for r in results),  # type: ignore[call-overload]
                "conflicts": sum(int(r["conflicts"]) for r in results),  # type: ignore[call-overload]
                "overlaps_in_db": overlaps_in(path),
                "lock_errors": sum(int(r["locks"]) for r in results),  # type: ignore[call-overload]
                "other_errors": sum(int(r["others"]) for r in results),  # type: ignore[call-overload]
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
