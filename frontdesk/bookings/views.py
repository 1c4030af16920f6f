"""What the rooms screens show: a day of all rooms, a week of one room, a list of bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from frontdesk.bookings.intervals import day_windows
from frontdesk.db.models import Booking, Closure, OpeningHours, Room
from frontdesk.permissions import Can, require_in
from frontdesk.scope import community_of_room


@dataclass(frozen=True)
class RoomColumn:
    id: int
    code: str
    name: str
    capacity: int
    hours: dict[int, tuple[tuple[time, time], ...]]  # weekday → opening intervals

    def windows(self, day: date) -> list[tuple[datetime, datetime]]:
        return day_windows(day, self.hours.get(day.weekday(), ()))


@dataclass(frozen=True)
class BookingCell:
    id: int
    room_id: int
    starts_at: datetime
    ends_at: datetime
    title: str
    booker_name: str
    status: str
    series_id: int | None
    attendees: int
    version: int


@dataclass(frozen=True)
class ClosureCell:
    id: int
    room_id: int | None  # None: the whole center
    starts_at: datetime
    ends_at: datetime
    reason: str


@dataclass(frozen=True)
class Calendar:
    """Bookings (cancelled ones too, to show struck out) and closures in [start, end)."""

    start: datetime
    end: datetime
    rooms: tuple[RoomColumn, ...]
    bookings: tuple[BookingCell, ...]
    closures: tuple[ClosureCell, ...]


def rooms(community_id: int, *, actor_id: int | None) -> tuple[RoomColumn, ...]:
    """The community's open rooms with their hours, in the desk's order."""
    require_in(actor_id, Can.VIEW_ROOMS, community_id)
    return _rooms(community_id)


def _rooms(community_id: int) -> tuple[RoomColumn, ...]:
    rows: Any = (
        Room.select()
        .where((Room.community == community_id) & (Room.active == True))  # noqa: E712
        .order_by(Room.sort, Room.id)
    )
    found = list(rows)
    hours: dict[int, dict[int, list[tuple[time, time]]]] = {}
    if found:
        hours_rows: Any = OpeningHours.select().where(OpeningHours.room.in_([r.id for r in found]))
        for h in hours_rows:
            hours.setdefault(h.room_id, {}).setdefault(h.weekday, []).append((h.opens, h.closes))
    return tuple(
        RoomColumn(
            id=r.id,
            code=r.code,
            name=r.name,
            capacity=r.capacity,
            hours={d: tuple(sorted(v)) for d, v in hours.get(r.id, {}).items()},
        )
        for r in found
    )


def calendar(
    community_id: int, start: datetime, end: datetime, room_id: int | None = None
) -> Calendar:
    """Everything between ``start`` and ``end`` for the community's rooms (or one room)."""
    columns = _rooms(community_id)
    if room_id is not None:
        columns = tuple(c for c in columns if c.id == room_id)
    ids = [c.id for c in columns]
    booking_rows: Any = (
        Booking.select()
        .where(Booking.room.in_(ids) & (Booking.starts_at < end) & (Booking.ends_at > start))
        .order_by(Booking.starts_at, Booking.id)
    )
    closure_rows: Any = Closure.select().where(
        (Closure.community == community_id)
        & Closure.lifted_at.is_null(True)
        & (Closure.starts_at < end)
        & (Closure.ends_at > start)
        & (Closure.room.is_null(True) | Closure.room.in_(ids))
    )
    return Calendar(
        start=start,
        end=end,
        rooms=columns,
        bookings=tuple(
            BookingCell(
                id=b.id,
                room_id=b.room_id,
                starts_at=b.starts_at,
                ends_at=b.ends_at,
                title=b.title,
                booker_name=b.booker_name,
                status=b.status,
                series_id=b.series_id,
                attendees=b.attendees,
                version=b.version,
            )
            for b in booking_rows
        ),
        closures=tuple(
            ClosureCell(c.id, c.room_id, c.starts_at, c.ends_at, c.reason) for c in closure_rows
        ),
    )


def day(community_id: int, on: date, *, actor_id: int | None) -> Calendar:
    require_in(actor_id, Can.VIEW_ROOMS, community_id)
    start = datetime.combine(on, time.min)
    return calendar(community_id, start, start + timedelta(days=1))


def week(community_id: int, room_id: int, monday: date, *, actor_id: int | None) -> Calendar:
    require_in(actor_id, Can.VIEW_ROOMS, community_id)
    if community_of_room(room_id) != community_id:
        require_in(actor_id, Can.VIEW_ROOMS, community_of_room(room_id))
    start = datetime.combine(monday, time.min)
    return calendar(community_id, start, start + timedelta(days=7), room_id=room_id)


@dataclass(frozen=True)
class ListedBooking:
    id: int
    room_name: str
    starts_at: datetime
    ends_at: datetime
    title: str
    booker_name: str
    status: str
    series_id: int | None


def upcoming(
    community_id: int,
    now: datetime,
    *,
    room_id: int | None = None,
    booker: str = "",
    status: str | None = None,
    days: int = 14,
    limit: int = 200,
    actor_id: int | None,
) -> list[ListedBooking]:
    """Today's and the coming days' bookings, filtered by room, booker (part of the name) and
    status."""
    require_in(actor_id, Can.VIEW_ROOMS, community_id)
    start = datetime.combine(now.date(), time.min)
    query: Any = (
        Booking.select(Booking, Room.name.alias("room_name"))
        .join(Room)
        .where(
            (Room.community == community_id)
            & (Booking.starts_at >= start)
            & (Booking.starts_at < start + timedelta(days=days))
        )
        .order_by(Booking.starts_at, Room.sort)
        .limit(limit)
    )
    if room_id is not None:
        query = query.where(Booking.room == room_id)
    if booker.strip():
        query = query.where(Booking.booker_name.contains(booker.strip()))
    if status is not None:
        query = query.where(Booking.status == status)
    return [
        ListedBooking(
            id=r["id"],
            room_name=r["room_name"],
            starts_at=r["starts_at"],
            ends_at=r["ends_at"],
            title=r["title"],
            booker_name=r["booker_name"],
            status=r["status"],
            series_id=r["series"],
        )
        for r in query.dicts()
    ]
