"""Which community a record belongs to: the one question every scope check asks.

Each lookup is one indexed query along the record's foreign keys (a resident lives in a
household, in a flat, in a unit, in a building, in a compound, in a community). ``None`` means
there is no such record; the checks in ``permissions`` refuse it like a record of another
community, so a guessed id tells nobody whether it exists.
"""

from __future__ import annotations

from typing import Any

from frontdesk.db.models import (
    Booking,
    BookingSeries,
    Building,
    Closure,
    Compound,
    Flat,
    GridL3,
    GridL4,
    Household,
    Request,
    Resident,
    Room,
    Staff,
    Unit,
)


def _one(query: Any) -> int | None:
    row = query.tuples().first()
    return None if row is None or row[0] is None else int(row[0])


def _from_flat(query: Any) -> Any:
    return (
        query.join(Unit, on=(Flat.unit == Unit.id))
        .join(Building, on=(Unit.building == Building.id))
        .join(Compound, on=(Building.compound == Compound.id))
    )


def community_of_flat(flat_id: int | None) -> int | None:
    return _one(_from_flat(Flat.select(Compound.community)).where(Flat.id == flat_id))


def community_of_household(household_id: int | None) -> int | None:
    query = Household.select(Compound.community).join(Flat, on=(Household.flat == Flat.id))
    return _one(_from_flat(query).where(Household.id == household_id))


def community_of_resident(resident_id: int | None) -> int | None:
    """The community of the household the resident belongs to now (a person who moved to
    another community is that community's; the old one keeps its own records about them)."""
    query = (
        Resident.select(Compound.community)
        .join(Household, on=(Resident.household == Household.id))
        .join(Flat, on=(Household.flat == Flat.id))
    )
    return _one(_from_flat(query).where(Resident.id == resident_id))


def community_of_compound(compound_id: int | None) -> int | None:
    return _one(Compound.select(Compound.community).where(Compound.id == compound_id))


def community_of_building(building_id: int | None) -> int | None:
    query = Building.select(Compound.community).join(
        Compound, on=(Building.compound == Compound.id)
    )
    return _one(query.where(Building.id == building_id))


def community_of_grid(grid_l4_id: int | None) -> int | None:
    query = GridL4.select(GridL3.community).join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
    return _one(query.where(GridL4.id == grid_l4_id))


def community_of_room(room_id: int | None) -> int | None:
    return _one(Room.select(Room.community).where(Room.id == room_id))


def community_of_booking(booking_id: int | None) -> int | None:
    query = Booking.select(Room.community).join(Room, on=(Booking.room == Room.id))
    return _one(query.where(Booking.id == booking_id))


def community_of_series(series_id: int | None) -> int | None:
    query = BookingSeries.select(Room.community).join(Room, on=(BookingSeries.room == Room.id))
    return _one(query.where(BookingSeries.id == series_id))


def community_of_closure(closure_id: int | None) -> int | None:
    return _one(Closure.select(Closure.community).where(Closure.id == closure_id))


def community_of_request(request_id: int | None) -> int | None:
    return _one(Request.select(Request.community).where(Request.id == request_id))


def community_of_staff(staff_id: int | None) -> int | None:
    return _one(Staff.select(Staff.community).where(Staff.id == staff_id))
