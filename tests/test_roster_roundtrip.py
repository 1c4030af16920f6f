"""Issue 13's proof: the places and a full export of the demo database, imported into an empty
database, give the same places, people, households, grids and tags."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase

from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import Staff
from frontdesk.exporting import export_places, export_residents
from frontdesk.exporting.residents import ResidentSelection
from frontdesk.roster.places import NewCommunity, plan_places
from frontdesk.roster.places_write import import_places
from frontdesk.roster.plan import plan_residents
from frontdesk.roster.reading import read_book
from frontdesk.roster.writing import write_plan
from frontdesk.search.query import SearchFilters

PEOPLE = """
SELECT r.name, r.gender, r.birth_date, r.id_number, coalesce(r.phone, ''), r.ethnicity,
  r.relation, r.category, r.document_type, h.number, c.name, b.number, u.number, f.number,
  g.code, (SELECT group_concat(code, ',') FROM (SELECT t.code FROM resident_tag rt
    JOIN tag t ON rt.tag_id = t.id WHERE rt.resident_id = r.id AND rt.ended_at IS NULL
    ORDER BY t.code))
FROM resident r JOIN household h ON r.household_id = h.id JOIN flat f ON h.flat_id = f.id
JOIN grid_l4 g ON f.grid_l4_id = g.id JOIN unit u ON f.unit_id = u.id
JOIN building b ON u.building_id = b.id JOIN compound c ON b.compound_id = c.id
WHERE r.status = 'living'
"""
PLACES = """
SELECT c.name, b.number, b.floors, b.kind, u.number, u.flats_per_floor, f.number, g.code, g3.code
FROM flat f JOIN unit u ON f.unit_id = u.id JOIN building b ON u.building_id = b.id
JOIN compound c ON b.compound_id = c.id JOIN grid_l4 g ON f.grid_l4_id = g.id
JOIN grid_l3 g3 ON g.grid_l3_id = g3.id
"""
ROOMS = "SELECT name, capacity, purpose FROM room"
HOUSEHOLDS = """
SELECT h.number, c.name, b.number, u.number, f.number,
  (SELECT count(*) FROM resident r WHERE r.household_id = h.id AND r.status = 'living')
FROM household h JOIN flat f ON h.flat_id = f.id JOIN unit u ON f.unit_id = u.id
JOIN building b ON u.building_id = b.id JOIN compound c ON b.compound_id = c.id
WHERE EXISTS (SELECT 1 FROM resident r WHERE r.household_id = h.id AND r.status = 'living')
"""


def _rows(db: SqliteDatabase, sql: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(map(str, row)) for row in db.execute_sql(sql).fetchall())


def test_places_and_a_full_export_imported_into_an_empty_database_give_the_same_community(
    demo_file: Path, tmp_path: Path, clock: FixedClock
) -> None:
    source = tmp_path / "demo.db"
    shutil.copy(demo_file, source)
    db = open_database(source, create=False, now=clock.now)
    lead = int(Staff.select(Staff.id).where(Staff.username == "lead-lj-1").scalar())
    places_file = export_places(tmp_path / "places.xlsx", actor_id=lead, now=clock.now()).path
    people_file = export_residents(
        ResidentSelection(search=SearchFilters()),
        tmp_path / "people.xlsx",
        actor_id=lead,
        now=clock.now(),
        full=True,
        reason="迁移到新系统",
    ).path
    expected = {
        "people": _rows(db, PEOPLE),
        "places": _rows(db, PLACES),
        "rooms": _rows(db, ROOMS),
        "households": _rows(db, HOUSEHOLDS),
    }
    db.close()
    assert len(expected["people"]) > 7000

    target = open_database(tmp_path / "new.db", create=True, now=clock.now)
    try:
        community = NewCommunity("丽景街社区", "LJ", "莲花池街道", "离石区", "141102")
        plan = plan_places(read_book(places_file), community, actor_id=None)
        made = import_places(plan, actor_id=None, now=clock.now())
        boss = Staff.create(
            username="boss",
            display_name="主任",
            role="supervisor",
            community=made.community_id,
            password_hash="-",
            must_change_password=False,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        people = plan_residents(people_file, actor_id=boss.id, today=clock.today())
        assert people.counts["refused"] == 0, people.refused()[:3]
        assert people.table.unknown == []  # every column the export writes, the import knows
        write_plan(people, actor_id=boss.id, now=clock.now())
        assert _rows(target, PLACES) == expected["places"]
        assert _rows(target, HOUSEHOLDS) == expected["households"]
        assert _rows(target, PEOPLE) == expected["people"]
        assert _rows(target, ROOMS) == expected["rooms"]
    finally:
        target.close()
