"""Weekly series: expansion, conflicts before saving, and edits by scope.

A series is stored once (``BookingSeries``) and its occurrences as ordinary bookings, so the
no-overlap rule needs no special case. An occurrence changed or cancelled on its own is recorded
in ``SeriesException``; editing the series later regenerates only the occurrences that are not
exceptions, from today on — exceptions and the past are never rewritten (MRBS lost its users'
exceptions, mrbs#659 and #2429; LibreBooking could not cancel one occurrence, librebooking#1416).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from frontdesk import audit
from frontdesk.bookings.booking import cancel_rows, columns, insert, mark_exception
from frontdesk.bookings.rules import (
    Booker,
    BookingInput,
    BookingRefused,
    load_room,
    problems_for,
)
from frontdesk.db.connection import write
from frontdesk.db.enums import BookingStatus, SeriesExceptionKind
from frontdesk.db.models import Booking, BookingSeries, SeriesException
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.messages import Message, msg
from frontdesk.permissions import Can, require

Scope = Literal["this", "following", "all"]
MAX_OCCURRENCES = 400


@dataclass(frozen=True)
class SeriesInput:
    room_id: int
    title: str
    weekdays: tuple[int, ...]  # 0 = Monday
    start_time: time
    end_time: time
    starts_on: date
    booker: Booker
    until_on: date | None = None
    occurrences: int | None = None
    attendees: int = 1
    notes: str = ""

    def booking_on(self, day: date) -> BookingInput:
        return BookingInput(
            room_id=self.room_id,
            starts_at=datetime.combine(day, self.start_time),
            ends_at=datetime.combine(day, self.end_time),
            title=self.title,
            booker=self.booker,
            attendees=self.attendees,
            notes=self.notes,
        )


def occurrence_dates(
    weekdays: tuple[int, ...], starts_on: date, until_on: date | None, occurrences: int | None
) -> list[date]:
    """The dates of a weekly series: on ``weekdays`` from ``starts_on`` until ``until_on``
    (inclusive) or for ``occurrences`` dates, whichever comes first."""
    if not weekdays or (until_on is None and occurrences is None):
        return []
    days = set(weekdays)
    found: list[date] = []
    day = starts_on
    limit = occurrences if occurrences is not None else MAX_OCCURRENCES
    while len(found) < min(limit, MAX_OCCURRENCES) and (until_on is None or day <= until_on):
        if day.weekday() in days:
            found.append(day)
        day += timedelta(days=1)
    return found


@dataclass(frozen=True)
class Conflict:
    day: date
    problems: tuple[Message, ...]


@dataclass(frozen=True)
class SeriesPreview:
    dates: tuple[date, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def free(self) -> tuple[date, ...]:
        taken = {c.day for c in self.conflicts}
        return tuple(d for d in self.dates if d not in taken)


def _input_problems(data: SeriesInput) -> list[Message]:
    problems = []
    if not data.weekdays:
        problems.append(msg("series.weekdays_required"))
    if data.until_on is None and data.occurrences is None:
        problems.append(msg("series.end_required"))
    if data.until_on is not None and data.until_on < data.starts_on:
        problems.append(msg("series.until_before_start"))
    if data.occurrences is not None and data.occurrences < 1:
        problems.append(msg("series.occurrences_positive"))
    if data.start_time >= data.end_time:
        problems.append(msg("booking.end_before_start"))
    return problems


def preview(
    data: SeriesInput,
    *,
    now: datetime,
    exclude: tuple[int, ...] = (),
    dates: list[date] | None = None,
) -> SeriesPreview:
    """Every date the series would take, and those where a rule says no (checked now)."""
    problems = _input_problems(data)
    if problems:
        raise BookingRefused(problems)
    rules = load_room(data.room_id)
    days = (
        dates
        if dates is not None
        else occurrence_dates(data.weekdays, data.starts_on, data.until_on, data.occurrences)
    )
    conflicts = []
    for day in days:
        found = problems_for(data.booking_on(day), rules, now=now, exclude=exclude, one_off=False)
        if found:
            conflicts.append(Conflict(day, tuple(found)))
    return SeriesPreview(tuple(days), tuple(conflicts))


@dataclass(frozen=True)
class SeriesSaved:
    series_id: int
    booked: tuple[date, ...]
    skipped: tuple[date, ...]


def _series_fields(data: SeriesInput) -> dict[str, object]:
    return {
        "room": data.room_id,
        "title": data.title.strip(),
        "weekdays": "".join(str(d) for d in sorted(set(data.weekdays))),
        "start_time": data.start_time,
        "end_time": data.end_time,
        "starts_on": data.starts_on,
        "until_on": data.until_on,
        "occurrences": data.occurrences,
        "booker_kind": data.booker.kind,
        "resident": data.booker.resident_id,
        "booker_name": data.booker.name.strip(),
        "booker_phone": data.booker.phone.strip(),
        "attendees": data.attendees,
        "notes": data.notes,
    }


def _book_dates(
    series_id: int,
    data: SeriesInput,
    days: tuple[date, ...],
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    for day in days:
        insert(
            data.booking_on(day), actor_id=actor_id, now=now, series=series_id, occurrence_date=day
        )


def _skip(
    series_id: int, conflicts: tuple[Conflict, ...], *, actor_id: int | None, now: datetime
) -> None:
    """Dates left out for a conflict are exceptions: a later edit will not bring them back."""
    for conflict in conflicts:
        SeriesException.create(
            series=series_id,
            occurrence_date=conflict.day,
            kind=SeriesExceptionKind.CANCELLED,
            note=conflict.problems[0].text() if conflict.problems else "",
            created_at=now,
            created_by=actor_id,
        )


def create_series(
    data: SeriesInput, *, skip_conflicts: bool, actor_id: int | None, now: datetime
) -> SeriesSaved:
    """Save the series. With conflicts: ``skip_conflicts`` books the other dates; otherwise
    nothing is written and ``BookingRefused`` lists the conflicting dates."""

    def run() -> SeriesSaved:
        require(actor_id, Can.BOOK)
        found = preview(data, now=now)
        if not found.dates:
            raise BookingRefused([msg("series.no_dates")])
        if found.conflicts and not skip_conflicts:
            raise _refusal(found.conflicts)
        series = BookingSeries.create(**_series_fields(data), created_at=now, created_by=actor_id)
        _book_dates(series.id, data, found.free, actor_id=actor_id, now=now)
        _skip(series.id, found.conflicts, actor_id=actor_id, now=now)
        audit.record(
            "series.create",
            "booking_series",
            series.id,
            actor_id=actor_id,
            at=now,
            detail={"booked": len(found.free), "skipped": [c.day for c in found.conflicts]},
        )
        return SeriesSaved(series.id, found.free, tuple(c.day for c in found.conflicts))

    return write(run)


def _refusal(conflicts: tuple[Conflict, ...]) -> BookingRefused:
    listed = "、".join(f"{c.day:%m-%d}" for c in conflicts[:8])
    more = len(conflicts) - 8
    problems = [msg("series.conflicts", count=len(conflicts), dates=listed, more=max(0, more))]
    problems += [p for c in conflicts[:3] for p in c.problems[:1]]
    return BookingRefused(problems)


def get_series(series_id: int) -> SeriesInput:
    row: Any = BookingSeries.get_or_none(BookingSeries.id == series_id)
    if row is None:
        raise UserError("series.not_found", id=series_id)
    return SeriesInput(
        room_id=row.room_id,
        title=row.title,
        weekdays=tuple(int(d) for d in row.weekdays),
        start_time=row.start_time,
        end_time=row.end_time,
        starts_on=row.starts_on,
        until_on=row.until_on,
        occurrences=row.occurrences,
        booker=Booker(row.booker_kind, row.booker_name, row.booker_phone, row.resident_id),
        attendees=row.attendees,
        notes=row.notes,
    )


def _exception_dates(series_id: int) -> set[date]:
    query: Any = SeriesException.select(SeriesException.occurrence_date).where(
        SeriesException.series == series_id
    )
    return {d for (d,) in query.tuples()}


def _regenerate(
    series_id: int,
    old: SeriesInput,
    new: SeriesInput,
    *,
    from_day: date,
    skip_conflicts: bool,
    reason: str,
    actor_id: int | None,
    now: datetime,
    dates_all: list[date] | None = None,
) -> SeriesSaved:
    """Make the series' live, non-exception bookings from ``from_day`` on match ``new``."""
    keep_out = _exception_dates(series_id)
    current: list[Any] = list(
        Booking.select().where(
            (Booking.series == series_id)
            & (Booking.occurrence_date >= from_day)
            & Booking.status.in_((BookingStatus.BOOKED, BookingStatus.CHECKED_IN))
        )
    )
    regular = [b for b in current if b.occurrence_date not in keep_out]
    wanted = [
        d
        for d in (
            dates_all
            if dates_all is not None
            else occurrence_dates(new.weekdays, new.starts_on, new.until_on, new.occurrences)
        )
        if d >= from_day and d not in keep_out
    ]
    mine = tuple(b.id for b in regular)
    found = preview(new, now=now, exclude=mine, dates=wanted)
    if found.conflicts and not skip_conflicts:
        raise _refusal(found.conflicts)
    by_day = {b.occurrence_date: b for b in regular}
    free = set(found.free)
    to_cancel = [b for d, b in by_day.items() if d not in free]
    cancel_rows(to_cancel, reason, actor_id=actor_id, now=now)
    for day in sorted(free):
        booking = new.booking_on(day)
        existing = by_day.get(day)
        if existing is not None:
            Booking.update(**columns(booking, now), version=Booking.version + 1).where(
                Booking.id == existing.id
            ).execute()
        else:
            insert(booking, actor_id=actor_id, now=now, series=series_id, occurrence_date=day)
    skipped = tuple(c.day for c in found.conflicts)
    _skip(series_id, found.conflicts, actor_id=actor_id, now=now)
    return SeriesSaved(series_id, tuple(sorted(free)), skipped)


def change_series(
    booking_id: int,
    scope: Scope,
    new: SeriesInput,
    *,
    skip_conflicts: bool = False,
    actor_id: int | None,
    now: datetime,
) -> SeriesSaved:
    """Change the series that ``booking_id`` belongs to, for ``scope``:

    - ``following``: the series ends the day before this occurrence; a new series with the
      changes takes over from it (its exceptions move along with their dates);
    - ``all``: the series changes; occurrences from today on follow it.

    (``this`` is ``booking.change_booking``.) Exceptions and the past stay as they are.
    """
    if scope == "this":
        raise ValueError("one occurrence is changed with booking.change_booking")

    def run() -> SeriesSaved:
        require(actor_id, Can.BOOK)
        row: Any = Booking.get_or_none(Booking.id == booking_id)
        if row is None or row.series_id is None:
            raise UserError("series.not_found", id=booking_id)
        old = get_series(row.series_id)
        today = now.date()
        if scope == "all":
            BookingSeries.update(**_series_fields(new), version=BookingSeries.version + 1).where(
                BookingSeries.id == row.series_id
            ).execute()
            saved = _regenerate(
                row.series_id,
                old,
                new,
                from_day=today,
                skip_conflicts=skip_conflicts,
                reason=_("series.changed"),
                actor_id=actor_id,
                now=now,
            )
        else:
            split = row.occurrence_date
            remaining = None
            if old.occurrences is not None:
                before = len(
                    [
                        d
                        for d in occurrence_dates(
                            old.weekdays, old.starts_on, old.until_on, old.occurrences
                        )
                        if d < split
                    ]
                )
                remaining = max(1, old.occurrences - before)
            BookingSeries.update(
                until_on=split - timedelta(days=1),
                occurrences=None,
                version=BookingSeries.version + 1,
            ).where(BookingSeries.id == row.series_id).execute()
            tail = replace(
                new, starts_on=split, occurrences=remaining if new.until_on is None else None
            )
            successor = BookingSeries.create(
                **_series_fields(tail), created_at=now, created_by=actor_id
            )
            Booking.update(series=successor.id).where(
                (Booking.series == row.series_id) & (Booking.occurrence_date >= split)
            ).execute()
            SeriesException.update(series=successor.id).where(
                (SeriesException.series == row.series_id)
                & (SeriesException.occurrence_date >= split)
            ).execute()
            saved = _regenerate(
                successor.id,
                old,
                tail,
                from_day=max(split, today),
                skip_conflicts=skip_conflicts,
                reason=_("series.changed"),
                actor_id=actor_id,
                now=now,
            )
        audit.record(
            f"series.change_{scope}",
            "booking_series",
            saved.series_id,
            actor_id=actor_id,
            at=now,
            detail={"from_booking": booking_id, "skipped": list(saved.skipped)},
        )
        return saved

    return write(run)


def cancel_series(
    booking_id: int, scope: Scope, reason: str, *, actor_id: int | None, now: datetime
) -> int:
    """Cancel this occurrence and the following ones (``following``) or every occurrence from
    today on (``all``). Returns how many bookings were cancelled. The past is kept."""
    if scope == "this":
        raise ValueError("one occurrence is cancelled with booking.cancel_booking")
    if not reason.strip():
        raise UserError("booking.reason_required")

    def run() -> int:
        require(actor_id, Can.BOOK)
        row: Any = Booking.get_or_none(Booking.id == booking_id)
        if row is None or row.series_id is None:
            raise UserError("series.not_found", id=booking_id)
        from_day = row.occurrence_date if scope == "following" else now.date()
        live: list[Any] = list(
            Booking.select().where(
                (Booking.series == row.series_id)
                & (Booking.occurrence_date >= max(from_day, now.date()))
                & (Booking.status == BookingStatus.BOOKED)
            )
        )
        cancel_rows(live, reason, actor_id=actor_id, now=now)
        if scope == "all":
            BookingSeries.update(cancelled_at=now, version=BookingSeries.version + 1).where(
                BookingSeries.id == row.series_id
            ).execute()
        else:
            BookingSeries.update(
                until_on=row.occurrence_date - timedelta(days=1),
                occurrences=None,
                version=BookingSeries.version + 1,
            ).where(BookingSeries.id == row.series_id).execute()
        audit.record(
            f"series.cancel_{scope}",
            "booking_series",
            row.series_id,
            actor_id=actor_id,
            at=now,
            reason=reason.strip(),
            detail={"cancelled": len(live)},
        )
        return len(live)

    return write(run)


def change_occurrence(
    booking_id: int, version: int, data: BookingInput, *, actor_id: int | None, now: datetime
) -> int:
    """``this`` scope: see ``booking.change_booking`` (the occurrence becomes an exception)."""
    from frontdesk.bookings.booking import change_booking

    return change_booking(booking_id, version, data, actor_id=actor_id, now=now)


__all__ = [
    "Conflict",
    "Scope",
    "SeriesInput",
    "SeriesPreview",
    "SeriesSaved",
    "cancel_series",
    "change_occurrence",
    "change_series",
    "create_series",
    "get_series",
    "mark_exception",
    "occurrence_dates",
    "preview",
]
