"""Utilisation per room and week: hours booked over hours open, no-shows, top bookers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.bookings.intervals import minutes
from frontdesk.bookings.views import calendar
from frontdesk.permissions import Can, require_in
from frontdesk.vocabulary import BookingStatus


@dataclass(frozen=True)
class RoomUse:
    room_id: int
    room_name: str
    hours_open: float
    hours_booked: float
    no_shows: int
    bookings: int  # that held the room (booked, checked in, no-show)
    top_bookers: tuple[tuple[str, int], ...]  # (name, bookings), most first

    @property
    def share(self) -> float:
        return self.hours_booked / self.hours_open if self.hours_open else 0.0

    @property
    def no_show_rate(self) -> float:
        return self.no_shows / self.bookings if self.bookings else 0.0


def _clip(start: datetime, end: datetime, lo: datetime, hi: datetime) -> int:
    return max(0, minutes(max(start, lo), min(end, hi)))


def utilisation(community_id: int, monday: date, *, actor_id: int | None) -> list[RoomUse]:
    """For each room, the week starting ``monday``: open hours (less closures), booked hours
    (inside opening hours), no-shows and the five most frequent bookers."""
    require_in(actor_id, Can.REPORTS, community_id)
    start = datetime.combine(monday, time.min)
    cal = calendar(community_id, start, start + timedelta(days=7))
    found = []
    for room in cal.rooms:
        open_minutes = 0
        windows = [w for d in range(7) for w in room.windows(monday + timedelta(days=d))]
        for w_start, w_end in windows:
            closed = sum(
                _clip(c.starts_at, c.ends_at, w_start, w_end)
                for c in cal.closures
                if c.room_id in (None, room.id)
            )
            open_minutes += minutes(w_start, w_end) - min(closed, minutes(w_start, w_end))
        held = [
            b for b in cal.bookings if b.room_id == room.id and b.status != BookingStatus.CANCELLED
        ]
        used = [b for b in held if b.status != BookingStatus.NO_SHOW]
        booked = sum(_clip(b.starts_at, b.ends_at, w0, w1) for b in used for w0, w1 in windows)
        bookers = Counter(b.booker_name for b in held)
        found.append(
            RoomUse(
                room_id=room.id,
                room_name=room.name,
                hours_open=open_minutes / 60,
                hours_booked=min(booked, open_minutes) / 60,
                no_shows=sum(1 for b in held if b.status == BookingStatus.NO_SHOW),
                bookings=len(held),
                top_bookers=tuple(bookers.most_common(5)),
            )
        )
    return found
