"""What the booking form reads and hands on: the typed date, times and counts, the values of a
filled-in form (``BookingEntry``), where the form starts and what it tells the caller."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from frontdesk.bookings.rules import Booker, BookingInput
from frontdesk.bookings.series import SeriesInput
from frontdesk.vocabulary import BookerKind

KINDS = [BookerKind.ORGANISATION.value, BookerKind.PERSON.value, BookerKind.RESIDENT.value]
_DAY = re.compile(r"^(?:(\d{4})[-/.年]?)?(\d{1,2})[-/.月]?(\d{1,2})日?$")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:：.]?(\d{2}))?$")


class Unreadable(ValueError):
    """A field that does not read as what it should hold; ``key`` says what."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def parse_day(text: str, today: date) -> date:
    """``2026-11-30``, ``2026/11/30``, ``20261130``, or ``11-30`` (this year)."""
    found = _DAY.match(text.strip())
    if found is None:
        raise Unreadable("booking_form.bad_date")
    year, month, day = int(found[1] or today.year), int(found[2]), int(found[3])
    try:
        return date(year, month, day)
    except ValueError as exc:  # written right, but the calendar has no such day (2026-02-30)
        if not (1 <= month <= 12 and day >= 1):  # no such month (or day 0): not a date at all
            raise Unreadable("booking_form.bad_date") from exc
        raise Unreadable("date.no_such_day", year=year, month=month, day=day) from exc


def parse_clock(text: str) -> time:
    """``9:30``, ``09:30``, ``0930``, ``9``."""
    found = _CLOCK.match(text.strip())
    if found is None:
        raise Unreadable("booking_form.bad_time")
    try:
        return time(int(found[1]), int(found[2] or 0))
    except ValueError as exc:
        raise Unreadable("booking_form.bad_time") from exc


def parse_count(text: str, *, default: int | None) -> int | None:
    text = text.strip()
    if not text:
        return default
    if not text.isdigit():
        raise Unreadable("booking_form.bad_number")
    return int(text)


@dataclass(frozen=True)
class FormStart:
    """Where the form starts: the room and the slot the cursor was on."""

    room_id: int
    day: date
    start: time
    end: time


@dataclass(frozen=True)
class BookingSaved:
    booking_id: int | None
    text: str  # what to tell the clerk


@dataclass(frozen=True)
class Repeat:
    weekdays: tuple[int, ...]
    until_on: date | None
    occurrences: int | None


@dataclass(frozen=True)
class BookingEntry:
    """What the form holds, read on the UI thread."""

    room_id: int
    day: date
    start: time
    end: time
    title: str
    kind: str
    name: str
    phone: str
    resident_id: int | None
    attendees: int
    notes: str
    repeat: Repeat | None

    def booking(self, booker: Booker) -> BookingInput:
        return BookingInput(
            room_id=self.room_id,
            starts_at=datetime.combine(self.day, self.start),
            ends_at=datetime.combine(self.day, self.end),
            title=self.title,
            booker=booker,
            attendees=self.attendees,
            notes=self.notes,
        )

    def series(self, booker: Booker) -> SeriesInput:
        assert self.repeat is not None
        return SeriesInput(
            room_id=self.room_id,
            title=self.title,
            weekdays=self.repeat.weekdays,
            start_time=self.start,
            end_time=self.end,
            starts_on=self.day,
            booker=booker,
            until_on=self.repeat.until_on,
            occurrences=self.repeat.occurrences,
            attendees=self.attendees,
            notes=self.notes,
        )
