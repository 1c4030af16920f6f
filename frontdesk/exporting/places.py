"""The places (compounds, buildings, units, their grids) and the rooms, as a workbook laid out as
the places import reads it: one row per unit — 小区 / 楼栋 / 单元 / 层数 / 每层户数 / 网格 — a rooms
sheet (名称 / 容纳人数 / 用途), and, for units whose flats lie in more than one grid, a sheet of
the flats whose grid is not their unit's. Exported into an empty database, they give the same
places back."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk.db.models import Building, Compound, Flat, GridL3, GridL4, Room, Unit
from frontdesk.exporting.book import Column, Kind
from frontdesk.exporting.common import (
    ExportResult,
    Progress,
    asker,
    narrowed,
    new_book,
    record_export,
    title,
)
from frontdesk.i18n import _
from frontdesk.permissions import Can

UNIT_COLUMNS = ("compound", "building", "unit", "floors", "flats_per_floor", "grid", "kind")
FLAT_COLUMNS = ("compound", "building", "unit", "flat", "grid")
ROOM_COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("room_name", Kind.TEXT),
    ("capacity", Kind.NUMBER),
    ("purpose", Kind.TEXT),
)
GRID_COLUMNS = ("grid_l3", "grid_l3_name", "grid", "grid_name")


def _units(communities: frozenset[int] | None) -> list[dict[str, Any]]:
    query = (
        Unit.select(
            Unit.id,
            Unit.number.alias("unit"),
            Unit.flats_per_floor,
            Building.number.alias("building"),
            Building.floors,
            Building.kind,
            Compound.name.alias("compound"),
        )
        .join(Building, on=(Building.id == Unit.building))
        .join(Compound, on=(Compound.id == Building.compound))
        .order_by(Compound.community, Compound.name, Building.number, Unit.number)
    )
    if communities is not None:
        query = query.where(Compound.community.in_(sorted(communities)))
    rows: Any = query.dicts()
    return list(rows)


def _flat_grids(unit_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """Each unit's flats: (number, grid code)."""
    query = (
        Flat.select(Flat.unit, Flat.number, GridL4.code)
        .join(GridL4, on=(GridL4.id == Flat.grid_l4))
        .order_by(Flat.unit, Flat.number)
        .tuples()
    )
    flats: dict[int, list[tuple[int, str]]] = {}
    for unit_id, number, grid in query.iterator():
        if unit_id in unit_ids:
            flats.setdefault(unit_id, []).append((number, grid))
    return flats


def export_places(
    path: Path,
    *,
    actor_id: int | None,
    now: datetime,
    community_id: int | None = None,
    command_line: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """The community's places, grids and rooms (rows counts the units)."""
    what = Can.VIEW_RESIDENT
    who = asker(actor_id, what, command_line=command_line)
    communities = narrowed(who, what, community_id)
    units = _units(communities)
    flats = _flat_grids({unit["id"] for unit in units})
    heading = title(_("export.what.places"), communities, [], now, None)
    odd: list[list[object]] = []
    with new_book(path) as book:
        sheet = book.sheet(
            _("export.sheet.buildings"),
            [Column(_(f"export.col.{name}")) for name in UNIT_COLUMNS],
            heading,
        )
        for unit in units:
            own = flats.get(unit["id"], [])
            common = Counter(grid for _number, grid in own).most_common(1)
            grid = common[0][0] if common else ""
            place = [unit["compound"], str(unit["building"]), str(unit["unit"])]
            kind = _(f"export.building_kind.{unit['kind']}")
            sheet.row([*place, str(unit["floors"]), str(unit["flats_per_floor"]), grid, kind])
            odd += [[*place, str(number), g] for number, g in own if g != grid]
        sheet.finish()
        if odd:
            flat_sheet = book.sheet(
                _("export.sheet.flats"),
                [Column(_(f"export.col.{name}")) for name in FLAT_COLUMNS],
                heading,
            )
            for row in odd:
                flat_sheet.row(row)
            flat_sheet.finish()
        _grids_sheet(book, communities, heading)
        _rooms_sheet(book, communities, heading)
    result = ExportResult(path=path, rows=len(units), masked=True)
    record_export(who, "places", communities=communities, filters={}, result=result, now=now)
    if progress is not None:
        progress(1.0)
    return result


def _grids_sheet(book: Any, communities: frozenset[int] | None, heading: str) -> None:
    query = (
        GridL4.select(GridL3.code, GridL3.name, GridL4.code, GridL4.name)
        .join(GridL3, on=(GridL3.id == GridL4.grid_l3))
        .order_by(GridL3.community, GridL3.id, GridL4.id)
        .tuples()
    )
    if communities is not None:
        query = query.where(GridL3.community.in_(sorted(communities)))
    sheet = book.sheet(
        _("export.sheet.grids"), [Column(_(f"export.col.{n}")) for n in GRID_COLUMNS], heading
    )
    for row in query:
        sheet.row(list(row))
    sheet.finish()


def _rooms_sheet(book: Any, communities: frozenset[int] | None, heading: str) -> None:
    query = Room.select(Room.name, Room.capacity, Room.purpose).order_by(
        Room.community, Room.sort, Room.id
    )
    if communities is not None:
        query = query.where(Room.community.in_(sorted(communities)))
    sheet = book.sheet(
        _("export.sheet.rooms"),
        [Column(_(f"export.col.{name}"), kind) for name, kind in ROOM_COLUMNS],
        heading,
    )
    rows: Any = query.tuples()
    for name, capacity, purpose in rows:
        sheet.row([name, capacity, purpose])
    sheet.finish()
