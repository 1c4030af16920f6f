"""The request queue on 200,000 residents with 100,000 requests: first page per filter, figures.

Copies the 200,000-resident search database (bench/search.py builds it), tops its requests up
to 100,000 (copies of the generated ones spread over the past two years, each with its own
number), then times the queue's first page under each filter and the home figures. Prints one
JSON line with p50/p95/max milliseconds.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import DATA, ensure_db

from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import Community, GridL4, Request, Staff
from frontdesk.requests.queue import QueueFilters, figures, queue

NOW = datetime(2026, 11, 29, 10, 0)
TARGET = 100_000
ROUNDS = 10


def ensure_requests_db() -> Path:
    path = DATA / "requests-200k.db"
    if path.exists():
        return path
    source = ensure_db()
    partial = path.with_suffix(".partial")
    shutil.copy(source, partial)
    db = open_database(partial, create=False, now=FixedClock(NOW).now)
    columns = [f.column_name for f in Request._meta.sorted_fields if f.name != "id"]
    base = list(Request.select().tuples())
    have = len(base)
    rows = []
    for n in range(TARGET - have):
        row = dict(
            zip([f.column_name for f in Request._meta.sorted_fields], base[n % have], strict=True)
        )
        shift = timedelta(days=1 + (n * 7) % 700, minutes=n % 600)
        row["number"] = f"X{n:07d}-{row['number']}"
        for key in (
            "created_at",
            "updated_at",
            "due_at",
            "resolved_at",
            "closed_at",
            "overdue_since",
        ):
            if row[key] is not None:
                row[key] = row[key] - shift
        rows.append(tuple(row[c] for c in columns))
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    with db.atomic():
        db.cursor().executemany(f'INSERT INTO "request" ({names}) VALUES ({marks})', rows)
        db.execute_sql("ANALYZE")
    db.close()
    partial.rename(path)
    return path


def main() -> None:
    path = ensure_requests_db()
    db = open_database(path, create=False, now=FixedClock(NOW).now)
    community = Community.select().order_by(Community.id).first().id
    grid = GridL4.select().order_by(GridL4.id).first()
    holder = Staff.select().where(Staff.role == "grid_manager").order_by(Staff.id).first().id
    mixes = [
        QueueFilters(),
        QueueFilters(overdue_only=True),
        QueueFilters(level="community"),
        QueueFilters(level="subdistrict"),
        QueueFilters(grid_l4_id=grid.id),
        QueueFilters(holder_id=holder),
        QueueFilters(category="plumbing"),
        QueueFilters(statuses=("resolved",)),
        QueueFilters(statuses=("closed",), category="lighting"),
    ]
    lead = Staff.select(Staff.id).where(Staff.role == "supervisor").scalar()
    times: list[float] = []
    for _ in range(ROUNDS):
        for filters in mixes:
            start = time.perf_counter()
            queue(community, filters, NOW, actor_id=lead)
            times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        figures(community, NOW)
        times.append((time.perf_counter() - start) * 1000)
    total = Request.select().count()
    db.close()
    times.sort()
    print(
        json.dumps(
            {
                "requests": total,
                "queries": len(times),
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
                "max_ms": round(times[-1], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
