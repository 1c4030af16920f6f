"""Weekly series as data: what a series is, its dates, its bounds, and which dates the rules refuse.

Read-only: nothing here writes. ``series.py`` saves and edits series with these.

A series is bounded before anything else runs: weekdays 0–6, at most ``MAX_OCCURRENCES`` dates
and a span of at most a year, so no request can keep the write lock busy expanding a runaway
series. Each date obeys the rules a one-off booking obeys — opening hours, closures, overlaps,
capacity, and the limits (length, days ahead, the booker's weekly quota, counting the series'
own earlier dates in the same week) — unless the operator holds
``Can.EXEMPT_BOOKING_RULES`` (the community leadership, for the center's own programmes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from frontdesk.bookings.intervals import minutes, week_start
from frontdesk.bookings.rules import (
    Booker,
    BookingInput,
    RoomRules,
    problems_for,
    stored_around,
)
from frontdesk.errors import UserError
from frontdesk.notices import Notice, msg
from frontdesk.permissions import Can, load_operator

MAX_OCCURRENCES = 260  # five a week for a year
MAX_SPAN_YEARS = 1
_EXPAND_CAP = 400  # what ``occurrence_dates`` ever returns (older series, before the bounds)
_EXPAND_DAYS = 3 * 366


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
    (inclusive) or for ``occurrences`` dates, whichever comes first. Weekdays outside 0–6 are
    ignored and the expansion is bounded whatever it is given (``input_problems`` refuses such
    input with a message before it gets here)."""
    days = {d for d in weekdays if 0 <= d <= 6}
    if not days or (until_on is None and occurrences is None):
        return []
    limit = min(occurrences if occurrences is not None else _EXPAND_CAP, _EXPAND_CAP)
    found: list[date] = []
    day = starts_on
    for _step in range(_EXPAND_DAYS):
        if len(found) >= limit or (until_on is not None and day > until_on):
            break
        if day.weekday() in days:
            found.append(day)
        if day == date.max:
            break
        day += timedelta(days=1)
    return found


def year_after(day: date) -> date:
    """The same day a year later (29 February: the 28th)."""
    try:
        return day.replace(year=day.year + MAX_SPAN_YEARS)
    except ValueError:
        return day.replace(year=day.year + MAX_SPAN_YEARS, day=28)


def input_problems(data: SeriesInput) -> list[Notice]:
    """What is wrong with the series itself, whatever is booked: checked before any write."""
    problems = []
    wrong = sorted({d for d in data.weekdays if not 0 <= d <= 6})
    if wrong:
        problems.append(msg("series.weekday_invalid", value=", ".join(str(d) for d in wrong)))
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
    if problems:
        return problems
    if data.starts_on.year >= date.max.year - MAX_SPAN_YEARS:
        return [msg("series.span_too_long", start=f"{data.starts_on}", last=f"{date.max}")]
    last = year_after(data.starts_on)
    if data.until_on is not None and data.until_on > last:
        problems.append(msg("series.span_too_long", start=f"{data.starts_on}", last=f"{last}"))
    if data.occurrences is not None and data.occurrences > MAX_OCCURRENCES:
        problems.append(msg("series.too_many", max=MAX_OCCURRENCES, count=data.occurrences))
    if problems:
        return problems
    dates = occurrence_dates(data.weekdays, data.starts_on, data.until_on, data.occurrences)
    if len(dates) > MAX_OCCURRENCES:
        problems.append(msg("series.too_many", max=MAX_OCCURRENCES, count=len(dates)))
    elif dates and dates[-1] > last:
        problems.append(msg("series.span_too_long", start=f"{data.starts_on}", last=f"{last}"))
    return problems


def may_exempt(actor_id: int | None) -> bool:
    """Whether the operator may book series beyond the limits (see the module's note)."""
    try:
        return load_operator(actor_id).can(Can.EXEMPT_BOOKING_RULES)
    except UserError:
        return False


@dataclass(frozen=True)
class Conflict:
    day: date
    problems: tuple[Notice, ...]


@dataclass(frozen=True)
class SeriesPreview:
    dates: tuple[date, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def free(self) -> tuple[date, ...]:
        taken = {c.day for c in self.conflicts}
        return tuple(d for d in self.dates if d not in taken)


def check_dates(
    data: SeriesInput,
    days: Iterable[date],
    rules: RoomRules,
    *,
    now: datetime,
    exclude: tuple[int, ...] = (),
    exempt: bool = False,
    settled: frozenset[date] = frozenset(),
) -> list[Conflict]:
    """The dates among ``days`` where a rule says no, checked against what is stored now.

    The weekly quota counts the series' own earlier dates of the same week (they are not
    stored yet, or are in ``exclude``). ``settled`` dates already hold an occurrence at this
    very room, time and booker: an edit that leaves them there (a new title, more attendees)
    does not judge the limits again, only what any booking must hold.
    """
    length = minutes(
        datetime.combine(date.min, data.start_time), datetime.combine(date.min, data.end_time)
    )
    mine: dict[date, int] = {}  # minutes the series takes in each week (by Monday)
    found: list[Conflict] = []
    days = list(days)
    stored = stored_around(rules, days)  # three reads for the whole series, not per date
    for day in days:
        week = week_start(day)
        limits = not exempt and day not in settled
        problems = problems_for(
            data.booking_on(day),
            rules,
            now=now,
            exclude=exclude,
            limits=limits,
            quota_extra=mine.get(week, 0),
            stored=stored,
        )
        if problems:
            found.append(Conflict(day, tuple(problems)))
        else:
            mine[week] = mine.get(week, 0) + length
    return found
