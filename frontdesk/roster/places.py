"""The places import planned (issue 13, "Set up a real community"): from a 楼栋台账 — one row per
unit or per building (小区 / 楼栋 / 单元 or 单元数 / 层数 / 每层户数 / 网格 / 楼型 / 地址) — and a
rooms sheet (名称 / 容纳人数 / 用途 …), what the import would make, and what is there already.

Read only, outside any write lock. Importing again is safe: a compound is matched by name in
the community, a building by number in its compound, a unit by number, a flat by number, a grid
by code, a room by name — and kept as it is. A building now taller (or a unit with more flats a
floor) gets the missing flats (its floor count grows with them); flats the file no longer has
are listed, never removed. A compound or building the file names that does not exist is made
(this import is what makes places), and every one is listed in the preview for confirmation.

The community is an existing one (by code) or a new one (``NewCommunity``), made by the same
import with its subdistrict and district when they are new (matched by name), so that taking
the import back takes them back too. Who may import: see ``authorise``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from frontdesk.db.models import (
    Building,
    Community,
    Compound,
    District,
    Flat,
    GridL3,
    GridL4,
    Room,
    Staff,
    Subdistrict,
    Unit,
)
from frontdesk.divisions import is_known
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Can, PermissionDenied, require
from frontdesk.roster import runs
from frontdesk.roster.header import find_table
from frontdesk.roster.places_rows import (
    Refusal,
    RoomRow,
    UnitRow,
    flat_grids,
    grid_names,
    room_rows,
    unit_rows,
)
from frontdesk.roster.reading import Book

_CODE = re.compile(r"^[A-Za-z]{2,8}$")
_REGION = re.compile(r"^\d{6}$")
# the demo's rooms by the name on their door: a room of that name keeps the catalog's code (its
# name then reads in the desk's language)
KNOWN_ROOMS = {
    "妇女之家": "women_home",
    "作业辅导室": "homework",
    "新时代讲堂": "lecture_hall",
    "新时代书苑": "reading",
    "新时代艺苑": "art",
    "健身室": "fitness",
    "居民议事厅": "meeting",
}


@dataclass(frozen=True)
class NewCommunity:
    name: str
    code: str  # 2–8 letters, upper case: it prefixes request numbers
    subdistrict: str
    district: str
    region_code: str  # GB/T 2260


@dataclass(frozen=True)
class NewBuilding:
    compound: str
    number: int
    floors: int
    kind: str
    units: int
    flats: int


@dataclass(frozen=True)
class NewFlat:
    compound: str
    building: int
    unit: int
    number: int
    grid: str  # level-4 code


@dataclass
class PlacesPlan:
    file_name: str
    sha256: str
    community_id: int | None  # None: a new community, made by the import
    community_name: str
    new_community: NewCommunity | None
    district_id: int | None  # the new community's district and subdistrict when they exist
    subdistrict_id: int | None
    grids_l3: list[tuple[str, str]] = field(default_factory=list)  # (code, name) to make
    grids_l4: list[tuple[str, str]] = field(default_factory=list)
    compounds: list[tuple[str, str]] = field(default_factory=list)  # (name, street address)
    buildings: list[NewBuilding] = field(default_factory=list)
    taller: list[tuple[str, int, int, int]] = field(
        default_factory=list
    )  # (compound, no, old, new)
    units: list[UnitRow] = field(default_factory=list)  # to make
    # units with more flats a floor: (compound, building, unit, before, now)
    wider: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    flats: list[NewFlat] = field(default_factory=list)
    rooms: list[RoomRow] = field(default_factory=list)
    unchanged: dict[str, int] = field(default_factory=dict)
    not_in_file: list[str] = field(default_factory=list)  # flats the file no longer has
    # flats the file puts in another grid, kept in theirs: (flat, grid now, grid in the file)
    other_grid: list[tuple[str, str, str]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "communities": 1 if self.new_community else 0,
            "grids_l3": len(self.grids_l3),
            "grids_l4": len(self.grids_l4),
            "compounds": len(self.compounds),
            "buildings": len(self.buildings),
            "units": len(self.units),
            "flats": len(self.flats),
            "rooms": len(self.rooms),
            "refused": len(self.refused),
            **{f"unchanged_{key}": value for key, value in self.unchanged.items()},
        }

    @property
    def empty(self) -> bool:
        return not (
            self.new_community
            or self.grids_l3
            or self.grids_l4
            or self.compounds
            or self.buildings
            or self.units
            or self.flats
            or self.rooms
            or self.taller
            or self.wider
        )


# -- who, and which community ----------------------------------------------------------------


def authorise(actor_id: int | None, community_id: int | None) -> None:
    """An operator who may import (the supervisor) into one of their own communities. Without
    one (``actor_id`` None, the command line): only into a new community, or one that has no
    staff yet — a center being set up from the command line before ``frontdesk account add``;
    whoever can write the database file can do that much anyway, and the audit keeps the OS
    user. Once a community has staff, its places are imported by its supervisor, signed in."""
    if actor_id is None:
        if community_id is None:
            return
        staffed = Staff.select().where(
            (Staff.community == community_id) & (Staff.active == True)  # noqa: E712
        )
        if staffed.exists():
            raise UserError("places_import.needs_user")
        return
    operator = require(actor_id, Can.IMPORT)
    if community_id is None:
        raise UserError("places_import.new_community_from_command_line")
    if not operator.covers(community_id):
        raise PermissionDenied(operator, Can.IMPORT, scope="perm.scope.other_community")


def community_of_import(import_id: int) -> int | None:
    """The community an import is about (``runs.community_of``)."""
    return runs.community_of(import_id)


def community_by_code(code: str) -> tuple[int, str]:
    row: Any = Community.get_or_none(Community.code == code.strip().upper())
    if row is None:
        raise UserError("places_import.no_such_community", code=code.strip())
    return int(row.id), str(row.name)


def checked_community(community: NewCommunity) -> tuple[NewCommunity, list[str]]:
    """``community`` with its fields cleaned, or a ``UserError``; and its warnings."""
    name, subdistrict, district = (
        community.name.strip(),
        community.subdistrict.strip(),
        community.district.strip(),
    )
    code, region = community.code.strip().upper(), community.region_code.strip()
    for value, key in ((name, "name"), (subdistrict, "subdistrict"), (district, "district")):
        if not value:
            raise UserError(f"places_import.{key}_required")
    if not _CODE.match(code):
        raise UserError("places_import.bad_code", code=code)
    if not _REGION.match(region):
        raise UserError("places_import.bad_region", code=region)
    taken: Any = Community.get_or_none(Community.code == code)
    if taken is not None:
        raise UserError("places_import.code_taken", code=code, name=taken.name)
    warnings = [] if is_known(region) else [_("places_import.unknown_region", code=region)]
    return NewCommunity(name, code, subdistrict, district, region), warnings


# -- the plan --------------------------------------------------------------------------------


def plan_places(
    book: Book,
    community: str | NewCommunity,
    *,
    actor_id: int | None,
    sheet: str | None = None,
) -> PlacesPlan:
    """What importing ``book`` into ``community`` (a code, or a new one) would do."""
    new: NewCommunity | None = None
    warnings: list[str] = []
    district_id = subdistrict_id = None
    if isinstance(community, NewCommunity):
        new, warnings = checked_community(community)
        community_id, community_name = None, new.name
        district_id, subdistrict_id = _district_and_subdistrict(new)
    else:
        community_id, community_name = community_by_code(community)
    authorise(actor_id, community_id)
    plan = PlacesPlan(
        file_name=Path(book.path).name,
        sha256=book.sha256,
        community_id=community_id,
        community_name=community_name,
        new_community=new,
        district_id=district_id,
        subdistrict_id=subdistrict_id,
        warnings=warnings,
    )
    units, rooms = _tables(book, sheet, plan)
    existing = Existing(community_id)
    _plan_grids(plan, existing, units, book)
    _plan_places(plan, existing, units, flat_grids(book))
    _plan_rooms(plan, existing, rooms)
    return plan


def _district_and_subdistrict(new: NewCommunity) -> tuple[int | None, int | None]:
    district: Any = District.select().where(District.name == new.district).order_by(District.id)
    found = district.first()
    if found is None:
        return None, None
    sub: Any = (
        Subdistrict.select()
        .where((Subdistrict.district == found.id) & (Subdistrict.name == new.subdistrict))
        .first()
    )
    return int(found.id), (int(sub.id) if sub else None)


def _tables(book: Book, sheet: str | None, plan: PlacesPlan) -> tuple[list[UnitRow], list[RoomRow]]:
    units: list[UnitRow] = []
    rooms: list[RoomRow] = []
    places_error: UserError | None = None
    try:
        table = find_table(book, "places", sheet=sheet)
    except UserError as error:
        if sheet is not None and error.key == "roster.sheet_unknown":
            raise
        places_error = error
    else:
        units, refused = unit_rows(table)
        plan.refused += refused
        plan.unknown_columns += table.unknown
        plan.skipped += table.skipped
    try:
        room_table = find_table(book, "rooms")
    except UserError:
        if places_error is not None:
            raise places_error from None
    else:
        rooms, refused = room_rows(room_table)
        plan.refused += refused
    return units, rooms


class Existing:
    """What the community holds already, by the keys the file names things by."""

    def __init__(self, community_id: int | None) -> None:
        self.grids_l3: dict[str, int] = {}
        self.grids_l4: dict[str, int] = {}
        self.compounds: dict[str, int] = {}
        self.buildings: dict[tuple[str, int], tuple[int, int]] = {}  # -> (id, floors)
        self.units: dict[tuple[str, int, int], tuple[int, int]] = {}  # -> (id, per floor)
        self.flats: dict[int, dict[int, str]] = {}  # unit id -> flat number -> grid code
        self.rooms: set[str] = set()
        self.room_codes: set[str] = set()
        if community_id is None:
            return
        l3: Any = GridL3.select(GridL3.code, GridL3.id).where(GridL3.community == community_id)
        self.grids_l3 = {code: grid_id for code, grid_id in l3.tuples()}
        l4: Any = (
            GridL4.select(GridL4.code, GridL4.id)
            .join(GridL3, on=(GridL3.id == GridL4.grid_l3))
            .where(GridL3.community == community_id)
        )
        self.grids_l4 = {code: grid_id for code, grid_id in l4.tuples()}
        compounds: Any = Compound.select(Compound.name, Compound.id).where(
            Compound.community == community_id
        )
        self.compounds = {name: compound_id for name, compound_id in compounds.tuples()}
        units: Any = (
            Unit.select(
                Compound.name,
                Building.number,
                Building.id,
                Building.floors,
                Unit.number,
                Unit.id,
                Unit.flats_per_floor,
            )
            .join(Building, on=(Building.id == Unit.building))
            .join(Compound, on=(Compound.id == Building.compound))
            .where(Compound.community == community_id)
        )
        for compound, building, building_id, floors, unit, unit_id, per_floor in units.tuples():
            self.buildings[(compound, building)] = (building_id, floors)
            self.units[(compound, building, unit)] = (unit_id, per_floor)
        buildings: Any = (
            Building.select(Compound.name, Building.number, Building.id, Building.floors)
            .join(Compound, on=(Compound.id == Building.compound))
            .where(Compound.community == community_id)
        )
        for compound, number, building_id, floors in buildings.tuples():
            self.buildings[(compound, number)] = (building_id, floors)
        flats: Any = (
            Flat.select(Flat.unit, Flat.number, GridL4.code)
            .join(GridL4, on=(GridL4.id == Flat.grid_l4))
            .join(Unit, on=(Unit.id == Flat.unit))
            .join(Building, on=(Building.id == Unit.building))
            .join(Compound, on=(Compound.id == Building.compound))
            .where(Compound.community == community_id)
        )
        for unit_id, number, grid in flats.tuples().iterator():
            self.flats.setdefault(unit_id, {})[number] = grid
        rooms: Any = Room.select(Room.name, Room.code).where(Room.community == community_id)
        for name, code in rooms.tuples():
            self.rooms.add(name)
            self.room_codes.add(code)


def _plan_grids(plan: PlacesPlan, existing: Existing, units: list[UnitRow], book: Book) -> None:
    names3, names4 = grid_names(book)
    codes4 = sorted({row.grid for row in units} | set(names4), key=_grid_order)
    codes3 = sorted({code.split("-")[0] for code in codes4} | set(names3), key=_grid_order)
    for code in codes3:
        if code not in existing.grids_l3:
            plan.grids_l3.append((code, names3.get(code) or f"第{code}网格"))
    for code in codes4:
        if code not in existing.grids_l4:
            plan.grids_l4.append((code, names4.get(code) or f"{code}网格"))
    plan.unchanged["grids"] = len(set(codes3) & set(existing.grids_l3)) + len(
        set(codes4) & set(existing.grids_l4)
    )


def _grid_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("-"))


def _plan_places(
    plan: PlacesPlan,
    existing: Existing,
    units: list[UnitRow],
    odd_grids: dict[tuple[str, int, int, int], str],
) -> None:
    unchanged = {"compounds": 0, "buildings": 0, "units": 0, "flats": 0}
    seen_compounds: set[str] = set()
    seen_buildings: dict[tuple[str, int], NewBuilding | None] = {}
    addresses: dict[str, str] = {}
    for row in units:
        if row.street_address:
            addresses.setdefault(row.compound, row.street_address)
    for row in sorted(units, key=lambda r: (r.compound, r.building, r.unit)):
        if row.compound not in seen_compounds:
            seen_compounds.add(row.compound)
            if row.compound in existing.compounds:
                unchanged["compounds"] += 1
            else:
                plan.compounds.append((row.compound, addresses.get(row.compound, "")))
        building_key = (row.compound, row.building)
        if building_key not in seen_buildings:
            had = existing.buildings.get(building_key)
            if had is None:
                made = NewBuilding(row.compound, row.building, row.floors, row.kind, 0, 0)
                plan.buildings.append(made)
                seen_buildings[building_key] = made
            else:
                seen_buildings[building_key] = None
                if row.floors > had[1]:
                    plan.taller.append((row.compound, row.building, had[1], row.floors))
                else:
                    unchanged["buildings"] += 1
        wanted = {
            floor * 100 + position
            for floor in range(1, row.floors + 1)
            for position in range(1, row.flats_per_floor + 1)
        }
        unit = existing.units.get((row.compound, row.building, row.unit))
        have: dict[int, str] = {}
        if unit is None:
            plan.units.append(row)
        else:
            have = existing.flats.get(unit[0], {})
            if row.flats_per_floor > unit[1]:
                plan.wider.append(
                    (row.compound, row.building, row.unit, unit[1], row.flats_per_floor)
                )
            elif not wanted - set(have):
                unchanged["units"] += 1
        unchanged["flats"] += len(wanted & set(have))
        label = f"{row.compound} {row.building}-{row.unit}-"
        for number in sorted(wanted):
            grid = odd_grids.get((row.compound, row.building, row.unit, number), row.grid)
            if number not in have:
                plan.flats.append(NewFlat(row.compound, row.building, row.unit, number, grid))
            elif have[number] != grid:  # kept where it is: the import moves nothing
                plan.other_grid.append((f"{label}{number}", have[number], grid))
        plan.not_in_file += [f"{label}{number}" for number in sorted(set(have) - wanted)]
    unit_count = Counter((u.compound, u.building) for u in plan.units)
    flat_count = Counter((f.compound, f.building) for f in plan.flats)
    plan.buildings = [
        replace(
            b, units=unit_count[(b.compound, b.number)], flats=flat_count[(b.compound, b.number)]
        )
        for b in plan.buildings
    ]
    plan.unchanged.update(unchanged)


def _plan_rooms(plan: PlacesPlan, existing: Existing, rooms: list[RoomRow]) -> None:
    codes = set(existing.room_codes)
    plan.unchanged["rooms"] = 0
    for room in rooms:
        if room.name in existing.rooms:
            plan.unchanged["rooms"] += 1
            continue
        code = room.code or KNOWN_ROOMS.get(room.name, "")
        if not code or code in codes:
            code = next(f"room{n}" for n in range(1, 10_000) if f"room{n}" not in codes)
        codes.add(code)
        plan.rooms.append(replace(room, code=code))
