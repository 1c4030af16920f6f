"""The places import written (issue 13): a plan (``frontdesk.roster.places``) made real in short
write transactions — a few hundred records each, every record listed against the import in the
transaction that makes it (``runs.note``) — so that other desks keep working meanwhile, and the
whole import can be taken back (``frontdesk import undo ID``).

Order: the community (with its subdistrict and district when new), the grids, compounds,
buildings and units, the rooms with their hours, then the flats. Cancelled between two batches,
or stopped by an error, everything written so far is taken back before this returns or raises.
A building that grew taller, or a unit with more flats a floor, is changed with its old value
kept, so taking the import back restores it.

An import that makes its community is not filed under it (``roster_import.community`` stays
empty): taking it back removes the community, which a row pointing at it would forbid.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from peewee import IntegrityError

from frontdesk.db.connection import write
from frontdesk.db.models import (
    Building,
    Community,
    Compound,
    District,
    Flat,
    GridL3,
    GridL4,
    OpeningHours,
    Room,
    Subdistrict,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.roster import runs
from frontdesk.roster.places import Existing, PlacesPlan, authorise
from frontdesk.vocabulary import ImportKind

BATCH = 300  # records a transaction


@dataclass(frozen=True)
class PlacesResult:
    import_id: int
    community_id: int | None  # the community imported into (the new one, when it was made)
    counts: dict[str, int]
    cancelled: bool = False


def import_places(
    plan: PlacesPlan,
    *,
    actor_id: int | None,
    now: datetime,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> PlacesResult:
    """Write ``plan`` (see the module); its import id and counts."""
    authorise(actor_id, plan.community_id)
    if plan.empty:
        raise UserError("places_import.nothing")
    if plan.new_community is not None:
        taken: Any = Community.get_or_none(Community.code == plan.new_community.code)
        if taken is not None:
            raise UserError("places_import.code_taken", code=taken.code, name=taken.name)
    counts = plan.counts()
    import_id = runs.begin(
        ImportKind.PLACES,
        community_id=plan.community_id,
        file_name=plan.file_name,
        sha256=plan.sha256,
        counts=counts,
        actor_id=actor_id,
        now=now,
    )
    writer = _Writer(plan, import_id, now)
    steps = list(writer.steps())
    try:
        for done, step in enumerate(steps, start=1):
            if cancel is not None and cancel():
                runs.undo(import_id, actor_id=actor_id, now=now, reason="cancelled", checked=True)
                return PlacesResult(import_id, plan.community_id, counts, cancelled=True)
            write(step)
            if progress is not None:
                progress(done / len(steps))
    except BaseException as error:
        # should taking back fail too, runs.take_back_stopped finds it later; the cause is raised
        with contextlib.suppress(Exception):
            runs.undo(import_id, actor_id=actor_id, now=now, reason="failed", checked=True)
        if isinstance(error, IntegrityError):
            raise UserError("places_import.changed_meanwhile") from None
        raise
    runs.finish(
        import_id,
        counts,
        actor_id=actor_id,
        now=now,
        detail={"community": plan.community_name, "community_id": writer.community_id},
    )
    return PlacesResult(import_id, writer.community_id, counts)


def _chunks(items: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Writer:
    """The batches of one import; each made record's id kept for the batches after it."""

    def __init__(self, plan: PlacesPlan, import_id: int, now: datetime) -> None:
        self.plan = plan
        self.import_id = import_id
        self.now = now
        self.community_id = plan.community_id
        existing = Existing(plan.community_id)
        self.grids_l3 = dict(existing.grids_l3)
        self.grids_l4 = dict(existing.grids_l4)
        self.compounds = dict(existing.compounds)
        self.buildings = {key: ids[0] for key, ids in existing.buildings.items()}
        self.units = {key: ids[0] for key, ids in existing.units.items()}
        self.room_sort = 0
        if plan.community_id is not None:
            most: Any = Room.select(Room.sort).where(Room.community == plan.community_id)
            self.room_sort = max([row.sort for row in most] or [0])

    def note(
        self, entity: str, ids: list[int], before: dict[int, dict[str, Any]] | None = None
    ) -> None:
        runs.note(self.import_id, entity, ids, before=before, now=self.now)

    def steps(self) -> Iterator[Callable[[], None]]:
        plan = self.plan
        if plan.new_community is not None:
            yield self.community
        for chunk in _chunks(plan.grids_l3):
            yield partial(self.grids, chunk, level=3)
        for chunk in _chunks(plan.grids_l4):
            yield partial(self.grids, chunk, level=4)
        for chunk in _chunks(plan.compounds):
            yield partial(self.made_compounds, chunk)
        for chunk in _chunks(plan.buildings):
            yield partial(self.made_buildings, chunk)
        if plan.taller or plan.wider:
            yield self.grown
        for chunk in _chunks(plan.units):
            yield partial(self.made_units, chunk)
        for chunk in _chunks(plan.rooms, 30):  # with a dozen hours each
            yield partial(self.made_rooms, chunk)
        for chunk in _chunks(plan.flats):
            yield partial(self.made_flats, chunk)

    # -- the batches (each inside its own write) ---------------------------------------------

    def community(self) -> None:
        new = self.plan.new_community
        assert new is not None
        district_id = self.plan.district_id
        if district_id is None:
            district_id = int(
                District.insert(name=new.district, region_code=new.region_code).execute()
            )
            self.note("district", [district_id])
        subdistrict_id = self.plan.subdistrict_id
        if subdistrict_id is None:
            subdistrict_id = int(
                Subdistrict.insert(district=district_id, name=new.subdistrict).execute()
            )
            self.note("subdistrict", [subdistrict_id])
        self.community_id = int(
            Community.insert(subdistrict=subdistrict_id, name=new.name, code=new.code).execute()
        )
        self.note("community", [self.community_id])

    def grids(self, chunk: list[tuple[str, str]], *, level: int) -> None:
        made = []
        for code, name in chunk:
            if level == 3:
                grid_id = int(
                    GridL3.insert(community=self.community_id, code=code, name=name).execute()
                )
                self.grids_l3[code] = grid_id
            else:
                parent = self.grids_l3[code.split("-")[0]]
                grid_id = int(GridL4.insert(grid_l3=parent, code=code, name=name).execute())
                self.grids_l4[code] = grid_id
            made.append(grid_id)
        self.note(f"grid_l{level}", made)

    def made_compounds(self, chunk: list[tuple[str, str]]) -> None:
        made = []
        for name, address in chunk:
            compound_id = int(
                Compound.insert(
                    community=self.community_id, name=name, street_address=address
                ).execute()
            )
            self.compounds[name] = compound_id
            made.append(compound_id)
        self.note("compound", made)

    def made_buildings(self, chunk: list[Any]) -> None:
        made = []
        for building in chunk:
            building_id = int(
                Building.insert(
                    compound=self.compounds[building.compound],
                    number=building.number,
                    floors=building.floors,
                    kind=building.kind,
                ).execute()
            )
            self.buildings[(building.compound, building.number)] = building_id
            made.append(building_id)
        self.note("building", made)

    def grown(self) -> None:
        before: dict[int, dict[str, Any]] = {}
        for compound, number, old, new in self.plan.taller:
            building_id = self.buildings[(compound, number)]
            Building.update(floors=new).where(Building.id == building_id).execute()
            before[building_id] = {"floors": old}
        if before:
            self.note("building", list(before), before)
        before = {}
        for compound, number, unit, old, new in self.plan.wider:
            unit_id = self.units[(compound, number, unit)]
            Unit.update(flats_per_floor=new).where(Unit.id == unit_id).execute()
            before[unit_id] = {"flats_per_floor": old}
        if before:
            self.note("unit", list(before), before)

    def made_units(self, chunk: list[Any]) -> None:
        made = []
        for row in chunk:
            unit_id = int(
                Unit.insert(
                    building=self.buildings[(row.compound, row.building)],
                    number=row.unit,
                    flats_per_floor=row.flats_per_floor,
                ).execute()
            )
            self.units[(row.compound, row.building, row.unit)] = unit_id
            made.append(unit_id)
        self.note("unit", made)

    def made_rooms(self, chunk: list[Any]) -> None:
        rooms, hours = [], []
        for room in chunk:
            self.room_sort += 1
            fields: dict[str, Any] = {
                "community": self.community_id,
                "code": room.code,
                "name": room.name,
                "purpose": room.purpose,
                "capacity": room.capacity,
                "weekly_quota_minutes": room.weekly_quota_minutes,
                "sort": self.room_sort,
            }
            if room.max_booking_minutes is not None:
                fields["max_booking_minutes"] = room.max_booking_minutes
            if room.max_days_ahead is not None:
                fields["max_days_ahead"] = room.max_days_ahead
            room_id = int(Room.insert(**fields).execute())
            rooms.append(room_id)
            for weekday, opens, closes in room.hours:
                hours.append(
                    int(
                        OpeningHours.insert(
                            room=room_id, weekday=weekday, opens=opens, closes=closes
                        ).execute()
                    )
                )
        self.note("room", rooms)
        self.note("opening_hours", hours)

    def made_flats(self, chunk: list[Any]) -> None:
        made = []
        for flat in chunk:
            made.append(
                int(
                    Flat.insert(
                        unit=self.units[(flat.compound, flat.building, flat.unit)],
                        grid_l4=self.grids_l4[flat.grid],
                        **Flat.derived(flat.number),
                    ).execute()
                )
            )
        self.note("flat", made)
