"""Working time: weekdays and hours, public holidays and make-up working days (调休).

Due times of requests count working hours: ``add_working_hours(start, 24)`` is three working
days of eight hours later, skipping weekends and holidays but counting a 调休 Saturday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from frontdesk import settings
from frontdesk.db.models import CalendarDay
from frontdesk.vocabulary import CalendarDayKind

MAX_DAYS = 800  # a due time further than this many days is a configuration error


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date]
    workdays: frozenset[date]  # weekend days worked to make up for a holiday
    hours: tuple[tuple[time, time], ...]

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def windows(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [(datetime.combine(day, a), datetime.combine(day, b)) for a, b in self.hours]

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment ``hours`` of working time after ``start``."""
        left = timedelta(hours=hours)
        day = start.date()
        for _ in range(MAX_DAYS):
            for opens, closes in self.windows(day):
                begin = max(opens, start)
                if begin >= closes:
                    continue
                if begin + left <= closes:
                    return begin + left
                left -= closes - begin
            day += timedelta(days=1)
        raise ValueError("no working time within the calendar's horizon")

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours in [start, end) (negative when ``end`` is before ``start``)."""
        if end < start:
            return -self.working_hours_between(end, start)
        total = timedelta()
        day = start.date()
        while day <= end.date():
            for opens, closes in self.windows(day):
                lo, hi = max(opens, start), min(closes, end)
                if lo < hi:
                    total += hi - lo
            day += timedelta(days=1)
        return total.total_seconds() / 3600


def _parse(hours: Iterable[Iterable[str]]) -> tuple[tuple[time, time], ...]:
    parsed = []
    for pair in hours:
        opens, closes = (time.fromisoformat(value) for value in pair)
        parsed.append((opens, closes))
    return tuple(sorted(parsed))


def load(community_id: int | None = None) -> WorkCalendar:
    """The shared calendar of working days with the working hours of ``community_id``."""
    rows: Any = CalendarDay.select(CalendarDay.day, CalendarDay.kind).tuples()
    holidays: set[date] = set()
    workdays: set[date] = set()
    for day, kind in rows:
        (holidays if kind == CalendarDayKind.HOLIDAY else workdays).add(day)
    return WorkCalendar(
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        hours=_parse(settings.get("calendar.working_hours", community_id)),
    )
