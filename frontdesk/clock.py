"""The one clock the program reads. Tests and snapshots fix it; nothing else calls ``now()``."""

from __future__ import annotations

from datetime import date, datetime, timedelta


class Clock:
    """The wall clock, in the center's local time (naive datetimes, whole seconds)."""

    def now(self) -> datetime:
        return datetime.now().replace(microsecond=0)

    def today(self) -> date:
        return self.now().date()


class FixedClock(Clock):
    """A clock that stands still until told to move."""

    def __init__(self, at: datetime) -> None:
        self._at = at.replace(microsecond=0)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.replace(microsecond=0)

    def advance(self, delta: timedelta) -> None:
        self._at += delta
