"""Benchmark of the demo generator: the default community, then a district of 200,000.

Prints one JSON line: wall seconds including opening the database and the commit.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from frontdesk.db.connection import open_database
from frontdesk.demo import DemoOptions, generate

TODAY = dt.date(2026, 11, 29)
COMMUNITY = 7982
DISTRICT = 200_000


def timed(directory: Path, residents: int) -> float:
    path = directory / f"demo-{residents}.db"
    started = time.perf_counter()
    db = open_database(path, create=True, now=lambda: dt.datetime.combine(TODAY, dt.time(8)))
    try:
        summary = generate(DemoOptions(seed=1, residents=residents, today=TODAY))
    finally:
        db.close()
    seconds = time.perf_counter() - started
    if summary.residents != residents:
        raise SystemExit(f"asked for {residents} residents, got {summary.residents}")
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as name:
        directory = Path(name)
        community = timed(directory, COMMUNITY)
        district = timed(directory, DISTRICT)
    print(
        json.dumps(
            {
                "community_s": round(community, 2),
                "residents_200k_s": round(district, 2),
                "community_residents": COMMUNITY,
                "district_residents": DISTRICT,
            }
        )
    )


if __name__ == "__main__":
    main()
