"""The data layer: connection settings, schema, constraints, migrations. No Textual."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from peewee import IntegrityError, SqliteDatabase

from frontdesk.clock import FixedClock
from frontdesk.db import migrations
from frontdesk.db.connection import open_database
from frontdesk.db.models import (
    AuditEntry,
    Building,
    Community,
    Compound,
    District,
    Flat,
    GridL3,
    GridL4,
    Household,
    Resident,
    SchemaMigration,
    Subdistrict,
    Unit,
)
from frontdesk.db.places import floor_and_position
from frontdesk.errors import UserError
from frontdesk.vocabulary import Relation, ResidentStatus

NOW = datetime(2026, 11, 29, 10, 30)


def test_new_database_file_is_private_and_wal(empty_db: SqliteDatabase) -> None:
    path = Path(empty_db.database)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    pragma = {
        name: empty_db.execute_sql(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
    }
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 1,
        "busy_timeout": 15000,
    }
    assert empty_db._lock_type == "IMMEDIATE"  # type: ignore[attr-defined]
    assert SchemaMigration.select().count() == 1
    assert migrations.current_version(empty_db) == migrations.SCHEMA_VERSION


def _place(flat_number: int = 1001) -> Flat:
    district = District.create(name="离石区", region_code="141102")
    sub = Subdistrict.create(district=district, name="莲花池街道")
    community = Community.create(subdistrict=sub, name="丽景街社区", code="LJ")
    l3 = GridL3.create(community=community, code="1", name="第1网格")
    l4 = GridL4.create(grid_l3=l3, code="1-1", name="1-1网格")
    compound = Compound.create(community=community, name="宏泰学府苑")
    building = Building.create(compound=compound, number=3, floors=18, kind="tower")
    unit = Unit.create(building=building, number=2, flats_per_floor=2)
    return Flat.create(unit=unit, grid_l4=l4, **Flat.derived(flat_number))


def _resident(household: Household, relation: str, id_number: str, **extra: object) -> Resident:
    fields: dict[str, object] = {
        "household": household,
        "relation": relation,
        "name": "测试",
        "gender": "F",
        "birth_date": date(1980, 1, 1),
        "id_number": id_number,
        "moved_in_on": date(2020, 1, 1),
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(extra)
    return Resident.create(**fields)


def test_flat_floor_and_position_come_from_its_number(empty_db: SqliteDatabase) -> None:
    flat = _place(1001)
    assert (flat.floor, flat.position) == (10, 1)
    assert floor_and_position(901) == (9, 1)
    with pytest.raises(ValueError):
        floor_and_position(1000)
    with pytest.raises(IntegrityError):  # a CHECK keeps the three consistent
        Flat.create(unit=flat.unit, grid_l4=flat.grid_l4, number=1102, floor=10, position=2)


def test_flat_belongs_to_exactly_one_grid(empty_db: SqliteDatabase) -> None:
    flat = _place()
    with pytest.raises(IntegrityError):
        Flat.create(unit=flat.unit, grid_l4=None, **Flat.derived(1002))
    with pytest.raises(IntegrityError):  # foreign keys are enforced
        Flat.create(unit=flat.unit, grid_l4=9999, **Flat.derived(1002))


def test_one_living_head_per_household(empty_db: SqliteDatabase) -> None:
    flat = _place()
    household = Household.create(
        flat=flat, number="LJ-1", moved_in_on=date(2020, 1, 1), created_at=NOW, updated_at=NOW
    )
    head = _resident(household, Relation.HEAD, "1")
    with pytest.raises(IntegrityError):
        _resident(household, Relation.HEAD, "2")
    # a head who died no longer counts: the household can get a new living head
    Resident.update(status=ResidentStatus.DECEASED, died_on=date(2026, 1, 1)).where(
        Resident.id == head.id
    ).execute()
    _resident(household, Relation.HEAD, "3")


def test_resident_status_needs_its_date(empty_db: SqliteDatabase) -> None:
    flat = _place()
    household = Household.create(
        flat=flat, number="LJ-1", moved_in_on=date(2020, 1, 1), created_at=NOW, updated_at=NOW
    )
    with pytest.raises(IntegrityError):
        _resident(household, Relation.HEAD, "1", status=ResidentStatus.MOVED_OUT)
    with pytest.raises(IntegrityError):
        _resident(household, Relation.HEAD, "1", status="gone")


def test_duplicate_id_numbers_are_refused(empty_db: SqliteDatabase) -> None:
    flat = _place()
    household = Household.create(
        flat=flat, number="LJ-1", moved_in_on=date(2020, 1, 1), created_at=NOW, updated_at=NOW
    )
    _resident(household, Relation.HEAD, "141102198001010026")
    with pytest.raises(IntegrityError):
        _resident(household, Relation.SPOUSE, "141102198001010026")


def test_audit_log_is_append_only(empty_db: SqliteDatabase) -> None:
    entry = AuditEntry.create(at=NOW, action="test", entity="resident", entity_id=1)
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEntry.update(reason="x").where(AuditEntry.id == entry.id).execute()
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEntry.delete().where(AuditEntry.id == entry.id).execute()
    assert AuditEntry.select().count() == 1


def test_reopening_runs_no_migration_twice(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    clock = FixedClock(NOW)
    open_database(path, create=True, now=clock.now).close()
    db = open_database(path, create=False, now=clock.now)
    assert SchemaMigration.select().count() == 1
    db.close()


def _open_in_process(path: str) -> int:
    db = open_database(Path(path), create=True, now=FixedClock(NOW).now)
    version = migrations.current_version(db) or 0
    db.close()
    return version


def test_many_processes_creating_one_database_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        versions = pool.map(_open_in_process, [path] * 8)
    assert versions == [migrations.SCHEMA_VERSION] * 8
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM schema_migration").fetchone()[0] == 1
    conn.close()


def test_missing_database_is_an_error_without_create(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        open_database(tmp_path / "nope.db", create=False, now=FixedClock(NOW).now)
    assert caught.value.key == "error.db_missing"
    assert not (tmp_path / "nope.db").exists()


def test_foreign_file_is_refused_untouched(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("这不是数据库\n" * 100, encoding="utf-8")
    before = text.read_bytes()
    with pytest.raises(UserError) as caught:
        open_database(text, create=True, now=FixedClock(NOW).now)
    assert caught.value.key == "error.db_not_frontdesk"
    assert text.read_bytes() == before

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(UserError) as caught:
        open_database(other, create=True, now=FixedClock(NOW).now)
    assert caught.value.key == "error.db_not_frontdesk"
    assert other.read_bytes() == before
    assert not Path(f"{other}-wal").exists()


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_database(path, create=True, now=FixedClock(NOW).now).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, 'future', ?)",
        (migrations.SCHEMA_VERSION + 1, str(NOW)),
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UserError) as caught:
        open_database(path, create=True, now=FixedClock(NOW).now)
    assert caught.value.key == "error.db_newer"
    assert path.read_bytes() == before


def test_a_new_database_starts_with_the_reference_data(empty_db: SqliteDatabase) -> None:
    from frontdesk.db.models import CalendarDay, DueRule, RequestCategory, Tag
    from frontdesk.db.reference import CATEGORIES, TAGS

    assert [t.code for t in Tag.select().order_by(Tag.sort)] == [code for code, _ in TAGS]
    assert RequestCategory.select().count() == len(CATEGORIES)
    assert DueRule.select().count() == 3 * len(CATEGORIES)
    assert CalendarDay.get(CalendarDay.day == date(2026, 10, 1)).kind == "holiday"
    assert CalendarDay.get(CalendarDay.day == date(2026, 2, 28)).kind == "workday"


def test_one_desk_does_the_rounds(tmp_path: Path) -> None:
    from frontdesk.db.sessions import SweeperLease

    db = tmp_path / "desk.db"
    first, second = SweeperLease(db), SweeperLease(db)
    assert first.held() and first.held()
    assert not second.held()
    first.close()  # that desk quit: the next one to look takes over
    assert second.held()
    second.close()


# -- whole files: looking without writing, damaged files, swapping a new file in ------------------


def test_read_only_opening_writes_nothing(tmp_path: Path) -> None:
    from peewee import OperationalError

    from frontdesk.db.connection import open_read_only
    from frontdesk.db.models import Setting

    path = tmp_path / "x.db"
    open_database(path, create=True, now=FixedClock(NOW).now).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = delete")  # a rollback-journal database stays one
    conn.close()
    before = path.read_bytes()
    db, state = open_read_only(path)
    try:
        assert not state.snapshot and SchemaMigration.select().count() == 1
        with pytest.raises(OperationalError):  # query_only: not even by mistake
            Setting.create(key="x", value="1")
    finally:
        db.close()
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["x.db"]


def test_read_only_opening_refuses_what_it_would_have_to_change(tmp_path: Path) -> None:
    from frontdesk.db.connection import open_read_only

    missing, empty, older = tmp_path / "missing.db", tmp_path / "empty.db", tmp_path / "old.db"
    empty.touch()
    open_database(older, create=True, now=FixedClock(NOW).now).close()
    conn = sqlite3.connect(older)
    conn.execute("UPDATE schema_migration SET version = version - 1")  # as if made earlier
    conn.commit()
    conn.close()
    before = older.read_bytes()
    for path, key in ((missing, "db_missing"), (empty, "db_empty"), (older, "db_older")):
        with pytest.raises(UserError) as caught:
            open_read_only(path)
        assert caught.value.key == f"error.{key}"
    assert not missing.exists() and empty.stat().st_size == 0 and older.read_bytes() == before


def test_a_cut_short_file_is_damaged_a_foreign_one_is_not_ours(tmp_path: Path) -> None:
    from frontdesk.db.filecheck import inspect_file

    path = tmp_path / "x.db"
    open_database(path, create=True, now=FixedClock(NOW).now).close()
    whole = path.read_bytes()
    cases = {
        whole[:-100]: "error.db_damaged",  # ends inside a page
        whole[:-4096]: "error.db_damaged",  # fewer pages than the header says
        whole[:50]: "error.db_damaged",  # the header itself cut
        whole[:16] + b"\x00\x00" + whole[18:]: "error.db_damaged",  # no page size
        b"SQL": "error.db_not_frontdesk",
        b"PK\x03\x04 a zip file" * 100: "error.db_not_frontdesk",
    }
    for content, key in cases.items():
        path.write_bytes(content)
        with pytest.raises(UserError) as caught:
            inspect_file(path)
        assert caught.value.key == key, content[:20]


def test_a_new_file_beside_goes_unless_swapped_in(tmp_path: Path) -> None:
    from frontdesk.db.files import new_file_beside, swap_in

    path = tmp_path / "x.db"
    open_database(path, create=True, now=FixedClock(NOW).now).close()
    path.chmod(0o640)
    stale = tmp_path / ".x.db.new-left-by-a-killed-run"
    stale.write_bytes(b"half")
    with pytest.raises(RuntimeError), new_file_beside(path) as new:
        assert new.parent == tmp_path and not stale.exists()
        raise RuntimeError("the build failed")
    assert sorted(os.listdir(tmp_path)) == ["x.db"]
    with new_file_beside(path) as new:
        open_database(new, create=True, now=FixedClock(NOW).now).close()
        new_bytes = new.read_bytes()
        swap_in(new, path)
    assert sorted(os.listdir(tmp_path)) == ["x.db"]
    assert path.read_bytes() == new_bytes and stat.S_IMODE(path.stat().st_mode) == 0o640


def test_the_schema_version_checked_before_opening_is_the_last_migrations() -> None:
    """``filecheck.SCHEMA_VERSION`` (no ORM) and ``migrations.MIGRATIONS`` say the same."""
    from frontdesk.db import filecheck

    assert filecheck.SCHEMA_VERSION == max(migrations.MIGRATIONS) == migrations.SCHEMA_VERSION
