"""Compounds, buildings, units and flats of a community, and which level-4 grid each is in.

6-storey walk-ups (2–3 units, 2 flats a floor) in the older compounds, 11–18-storey towers
(1–2 units, 2–4 flats a floor) in the newer ones. Grids are made of whole buildings, taken in
order so that the grids hold similar numbers of flats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from frontdesk.db.models import Flat as FlatModel
from frontdesk.demo.context import Context
from frontdesk.demo.grids import Grid
from frontdesk.vocabulary import BuildingKind

FLATS_PER_COMPOUND = 550

FIRST_COMPOUNDS = ("宏泰学府苑", "泰化龙凤苑", "丽景花园", "莲花池小区", "康馨家园", "滨河苑")
COMPOUND_PREFIXES = (
    *("丽景", "莲花", "滨河", "康馨", "阳光", "御景", "华府", "凤凰", "锦绣", "翠苑"),
    *("世纪", "盛世", "龙城", "昌盛", "金色", "紫荆", "和谐", "幸福", "吉祥", "永安"),
    *("泰和", "富康", "怡馨", "润泽", "东方", "嘉禾", "兴旺", "瑞景", "安居", "文苑"),
)
COMPOUND_SUFFIXES = ("花园", "家园", "小区", "苑", "雅居", "新城", "名苑", "嘉园", "公寓", "佳苑")
STREETS = (
    "龙凤大道",
    "莲花池路",
    "滨河北路",
    "北川河西路",
    "吕梁大道",
    "永宁路",
    "凤山路",
    "久安路",
)


@dataclass(slots=True, eq=False)
class Compound:
    id: int
    name: str
    street_address: str
    buildings: list[Building] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Building:
    id: int
    compound: Compound
    number: int
    floors: int
    kind: str
    units: int
    flats_per_floor: int
    grid: Grid | None = None
    flats: list[Flat] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.floors * self.units * self.flats_per_floor


@dataclass(slots=True, eq=False)
class Flat:
    id: int
    building: Building
    unit: int  # the unit's number (单元)
    number: int
    floor: int
    grid: Grid

    def address(self) -> str:
        """``宏泰学府苑 3号楼 2单元 1001室``."""
        return (
            f"{self.building.compound.name} {self.building.number}号楼 "
            f"{self.unit}单元 {self.number}室"
        )

    def short(self) -> str:
        """``3-2-1001``, as people say it at the desk."""
        return f"{self.building.number}-{self.unit}-{self.number}"


@dataclass
class Places:
    compounds: list[Compound]
    buildings: list[Building]
    flats: list[Flat]


class PlaceNames:
    """Compound names and street addresses, unique over the whole district."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.used_names: set[str] = set()
        self.used_addresses: set[str] = set()
        self._candidates = [p + s for p in COMPOUND_PREFIXES for s in COMPOUND_SUFFIXES]
        ctx.rng.shuffle(self._candidates)

    def compound(self, first_community: bool, index: int) -> str:
        if first_community and index < len(FIRST_COMPOUNDS):
            name = FIRST_COMPOUNDS[index]
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        while self._candidates:
            name = self._candidates.pop()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        name = f"新建小区{len(self.used_names) + 1}号院"
        self.used_names.add(name)
        return name

    def address(self, street: str) -> str:
        rng = self.ctx.rng
        streets = (street, *STREETS)
        while True:
            choice = streets[int(rng.random() * len(streets))]
            address = f"{choice}{1 + int(rng.random() * 198)}号"
            if address not in self.used_addresses:
                self.used_addresses.add(address)
                return address


def _building_shape(ctx: Context, tower: bool) -> tuple[int, str, int, int]:
    """(floors, kind, units, flats per floor)."""
    rng = ctx.rng
    if tower:
        floors = 11 + int(rng.random() * 8)
        units = 1 if rng.random() < 0.5 else 2
        per_floor = 2 + int(rng.random() * 3)
        return floors, BuildingKind.TOWER.value, units, per_floor
    units = 2 if rng.random() < 0.55 else 3
    return 6, BuildingKind.WALKUP.value, units, 2


def partition(sizes: list[int], parts: int) -> list[int]:
    """Cut ``sizes`` (in order) into ``parts`` non-empty runs of similar sums; the run of each."""
    count = len(sizes)
    if count < parts:
        raise ValueError("fewer buildings than grids")
    runs: list[int] = []
    remaining = sum(sizes)
    index = 0
    for part in range(parts):
        later = parts - part - 1
        target = remaining / (parts - part)
        total = 0
        while index < count - later:
            size = sizes[index]
            if total and (part < parts - 1) and total + size / 2 > target:
                break
            total += size
            runs.append(part)
            index += 1
        remaining -= total
    return runs


def make_places(
    ctx: Context,
    names: PlaceNames,
    community_id: int,
    street: str,
    first_community: bool,
    grids: list[Grid],
    flats_wanted: int,
) -> Places:
    rng = ctx.rng
    tables = ctx.tables
    compound_count = max(1, round(flats_wanted / FLATS_PER_COMPOUND))
    compounds: list[Compound] = []
    buildings: list[Building] = []
    total = 0
    for index in range(compound_count):
        compound = Compound(
            tables.compound.new_id(), names.compound(first_community, index), names.address(street)
        )
        compounds.append(compound)
        last = index == compound_count - 1
        share = (flats_wanted - total) / (compound_count - index)
        target = total + (share if last else share * (0.7 + 0.6 * rng.random()))
        style = rng.random()  # < 0.45 walk-ups only, < 0.8 towers only, else mixed
        while total < target:
            tower = style >= 0.45 if style < 0.8 else rng.random() < 0.5
            left = flats_wanted - total
            if last and left <= 36:
                tower = False  # top up with a small walk-up
            floors, kind, units, per_floor = _building_shape(ctx, tower)
            if not tower and left <= 24:
                units = 2
            building = Building(
                tables.building.new_id(),
                compound,
                len(compound.buildings) + 1,
                floors,
                kind,
                units,
                per_floor,
            )
            compound.buildings.append(building)
            buildings.append(building)
            total += building.size
    while len(buildings) < len(grids):  # every grid needs a building of its own
        compound = compounds[-1]
        number = len(compound.buildings) + 1
        walkup = BuildingKind.WALKUP.value
        building = Building(tables.building.new_id(), compound, number, 6, walkup, 2, 2)
        compound.buildings.append(building)
        buildings.append(building)

    for compound in compounds:
        tables.compound.add(compound.id, community_id, compound.name, compound.street_address)
    runs = partition([building.size for building in buildings], len(grids))
    flats: list[Flat] = []
    derived = FlatModel.derived
    for building, run in zip(buildings, runs, strict=True):
        grid = grids[run]
        building.grid = grid
        tables.building.add(
            building.id, building.compound.id, building.number, building.floors, building.kind
        )
        for unit_number in range(1, building.units + 1):
            unit_id = tables.unit.new_id()
            tables.unit.add(unit_id, building.id, unit_number, building.flats_per_floor)
            for floor in range(1, building.floors + 1):
                for position in range(1, building.flats_per_floor + 1):
                    fields = derived(floor * 100 + position)
                    flat = Flat(
                        tables.flat.new_id(), building, unit_number, fields["number"], floor, grid
                    )
                    tables.flat.add(
                        flat.id,
                        unit_id,
                        fields["number"],
                        fields["floor"],
                        fields["position"],
                        grid.id,
                    )
                    building.flats.append(flat)
                    flats.append(flat)
    return Places(compounds, buildings, flats)
