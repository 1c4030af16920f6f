"""Weekly series: expansion, conflicts before saving, and edits by scope.

A series is stored once (``BookingSeries``) and its occurrences as ordinary bookings, so the
no-overlap rule needs no special case. An occurrence changed or cancelled on its own is recorded
in ``SeriesException``; editing the series later regenerates only the occurrences that are not
exceptions, from today on — exceptions and the past are never rewritten (MRBS lost its users'
exceptions, mrbs#659 and #2429; LibreBooking could not cancel one occurrence, librebooking#1416).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

from frontdesk import audit
from frontdesk.bookings.booking import cancel_rows, columns, insert, mark_exception
from frontdesk.bookings.fields import field_problems
from frontdesk.bookings.recurrence import (
    MAX_OCCURRENCES,
    Conflict,
    SeriesInput,
    SeriesPreview,
    check_dates,
    input_problems,
    may_exempt,
    occurrence_dates,
)
from frontdesk.bookings.rules import Booker, BookingInput, BookingRefused, load_room
from frontdesk.db.connection import write
from frontdesk.db.enums import BookingStatus, SeriesExceptionKind
from frontdesk.db.models import Booking, BookingSeries, SeriesException
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.messages import Message, msg
from frontdesk.permissions import Can, require

Scope = Literal["this", "following", "all"]
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
    """Every date the series would take, and those where a rule says no (checked now)."""
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
    def summary(self) -> Message | None:
        """ "applies from 12-03; 4 past or started dates kept as they were" (edits only)."""
        if self.applies_from is None:
            return msg("series.nothing_ahead", kept=self.kept) if self.kept else None
        day = f"{self.applies_from:%m-%d}"
        if self.kept:
            return msg("series.applies_kept", day=day, kept=self.kept)
        return msg("series.applies_from", day=day)


@dataclass(frozen=True)
class SeriesView:
    """A stored series as a desk loads it: the version goes back with an edit or a cancel,
    so a change made meanwhile at another desk is refused instead of undone."""

    id: int
    version: int
    data: SeriesInput
    cancelled: bool


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
    problems = input_problems(data)  # before the write lock: a bad series never takes it
    if problems:
        raise BookingRefused(problems)

    def run() -> SeriesSaved:
        require(actor_id, Can.BOOK)
        found = preview(data, now=now, actor_id=actor_id)
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


def _as_input(row: Any) -> SeriesInput:
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


def load_series(series_id: int) -> SeriesView:
    """The series with its version (give both back to ``change_series`` / ``cancel_series``)."""
    row: Any = BookingSeries.get_or_none(BookingSeries.id == series_id)
    if row is None:
        raise UserError("series.not_found", id=series_id)
    return SeriesView(row.id, row.version, _as_input(row), row.cancelled_at is not None)


def get_series(series_id: int) -> SeriesInput:
    return load_series(series_id).data


def _exception_dates(series_id: int) -> set[date]:
    query: Any = SeriesException.select(SeriesException.occurrence_date).where(
        SeriesException.series == series_id
    )
    return {d for (d,) in query.tuples()}


def is_settled(row: Any, now: datetime) -> bool:
    """An occurrence a series edit leaves as it is: past or begun, checked in, a no-show."""
    return bool(row.starts_at <= now or row.status in SETTLED)


def _same_place(row: Any, booking: BookingInput) -> bool:
    return bool(
        (row.room_id, row.starts_at, row.ends_at)
        == (booking.room_id, booking.starts_at, booking.ends_at)
        and Booker(row.booker_kind, row.booker_name, row.booker_phone, row.resident_id).key
        == booking.booker.key
    )


def _unchanged(row: Any, booking: BookingInput, now: datetime) -> bool:
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


def _regenerate(
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
    keep_out = _exception_dates(series_id) | blocked
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
    kept -= {r.id for r in rows if r.occurrence_date in _exception_dates(series_id)}
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
    settled = frozenset(d for d, r in by_day.items() if _same_place(r, new.booking_on(d)))
    found = preview(
        new,
        now=now,
        actor_id=actor_id,
        exclude=tuple(r.id for r in by_day.values()),
        dates=wanted,
        settled=settled,
    )
    if found.conflicts and not skip_conflicts:
        raise _refusal(found.conflicts)
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
        elif not _unchanged(existing, booking, now):
            Booking.update(**columns(booking, now), version=Booking.version + 1).where(
                Booking.id == existing.id
            ).execute()
    skipped = tuple(c.day for c in found.conflicts)
    _skip(series_id, found.conflicts, actor_id=actor_id, now=now)
    return SeriesSaved(
        series_id,
        tuple(sorted(free)),
        skipped,
        applies_from=min(wanted, default=None),
        kept=len(kept),
    )


def _current_series(series_id: int, version: int, row: Any) -> Any:
    """The series as stored, if it is still the one the desk loaded (same version, and the
    occurrence still belongs to it); otherwise refused naming who changed it and when."""
    series: Any = BookingSeries.get_or_none(BookingSeries.id == series_id)
    if series is None:
        raise UserError("series.not_found", id=series_id)
    if series.version != version or row.series_id != series_id:
        who, at = audit.last_change("booking_series", series_id)
        raise UserError("series.changed_elsewhere", title=series.title, who=who, at=at)
    if series.cancelled_at is not None:
        raise UserError("series.cancelled", title=series.title)
    return series


def _tail_end(old: SeriesInput, new: SeriesInput, split: date) -> tuple[date | None, int | None]:
    """How the part from ``split`` on ends: at the date given; or after the number of times
    given, counted from ``split`` — unless it is the series' own count left as it was, which
    then still counts the whole series (the dates before ``split`` included)."""
    if new.until_on is not None:
        return new.until_on, None
    if old.occurrences is not None and new.occurrences == old.occurrences:
        dates = occurrence_dates(old.weekdays, old.starts_on, old.until_on, old.occurrences)
        return None, max(1, old.occurrences - len([d for d in dates if d < split]))
    return None, new.occurrences


def change_series(
    booking_id: int,
    scope: Scope,
    new: SeriesInput,
    *,
    series_id: int,
    version: int,
    skip_conflicts: bool = False,
    actor_id: int | None,
    now: datetime,
) -> SeriesSaved:
    """Change the series that ``booking_id`` belongs to, for ``scope``:

    - ``following``: the series ends the day before this occurrence; a new series with the
      changes takes over from it (its exceptions move along with their dates);
    - ``all``: the series changes; occurrences from today on follow it.

    ``series_id`` and ``version`` are the series as the desk loaded it (``load_series``): a
    change made meanwhile elsewhere is refused, not undone. (``this`` is
    ``booking.change_booking``.) Exceptions, and occurrences that are past, have begun, are
    checked in or were no-shows, stay as they are; the result says from when the change
    applies and how many it kept.
    """
    if scope == "this":
        raise ValueError("one occurrence is changed with booking.change_booking")
    problems = input_problems(new)  # before the write lock
    if problems:
        raise BookingRefused(problems)

    def run() -> SeriesSaved:
        require(actor_id, Can.BOOK)
        row: Any = Booking.get_or_none(Booking.id == booking_id)
        if row is None or row.series_id is None:
            raise UserError("series.not_found", id=booking_id)
        stored = _current_series(series_id, version, row)
        old = _as_input(stored)
        split = row.occurrence_date
        first = min(
            occurrence_dates(old.weekdays, old.starts_on, old.until_on, old.occurrences),
            default=old.starts_on,
        )
        if scope == "all" or split <= first:  # from the first date on, this is the whole series
            kept_before = (
                Booking.select()
                .where(
                    (Booking.series == series_id)
                    & (Booking.occurrence_date < now.date())
                    & (Booking.status != BookingStatus.CANCELLED)
                )
                .count()
            )
            whole = new if scope == "all" else replace(new, starts_on=old.starts_on)
            BookingSeries.update(**_series_fields(whole), version=BookingSeries.version + 1).where(
                BookingSeries.id == series_id
            ).execute()
            saved = _regenerate(
                series_id,
                whole,
                from_day=now.date(),
                blocked=set(),
                skip_conflicts=skip_conflicts,
                actor_id=actor_id,
                now=now,
            )
            saved = replace(saved, kept=saved.kept + kept_before)
            audit.record(
                f"series.change_{scope}",
                "booking_series",
                series_id,
                actor_id=actor_id,
                at=now,
                detail={"from_booking": booking_id, "skipped": list(saved.skipped)},
            )
            return saved
        until_on, occurrences = _tail_end(old, new, split)
        tail = replace(new, starts_on=split, until_on=until_on, occurrences=occurrences)
        problems = input_problems(tail)
        if problems:
            raise BookingRefused(problems)
        BookingSeries.update(
            until_on=split - timedelta(days=1),
            occurrences=None,
            version=BookingSeries.version + 1,
        ).where(BookingSeries.id == series_id).execute()
        successor = BookingSeries.create(
            **_series_fields(tail), created_at=now, created_by=actor_id
        )
        later: list[Any] = list(
            Booking.select().where(
                (Booking.series == series_id) & (Booking.occurrence_date >= split)
            )
        )
        moving = [
            r.id for r in later if r.status == BookingStatus.CANCELLED or not is_settled(r, now)
        ]
        staying = {r.occurrence_date for r in later if r.id not in moving}
        if moving:
            Booking.update(series=successor.id).where(Booking.id.in_(moving)).execute()
        SeriesException.update(series=successor.id).where(
            (SeriesException.series == series_id)
            & (SeriesException.occurrence_date >= split)
            & SeriesException.occurrence_date.not_in(list(staying))
        ).execute()
        saved = _regenerate(
            successor.id,
            tail,
            from_day=split,
            blocked=staying,
            skip_conflicts=skip_conflicts,
            actor_id=actor_id,
            now=now,
        )
        saved = replace(saved, kept=saved.kept + len([r for r in later if r.id not in moving]))
        audit.record(
            "series.change_following",
            "booking_series",
            series_id,
            actor_id=actor_id,
            at=now,
            detail={"from_booking": booking_id, "successor": successor.id, "from": split},
        )
        audit.record(
            "series.create",
            "booking_series",
            successor.id,
            actor_id=actor_id,
            at=now,
            detail={
                "split_from": series_id,
                "booked": len(saved.booked),
                "skipped": list(saved.skipped),
            },
        )
        return saved

    return write(run)


def cancel_series(
    booking_id: int,
    scope: Scope,
    reason: str,
    *,
    series_id: int,
    version: int,
    actor_id: int | None,
    now: datetime,
) -> int:
    """Cancel this occurrence and the following ones (``following``) or every occurrence from
    now on (``all``). Returns how many bookings were cancelled. Occurrences that are past, have
    begun, are checked in or were no-shows are kept; a series changed meanwhile elsewhere is
    refused (``series_id`` and ``version`` as loaded)."""
    if scope == "this":
        raise ValueError("one occurrence is cancelled with booking.cancel_booking")
    if not reason.strip():
        raise UserError("booking.reason_required")

    def run() -> int:
        require(actor_id, Can.BOOK)
        row: Any = Booking.get_or_none(Booking.id == booking_id)
        if row is None or row.series_id is None:
            raise UserError("series.not_found", id=booking_id)
        _current_series(series_id, version, row)
        from_day = row.occurrence_date if scope == "following" else now.date()
        live: list[Any] = list(
            Booking.select().where(
                (Booking.series == series_id)
                & (Booking.occurrence_date >= from_day)
                & (Booking.status == BookingStatus.BOOKED)
                & (Booking.starts_at > now)
            )
        )
        cancel_rows(live, reason, actor_id=actor_id, now=now)
        if scope == "all":
            BookingSeries.update(cancelled_at=now, version=BookingSeries.version + 1).where(
                BookingSeries.id == series_id
            ).execute()
        else:
            BookingSeries.update(
                until_on=row.occurrence_date - timedelta(days=1),
                occurrences=None,
                version=BookingSeries.version + 1,
            ).where(BookingSeries.id == series_id).execute()
        audit.record(
            f"series.cancel_{scope}",
            "booking_series",
            series_id,
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
    "MAX_OCCURRENCES",
    "Conflict",
    "Scope",
    "SeriesInput",
    "SeriesPreview",
    "SeriesSaved",
    "SeriesView",
    "cancel_series",
    "change_occurrence",
    "change_series",
    "create_series",
    "get_series",
    "load_series",
    "mark_exception",
    "occurrence_dates",
    "preview",
]
