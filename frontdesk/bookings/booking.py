"""One booking: create, change (move, extend, change room), cancel — each one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, TypeVar

from frontdesk import audit
from frontdesk.bookings.fields import cancel_reason, refuse_bad_fields
from frontdesk.bookings.lookup import require_booker
from frontdesk.bookings.recurrence import may_exempt
from frontdesk.bookings.rules import (
    Booker,
    BookingInput,
    BookingRefused,
    load_room,
    nearest_free,
    no_room_for_everyone,
    problems_for,
)
from frontdesk.db.connection import write
from frontdesk.db.models import Booking, SeriesException
from frontdesk.errors import UserError
from frontdesk.notices import msg
from frontdesk.permissions import Can, require_in
from frontdesk.scope import community_of_booking, community_of_room
from frontdesk.vocabulary import BookingStatus, SeriesExceptionKind

T = TypeVar("T")
FIRST_YEAR, LAST_YEAR = 2000, 2099  # a booking outside is a typing slip, never a booking


def check_or_refuse(
    data: BookingInput, *, now: datetime, exclude: tuple[int, ...] = (), one_off: bool = True
) -> None:
    refuse_bad_fields(data)
    if not all(FIRST_YEAR <= t.year <= LAST_YEAR for t in (data.starts_at, data.ends_at)):
        raise BookingRefused([msg("booking.date_range", first=FIRST_YEAR, last=LAST_YEAR)])
    rules = load_room(data.room_id)
    problems = problems_for(data, rules, now=now, exclude=exclude, one_off=one_off)
    if problems:  # the free slots to offer are looked for after the write lock is let go
        raise BookingRefused(problems, offer_slots=True)


def offer_slots(
    refused: BookingRefused, data: BookingInput, *, now: datetime, exclude: tuple[int, ...] = ()
) -> None:
    """Add the nearest free slots to a refusal by the rules. Read-only, called after the write
    transaction ended: the search reads much and must not hold the lock the other desks wait
    for (what it finds is a suggestion; booking it checks every rule again)."""
    if refused.offer_slots and not refused.suggestions:
        rules = load_room(data.room_id)
        refused.suggestions = nearest_free(data, rules, now=now, exclude=exclude)
        if data.attendees > rules.capacity and data.starts_at >= now and not refused.suggestions:
            refused.problems.append(no_room_for_everyone(data, rules))


def look_then_write(
    run: Callable[[], T],
    look: Callable[[], None],
    data: BookingInput,
    *,
    now: datetime,
    exclude: tuple[int, ...] = (),
) -> T:
    """``look`` first, read-only and outside the write lock (the operator's right, the rules as
    stored now): what it refuses — most attempts when many desks book at once — never takes the
    lock. What passes is checked again by ``run`` inside the transaction, against what is stored
    at that moment. A refusal by the rules gets its free slots after the lock is let go."""
    try:
        look()
        return write(run)
    except BookingRefused as refused:
        offer_slots(refused, data, now=now, exclude=exclude)
        raise


def columns(data: BookingInput, now: datetime) -> dict[str, object]:
    """The ``Booking`` columns that ``data`` sets (for an insert or an update)."""
    return {
        "room": data.room_id,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "title": data.title.strip(),
        "booker_kind": data.booker.kind,
        "resident": data.booker.resident_id,
        "booker_name": data.booker.name.strip(),
        "booker_phone": data.booker.phone.strip(),
        "attendees": data.attendees,
        "notes": data.notes,
        "updated_at": now,
    }


def insert(data: BookingInput, *, actor_id: int | None, now: datetime, **extra: object) -> int:
    """Store a booking the rules allowed (inside the caller's transaction)."""
    booking = Booking.create(**columns(data, now), created_at=now, created_by=actor_id, **extra)
    return int(booking.id)


def create_booking(data: BookingInput, *, actor_id: int | None, now: datetime) -> int:
    """Book ``data`` if every rule holds at this moment; else ``BookingRefused``."""

    def authorise() -> None:
        require_in(actor_id, Can.BOOK, community_of_room(data.room_id))
        require_booker(actor_id, data.booker)

    def look() -> None:
        authorise()
        check_or_refuse(data, now=now)

    def run() -> int:
        look()
        booking_id = insert(data, actor_id=actor_id, now=now)
        audit.record(
            "booking.create",
            "booking",
            booking_id,
            actor_id=actor_id,
            at=now,
            detail={"room": data.room_id, "start": data.starts_at, "end": data.ends_at},
        )
        return booking_id

    return look_then_write(run, look, data, now=now)


@dataclass(frozen=True)
class BookingView:
    id: int
    room_id: int
    room_name: str
    series_id: int | None
    occurrence_date: date | None
    starts_at: datetime
    ends_at: datetime
    title: str
    booker: Booker
    attendees: int
    notes: str
    status: str
    checked_in_at: datetime | None
    cancel_reason: str
    created_at: datetime
    version: int

    def as_input(self) -> BookingInput:
        return BookingInput(
            room_id=self.room_id,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            title=self.title,
            booker=self.booker,
            attendees=self.attendees,
            notes=self.notes,
        )


def get_booking(booking_id: int, *, actor_id: int | None) -> BookingView:
    require_in(actor_id, Can.VIEW_ROOMS, community_of_booking(booking_id))
    row: Any = Booking.get_or_none(Booking.id == booking_id)
    if row is None:
        raise UserError("booking.not_found", id=booking_id)
    return BookingView(
        id=row.id,
        room_id=row.room_id,
        room_name=row.room.name,
        series_id=row.series_id,
        occurrence_date=row.occurrence_date,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        title=row.title,
        booker=Booker(
            kind=row.booker_kind,
            name=row.booker_name,
            phone=row.booker_phone,
            resident_id=row.resident_id,
        ),
        attendees=row.attendees,
        notes=row.notes,
        status=row.status,
        checked_in_at=row.checked_in_at,
        cancel_reason=row.cancel_reason,
        created_at=row.created_at,
        version=row.version,
    )


def _current(booking_id: int, version: int) -> Any:
    row: Any = Booking.get_or_none(Booking.id == booking_id)
    if row is None:
        raise UserError("booking.not_found", id=booking_id)
    if row.version != version:
        who, at = audit.last_change("booking", row.id)
        raise UserError("booking.changed_elsewhere", title=row.title, who=who, at=at)
    return row


def mark_exception(row: Any, kind: str, note: str, actor_id: int | None, now: datetime) -> None:
    """Remember that this occurrence of a series now has a life of its own."""
    if row.series_id is None or row.occurrence_date is None:
        return
    existing = SeriesException.get_or_none(
        (SeriesException.series == row.series_id)
        & (SeriesException.occurrence_date == row.occurrence_date)
    )
    if existing is None:
        SeriesException.create(
            series=row.series_id,
            occurrence_date=row.occurrence_date,
            kind=kind,
            booking=row.id,
            note=note,
            created_at=now,
            created_by=actor_id,
        )
    else:
        SeriesException.update(kind=kind, booking=row.id, note=note or existing.note).where(
            SeriesException.id == existing.id
        ).execute()


def change_booking(
    booking_id: int,
    version: int,
    data: BookingInput,
    *,
    actor_id: int | None,
    now: datetime,
) -> int:
    """Move, extend, change the room of or retitle one booking under the same rules.

    For an occurrence of a series this changes that occurrence only, and it becomes an
    exception the series keeps through later edits. Returns the new version.
    """

    def look() -> Any:
        require_in(actor_id, Can.BOOK, community_of_booking(booking_id))
        require_in(actor_id, Can.BOOK, community_of_room(data.room_id))  # and where it goes
        require_booker(actor_id, data.booker)
        row = _current(booking_id, version)
        if row.status not in (BookingStatus.BOOKED, BookingStatus.CHECKED_IN):
            raise UserError("booking.not_live", title=row.title)
        if row.ends_at <= now:  # what is over is kept as it was (one under way may be extended)
            raise UserError("booking.over", title=row.title)
        begun = row.status == BookingStatus.CHECKED_IN or row.starts_at <= now
        if begun and (data.starts_at, data.room_id) != (row.starts_at, row.room_id):
            raise UserError("booking.begun_move", title=row.title)  # it may only be extended
        # an occurrence moved on its own keeps to the one-off limits unless one may exempt
        one_off = row.series_id is None or not may_exempt(actor_id)
        check_or_refuse(data, now=now, exclude=(booking_id,), one_off=one_off)
        return row

    def run() -> int:
        row = look()
        moved = (data.starts_at, data.ends_at, data.room_id) != (
            row.starts_at,
            row.ends_at,
            row.room_id,
        )
        Booking.update(**columns(data, now), version=row.version + 1).where(
            Booking.id == booking_id
        ).execute()
        kind = SeriesExceptionKind.MOVED if moved else SeriesExceptionKind.MODIFIED
        mark_exception(row, kind, "", actor_id, now)
        audit.record(
            "booking.change",
            "booking",
            booking_id,
            actor_id=actor_id,
            at=now,
            detail={
                "from": [row.room_id, row.starts_at, row.ends_at],
                "to": [data.room_id, data.starts_at, data.ends_at],
            },
        )
        return int(row.version) + 1

    return look_then_write(run, look, data, now=now, exclude=(booking_id,))


def cancel_booking(
    booking_id: int, version: int, reason: str, *, actor_id: int | None, now: datetime
) -> None:
    """Cancel one booking (kept, shown struck out). One occurrence of a series stays cancelled
    through later edits of the series."""
    cancel_reason(reason)

    def run() -> None:
        require_in(actor_id, Can.BOOK, community_of_booking(booking_id))
        row = _current(booking_id, version)
        if row.status == BookingStatus.CANCELLED:
            return
        if row.starts_at <= now or row.status != BookingStatus.BOOKED:  # it took place, or not
            raise UserError("booking.begun", title=row.title)
        cancel_rows([row], reason, actor_id=actor_id, now=now)
        mark_exception(row, SeriesExceptionKind.CANCELLED, reason.strip(), actor_id, now)

    write(run)


def cancel_rows(rows: list[Any], reason: str, *, actor_id: int | None, now: datetime) -> None:
    """Cancel these bookings inside the caller's transaction, one audit entry each."""
    for row in rows:
        Booking.update(
            status=BookingStatus.CANCELLED,
            cancelled_at=now,
            cancelled_by=actor_id,
            cancel_reason=reason.strip(),
            updated_at=now,
            version=Booking.version + 1,
        ).where(Booking.id == row.id).execute()
        audit.record(
            "booking.cancel", "booking", row.id, actor_id=actor_id, at=now, reason=reason.strip()
        )


def with_times(data: BookingInput, starts_at: datetime, ends_at: datetime) -> BookingInput:
    return replace(data, starts_at=starts_at, ends_at=ends_at)
