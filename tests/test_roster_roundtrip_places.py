"""Round trip (issue 13, "Proof"): the places the desk exports of the demo database, imported into
an empty database, give the same compounds, buildings, units, flats, grids and rooms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frontdesk.db.connection import open_database
from frontdesk.db.models import (
    Building,
    Community,
    Compound,
    Flat,
    GridL3,
    GridL4,
    Room,
    Subdistrict,
    Unit,
)
from frontdesk.exporting import export_places
from frontdesk.roster.places import NewCommunity, plan_places
from frontdesk.roster.places_write import import_places
from frontdesk.roster.reading import read_book
from tests.conftest import DEMO_NOW


def places() -> dict[str, set[tuple[Any, ...]]]:
    flats: Any = (
        Flat.select(Compound.name, Building.number, Unit.number, Flat.number, GridL4.code)
        .join(Unit, on=(Unit.id == Flat.unit))
        .join(Building, on=(Building.id == Unit.building))
        .join(Compound, on=(Compound.id == Building.compound))
        .join(GridL4, on=(GridL4.id == Flat.grid_l4))
        .tuples()
    )
    units: Any = (
        Unit.select(Compound.name, Building.number, Unit.number, Unit.flats_per_floor)
        .join(Building, on=(Building.id == Unit.building))
        .join(Compound, on=(Compound.id == Building.compound))
        .tuples()
    )
    buildings: Any = (
        Building.select(Compound.name, Building.number, Building.floors, Building.kind)
        .join(Compound, on=(Compound.id == Building.compound))
        .tuples()
    )
    compounds: Any = Compound.select(Compound.name).tuples()
    grids_l3: Any = GridL3.select(GridL3.code, GridL3.name).tuples()
    grids_l4: Any = GridL4.select(GridL4.code, GridL4.name).tuples()
    rooms: Any = Room.select(Room.name, Room.capacity, Room.purpose).tuples()
    return {
        "compounds": set(compounds),
        "buildings": set(buildings),
        "units": set(units),
        "flats": set(flats),
        "grids_l3": set(grids_l3),
        "grids_l4": set(grids_l4),
        "rooms": set(rooms),
    }


def test_the_demo_places_exported_and_imported_into_an_empty_database(
    demo_file: Path, tmp_path: Path
) -> None:
    workbook = tmp_path / "places.xlsx"
    db = open_database(demo_file, create=False, now=lambda: DEMO_NOW)
    try:
        assert Community.select().count() == 1
        community: Any = Community.get()
        subdistrict: Any = Subdistrict.get_by_id(community.subdistrict_id)
        new = NewCommunity(
            community.name,
            community.code,
            subdistrict.name,
            subdistrict.district.name,
            subdistrict.district.region_code,
        )
        export_places(workbook, actor_id=None, now=DEMO_NOW, command_line=True)
        demo = places()
    finally:
        db.close()
    db = open_database(tmp_path / "empty.db", create=True, now=lambda: DEMO_NOW)
    try:
        plan = plan_places(read_book(workbook), new, actor_id=None)
        assert plan.refused == []
        import_places(plan, actor_id=None, now=DEMO_NOW)
        imported = places()
    finally:
        db.close()
    assert sum(len(rows) for rows in demo.values()) > 3000
    for kind, rows in demo.items():
        assert imported[kind] == rows, kind
