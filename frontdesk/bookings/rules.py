"""The booking rules, checked inside the write transaction against what is stored right then.

Each rule that fails gives a ``Notice`` saying why; a refusal also carries the nearest free
slots (later the same day or the next days in the same room, or another room at the same time)
so the clerk can offer something that works. That search is read-only and looks at many slots:
the services run it after their write transaction has ended (``booking.offer_slots``), so a
refusal holds the write lock no longer than a booking does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from peewee import fn

from frontdesk.bookings.intervals import (
    SLOT,
    day_windows,
    inside,
    minutes,
    slot_floor,
    week_start,
)
from frontdesk.db.models import Booking, Closure, OpeningHours, Room
from frontdesk.errors import UserError
from frontdesk.i18n import join
from frontdesk.notices import Notice, msg
from frontdesk.vocabulary import BookerKind, BookingStatus

# Statuses that hold a room: a cancelled booking or a no-show frees it.
HOLDING = (BookingStatus.BOOKED.value, BookingStatus.CHECKED_IN.value)
SEARCH_DAYS = 7


@dataclass(frozen=True)
class Booker:
    kind: str  # BookerKind value
    name: str
    phone: str = ""
    resident_id: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Who counts as the same booker for the weekly quota."""
        if self.kind == BookerKind.RESIDENT and self.resident_id is not None:
            return ("resident", str(self.resident_id))
        return ("named", f"{self.name.strip()}|{self.phone.strip()}")


@dataclass(frozen=True)
class BookingInput:
    room_id: int
    starts_at: datetime
    ends_at: datetime
    title: str
    booker: Booker
    attendees: int = 1
    notes: str = ""


@dataclass(frozen=True)
class FreeSlot:
    room_id: int
    room_name: str
    starts_at: datetime
    ends_at: datetime


class BookingRefused(UserError):
    """The rules said no: ``problems`` say why, ``suggestions`` what would work instead.

    ``offer_slots``: another time or room could help (a rule about the slot said no); the
    service then looks for ``suggestions`` once its write transaction has ended.
    """

    def __init__(
        self,
        problems: list[Notice],
        suggestions: list[FreeSlot] | None = None,
        *,
        offer_slots: bool = False,
    ) -> None:
        first = problems[0] if problems else msg("booking.refused")
        super().__init__(first.key, **first.params)
        self.problems = problems
        self.suggestions = suggestions or []
        self.offer_slots = offer_slots


@dataclass(frozen=True)
class RoomRules:
    id: int
    name: str
    community_id: int
    capacity: int
    max_booking_minutes: int
    max_days_ahead: int
    weekly_quota_minutes: int | None
    hours: dict[int, list[tuple[time, time]]]  # weekday → opening intervals

    def windows(self, day: date) -> list[tuple[datetime, datetime]]:
        return day_windows(day, self.hours.get(day.weekday(), []))


def load_room(room_id: int) -> RoomRules:
    room: Any = Room.get_or_none(Room.id == room_id)
    if room is None or not room.active:
        raise UserError("booking.no_room", id=room_id)
    hours: dict[int, list[tuple[time, time]]] = {}
    for row in OpeningHours.select().where(OpeningHours.room == room_id):
        hours.setdefault(row.weekday, []).append((row.opens, row.closes))
    return _rules_of(room, hours)


def _rules_of(room: Any, hours: dict[int, list[tuple[time, time]]]) -> RoomRules:
    return RoomRules(
        id=room.id,
        name=room.name,
        community_id=room.community_id,
        capacity=room.capacity,
        max_booking_minutes=room.max_booking_minutes,
        max_days_ahead=room.max_days_ahead,
        weekly_quota_minutes=room.weekly_quota_minutes,
        hours=hours,
    )


def _hours_text(rules: RoomRules, day: date) -> str:
    windows = rules.hours.get(day.weekday(), [])
    return join(f"{a:%H:%M}–{b:%H:%M}" for a, b in sorted(windows))


@dataclass(frozen=True)
class Stored:
    """What is stored for a room over a span of days, read at once: a series checks each of its
    dates against this instead of asking the database three times per date."""

    closures: tuple[Any, ...]  # of the room or the whole center, not lifted
    bookings: tuple[Any, ...]  # live ones of the room, by start
    first: datetime
    last: datetime

    def closures_hitting(self, start: datetime, end: datetime) -> list[Any]:
        return [c for c in self.closures if c.starts_at < end and c.ends_at > start]

    def conflicts(self, start: datetime, end: datetime, exclude: Iterable[int]) -> list[Any]:
        out = set(exclude)
        return [
            b for b in self.bookings if b.starts_at < end and b.ends_at > start and b.id not in out
        ]

    def quota_used(self, booker: Booker, day: date, exclude: Iterable[int]) -> int:
        monday = datetime.combine(week_start(day), time.min)
        out = set(exclude)
        return sum(
            minutes(b.starts_at, b.ends_at)
            for b in self.bookings
            if monday <= b.starts_at < monday + timedelta(days=7)
            and b.id not in out
            and _same_booker(b, booker)
        )


def _same_booker(row: Any, booker: Booker) -> bool:
    kind, value = booker.key
    if kind == "resident":
        return bool(row.resident_id == int(value))
    return bool(
        row.resident_id is None
        and row.booker_name.strip() == booker.name.strip()
        and row.booker_phone.strip() == booker.phone.strip()
    )


def stored_around(rules: RoomRules, days: list[date]) -> Stored | None:
    """What ``problems_for`` reads, for whole weeks around ``days`` (None: no days)."""
    if not days:
        return None
    first = datetime.combine(week_start(min(days)), time.min)
    last = datetime.combine(week_start(max(days)), time.min) + timedelta(days=7)
    closures = closures_hitting(rules.community_id, rules.id, first, last)
    bookings = Booking.select().where(
        (Booking.room == rules.id)
        & Booking.status.in_(HOLDING)
        & (Booking.starts_at < last)
        & (Booking.ends_at > first)
    )
    return Stored(tuple(closures), tuple(bookings.order_by(Booking.starts_at)), first, last)


def closures_hitting(
    community_id: int, room_id: int | None, start: datetime, end: datetime
) -> list[Closure]:
    """Closures of this room or the whole center that overlap [start, end) (lifted ones don't)."""
    where = (
        (Closure.community == community_id)
        & Closure.lifted_at.is_null(True)
        & (Closure.starts_at < end)
        & (Closure.ends_at > start)
    )
    if room_id is not None:
        where &= Closure.room.is_null(True) | (Closure.room == room_id)
    return list(Closure.select().where(where).order_by(Closure.starts_at))


def conflicts(
    room_id: int, start: datetime, end: datetime, exclude: Iterable[int] = ()
) -> list[Booking]:
    """Live bookings of the room that overlap [start, end)."""
    query = Booking.select().where(
        (Booking.room == room_id)
        & Booking.status.in_(HOLDING)
        & (Booking.starts_at < end)
        & (Booking.ends_at > start)
    )
    excluded = list(exclude)
    if excluded:
        query = query.where(Booking.id.not_in(excluded))
    return list(query.order_by(Booking.starts_at))


def quota_used(room_id: int, booker: Booker, day: date, exclude: Iterable[int] = ()) -> int:
    """Minutes the booker holds in this room in ``day``'s week."""
    monday = datetime.combine(week_start(day), time.min)
    query = Booking.select(Booking.starts_at, Booking.ends_at).where(
        (Booking.room == room_id)
        & Booking.status.in_(HOLDING)
        & (Booking.starts_at >= monday)
        & (Booking.starts_at < monday + timedelta(days=7))
    )
    kind, value = booker.key
    if kind == "resident":
        query = query.where(Booking.resident == int(value))
    else:
        query = query.where(
            Booking.resident.is_null(True)
            & (fn.TRIM(Booking.booker_name) == booker.name.strip())
            & (fn.TRIM(Booking.booker_phone) == booker.phone.strip())
        )
    excluded = list(exclude)
    if excluded:
        query = query.where(Booking.id.not_in(excluded))
    return sum(minutes(row.starts_at, row.ends_at) for row in query)


def problems_for(
    data: BookingInput,
    rules: RoomRules,
    *,
    now: datetime,
    exclude: Iterable[int] = (),
    one_off: bool = True,
    limits: bool = True,
    quota_extra: int = 0,
    stored: Stored | None = None,
) -> list[Notice]:
    """Every rule ``data`` breaks, in the order a clerk would want to hear them.

    ``limits``: the length, days-ahead and weekly-quota limits apply (off for a series booked
    by someone who may exempt it, see ``recurrence``); the days-ahead one only for ``one_off``
    bookings and whole series, not when one occurrence of a series moves. ``quota_extra``:
    minutes the booker takes that week besides what is stored (a series' earlier dates).
    ``stored``: what is stored around, read before (``stored_around``) in this transaction.
    """
    if stored is not None and not (stored.first <= data.starts_at and data.ends_at <= stored.last):
        stored = None  # not read for this time: ask the database
    found: list[Notice] = []
    start, end = data.starts_at, data.ends_at
    if not data.title.strip():
        found.append(msg("booking.title_required"))
    if not data.booker.name.strip():
        found.append(msg("booking.booker_required"))
    if start >= end:
        found.append(msg("booking.end_before_start"))
        return found
    if start < slot_floor(now):
        found.append(msg("booking.in_past"))
    length = minutes(start, end)
    if limits and length > rules.max_booking_minutes:
        found.append(
            msg(
                "booking.too_long",
                max=rules.max_booking_minutes // 60 or 1,
                minutes=rules.max_booking_minutes,
            )
        )
    last_day = now.date() + timedelta(days=rules.max_days_ahead)
    if limits and one_off and start.date() > last_day:
        found.append(msg("booking.too_far", days=rules.max_days_ahead, last=f"{last_day:%Y-%m-%d}"))
    if data.attendees < 1:
        found.append(msg("booking.attendees_positive"))
    elif data.attendees > rules.capacity:
        found.append(msg("booking.over_capacity", capacity=rules.capacity))
    if not inside(start, end, rules.windows(start.date())):
        hours = _hours_text(rules, start.date())
        found.append(
            msg("booking.outside_hours", hours=hours) if hours else msg("booking.closed_that_day")
        )
    hitting = (
        stored.closures_hitting(start, end)
        if stored is not None
        else closures_hitting(rules.community_id, rules.id, start, end)
    )
    for closure in hitting:
        found.append(
            msg(
                "booking.closed",
                reason=closure.reason,
                start=f"{closure.starts_at:%m-%d %H:%M}",
                end=f"{closure.ends_at:%m-%d %H:%M}",
            )
        )
    clashing = (
        stored.conflicts(start, end, exclude)
        if stored is not None
        else conflicts(rules.id, start, end, exclude)
    )
    for other in clashing:
        found.append(
            msg(
                "booking.conflict",
                title=other.title,
                booker=other.booker_name,
                start=f"{other.starts_at:%H:%M}",
                end=f"{other.ends_at:%H:%M}",
            )
        )
    if limits and rules.weekly_quota_minutes is not None:
        used = quota_extra + (
            stored.quota_used(data.booker, start.date(), exclude)
            if stored is not None
            else quota_used(rules.id, data.booker, start.date(), exclude)
        )
        if used + length > rules.weekly_quota_minutes:
            found.append(
                msg(
                    "booking.quota",
                    used=used // 60,
                    quota=rules.weekly_quota_minutes // 60,
                    left=max(0, rules.weekly_quota_minutes - used) // 60,
                )
            )
    return found


def is_free(rules: RoomRules, start: datetime, end: datetime, exclude: Iterable[int] = ()) -> bool:
    return (
        inside(start, end, rules.windows(start.date()))
        and not closures_hitting(rules.community_id, rules.id, start, end)
        and not conflicts(rules.id, start, end, exclude)
    )


def _taken(room_ids: list[int], start: datetime, end: datetime, exclude: list[int]) -> Any:
    """(room, start, end) of the live bookings of these rooms overlapping [start, end)."""
    query = Booking.select(Booking.room, Booking.starts_at, Booking.ends_at).where(
        Booking.room.in_(room_ids)
        & Booking.status.in_(HOLDING)
        & (Booking.starts_at < end)
        & (Booking.ends_at > start)
    )
    if exclude:
        query = query.where(Booking.id.not_in(exclude))
    return query.tuples()


def _rooms_rules(room_ids: list[int]) -> list[RoomRules]:
    """``load_room`` for several rooms, in two queries."""
    hours: dict[int, dict[int, list[tuple[time, time]]]] = {}
    for row in OpeningHours.select().where(OpeningHours.room.in_(room_ids)):
        hours.setdefault(row.room_id, {}).setdefault(row.weekday, []).append(
            (row.opens, row.closes)
        )
    rooms: Any = Room.select().where(Room.id.in_(room_ids))
    by_id = {room.id: _rules_of(room, hours.get(room.id, {})) for room in rooms}
    return [by_id[room_id] for room_id in room_ids if room_id in by_id]


def nearest_free(
    data: BookingInput, rules: RoomRules, *, now: datetime, exclude: Iterable[int] = ()
) -> list[FreeSlot]:
    """The first free slot of the same length in this room from the asked time on (within a
    week), and other rooms with room for everyone free at the asked time. When more people come
    than the room holds, no other time of it would do: only the other rooms are offered. What is
    taken and closed is read once for the whole search (a handful of queries, not two a slot)."""
    length = data.ends_at - data.starts_at
    if length <= timedelta(0):
        return []
    found: list[FreeSlot] = []
    excluded = list(exclude)
    start = max(slot_floor(data.starts_at), slot_floor(now) + SLOT)
    limit = data.starts_at + timedelta(days=SEARCH_DAYS)
    if data.attendees > rules.capacity:
        limit = start  # this room is too small at any time
    busy = [(a, b) for _room, a, b in _taken([rules.id], start, limit + length, excluded)]
    busy += [
        (c.starts_at, c.ends_at)
        for c in closures_hitting(rules.community_id, rules.id, start, limit + length)
    ]
    while start < limit:
        end = start + length
        if (
            start.date() == end.date()
            and inside(start, end, rules.windows(start.date()))
            and not any(a < end and start < b for a, b in busy)
        ):
            found.append(FreeSlot(rules.id, rules.name, start, end))
            break
        start += SLOT
    if data.starts_at < now:
        return found
    rows: Any = (
        Room.select(Room.id)
        .where(
            (Room.community == rules.community_id)
            & (Room.active == True)  # noqa: E712
            & (Room.id != rules.id)
            & (Room.capacity >= data.attendees)
        )
        .order_by(Room.sort, Room.id)
        .tuples()
    )
    others = [room_id for (room_id,) in rows]
    if not others:
        return found
    taken = {room_id for room_id, _a, _b in _taken(others, data.starts_at, data.ends_at, [])}
    shut = closures_hitting(rules.community_id, None, data.starts_at, data.ends_at)
    whole_center = any(c.room_id is None for c in shut)
    closed = {c.room_id for c in shut}
    for other in _rooms_rules(others):
        if (
            not whole_center
            and other.id not in taken
            and other.id not in closed
            and inside(data.starts_at, data.ends_at, other.windows(data.starts_at.date()))
        ):
            found.append(FreeSlot(other.id, other.name, data.starts_at, data.ends_at))
            if len(found) >= 3:
                break
    return found


def no_room_for_everyone(data: BookingInput, rules: RoomRules) -> Notice:
    """Why no other room is offered to more people than ``rules``' room holds: no room of the
    community is big enough (the biggest is named), or those that are are taken or shut then."""
    biggest = (
        Room.select(fn.MAX(Room.capacity))
        .where((Room.community == rules.community_id) & (Room.active == True))  # noqa: E712
        .scalar()
    )
    if biggest is None or biggest < data.attendees:
        return msg("booking.no_room_big_enough", attendees=data.attendees, biggest=biggest or 0)
    return msg("booking.big_rooms_taken", attendees=data.attendees)
