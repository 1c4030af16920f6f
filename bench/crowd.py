"""A crowd at the desks: 8 processes booking, moving, extending, cancelling, and booking and
editing weekly series; 2 logging and escalating requests; 2 editing residents — all on one
SQLite file (a demo database in a temporary folder), through the services as they are.

Two modes, each on a fresh copy of the same seeded database, for ``--seconds`` each:

- ``paced``: each process waits a random 50–150 ms between operations (a busy afternoon);
- ``flat``: no pause at all (a stress test; SQLite's busy handler does not queue waiters in
  order, so the tail is whatever the scheduler makes of it).

Prints ONE JSON line per mode: overlapping live bookings found afterwards, "database is locked"
errors, other errors (anything but a refusal the services meant: ``UserError``), and per kind
of operation how many ran, were refused, and p50 / p95 / p99 / max milliseconds; and how long
the write lock was held (from ``BEGIN IMMEDIATE`` to ``COMMIT``, measured by wrapping the
database's ``atomic`` in each process), median / p95 / max, overall and per kind.

    python bench/crowd.py [--mode both|paced|flat] [--seconds 20] [--residents 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = date(2026, 11, 30)  # a Monday
NOW = datetime(2026, 11, 30, 7, 0)  # before the day's first opening: every slot is ahead
# named people booking (each holds a weekly quota per room) and reporting
NAMES = [f"{family}{given}" for family in "王李张刘陈杨赵黄" for given in ("秀英", "建国", "桂兰")]
BOOKING_KINDS = ("book", "move", "extend", "cancel", "series_book", "series_edit")
WEIGHTS = (40, 15, 10, 10, 7, 18)


def prepare(folder: Path, residents: int, seed: int) -> Path:
    from frontdesk.clock import FixedClock
    from frontdesk.db.connection import open_database
    from frontdesk.demo import DemoOptions, generate

    path = folder / "seeded.db"
    db = open_database(path, create=True, now=FixedClock(NOW).now)
    generate(DemoOptions(seed=seed, residents=residents, today=TODAY))
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


# ------------------------------------------------------------------------------- measuring


class Meter:
    """Latencies per kind of operation, outcomes, and the write lock's hold times."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.refused: dict[str, int] = defaultdict(int)
        self.reasons: dict[str, int] = defaultdict(int)  # "kind: message key" of refusals
        self.holds: dict[str, list[float]] = defaultdict(list)
        self.locks = 0
        self.others: list[str] = []
        self.kind = ""

    def watch_lock(self) -> None:
        """Time every outermost transaction of this process's database (BEGIN .. COMMIT)."""
        from frontdesk.db.base import database_proxy

        db = database_proxy.obj
        real = db.atomic
        meter = self

        class Timed:
            def __init__(self, inner: Any) -> None:
                self.inner = inner
                self.outer = False
                self.began = 0.0

            def __enter__(self) -> Any:
                self.outer = db.transaction_depth() == 0
                entered = self.inner.__enter__()  # BEGIN IMMEDIATE: waits for the lock
                self.began = time.perf_counter()
                return entered

            def __exit__(self, *exc: Any) -> Any:
                try:
                    return self.inner.__exit__(*exc)  # COMMIT (or ROLLBACK)
                finally:
                    if self.outer:
                        held = (time.perf_counter() - self.began) * 1000
                        meter.holds[meter.kind or "other"].append(held)

        db.atomic = lambda *a, **k: Timed(real(*a, **k))

    def run(self, kind: str, call: Any) -> Any:
        from peewee import OperationalError

        from frontdesk.errors import UserError

        self.kind = kind
        began = time.perf_counter()
        result = None
        try:
            result = call()
        except UserError as exc:
            self.refused[kind] += 1
            self.reasons[f"{kind}: {exc.key}"] += 1
        except OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                self.locks += 1
            else:
                self.others.append(f"{kind}: {type(exc).__name__}: {exc}")
        except Exception as exc:  # a crash is a finding, never hidden
            self.others.append(f"{kind}: {type(exc).__name__}: {exc}")
        self.times[kind].append((time.perf_counter() - began) * 1000)
        self.kind = ""
        return result

    def result(self) -> dict[str, Any]:
        return {
            "times": dict(self.times),
            "refused": dict(self.refused),
            "reasons": dict(self.reasons),
            "holds": dict(self.holds),
            "locks": self.locks,
            "others": self.others,
        }


def open_in_worker(path: str) -> Any:
    from frontdesk.clock import FixedClock
    from frontdesk.db.connection import open_database

    return open_database(Path(path), create=False, now=FixedClock(NOW).now)


def staff_id(role: str, n: int = 0) -> int:
    from frontdesk.db.models import Staff

    rows = (
        Staff.select(Staff.id)
        .where((Staff.role == role) & (Staff.active == True))  # noqa: E712
        .order_by(Staff.id)
    )
    ids = [row.id for row in rows]
    return int(ids[n % len(ids)])


def pause(rng: random.Random, paced: bool) -> None:
    if paced:
        time.sleep(rng.uniform(0.050, 0.150))


# ---------------------------------------------------------------------------- the workers


def booking_worker(args: tuple[str, int, float, float, bool]) -> dict[str, Any]:
    """Books, moves, extends, cancels; books weekly series and edits them (this and following,
    the whole series), keeping what it loaded as a desk does (sometimes stale)."""
    path, seed, start_at, stop_at, paced = args
    db = open_in_worker(path)
    from frontdesk.bookings.booking import (
        cancel_booking,
        change_booking,
        create_booking,
        get_booking,
    )
    from frontdesk.bookings.rules import Booker, BookingInput
    from frontdesk.bookings.series import (
        SeriesInput,
        change_series,
        create_series,
        load_series,
    )
    from frontdesk.db.models import Booking, Room

    meter = Meter()
    meter.watch_lock()
    rng = random.Random(seed)
    desk = staff_id("reception", seed)
    community = Room.select(Room.community).order_by(Room.id).scalar()
    rooms = [r.id for r in Room.select().where(Room.community == community).order_by(Room.id)]
    mine: list[int] = []  # one-off bookings this desk made
    occurrences: list[int] = []  # bookings of series this desk made
    people = [Booker("person", name, f"1390000{n:04d}") for n, name in enumerate(NAMES)]

    def when(day_offset: int, minutes: int) -> tuple[datetime, datetime]:
        day = TODAY + timedelta(days=day_offset)
        start = datetime.combine(day, datetime.min.time()) + timedelta(
            minutes=30 * rng.randrange(17, 40)
        )
        return start, start + timedelta(minutes=minutes)

    def book() -> None:
        start, end = when(rng.randrange(14), 30 * rng.randint(1, 5))
        data = BookingInput(
            rng.choice(rooms), start, end, f"活动{seed}", rng.choice(people), rng.randint(1, 10)
        )
        mine.append(create_booking(data, actor_id=desk, now=NOW))

    def changed(booking_id: int, shift: int, longer: int) -> None:
        view = get_booking(booking_id, actor_id=desk)
        data = replace(
            view.as_input(),
            starts_at=view.starts_at + timedelta(minutes=shift),
            ends_at=view.ends_at + timedelta(minutes=shift + longer),
        )
        change_booking(booking_id, view.version, data, actor_id=desk, now=NOW)

    def series_book() -> None:
        weekday = rng.randrange(5)
        first = TODAY + timedelta(days=(weekday - TODAY.weekday()) % 7 + 7 * rng.randrange(2))
        start, end = when((first - TODAY).days, 30 * rng.randint(2, 4))
        data = SeriesInput(
            room_id=rng.choice(rooms),
            title=f"固定活动{seed}",
            weekdays=(weekday,),
            start_time=start.time(),
            end_time=end.time(),
            starts_on=first,
            until_on=first + timedelta(weeks=rng.randint(2, 5)),
            booker=Booker("organisation", f"社区兴趣小组{seed}", "03588888888"),
            attendees=rng.randint(3, 12),
        )
        saved = create_series(data, skip_conflicts=True, actor_id=desk, now=NOW)
        occurrences.extend(
            b.id for b in Booking.select(Booking.id).where(Booking.series == saved.series_id)
        )

    stale: dict[int, Any] = {}  # series as this desk loaded them, kept a while

    def series_edit() -> None:
        if not occurrences:
            return series_book()
        row: Any = Booking.get_by_id(rng.choice(occurrences))
        if row.series_id is None or row.status not in ("booked", "checked_in"):
            return None
        seen = stale.get(row.series_id)
        if seen is None or rng.random() < 0.7:  # mostly fresh, sometimes an old copy
            seen = stale[row.series_id] = load_series(row.series_id, actor_id=desk)
        scope: Literal["following", "all"] = "following" if rng.random() < 0.5 else "all"
        shift = timedelta(minutes=30 * rng.choice((-1, 1)))
        start = datetime.combine(TODAY, seen.data.start_time) + shift
        end = datetime.combine(TODAY, seen.data.end_time) + shift
        new = replace(
            seen.data,
            start_time=start.time(),
            end_time=end.time(),
            title=f"固定活动{seed}·{rng.randrange(10)}",
        )
        if scope == "following":
            new = replace(new, starts_on=row.occurrence_date)
        if rng.random() < 0.3:
            new = replace(new, until_on=None, occurrences=rng.randint(2, 6))
        saved = change_series(
            row.id,
            scope,
            new,
            series_id=seen.id,
            version=seen.version,
            skip_conflicts=rng.random() < 0.7,
            actor_id=desk,
            now=NOW,
        )
        occurrences.extend(
            b.id for b in Booking.select(Booking.id).where(Booking.series == saved.series_id)
        )
        return None

    def move() -> None:
        changed(rng.choice(mine), 30 * rng.choice((-2, -1, 1, 2)), 0)

    def extend() -> None:
        changed(rng.choice(mine), 0, 30)

    def cancel() -> None:
        booking_id = rng.choice(mine)
        version = get_booking(booking_id, actor_id=desk).version
        cancel_booking(booking_id, version, "临时有事", actor_id=desk, now=NOW)
        mine.remove(booking_id)  # a desk does not try to move what it cancelled

    operations = {
        "book": book,
        "move": move,
        "extend": extend,
        "cancel": cancel,
        "series_book": series_book,
        "series_edit": series_edit,
    }
    time.sleep(max(0.0, start_at - time.time()))
    while time.time() < stop_at:
        kind = rng.choices(BOOKING_KINDS, WEIGHTS)[0]
        if kind in ("move", "extend", "cancel") and not mine:
            kind = "book"
        meter.run(kind, operations[kind])
        pause(rng, paced)
    db.close()
    return meter.result()


def request_worker(args: tuple[str, int, float, float, bool]) -> dict[str, Any]:
    """Logs requests about flats of the community and escalates some of them."""
    path, seed, start_at, stop_at, paced = args
    db = open_in_worker(path)
    from frontdesk.db.models import Flat, Request, Room
    from frontdesk.requests.intake import Place, Reporter, RequestInput, create_request
    from frontdesk.requests.lifecycle import escalate
    from frontdesk.requests.lookup import categories

    meter = Meter()
    meter.watch_lock()
    rng = random.Random(seed)
    desk = staff_id("reception", seed)
    community = Room.select(Room.community).order_by(Room.id).scalar()
    flats = [f.id for f in Flat.select(Flat.id).limit(400)]
    codes = categories()
    logged: list[int] = []
    time.sleep(max(0.0, start_at - time.time()))
    while time.time() < stop_at:
        if logged and rng.random() < 0.4:
            request_id = logged.pop(rng.randrange(len(logged)))

            def up(request_id: int = request_id) -> None:
                version = Request.get_by_id(request_id).version
                escalate(request_id, version, "网格内无法解决", actor_id=desk, now=NOW)

            meter.run("request_escalate", up)
        else:
            data = RequestInput(
                category=rng.choice(codes),
                urgency="normal",
                description="楼道灯不亮，请尽快处理",
                reporter=Reporter(rng.choice(NAMES), f"1370000{rng.randrange(10000):04d}"),
                place=Place(flat_id=rng.choice(flats)),
            )
            done = meter.run(
                "request_log", lambda data=data: create_request(data, actor_id=desk, now=NOW)
            )
            if done is not None:
                logged.append(done.id)
        pause(rng, paced)
    assert community
    db.close()
    return meter.result()


def resident_worker(args: tuple[str, int, float, float, bool]) -> dict[str, Any]:
    """Edits residents' notes and phones (the community's leadership may edit anyone)."""
    path, seed, start_at, stop_at, paced = args
    db = open_in_worker(path)
    from frontdesk.db.models import Resident, Room
    from frontdesk.residents.editing import update_resident

    meter = Meter()
    meter.watch_lock()
    rng = random.Random(seed)
    lead = staff_id("supervisor", seed)
    community = Room.select(Room.community).order_by(Room.id).scalar()
    people: Any = (
        Resident.select(Resident.id).where(Resident.status == "living").order_by(Resident.id)
    )
    ids = [r.id for r in people.limit(2000)]
    time.sleep(max(0.0, start_at - time.time()))
    while time.time() < stop_at:
        resident_id = rng.choice(ids)

        def edit(resident_id: int = resident_id) -> None:
            version = Resident.get_by_id(resident_id).version
            change = (
                {"notes": f"走访记录 {rng.randrange(1000)}"}
                if rng.random() < 0.6
                else {"phone": f"1381234{rng.randrange(10000):04d}"}
            )
            update_resident(resident_id, version, change, actor_id=lead, now=NOW)

        meter.run("resident_edit", edit)
        pause(rng, paced)
    assert community
    db.close()
    return meter.result()


def _worker(args: tuple[str, str, int, float, float, bool]) -> dict[str, Any]:
    role, path, seed, start_at, stop_at, paced = args
    job = (path, seed, start_at, stop_at, paced)
    if role == "booking":
        return booking_worker(job)
    if role == "request":
        return request_worker(job)
    return resident_worker(job)


# ------------------------------------------------------------------------------ reporting


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


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return round(ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))], 1)


def figures(values: list[float]) -> dict[str, float]:
    return {
        "p50": pct(values, 0.50),
        "p95": pct(values, 0.95),
        "p99": pct(values, 0.99),
        "max": round(max(values, default=0.0), 1),
    }


def run_mode(base: Path, folder: Path, mode: str, seconds: float, seed: int) -> dict[str, Any]:
    path = folder / f"{mode}.db"
    shutil.copy(base, path)
    paced = mode == "paced"
    start_at = time.time() + 4.0  # every process imported and connected by then
    stop_at = start_at + seconds
    jobs = (
        [("booking", str(path), seed * 100 + n, start_at, stop_at, paced) for n in range(8)]
        + [("request", str(path), seed * 100 + 20 + n, start_at, stop_at, paced) for n in range(2)]
        + [("resident", str(path), seed * 100 + 30 + n, start_at, stop_at, paced) for n in range(2)]
    )
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        results = pool.map(_worker, jobs)
    times: dict[str, list[float]] = defaultdict(list)
    refused: dict[str, int] = defaultdict(int)
    holds: dict[str, list[float]] = defaultdict(list)
    others: list[str] = []
    reasons: dict[str, int] = defaultdict(int)
    for r in results:
        for key, count in r["reasons"].items():
            reasons[key] += count
        for kind, values in r["times"].items():
            times[kind] += values
        for kind, count in r["refused"].items():
            refused[kind] += count
        for kind, values in r["holds"].items():
            holds[kind] += values
        others += r["others"]
    every_hold = [v for values in holds.values() for v in values]
    one_off = times["book"] + times["move"] + times["extend"] + times["cancel"]
    return {
        "mode": mode,
        "seconds": seconds,
        "processes": "8 bookings + 2 requests + 2 residents",
        "operations": sum(len(v) for v in times.values()),
        "overlaps": overlaps_in(path),
        "lock_errors": sum(int(r["locks"]) for r in results),
        "other_errors": len(others),
        "errors_seen": sorted(set(others))[:5],
        "refusals": dict(sorted(reasons.items(), key=lambda kv: -kv[1])[:12]),
        "one_off_ms": figures(one_off),
        "series_edit_ms": figures(times["series_edit"]),
        "per_kind_ms": {
            kind: {"n": len(values), "refused": refused[kind], **figures(values)}
            for kind, values in sorted(times.items())
        },
        "write_lock_ms": {
            "n": len(every_hold),
            "median": pct(every_hold, 0.5),
            "p95": pct(every_hold, 0.95),
            "max": round(max(every_hold, default=0.0), 1),
            "median_by_kind": {kind: pct(v, 0.5) for kind, v in sorted(holds.items())},
            "max_by_kind": {kind: round(max(v), 1) for kind, v in sorted(holds.items())},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("both", "paced", "flat"), default="both")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="crowd-"))
    try:
        base = prepare(folder, options.residents, options.seed)
        modes = ("paced", "flat") if options.mode == "both" else (options.mode,)
        for mode in modes:
            print(
                json.dumps(
                    run_mode(base, folder, mode, options.seconds, options.seed),
                    ensure_ascii=False,
                ),
                flush=True,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
