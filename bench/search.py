"""Resident search on a 200,000-resident database: a fixed mix of every kind of query.

Builds the database with the seed generator once (kept in bench/.data/), warms up (the phone
index loads on the first phone query), then times each query of the mix several times and
prints one JSON line with p50_ms, p95_ms, max_ms and the count: over every community (the
command line's ``find``) and as a front desk of one community (``desk_*``: the search keys and
the phone index are scoped to the operator's communities).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import Compound, GridL3, GridL4, Resident, Staff
from frontdesk.pinyin import full_pinyin, initials
from frontdesk.residents.search import SearchFilters, search, search_everywhere

DATA = Path(__file__).resolve().parent / ".data"
TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 9, 0)
RESIDENTS = 200_000
ROUNDS = 5


def ensure_db() -> Path:
    from frontdesk.demo import DemoOptions, generate

    path = DATA / "search-200k.db"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = open_database(partial, create=True, now=FixedClock(NOW).now)
    generate(DemoOptions(seed=11, residents=RESIDENTS, today=TODAY))
    db.close()
    partial.rename(path)
    return path


def query_mix() -> list[tuple[str, SearchFilters]]:
    """Queries of every kind, drawn from the data itself (fixed seed)."""
    rng = random.Random(5)
    people = list(
        Resident.select(Resident.name, Resident.phone, Resident.id_number)
        .where(Resident.phone.is_null(False))
        .order_by(Resident.id)
        .tuples()
    )
    sample = rng.sample(people, 20)
    compounds = [name for (name,) in Compound.select(Compound.name).tuples()]
    l4 = [gid for (gid,) in GridL4.select(GridL4.id).tuples()]
    l3 = [gid for (gid,) in GridL3.select(GridL3.id).tuples()]
    mix: list[tuple[str, SearchFilters]] = []
    plain = SearchFilters()
    for name, phone, id_number in sample:
        mix += [
            (name, plain),  # whole name
            (name[0], plain),  # one character: the surname
            (name[-1], plain),  # one character: part of the given name
            (full_pinyin(name)[0], plain),  # full pinyin
            (initials(name)[0], plain),  # initials
            (full_pinyin(name)[0][:3], plain),  # pinyin being typed
            (phone[-4:], plain),  # phone tail
            (phone[3:7], plain),  # phone middle
            (phone[:3], plain),  # 3 digits
            (id_number[-4:], plain),  # ID tail
            (id_number[-6:].lower(), plain),
        ]
    for _ in range(20):
        building, unit = rng.randint(1, 8), rng.randint(1, 2)
        flat = rng.randint(1, 11) * 100 + rng.randint(1, 2)
        compound = rng.choice(compounds)
        mix += [
            (f"{building}-{unit}-{flat}", plain),
            (f"{building}号楼{unit}单元{flat}", plain),
            (f"{compound}{building}-{unit}-{flat}", plain),
            (f"{compound[:2]} {building}号楼", plain),
            (f"{building}号楼", plain),
        ]
    for tag in ("left_behind_child", "elderly_alone", "disabled", "elderly_80"):
        mix.append(("", SearchFilters(tag=tag, grid_l4_id=rng.choice(l4))))
        mix.append(("", SearchFilters(tag=tag, grid_l3_id=rng.choice(l3))))
    mix += [
        ("", SearchFilters(age_min=80, grid_l4_id=rng.choice(l4))),
        ("", SearchFilters(status="moved_out")),
        ("王", SearchFilters(status=None)),
        ("李", SearchFilters(age_min=60)),
        ("zzzz", plain),
        ("%", plain),
        ("'; drop table resident; --", plain),
        ("·", plain),
        ("", plain),
    ]
    return mix


def _timed(
    run: Callable[[str, SearchFilters], object], mix: list[tuple[str, SearchFilters]]
) -> list[float]:
    for query, filters in mix:  # warm-up: caches, the phone index
        run(query, filters)
    times: list[float] = []
    for _ in range(ROUNDS):
        for query, filters in mix:
            start = time.perf_counter()
            run(query, filters)
            times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def _figures(times: list[float], prefix: str = "") -> dict[str, float]:
    return {
        f"{prefix}p50_ms": round(statistics.median(times), 2),
        f"{prefix}p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        f"{prefix}max_ms": round(times[-1], 2),
    }


def main() -> None:
    path = ensure_db()
    db = open_database(path, create=False, now=FixedClock(NOW).now)
    mix = query_mix()
    everywhere = _timed(lambda q, f: search_everywhere(q, f, today=TODAY), mix)
    desk = int(Staff.select(Staff.id).where(Staff.role == "reception").order_by(Staff.id).scalar())
    at_desk = _timed(lambda q, f: search(q, f, actor_id=desk, today=TODAY), mix)
    db.close()
    print(
        json.dumps(
            {
                "residents": RESIDENTS,
                "queries": len(mix),
                "count": len(everywhere),
                **_figures(everywhere),
                **_figures(at_desk, "desk_"),
            }
        )
    )


if __name__ == "__main__":
    main()
