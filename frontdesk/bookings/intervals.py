"""Half-open time intervals [start, end): touching ends do not overlap."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

SLOT = timedelta(minutes=30)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """True when the two intervals share some time; 10:00–11:00 and 11:00–12:00 do not."""
    return a_start < b_end and b_start < a_end


def inside(start: datetime, end: datetime, windows: Iterable[tuple[datetime, datetime]]) -> bool:
    """True when [start, end) lies wholly inside one of ``windows``."""
    return any(w_start <= start and end <= w_end for w_start, w_end in windows)


def day_windows(day: date, hours: Iterable[tuple[time, time]]) -> list[tuple[datetime, datetime]]:
    return sorted(
        (datetime.combine(day, opens), datetime.combine(day, closes)) for opens, closes in hours
    )


def minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def slot_floor(moment: datetime) -> datetime:
    """The start of the 30-minute slot holding ``moment``."""
    return moment.replace(minute=moment.minute - moment.minute % 30, second=0, microsecond=0)
