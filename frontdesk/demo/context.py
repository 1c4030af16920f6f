"""What every part of the generator shares: the random source, the dates, the row buffers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from frontdesk.db.holidays import holidays
from frontdesk.demo.names import Names
from frontdesk.demo.phones import Phones
from frontdesk.demo.tables import Tables
from frontdesk.idcards import make_id

DAYS_PER_YEAR = 365.2425
_MINUTES = [dt.timedelta(minutes=minute) for minute in range(540)]


@dataclass
class IdNumbers:
    """Issues unique ID numbers."""

    rng: random.Random
    issued: set[str] = field(default_factory=set)

    def new(self, region: str, birth: dt.date, male: bool) -> str:
        rng = self.rng
        odd = 1 if male else 0
        while True:
            seq = int(rng.random() * 499 + 1) * 2 - odd  # 1..997 odd for men, 2..998 even
            number = make_id(region, birth, seq)
            if number not in self.issued:
                self.issued.add(number)
                return number


@dataclass
class Context:
    rng: random.Random
    today: dt.date
    tables: Tables
    names: Names
    phones: Phones
    ids: IdNumbers
    now: dt.datetime  # the moment the demo data stands at: today, before the desk opens
    launch: dt.date  # when the center started keeping its register in this program
    holidays: dict[dt.date, str]
    latest_entry: dt.datetime  # entries are made before the demo's now
    _mornings: dict[dt.date, dt.datetime] = field(default_factory=dict)

    @classmethod
    def create(cls, seed: int, today: dt.date, tables: Tables) -> Context:
        rng = random.Random(seed)
        years = [today.year]
        now = dt.datetime.combine(today, dt.time(8, 0))
        return cls(
            rng=rng,
            today=today,
            tables=tables,
            names=Names(rng),
            phones=Phones(rng),
            ids=IdNumbers(rng),
            now=now,
            launch=today - dt.timedelta(days=420),
            holidays=holidays(years),
            latest_entry=now - dt.timedelta(minutes=5),
        )

    # -- dates -------------------------------------------------------------------------------

    def birth_for_age(self, age: float) -> dt.date:
        """A birth date ``age`` (fractional years allowed) plus up to a year before today."""
        days = int((age + self.rng.random()) * DAYS_PER_YEAR)
        return self.today - dt.timedelta(days=max(days, 1))

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        """A day in ``first..last`` (``first`` when the range is empty)."""
        span = (last - first).days
        if span <= 0:
            return first
        return first + dt.timedelta(days=int(self.rng.random() * (span + 1)))

    def office_time(self, day: dt.date, first_hour: int = 8, last_hour: int = 17) -> dt.datetime:
        """A moment in office hours on ``day``, whole minutes."""
        minute = int(self.rng.random() * (last_hour - first_hour) * 60)
        return dt.datetime.combine(day, dt.time(first_hour)) + dt.timedelta(minutes=minute + 30)

    def entered_at(self, day: dt.date) -> dt.datetime:
        """When a fact of ``day`` was entered: that day (or at launch, for older facts).

        Called for every row of the register, hence the cached mornings and minutes.
        """
        morning = self._mornings.get(day)
        if morning is None:
            first = dt.datetime.combine(max(day, self.launch), dt.time(8, 30))
            morning = self._mornings[day] = first
        when = morning + _MINUTES[int(self.rng.random() * 540)]
        return when if when < self.latest_entry else self.latest_entry
