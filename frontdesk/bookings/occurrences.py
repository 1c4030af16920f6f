"""Writing a series' occurrences: which dates the rules allow now, booking them, recording the
dates left out, and bringing the occurrences of an edited series in line with it.

Used inside the write transaction of ``series.create_series`` and ``series.change_series``.
An occurrence that is an exception (moved, changed or cancelled on its own), or that is past,
has begun, is checked in or was a no-show, is never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from frontdesk.bookings.booking import cancel_rows, columns, insert
from frontdesk.bookings.fields import field_problems
from frontdesk.bookings.recurrence import (
    Conflict,
    SeriesInput,
    SeriesPreview,
    check_dates,
    input_problems,
    may_exempt,
    occurrence_dates,
)
from frontdesk.bookings.rules import Booker, BookingInput, BookingRefused, load_room
from frontdesk.db.models import Booking, SeriesException
from frontdesk.i18n import _, join
from frontdesk.notices import Notice, msg
from frontdesk.permissions import Can, require_in
from frontdesk.scope import community_of_room
from frontdesk.vocabulary import BookingStatus, SeriesExceptionKind

# an occurrence the desk has acted on or that has begun is history: series edits leave it be


SETTLED = (BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)


def preview(
    data: SeriesInput,
    *,
    now: datetime,
    actor_id: int | None,
    exclude: tuple[int, ...] = (),
    dates: list[date] | None = None,
    settled: frozenset[date] = frozenset(),
) -> SeriesPreview:
    """Every date the series would take, and those where a rule says no (checked now), for a
    room of the operator's communities."""
    require_in(actor_id, Can.BOOK, community_of_room(data.room_id))
    problems = field_problems(data) + input_problems(data)
    if problems:
        raise BookingRefused(problems)
    rules = load_room(data.room_id)
    days = (
        dates
        if dates is not None
        else occurrence_dates(data.weekdays, data.starts_on, data.until_on, data.occurrences)
    )
    conflicts = check_dates(
        data,
        days,
        rules,
        now=now,
        exclude=exclude,
        exempt=may_exempt(actor_id),
        settled=settled,
    )
    return SeriesPreview(tuple(days), tuple(conflicts))


@dataclass(frozen=True)
class SeriesSaved:
    series_id: int
    booked: tuple[date, ...]
    skipped: tuple[date, ...]
    # for an edit: the first date the change takes effect on, and how many occurrences it
    # left as they were because they are past, have begun, are checked in or were no-shows
    applies_from: date | None = None
    kept: int = 0

    @property
    def summary(self) -> Notice | None:
        """ "applies from 12-03; 4 past or started dates kept as they were" (edits only)."""
        if self.applies_from is None:
            return msg("series.nothing_ahead", kept=self.kept) if self.kept else None
        day = f"{self.applies_from:%m-%d}"
        if self.kept:
            return msg("series.applies_kept", day=day, kept=self.kept)
        return msg("series.applies_from", day=day)


def book_dates(
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


def skip_dates(
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


def refusal(conflicts: tuple[Conflict, ...]) -> BookingRefused:
    listed = join(f"{c.day:%m-%d}" for c in conflicts[:8])
    more = len(conflicts) - 8
    problems = [msg("series.conflicts", count=len(conflicts), dates=listed, more=max(0, more))]
    problems += [p for c in conflicts[:3] for p in c.problems[:1]]
    return BookingRefused(problems)


def exception_dates(series_id: int) -> set[date]:
    query: Any = SeriesException.select(SeriesException.occurrence_date).where(
        SeriesException.series == series_id
    )
    return {d for (d,) in query.tuples()}


def is_settled(row: Any, now: datetime) -> bool:
    """An occurrence a series edit leaves as it is: past or begun, checked in, a no-show."""
    return bool(row.starts_at <= now or row.status in SETTLED)


def same_place(row: Any, booking: BookingInput) -> bool:
    return bool(
        (row.room_id, row.starts_at, row.ends_at)
        == (booking.room_id, booking.starts_at, booking.ends_at)
        and Booker(row.booker_kind, row.booker_name, row.booker_phone, row.resident_id).key
        == booking.booker.key
    )


def unchanged(row: Any, booking: BookingInput, now: datetime) -> bool:
    wanted = columns(booking, now)
    stored = {
        "room": row.room_id,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "title": row.title,
        "booker_kind": row.booker_kind,
        "resident": row.resident_id,
        "booker_name": row.booker_name,
        "booker_phone": row.booker_phone,
        "attendees": row.attendees,
        "notes": row.notes,
    }
    return all(stored[k] == wanted[k] for k in stored)


def regenerate(
    series_id: int,
    new: SeriesInput,
    *,
    from_day: date,
    blocked: set[date],
    skip_conflicts: bool,
    actor_id: int | None,
    now: datetime,
) -> SeriesSaved:
    """Make the series' bookings from ``from_day`` on match ``new``: its exceptions, and the
    occurrences that are past, begun, checked in or no-shows (and the ``blocked`` dates, where
    such an occurrence stayed with the series this one was split from), stay as they are."""
    exceptions = exception_dates(series_id)
    keep_out = exceptions | blocked
    rows: list[Any] = list(
        Booking.select().where(
            (Booking.series == series_id) & (Booking.occurrence_date >= from_day)
        )
    )
    held = [r for r in rows if r.status != BookingStatus.CANCELLED and is_settled(r, now)]
    keep_out |= {r.occurrence_date for r in held}
    keep_out |= {
        d
        for r in rows
        if r.status == BookingStatus.BOOKED
        and datetime.combine(d := r.occurrence_date, new.start_time) <= now
    }  # today's occurrence whose new time has passed: left where it is
    kept = {
        r.id for r in rows if r.status != BookingStatus.CANCELLED and r.occurrence_date in keep_out
    }
    kept -= {r.id for r in rows if r.occurrence_date in exceptions}
    by_day = {
        r.occurrence_date: r
        for r in rows
        if r.status == BookingStatus.BOOKED and r.occurrence_date not in keep_out
    }
    wanted = [
        d
        for d in occurrence_dates(new.weekdays, new.starts_on, new.until_on, new.occurrences)
        if d >= from_day and d not in keep_out and datetime.combine(d, new.start_time) > now
    ]
    settled = frozenset(d for d, r in by_day.items() if same_place(r, new.booking_on(d)))
    found = preview(
        new,
        now=now,
        actor_id=actor_id,
        exclude=tuple(r.id for r in by_day.values()),
        dates=wanted,
        settled=settled,
    )
    if found.conflicts and not skip_conflicts:
        raise refusal(found.conflicts)
    free = set(found.free)
    cancel_rows(
        [r for d, r in by_day.items() if d not in free],
        _("series.changed"),
        actor_id=actor_id,
        now=now,
    )
    for day in sorted(free):
        booking = new.booking_on(day)
        existing = by_day.get(day)
        if existing is None:
            insert(booking, actor_id=actor_id, now=now, series=series_id, occurrence_date=day)
        elif not unchanged(existing, booking, now):
            Booking.update(**columns(booking, now), version=Booking.version + 1).where(
                Booking.id == existing.id
            ).execute()
    skipped = tuple(c.day for c in found.conflicts)
    skip_dates(series_id, found.conflicts, actor_id=actor_id, now=now)
    return SeriesSaved(
        series_id,
        tuple(sorted(free)),
        skipped,
        applies_from=min(wanted, default=None),
        kept=len(kept),
    )
