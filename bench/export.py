"""Export of 200,000 residents to .xlsx (issue 13: ≤ 40 s), and its peak memory.

The database: the startup benchmark's 200,000-resident district (``bench/.data/district-200k.db``)
when it is there, else one generated once into ``bench/.data/export-200k.db``; each run exports
from a copy (an export writes its audit entry). The export runs in a child process as the
command line runs it (every community, masked), so its peak resident memory is its own; the
same run measures, for reference, a child that only opens the database and loads
the export's modules (the floor; an older file is migrated by a child before, unmeasured), and
one that reads the same rows without writing a workbook (the query's share of the time).
Prints one JSON line.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "bench" / ".data"
TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 9, 0)
RESIDENTS = 200_000
TARGET_S = 40.0

CHILD = r"""
import json, resource, sys, time
from datetime import datetime
from pathlib import Path
sys.path.insert(0, {root!r})
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk import exporting
from frontdesk.exporting.residents import _people, _conditions
from frontdesk.exporting.common import asker
from frontdesk.permissions import Can
now = datetime.fromisoformat({now!r})
db = open_database(Path({db!r}), create=False, now=FixedClock(now).now)
mode = {mode!r}
start = time.perf_counter()
rows = 0
if mode == "export":
    result = exporting.export_residents(
        exporting.ResidentSelection(), Path({out!r}), actor_id=None, now=now, command_line=True
    )
    rows = result.rows
elif mode == "query":
    who = asker(None, Can.VIEW_RESIDENT, command_line=True)
    where = _conditions(who, exporting.ResidentSelection(), None, now.date())
    for row in _people(where, by_household=False).dicts().iterator():
        rows += 1
seconds = time.perf_counter() - start
db.close()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "rows": rows, "peak_mb": peak}}))
"""


def source_db() -> Path:
    district = DATA / "district-200k.db"
    if district.exists():
        return district
    path = DATA / "export-200k.db"
    if path.exists():
        return path
    from frontdesk.clock import FixedClock
    from frontdesk.db.connection import open_database
    from frontdesk.demo import DemoOptions, generate

    DATA.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = open_database(partial, create=True, now=FixedClock(NOW).now)
    generate(DemoOptions(seed=11, residents=RESIDENTS, today=TODAY))
    db.close()
    partial.rename(path)
    return path


def copy(source: Path, target: Path) -> None:
    """A consistent copy (SQLite's online backup), whatever else has the file open."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def child(mode: str, db: Path, out: Path) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), now=NOW.isoformat(), db=str(db), out=str(out), mode=mode)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="frontdesk-bench-export-"))
    try:
        db = folder / "export.db"
        copy(source_db(), db)
        child("open", db, folder / "unused.xlsx")  # an older file is migrated first, unmeasured
        floor = child("open", db, folder / "unused.xlsx")
        query = child("query", db, folder / "unused.xlsx")
        out = folder / "residents.xlsx"
        wall = time.perf_counter()
        export = child("export", db, out)
        wall = time.perf_counter() - wall
        print(
            json.dumps(
                {
                    "bench": "export_residents_xlsx",
                    "rows": int(export["rows"]),
                    "seconds": round(export["seconds"], 2),
                    "process_seconds": round(wall, 2),
                    "target_s": TARGET_S,
                    "peak_mb": round(export["peak_mb"], 1),
                    "file_mb": round(out.stat().st_size / 2**20, 1),
                    "reference_open_only_peak_mb": round(floor["peak_mb"], 1),
                    "reference_query_only_s": round(query["seconds"], 2),
                    "reference_query_only_peak_mb": round(query["peak_mb"], 1),
                },
                ensure_ascii=False,
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
