"""The rows of a 楼栋台账 read (issue 13, "Set up a real community"): each unit row as what it
says, or refused with a reason per cell; the rooms sheet likewise; and the two sheets the desk's
own places export adds — the grids with their names, and the flats whose grid is not their
unit's.

A building row reads ``3``, ``3号楼``, ``3栋``, ``3#``, ``三号楼``; a unit ``2``, ``2单元``,
``二单元``. A 小区 left empty under a filled one is the one above it: that is how a merged cell
reads; so is a 楼栋 left empty on a row naming its unit, with the building's floors, flats per
floor, grid, type and address when they are empty too. A row with 单元 is that unit; with 单元数
(and no 单元) units 1 to that number; with neither, unit 1. A unit named twice with different
floors, flats per floor, grid or kind is refused the second time; the same row twice is one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from frontdesk.i18n import _
from frontdesk.roster.address import _number as chinese_number
from frontdesk.roster.columns import building_kind, header_key
from frontdesk.roster.header import Table
from frontdesk.roster.reading import Book
from frontdesk.vocabulary import BuildingKind

MAX_FLOORS = 60
MAX_FLATS_PER_FLOOR = 20
MAX_UNITS = 20
TOWER_FROM_FLOORS = 7  # 楼型 left empty: more than six floors is a tower (a lift is required)
_DASHES = str.maketrans({"—": "-", "–": "-", "‐": "-", "‑": "-", "−": "-", "―": "-", "_": "-"})
_BUILDING = re.compile(
    r"^(?:第)?(\d+|[零〇一二两三四五六七八九十]+)(?:号楼|号|栋|幢|座|#楼|#|楼)?$"
)
_UNIT = re.compile(r"^(?:第)?(\d+|[零〇一二两三四五六七八九十]+)(?:单元|门|#)?$")
_COUNT = re.compile(r"^(\d+)(?:层|户|个|单元)?$")
_GRID = re.compile(r"^(?:第)?(\d{1,3})-(\d{1,3})(?:网格|号网格)?$")
_HOURS = re.compile(r"(\d{1,2})[:：.](\d{2})\s*[-~至到]\s*(\d{1,2})[:：.](\d{2})")
_WEEKDAYS = "一二三四五六日"
# a building's cells merged over its units' rows: read in each of them
_MERGED_WITH_BUILDING = ("floors", "flats_per_floor", "grid", "kind", "street_address")
_EN_GRID_HEADERS = ("Level-3 grid", "Level-3 grid name", "Grid", "Grid name")

T = dt.time
# a room's hours when the file gives none: the demo's weekday mornings and afternoons
DEFAULT_HOURS: tuple[tuple[dt.time, dt.time], ...] = ((T(8, 30), T(12, 0)), (T(14, 0), T(21, 0)))


@dataclass(frozen=True)
class Refusal:
    sheet: str
    row: int  # 1-based, as the spreadsheet numbers it
    reasons: tuple[str, ...]  # one message per cell refused


@dataclass(frozen=True)
class UnitRow:
    row: int
    compound: str
    building: int
    unit: int
    floors: int
    flats_per_floor: int
    grid: str  # level-4 code, "2-3"
    kind: str  # BuildingKind value
    street_address: str

    @property
    def shape(self) -> tuple[int, int, str, str]:
        return (self.floors, self.flats_per_floor, self.grid, self.kind)


@dataclass(frozen=True)
class RoomRow:
    row: int
    name: str
    capacity: int
    purpose: str
    code: str
    max_booking_minutes: int | None
    max_days_ahead: int | None
    weekly_quota_minutes: int | None
    hours: tuple[tuple[int, dt.time, dt.time], ...]  # (weekday 0 = Monday, opens, closes)


def text(value: object) -> str:
    """A cell as written (names and purposes keep their full-width punctuation)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _plain(value: object) -> str:
    """A cell to read a number or code from: full-width forms made plain, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text(value))).translate(_DASHES)


def place_number(value: object, pattern: re.Pattern[str] = _BUILDING) -> int | None:
    """``3``, ``3号楼``, ``三号楼`` → 3 (a unit with ``_UNIT``); ``None`` when not read."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    found = pattern.match(_plain(value))
    if found is None:
        return None
    number = chinese_number(found.group(1))
    return number if number and number > 0 else None


def count(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    found = _COUNT.match(_plain(value))
    return int(found.group(1)) if found else None


def grid_code(value: object) -> str | None:
    """``2-3``, ``2-3网格``, ``２－３`` → ``"2-3"``; ``None`` when it is not a level-4 code."""
    found = _GRID.match(_plain(value))
    if found is None:
        return None
    return f"{int(found.group(1))}-{int(found.group(2))}"


def default_kind(floors: int) -> str:
    return (BuildingKind.TOWER if floors >= TOWER_FROM_FLOORS else BuildingKind.WALKUP).value


class _Cells:
    """One row's cells by field, and the reasons it is refused."""

    def __init__(self, table: Table, cells: list[object]) -> None:
        self.values = {key: cells[column] for column, key in table.fields.items()}
        self.reasons: list[str] = []

    def get(self, key: str) -> object:
        value = self.values.get(key)
        return None if value is None or text(value) == "" else value

    def refuse(self, key: str, **params: object) -> None:
        self.reasons.append(_(f"places_import.{key}", **params))

    def bounded(self, key: str, high: int, message: str) -> int | None:
        value = self.get(key)
        if value is None:
            return None
        number = count(value)
        if number is None or not 1 <= number <= high:
            self.refuse(message, value=text(value), high=high)
            return None
        return number


def unit_rows(table: Table) -> tuple[list[UnitRow], list[Refusal]]:
    """The units a places table lists, and its refused rows (see the module)."""
    found: dict[tuple[str, int, int], UnitRow] = {}
    buildings: dict[tuple[str, int], UnitRow] = {}
    refused: list[Refusal] = []
    above_compound = ""
    above: dict[str, object] = {}
    for number, raw in table.rows:
        cells = _Cells(table, raw)
        compound = text(cells.get("compound")) or above_compound
        building_cell = cells.get("building")
        if building_cell is None and cells.get("unit") is not None and compound == above_compound:
            for key in ("building", *_MERGED_WITH_BUILDING):  # a merged 楼栋 over its units
                if cells.get(key) is None:
                    cells.values[key] = above.get(key)
            building_cell = cells.get("building")
        above_compound, above = compound, dict(cells.values)
        if not compound:
            cells.refuse("no_compound")
        building = None
        if building_cell is None:
            cells.refuse("no_building")
        else:
            building = place_number(building_cell)
            if building is None:
                cells.refuse("bad_building", value=text(building_cell))
        units = _units(cells)
        floors = cells.bounded("floors", MAX_FLOORS, "bad_floors")
        per_floor = cells.bounded("flats_per_floor", MAX_FLATS_PER_FLOOR, "bad_flats_per_floor")
        if cells.get("floors") is None:
            cells.refuse("no_floors")
        if cells.get("flats_per_floor") is None:
            cells.refuse("no_flats_per_floor")
        grid = grid_code(cells.get("grid")) if cells.get("grid") is not None else None
        if cells.get("grid") is None:
            cells.refuse("no_grid")
        elif grid is None:
            cells.refuse("bad_grid", value=text(cells.get("grid")))
        kind_cell = cells.get("kind")
        kind = building_kind(kind_cell) if kind_cell is not None else None
        if kind_cell is not None and kind is None:
            cells.refuse("bad_kind", value=text(kind_cell))
        if cells.reasons or building is None or floors is None or per_floor is None:
            refused.append(Refusal(table.sheet, number, tuple(cells.reasons)))
            continue
        assert grid is not None
        rows = [
            UnitRow(
                row=number,
                compound=compound,
                building=building,
                unit=unit,
                floors=floors,
                flats_per_floor=per_floor,
                grid=grid,
                kind=kind.value if kind is not None else default_kind(floors),
                street_address=text(cells.get("street_address")),
            )
            for unit in units
        ]
        reasons = _clashes(rows, found, buildings)
        if reasons:
            refused.append(Refusal(table.sheet, number, tuple(reasons)))
            continue
        for row in rows:
            found[(row.compound, row.building, row.unit)] = row
            buildings.setdefault((row.compound, row.building), row)
    return list(found.values()), refused


def _units(cells: _Cells) -> list[int]:
    unit_cell = cells.get("unit")
    if unit_cell is not None:
        unit = place_number(unit_cell, _UNIT)
        if unit is None or unit > MAX_UNITS:
            cells.refuse("bad_unit", value=text(unit_cell), high=MAX_UNITS)
            return []
        return [unit]
    units = cells.bounded("units", MAX_UNITS, "bad_units")
    return list(range(1, (units or 1) + 1))


def _clashes(
    rows: list[UnitRow],
    found: dict[tuple[str, int, int], UnitRow],
    buildings: dict[tuple[str, int], UnitRow],
) -> list[str]:
    reasons: list[str] = []
    for row in rows:
        where = _("places_import.unit_label", compound=row.compound, building=row.building)
        before = found.get((row.compound, row.building, row.unit))
        if before is not None and before.shape != row.shape:
            reasons.append(
                _("places_import.unit_twice", where=where, unit=row.unit, row=before.row)
            )
        first = buildings.get((row.compound, row.building))
        if first is not None and (first.floors, first.kind) != (row.floors, row.kind):
            reasons.append(_("places_import.building_differs", where=where, row=first.row))
    return sorted(set(reasons), key=reasons.index)


# -- rooms -----------------------------------------------------------------------------------


def room_rows(table: Table) -> tuple[list[RoomRow], list[Refusal]]:
    rooms: dict[str, RoomRow] = {}
    refused: list[Refusal] = []
    for number, raw in table.rows:
        cells = _Cells(table, raw)
        name = text(cells.get("name"))
        if not name:
            cells.refuse("room_no_name")
        capacity = cells.bounded("capacity", 10_000, "room_bad_capacity")
        if cells.get("capacity") is None:
            cells.refuse("room_no_capacity")
        limits = {
            key: cells.bounded(key, 100_000, "room_bad_number")
            for key in ("max_booking_minutes", "max_days_ahead", "weekly_quota_minutes")
        }
        hours_cell = cells.get("opening_hours")
        hours = opening_hours(text(hours_cell)) if hours_cell is not None else default_hours()
        if hours is None:
            cells.refuse("room_bad_hours", value=text(hours_cell))
        if name in rooms:
            cells.refuse("room_twice", name=name, row=rooms[name].row)
        if cells.reasons or capacity is None or hours is None:
            refused.append(Refusal(table.sheet, number, tuple(cells.reasons)))
            continue
        rooms[name] = RoomRow(
            row=number,
            name=name,
            capacity=capacity,
            purpose=text(cells.get("purpose")),
            code=_plain(cells.get("code")).lower()[:24],
            hours=hours,
            **limits,
        )
    return list(rooms.values()), refused


def default_hours() -> tuple[tuple[int, dt.time, dt.time], ...]:
    return tuple((day, opens, closes) for day in range(5) for opens, closes in DEFAULT_HOURS)


def opening_hours(value: str) -> tuple[tuple[int, dt.time, dt.time], ...] | None:
    """``周一至周五 8:30-12:00，14:00-17:30``; ``每天 9:00-17:00``; times alone are Monday to
    Friday. ``None`` when it cannot be read."""
    plain = _plain(value).replace("星期", "周")
    days = list(range(5))
    span = re.search(r"周([一二三四五六日天])(?:[至到-]周?([一二三四五六日天]))?", plain)
    if "每天" in plain or "每日" in plain or "全天" in plain:
        days = list(range(7))
    elif span is not None:
        first = _WEEKDAYS.index(span.group(1).replace("天", "日"))
        last = _WEEKDAYS.index((span.group(2) or span.group(1)).replace("天", "日"))
        if last < first:
            return None
        days = list(range(first, last + 1))
    times = []
    for found in _HOURS.finditer(plain):
        hour, minute, end_hour, end_minute = (int(part) for part in found.groups())
        try:
            opens, closes = T(hour, minute), T(end_hour, end_minute)
        except ValueError:
            return None
        if opens >= closes:
            return None
        times.append((opens, closes))
    if not times:
        return None
    return tuple((day, opens, closes) for day in days for opens, closes in times)


# -- the places export's own sheets ----------------------------------------------------------


def _sheet_rows(book: Book, *headers: str) -> list[dict[str, object]]:
    """The rows under the first header row (of any sheet) holding all of ``headers``."""
    wanted = [header_key(name) for name in headers]
    for sheet in book.sheets:
        for index, row in enumerate(sheet.rows[:10]):
            keys = [header_key(value) if isinstance(value, str) else "" for value in row]
            if all(key in keys for key in wanted):
                at = {name: keys.index(key) for name, key in zip(headers, wanted, strict=True)}
                return [
                    {
                        name: body[column] if column < len(body) else None
                        for name, column in at.items()
                    }
                    for body in sheet.rows[index + 1 :]
                ]
    return []


def grid_names(book: Book) -> tuple[dict[str, str], dict[str, str]]:
    """Level-3 and level-4 grid names the file gives (the places export's grids sheet)."""
    l3: dict[str, str] = {}
    l4: dict[str, str] = {}
    for row in _sheet_rows(book, "三级网格", "三级网格名称", "网格", "网格名称") or _sheet_rows(
        book, *_EN_GRID_HEADERS
    ):
        code3, name3, code4, name4 = (text(value) for value in row.values())
        if code3 and name3:
            l3[code3] = name3
        if code4 and name4 and grid_code(code4):
            l4[grid_code(code4) or code4] = name4
    return l3, l4


def flat_grids(book: Book) -> dict[tuple[str, int, int, int], str]:
    """Flats whose grid is not their unit's (the places export's flats sheet)."""
    found: dict[tuple[str, int, int, int], str] = {}
    rows = _sheet_rows(book, "小区", "楼栋", "单元", "门牌号", "网格") or _sheet_rows(
        book, "Compound", "Building", "Unit", "Flat", "Grid"
    )
    for row in rows:
        compound, building, unit, flat, grid = row.values()
        key = (text(compound), place_number(building), place_number(unit, _UNIT), count(flat))
        code = grid_code(grid)
        if key[0] and None not in key and code:
            found[(key[0], int(key[1] or 0), int(key[2] or 0), int(key[3] or 0))] = code
    return found
