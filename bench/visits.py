"""Care visits on 200,000 residents: a grid manager's round, the supervisor's month, the
subdistrict office's month.

The database is the 200,000-resident district as ``bench/startup.py`` builds
``district-200k.db`` (``frontdesk seed --residents 200000 --seed 1 --today 2026-11-29``), kept
as ``bench/.data/visits-200k.db``: a file made before the care history (schema 9) has no
visits to speak of, so this one is generated with it once and kept.

Each call runs as a desk's worker runs a service: in its own connection
(``frontdesk.db.connection.connection``), the connection's opening included.

- ``round_*``: ``todays_round`` of ``GRID_MANAGERS`` grid managers drawn over every community,
  each ``ROUNDS`` times; p50 / p95 / max milliseconds (target: p95 ≤ 50 ms).
- ``month_*``: ``month_figures`` of this month as the supervisor of the largest community sees
  it (target ≤ 200 ms), and as the subdistrict office sees all its communities at once.
- ``reference_ms``: the machine, measured in the same run — plain ``sqlite3`` reading every
  visit with whom it saw (no frontdesk code); the ``ratio_*`` figures divide it out.

Prints one JSON line.
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from peewee import fn
from startup import ensure_db

from frontdesk.care.figures import month_figures
from frontdesk.care.round import todays_round
from frontdesk.clock import FixedClock
from frontdesk.db.connection import connection, open_database
from frontdesk.db.models import Community, Flat, GridL3, GridL4, Household, Resident, Staff

NOW = datetime(2026, 11, 29, 10, 0)  # the demo's today, in the working day
MONTH = date(2026, 11, 1)
RESIDENTS = 200_000
GRID_MANAGERS = 100
ROUNDS = 3
MONTH_ROUNDS = 5
ROUND_TARGET_MS = 50
MONTH_TARGET_MS = 200
REFERENCE = (
    "SELECT v.household_id, v.visited_at, v.outcome, p.resident_id"
    " FROM visit_person p JOIN visit v ON v.id = p.visit_id"
)


def timed(run: Callable[[], object]) -> float:
    """Milliseconds of ``run`` in its own connection, as a desk's worker calls a service."""
    start = time.perf_counter()
    with connection():
        run()
    return (time.perf_counter() - start) * 1000


def figures(times: list[float], prefix: str) -> dict[str, float]:
    ordered = sorted(times)
    return {
        f"{prefix}_p50_ms": round(statistics.median(ordered), 1),
        f"{prefix}_p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        f"{prefix}_max_ms": round(ordered[-1], 1),
    }


def reference_ms(path: Path) -> float:
    """The machine: plain sqlite3 reading every visit and whom it saw, median of five."""
    times = []
    for _ in range(5):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        start = time.perf_counter()
        conn.execute(REFERENCE).fetchall()
        times.append((time.perf_counter() - start) * 1000)
        conn.close()
    return statistics.median(times)


def largest_community() -> int:
    """The community with the most living residents (the lowest id of equals)."""
    rows: Any = (
        Resident.select(GridL3.community, fn.COUNT(Resident.id))
        .join(Household)
        .join(Flat)
        .join(GridL4)
        .join(GridL3)
        .where(Resident.status == "living")
        .group_by(GridL3.community)
        .tuples()
    )
    counts = {int(community): int(count) for community, count in rows}
    return max(counts, key=lambda c: (counts[c], -c))


def main() -> None:
    path = ensure_db("visits-200k.db", RESIDENTS)
    db = open_database(path, create=False, now=FixedClock(NOW).now)
    rows: Any = (
        Staff.select(Staff.id)
        .where(Staff.role == "grid_manager", Staff.active == True)  # noqa: E712
        .order_by(Staff.id)
        .tuples()
    )
    managers = [int(m) for (m,) in rows]
    sample = random.Random(14).sample(managers, min(GRID_MANAGERS, len(managers)))
    community = largest_community()
    supervisor = int(
        Staff.select(Staff.id)
        .where(Staff.role == "supervisor", Staff.community == community)
        .order_by(Staff.id)
        .scalar()
    )
    subdistrict_id = Community.get_by_id(community).subdistrict_id
    office = int(
        Staff.select(Staff.id)
        .where(Staff.role == "subdistrict", Staff.subdistrict == subdistrict_id)
        .order_by(Staff.id)
        .scalar()
    )
    communities = Community.select().where(Community.subdistrict == subdistrict_id).count()
    db.close()

    reference = reference_ms(path)
    db = open_database(path, create=False, now=FixedClock(NOW).now)
    people: list[int] = []

    def round_of(manager: int) -> Callable[[], None]:
        def run() -> None:
            people.append(todays_round(actor_id=manager, now=NOW).people)

        return run

    for manager in sample[:10]:  # warm-up: modules, the OS cache
        timed(round_of(manager))
    people.clear()
    rounds = [timed(round_of(manager)) for _ in range(ROUNDS) for manager in sample]
    timed(lambda: month_figures(MONTH, actor_id=supervisor, now=NOW))
    month = [
        timed(lambda: month_figures(MONTH, actor_id=supervisor, now=NOW))
        for _ in range(MONTH_ROUNDS)
    ]
    whole = [
        timed(lambda: month_figures(MONTH, actor_id=office, now=NOW)) for _ in range(MONTH_ROUNDS)
    ]
    residents = Resident.select().where(Resident.status == "living").count()
    db.close()

    result: dict[str, object] = {
        "bench": "care_visits",
        "residents": residents,
        "grid_managers": len(sample),
        "rounds": len(rounds),
        "round_people_mean": round(statistics.mean(people), 1),
        **figures(rounds, "round"),
        "round_target_p95_ms": ROUND_TARGET_MS,
        "month_community_id": community,
        "month_p50_ms": round(statistics.median(month), 1),
        "month_max_ms": round(max(month), 1),
        "month_target_ms": MONTH_TARGET_MS,
        "subdistrict_communities": communities,
        "subdistrict_month_p50_ms": round(statistics.median(whole), 1),
        "subdistrict_month_max_ms": round(max(whole), 1),
        "reference_ms": round(reference, 1),
    }
    p95 = figures(rounds, "round")["round_p95_ms"]
    result["ratio_round_p95"] = round(p95 / reference, 2)
    result["ratio_month"] = round(statistics.median(month) / reference, 2)
    result["ratio_subdistrict_month"] = round(statistics.median(whole) / reference, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
