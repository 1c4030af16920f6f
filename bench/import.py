"""Importing a roster (issue 13, "bench/import.py"): a community moved in from its workbooks.

For each size — the default demo community (7,982 people, 21 columns) and a community of
200,000 — the run exports the demo database's places and residents (full: document numbers and
phones) as the office's workbooks, makes an empty database, imports the places (a new
community) and a supervisor, then, each in a child process of its own (so that its peak memory
is its own):

- ``dry_run_s``: reading the workbook and planning it against the register (the preview);
- ``import_s``: the same plan written, and ``peak_mb`` the child's peak resident memory;
- ``max_lock_hold_ms``: the longest write transaction the import held (BEGIN .. COMMIT);
- for the 200,000, a second process books a room every 100 ms while the import writes:
  ``booking_max_ms`` is its slowest booking (each one waits for the import's transaction).

Targets: 7,982 — dry run ≤ 5 s, import ≤ 10 s; 200,000 — import ≤ 90 s, peak ≤ 600 MB; the
lock ≤ 200 ms; a booking meanwhile ≤ 1 s. ``reference_read_only_s`` is a child that only reads
the workbook (python-calamine), measured in the same run: ``dry_run_ratio`` is the dry run over
it. The 200,000-person database is generated once into ``bench/.data/import-200k.db``.
``--quick`` skips it.
Prints one JSON line.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "bench" / ".data"
TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 9, 0)

CHILD = r"""
import json, resource, sys, time
from datetime import datetime
from pathlib import Path
sys.path.insert(0, {root!r})
from frontdesk.clock import FixedClock
from frontdesk.db.base import database_proxy
from frontdesk.db.connection import open_database
from frontdesk.db.models import Staff
from frontdesk.roster.plan import plan_residents
from frontdesk.roster.writing import write_plan
now = datetime.fromisoformat({now!r})
db = open_database(Path({db!r}), create=False, now=FixedClock(now).now)
holds = []
real = db.atomic
class Timed:
    def __init__(self, inner):
        self.inner, self.outer, self.began = inner, False, 0.0
    def __enter__(self):
        self.outer = db.transaction_depth() == 0
        entered = self.inner.__enter__()
        self.began = time.perf_counter()
        return entered
    def __exit__(self, *exc):
        try:
            return self.inner.__exit__(*exc)
        finally:
            if self.outer:
                holds.append((time.perf_counter() - self.began) * 1000)
db.atomic = lambda *a, **k: Timed(real(*a, **k))
boss = Staff.get(Staff.username == "bench-boss").id
mode = {mode!r}
start = time.perf_counter()
result = {{}}
if mode == "read":  # the reference: the library reading the workbook, nothing of ours after
    from frontdesk.roster.reading import read_book
    sheets = read_book(Path({book!r})).sheets
    result["cells"] = sum(len(row) for sheet in sheets for row in sheet.rows)
elif mode != "open":
    plan = plan_residents(Path({book!r}), actor_id=boss, today=now.date())
    result["counts"] = plan.counts
    result["plan_s"] = time.perf_counter() - start
    if mode == "import":
        holds.clear()
        done = write_plan(plan, actor_id=boss, now=now)
        result["new"] = done.new
        result["households"] = done.households
result["seconds"] = time.perf_counter() - start
result["max_hold_ms"] = max(holds) if holds else 0.0
result["holds"] = sorted(holds)[-8:] + [len(holds)]
import os
if os.environ.get("BENCH_HOLDS"):
    print(json.dumps([round(h) for h in holds]), file=sys.stderr)
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
db.close()
print(json.dumps(result))
"""

BOOKER = r"""
import json, sys, time
from datetime import datetime, timedelta
from pathlib import Path
sys.path.insert(0, {root!r})
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.bookings.booking import create_booking
from frontdesk.bookings.rules import Booker, BookingInput
from frontdesk.db.models import Room, Staff
now = datetime.fromisoformat({now!r})
db = open_database(Path({db!r}), create=False, now=FixedClock(now).now)
desk = Staff.get(Staff.username == "bench-desk").id
rooms = [r.id for r in Room.select().order_by(Room.id)]
stop = Path({stop!r})
times = []
errors = []
n = 0
while not stop.exists():
    day = now.date() + timedelta(days=1 + n // 40)
    while day.weekday() >= 5:  # some rooms close at weekends: book working days
        n += 40
        day = now.date() + timedelta(days=1 + n // 40)
    slot = n % 40
    room = rooms[slot % len(rooms)]
    start = datetime.combine(day, datetime.min.time())
    start += timedelta(hours=9, minutes=15 * (slot // len(rooms)))
    booker = Booker("person", "王丽", "13900001111")
    data = BookingInput(room, start, start + timedelta(minutes=15), "读书会", booker, 3)
    began = time.perf_counter()
    try:
        create_booking(data, actor_id=desk, now=now)
    except Exception as exc:  # a refusal is a finding: the bench must book for real
        errors.append(type(exc).__name__ + ": " + str(exc))
    times.append((time.perf_counter() - began) * 1000)
    n += 1
    time.sleep(0.1)
db.close()
print(json.dumps({{"bookings": len(times), "max_ms": max(times) if times else 0.0,
                  "errors": errors[:3], "refused": len(errors)}}, ensure_ascii=False))
"""


def copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def demo_db(residents: int, seed: int) -> Path:
    """The demo database of ``residents`` people, generated once into bench/.data."""
    path = DATA / (f"import-{residents // 1000}k.db" if residents > 10_000 else "import-demo.db")
    if path.exists():
        return path
    from frontdesk.clock import FixedClock
    from frontdesk.db.connection import open_database
    from frontdesk.demo import DemoOptions, generate

    DATA.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = open_database(partial, create=True, now=FixedClock(NOW).now)
    options = DemoOptions(seed=seed, today=TODAY)
    if residents > 10_000:
        options = DemoOptions(seed=seed, residents=residents, today=TODAY)
    generate(options)
    db.close()
    partial.rename(path)
    return path


# The demo's 200,000 people live in a district of 25 communities; the bench wants one community
# of that size, so its copy gathers every compound and grid into the first community, the
# level-3 grids numbered on across the communities (each has at most 12: 1–300 in all).
ONE_COMMUNITY = [
    "UPDATE grid_l4 SET code = (SELECT (g3.community_id - 1) * 12 + CAST(g3.code AS INTEGER)"
    " FROM grid_l3 g3 WHERE g3.id = grid_l4.grid_l3_id) || substr(code, instr(code, '-'))",
    "UPDATE grid_l4 SET name = code || '网格'",
    "UPDATE grid_l3 SET code = (community_id - 1) * 12 + CAST(code AS INTEGER)",
    "UPDATE grid_l3 SET name = '第' || code || '网格', community_id = 1",
    "UPDATE compound SET community_id = 1",
]


def workbooks(source: Path, folder: Path) -> tuple[Path, Path]:
    """The office's two workbooks, exported from a copy of ``source`` (exports are audited)."""
    from frontdesk.db.connection import open_database
    from frontdesk.db.models import Staff
    from frontdesk.exporting import export_places, export_residents
    from frontdesk.exporting.residents import ResidentSelection

    work = folder / "source.db"
    copy(source, work)
    conn = sqlite3.connect(work)
    if conn.execute("SELECT count(*) FROM community").fetchone()[0] > 1:
        with conn:
            for sql in ONE_COMMUNITY:
                conn.execute(sql)
    conn.close()
    db = open_database(work, create=False, now=lambda: NOW)
    try:
        lead = int(
            Staff.select(Staff.id)
            .where((Staff.role == "supervisor") & (Staff.community == 1))
            .scalar()
        )
        places = export_places(folder / "楼栋台账.xlsx", actor_id=lead, now=NOW).path
        people = export_residents(
            ResidentSelection(),
            folder / "人口台账.xlsx",
            actor_id=lead,
            now=NOW,
            full=True,
            reason="bench",
        ).path
    finally:
        db.close()
    work.unlink()
    return places, people


def empty_with_places(places: Path, target: Path) -> None:
    from frontdesk.auth.passwords import hash_password
    from frontdesk.db.connection import open_database
    from frontdesk.db.models import Staff
    from frontdesk.roster.places import NewCommunity, plan_places
    from frontdesk.roster.places_write import import_places
    from frontdesk.roster.reading import read_book

    db = open_database(target, create=True, now=lambda: NOW)
    try:
        new = NewCommunity("丽景街社区", "LJ", "莲花池街道", "离石区", "141102")
        made = import_places(
            plan_places(read_book(places), new, actor_id=None), actor_id=None, now=NOW
        )
        for username, role in (("bench-boss", "supervisor"), ("bench-desk", "reception")):
            Staff.create(
                username=username,
                display_name=username,
                role=role,
                community=made.community_id,
                password_hash=hash_password("bench-2026"),
                created_at=NOW,
                updated_at=NOW,
            )
    finally:
        db.close()


def child(mode: str, db: Path, book: Path) -> dict[str, Any]:
    code = CHILD.format(root=str(ROOT), now=NOW.isoformat(), db=str(db), book=str(book), mode=mode)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    if done.stderr.strip():
        print(done.stderr.strip().splitlines()[-1], file=sys.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure(source: Path, folder: Path, *, with_booker: bool) -> dict[str, Any]:
    places, people = workbooks(source, folder)
    db = folder / "new.db"
    empty_with_places(places, db)
    dry = child("dry", db, people)
    stop = folder / "stop"
    booker = None
    if with_booker:
        code = BOOKER.format(root=str(ROOT), now=NOW.isoformat(), db=str(db), stop=str(stop))
        booker = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        time.sleep(2.0)  # started and booking before the import begins
    done = child("import", db, people)
    figures: dict[str, Any] = {
        "rows": dry["counts"]["rows"],
        "dry_run_s": round(dry["seconds"], 2),
        "import_s": round(done["seconds"], 2),
        "imported": done["new"],
        "households": done["households"],
        "peak_mb": round(done["peak_mb"], 1),
        "max_lock_hold_ms": round(done["max_hold_ms"], 1),
    }
    if booker is not None:
        stop.touch()
        out, _ = booker.communicate(timeout=60)
        booked = json.loads(out.strip().splitlines()[-1])
        figures["bookings_meanwhile"] = booked["bookings"]
        figures["booking_max_ms"] = round(booked["max_ms"], 1)
        figures["bookings_refused"] = booked["refused"]
        if booked["errors"]:
            figures["booking_errors"] = booked["errors"]
    read = child("read", db, people)["seconds"]
    figures["reference_read_only_s"] = round(read, 2)
    figures["dry_run_ratio"] = round(dry["seconds"] / read, 2)
    return figures


def main() -> None:
    quick = "--quick" in sys.argv
    result: dict[str, Any] = {"bench": "import_residents_xlsx"}
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-import-") as name:
        folder = Path(name)
        (folder / "community").mkdir()
        result["community"] = measure(demo_db(7982, 7), folder / "community", with_booker=False)
        if not quick:
            (folder / "large").mkdir()
            result["large"] = measure(demo_db(200_000, 11), folder / "large", with_booker=True)
    result["targets"] = {
        "community_dry_run_s": 5,
        "community_import_s": 10,
        "large_import_s": 90,
        "large_peak_mb": 600,
        "max_lock_hold_ms": 200,
        "booking_max_ms": 1000,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
