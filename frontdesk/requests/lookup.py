"""Small read-only look-ups the requests screens need beside the request services.

Where a request is about, as typed at the desk (``3-2-1001``, ``学府苑 3号楼``, ``3-2``, a
compound's name, ``2-3网格``); the reporter and their own flat; the staff a request can be handed
to; the categories; where printed slips go. Nothing here writes to the database (``save_slip``
writes a text file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk.db.models import (
    Building,
    Community,
    Compound,
    Flat,
    GridL3,
    GridL4,
    RequestCategory,
    Staff,
)
from frontdesk.outbox import share
from frontdesk.paths import output_folder
from frontdesk.permissions import Can, require_in
from frontdesk.pinyin import has_cjk, normalise_name
from frontdesk.requests.detail import get_request, write_slip
from frontdesk.requests.intake import Place
from frontdesk.requests.routing import grid_of_place
from frontdesk.residents.addresses import FlatAddress, addresses
from frontdesk.residents.flats import flats_at
from frontdesk.search.query import normalise_query, parse_address
from frontdesk.vocabulary import Role

MAX_PLACES = 20
_GRID = re.compile(r"^(?:网格|grid)?\s*(\d{1,2}-\d{1,2})\s*(?:网格|grid)$", re.IGNORECASE)
_GRID_FIRST = re.compile(r"^(?:网格|grid)\s*(\d{1,2}-\d{1,2})$", re.IGNORECASE)
# Who can hold a request (reception and administrators hand requests on, they do not hold them).
HOLDER_ROLES = (Role.GRID_MANAGER.value, Role.SUPERVISOR.value, Role.SUBDISTRICT.value)
SLIPS_ENV = "FRONTDESK_SLIPS"


# ------------------------------------------------------------------------------------ places


@dataclass(frozen=True)
class PlaceChoice:
    """One place the typed text can mean."""

    kind: str  # flat, building, compound, grid
    label: str  # 宏泰学府苑 3号楼 2单元 1001室
    short: str  # what the place box shows once chosen: 宏泰学府苑 3-2-1001
    place: Place
    grid: str  # the level-4 grid it goes to: "2-3"
    detail: str = ""  # what the text said beyond the place: "2单元" for 3-2


def _grid_code(grid_id: int) -> str:
    row: Any = GridL4.get_or_none(GridL4.id == grid_id)
    return str(row.code) if row else ""


def _flat_grids(flat_ids: list[int]) -> dict[int, str]:
    """The level-4 grid code of each flat."""
    if not flat_ids:
        return {}
    rows: Any = (
        Flat.select(Flat.id, GridL4.code)
        .join(GridL4, on=(GridL4.id == Flat.grid_l4))
        .where(Flat.id.in_(flat_ids))
        .tuples()
    )
    return dict(rows)


def flat_place(address: FlatAddress, grid: str) -> PlaceChoice:
    """A flat whose address is known as a place."""
    return PlaceChoice(
        kind="flat",
        label=address.text,
        short=f"{address.compound} {address.short}",
        place=Place(flat_id=address.flat_id),
        grid=grid,
    )


def _compounds(community_id: int, part: str) -> list[Any]:
    rows: Any = (
        Compound.select(Compound.id, Compound.name)
        .where(Compound.community == community_id)
        .order_by(Compound.name)
    )
    if not part:
        return list(rows)
    needle = normalise_name(part)
    return [row for row in rows if needle in normalise_name(row.name)]


def _grids(code: str, community_id: int) -> list[PlaceChoice]:
    rows: Any = (
        GridL4.select(GridL4.id, GridL4.code, GridL4.name)
        .join(GridL3)
        .where((GridL3.community == community_id) & (GridL4.code == code))
    )
    return [PlaceChoice("grid", r.name, r.name, Place(grid_l4_id=r.id), r.code) for r in rows]


def _buildings(
    community_id: int, compound: str, number: int, unit: int | None, limit: int
) -> list[PlaceChoice]:
    compounds = _compounds(community_id, compound)
    rows: Any = (
        Building.select(Building.id, Building.number, Compound.name.alias("compound"))
        .join(Compound)
        .where(Building.compound.in_([c.id for c in compounds]) & (Building.number == number))
        .order_by(Compound.name)
        .limit(limit)
        .dicts()
    )
    detail = f"{unit}单元" if unit is not None else ""
    choices = []
    for row in rows:
        name = f"{row['compound']} {row['number']}号楼"
        grid = _grid_code(grid_of_place(building_id=row["id"]))
        choices.append(
            PlaceChoice("building", name, name, Place(building_id=row["id"]), grid, detail)
        )
    return choices


def find_places(
    text: str, community_id: int, *, actor_id: int | None, limit: int = MAX_PLACES
) -> list[PlaceChoice]:
    """Every place of the community the text can mean: a flat (``3-2-1001``), a building
    (``3号楼``, ``学府苑 3号楼``; ``3-2`` is building 3 with "2单元" as the detail), a compound
    (part of its name) or a level-4 grid (``2-3网格``, for a public place). Only in a community
    the operator works in."""
    require_in(actor_id, Can.LOG_REQUEST, community_id)
    typed = normalise_query(text)
    if not typed:
        return []
    grid = _GRID.match(typed) or _GRID_FIRST.match(typed)
    if grid is not None:
        return _grids(grid[1], community_id)
    address = parse_address(typed)
    if address is not None and address.flat is not None and address.unit is not None:
        flats = flats_at(typed, community_id, limit=limit)
        found = addresses([f.flat_id for f in flats])
        codes = _flat_grids([f.flat_id for f in flats])
        return [flat_place(found[f.flat_id], codes.get(f.flat_id, "")) for f in flats]
    if address is not None:
        return _buildings(
            community_id, address.compound, address.building or 0, address.unit, limit
        )
    if not has_cjk(typed) or len(normalise_name(typed)) < 2:
        return []
    return [
        PlaceChoice(
            "compound",
            row.name,
            row.name,
            Place(compound_id=row.id),
            _grid_code(grid_of_place(compound_id=row.id)),
        )
        for row in _compounds(community_id, typed)[:limit]
    ]


# --------------------------------------------------------------------------------- reporters


@dataclass(frozen=True)
class ReporterInfo:
    """A resident as the intake shows them once chosen as the reporter."""

    resident_id: int
    name: str
    phone_masked: str
    home: PlaceChoice | None  # their flat, while their household lives there


# ------------------------------------------------------------------------------------- staff


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str
    role: str  # Role value
    phone: str  # a work phone
    grids: tuple[str, ...]  # the level-4 grids they manage
    away: bool


def staff_choices(community_id: int, *, actor_id: int | None) -> list[StaffChoice]:
    """Who can hold a request of this community: its grid managers (by grid), its leadership,
    the subdistrict office (asked only about a community the operator works in)."""
    require_in(actor_id, Can.VIEW_REQUESTS, community_id)
    community: Any = Community.get_or_none(Community.id == community_id)
    if community is None:
        return []
    mine = (Staff.community == community_id) | (Staff.subdistrict == community.subdistrict_id)
    rows: Any = (
        Staff.select()
        .where(mine & Staff.role.in_(HOLDER_ROLES) & (Staff.active == True))  # noqa: E712
        .order_by(Staff.id)
    )
    managed: dict[int, list[str]] = {}
    grids: Any = (
        GridL4.select(GridL4.manager, GridL4.code)
        .join(GridL3)
        .where((GridL3.community == community_id) & GridL4.manager.is_null(False))
        .tuples()
    )
    for manager_id, code in grids:
        managed.setdefault(manager_id, []).append(code)
    order = {role: n for n, role in enumerate(HOLDER_ROLES)}
    choices = [
        StaffChoice(
            s.id,
            s.display_name,
            s.role,
            s.phone,
            tuple(sorted(managed.get(s.id, []), key=_grid_order)),
            bool(s.away),
        )
        for s in rows
    ]
    return sorted(
        choices, key=lambda c: (order[c.role], _grid_order(c.grids[0] if c.grids else ""))
    )


def _grid_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("-"))


# --------------------------------------------------------------------------------- the rest


def categories() -> list[str]:
    """The active categories' codes, in the catalog's order."""
    rows: Any = (
        RequestCategory.select(RequestCategory.code)
        .where(RequestCategory.active == True)  # noqa: E712
        .order_by(RequestCategory.sort, RequestCategory.id)
        .tuples()
    )
    return [code for (code,) in rows]


def slip_folder() -> Path:
    """Where printed slips are written: ``FRONTDESK_SLIPS``, else ``slips`` in the user's data
    folder, else the current folder."""
    return output_folder(SLIPS_ENV, "slips")


def save_slip(request_id: int, now: datetime, *, actor_id: int | None) -> Path:
    """Write the request's slip (``write_slip``) into ``slip_folder()``, or into the current
    folder when that one cannot be written; returns the file's path. In an SSH desk's outbox
    the member's SFTP account may read it (``outbox.share``)."""
    detail = get_request(request_id, now, actor_id=actor_id)
    try:
        path = write_slip(detail, slip_folder())
    except OSError:
        return write_slip(detail, Path.cwd())
    share(path)
    return path
