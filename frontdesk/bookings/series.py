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
from frontdesk.bookings.booking import cancel_rows, mark_exception
from frontdesk.bookings.fields import cancel_reason
from frontdesk.bookings.lineage import require_apart
from frontdesk.bookings.lookup import require_booker
from frontdesk.bookings.occurrences import (
    SeriesSaved,
    book_dates,
    is_settled,
    preview,
    refusal,
    regenerate,
    skip_dates,
)
from frontdesk.bookings.recurrence import (
    MAX_OCCURRENCES,
    Conflict,
    SeriesInput,
    SeriesPreview,
    input_problems,
    occurrence_dates,
)
from frontdesk.bookings.rules import Booker, BookingInput, BookingRefused
from frontdesk.db.connection import write
from frontdesk.db.models import Booking, BookingSeries, SeriesException
from frontdesk.errors import UserError
from frontdesk.notices import msg
from frontdesk.permissions import Can, require_in
from frontdesk.scope import community_of_booking, community_of_room, community_of_series
from frontdesk.vocabulary import BookingStatus

Scope = Literal["this", "following", "all"]


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


def create_series(
    data: SeriesInput, *, skip_conflicts: bool, actor_id: int | None, now: datetime
) -> SeriesSaved:
    """Save the series. With conflicts: ``skip_conflicts`` books the other dates; otherwise
    nothing is written and ``BookingRefused`` lists the conflicting dates."""
    problems = input_problems(data)  # before the write lock: a bad series never takes it
    if problems:
        raise BookingRefused(problems)

    def look() -> SeriesPreview:
        require_in(actor_id, Can.BOOK, community_of_room(data.room_id))
        require_booker(actor_id, data.booker)
        found = preview(data, now=now, actor_id=actor_id)
        if not found.dates:
            raise BookingRefused([msg("series.no_dates")])
        if found.conflicts and not skip_conflicts:
            raise refusal(found.conflicts)
        return found

    def run() -> SeriesSaved:
        found = look()  # again, inside the transaction: what is stored now
        series = BookingSeries.create(**_series_fields(data), created_at=now, created_by=actor_id)
        book_dates(series.id, data, found.free, actor_id=actor_id, now=now)
        skip_dates(series.id, found.conflicts, actor_id=actor_id, now=now)
        audit.record(
            "series.create",
            "booking_series",
            series.id,
            actor_id=actor_id,
            at=now,
            detail={"booked": len(found.free), "skipped": [c.day for c in found.conflicts]},
        )
        return SeriesSaved(series.id, found.free, tuple(c.day for c in found.conflicts))

    look()  # read-only, outside the write lock: a refusal never takes it
    return write(run)


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


def load_series(series_id: int, *, actor_id: int | None) -> SeriesView:
    """The series with its version (give both back to ``change_series`` / ``cancel_series``),
    of a room of the operator's communities."""
    require_in(actor_id, Can.VIEW_ROOMS, community_of_series(series_id))
    row: Any = BookingSeries.get_or_none(BookingSeries.id == series_id)
    if row is None:
        raise UserError("series.not_found", id=series_id)
    return SeriesView(row.id, row.version, _as_input(row), row.cancelled_at is not None)


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


def _dates(data: SeriesInput) -> list[date]:
    return occurrence_dates(data.weekdays, data.starts_on, data.until_on, data.occurrences)


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
        require_in(actor_id, Can.BOOK, community_of_booking(booking_id))
        require_in(actor_id, Can.BOOK, community_of_room(new.room_id))  # and where it goes
        require_booker(actor_id, new.booker)
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
            require_apart(series_id, _dates(whole), from_day=now.date())
            BookingSeries.update(**_series_fields(whole), version=BookingSeries.version + 1).where(
                BookingSeries.id == series_id
            ).execute()
            saved = regenerate(
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
        require_apart(series_id, _dates(tail), from_day=max(split, now.date()))
        BookingSeries.update(
            until_on=split - timedelta(days=1),
            occurrences=None,
            version=BookingSeries.version + 1,
        ).where(BookingSeries.id == series_id).execute()
        successor = BookingSeries.create(
            **_series_fields(tail), created_at=now, created_by=actor_id, split_from=series_id
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
        saved = regenerate(
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
    cancel_reason(reason)  # required, at most 200 characters on one line

    def run() -> int:
        require_in(actor_id, Can.BOOK, community_of_booking(booking_id))
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
    "load_series",
    "mark_exception",
    "occurrence_dates",
    "preview",
]
