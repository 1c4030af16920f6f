"""Care visits (走访) to the people of special groups: about six months of history, kept as
``frontdesk.care.cadence`` counts dues.

Who is in care, and at which level, follows their tags by the installation's default mapping
(``care_rules``; a new demo database sets no community's own). Each household with people in
care is walked forward from the window's first day (``WINDOW`` days back: the desk follows care
from its first visit kept, so everyone in care before it enters care that day) or from the day
a member entered care, visit by visit: the next visit goes to the household's earliest due,
mostly a day or a few before it, sometimes on the day or late; on a weekend it is often made
on the Friday before. Now and then nobody is home (未遇): an attempt, the visit follows a day or
two later. A visit sees the household's people in care living there that day, sometimes one
of them is away (their due stays). Mostly in person by the grid manager, some by phone or
video, a few by a named volunteer (the grid manager enters those); areas mostly all right, a
few concerns with a note.

So that every grid manager's round has something on any day, each grid gets a household due
today, one or two overdue by a few days and one overdue by two weeks or more: their last visit
is placed so that the open due falls on that day. ``care_records`` adds the pauses, the major
events, an assigned volunteer and a campaign.

The history draws from its own random source, seeded from the shared one without drawing from
it; the shared source is advanced exactly as the generator before schema 9 did
(``_old_draws``), so that the rooms and requests made after the visits stay as they were.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from frontdesk.care.cadence import TagSpan, level_timeline
from frontdesk.care.settings import DAYS_KEYS, TAG_LEVELS
from frontdesk.dates import age_on
from frontdesk.demo.care_texts import (
    ADULT_NEEDS,
    ADULT_VIDEO_NOTES,
    ADULT_VOLUNTEER_NOTES,
    ATTEMPT_NOTES,
    CHILD_CONCERNS,
    CHILD_NOTES,
    CHILD_PHONE_NOTES,
    CHILD_VIDEO_NOTES,
    CHILD_VOLUNTEER_NOTES,
    CONCERNS,
    ELDERLY_NOTES,
    NOTES,
    OTHER_ATTEMPT_NOTES,
    PHONE_NOTES,
    PURPOSES,
    VIDEO_NOTES,
    VOLUNTEER_NOTES,
)
from frontdesk.demo.context import Context
from frontdesk.demo.names import Names
from frontdesk.demo.people import Household, People, Person
from frontdesk.demo.tables import Row
from frontdesk.demo.tags import CARE_TAGS
from frontdesk.settings.store import DEFAULTS
from frontdesk.vocabulary import AreaState, CareArea, CareLevel, VisitMode, VisitOutcome

WINDOW = 180  # days of history
ATTEMPT_SHARE = 0.05  # of visits first found nobody home
AWAY_SHARE = 0.08  # of visits to two or more people in care, one of them away
CONCERN_SHARE = 0.05  # of visits with a concern in one area
WEEKEND_MOVED = 0.6  # of visits falling on a weekend, made on the Friday before instead
VOLUNTEERS = 6  # named volunteers of a community
OLD_DAYS = 120  # the generator before schema 9 (``_old_draws``)

SEEN = VisitOutcome.SEEN.value
NOT_HOME = VisitOutcome.NOT_HOME.value
OK = AreaState.OK.value
CONCERN = AreaState.CONCERN.value
AREAS = tuple(CareArea)
_DAY = dt.timedelta(days=1)
CHILD, ADULT, ELDERLY = "child", "adult", "elderly"
# a visit's notes by whom it saw (``_kind``), then by how it was made
MODE_NOTES: dict[str, dict[VisitMode | None, tuple[str, ...]]] = {
    ELDERLY: {
        None: ELDERLY_NOTES,
        VisitMode.PHONE: PHONE_NOTES,
        VisitMode.VIDEO: VIDEO_NOTES,
        VisitMode.VOLUNTEER: VOLUNTEER_NOTES,
    },
    ADULT: {
        None: NOTES,
        VisitMode.PHONE: PHONE_NOTES,
        VisitMode.VIDEO: ADULT_VIDEO_NOTES,
        VisitMode.VOLUNTEER: ADULT_VOLUNTEER_NOTES,
    },
    CHILD: {
        None: CHILD_NOTES,
        VisitMode.PHONE: CHILD_PHONE_NOTES,
        VisitMode.VIDEO: CHILD_VIDEO_NOTES,
        VisitMode.VOLUNTEER: CHILD_VOLUNTEER_NOTES,
    },
}


def _kind(people: Sequence[Person], day: dt.date) -> str:
    """Whom a visit saw: a child (all under 18), someone old (anyone 60 or more), else adults."""
    ages = [age_on(person.birth, day) for person in people]
    if ages and all(years < 18 for years in ages):
        return CHILD
    return ELDERLY if any(years >= 60 for years in ages) else ADULT


def _concerns(kind: str, area: CareArea) -> tuple[str, ...]:
    if kind == CHILD:
        return CHILD_CONCERNS[area]
    if kind == ADULT and area == CareArea.NEEDS:
        return ADULT_NEEDS
    return CONCERNS[area]


def care_rules() -> tuple[dict[str, CareLevel], dict[CareLevel, int]]:
    """(tag code → level, level → days between visits): the installation's defaults."""
    levels = {code: CareLevel(level) for code, level in DEFAULTS[TAG_LEVELS].items()}
    days = {level: int(DEFAULTS[key]) for level, key in DAYS_KEYS.items()}
    return levels, days


@dataclass(slots=True, eq=False)
class Member:
    """A person in care (now or from a day in the window) and their open routine due."""

    person: Person
    changes: list[tuple[dt.date, CareLevel]]  # the level from each day on
    level: CareLevel | None = None
    due: dt.date | None = None
    anchor: dt.date | None = None  # the last visit that saw them (or entry)
    pause: tuple[dt.date, dt.date] | None = None  # [starts_on, until)

    def shift(self, day: dt.date) -> dt.date:
        pause = self.pause
        if pause is not None and pause[0] <= day < pause[1]:
            return pause[1]
        return day

    def away_on(self, day: dt.date) -> bool:
        pause = self.pause
        return pause is not None and pause[0] <= day < pause[1]


@dataclass(slots=True, eq=False)
class Home:
    """A household with people in care, as the walk goes."""

    household: Household
    members: list[Member]
    grid: int
    manager: int
    purpose: str
    target: dt.date | None = None  # the open due its last visit leaves (a late one, today's)
    volunteer: str = ""  # assigned to a named volunteer from ``assigned_on``
    assigned_on: dt.date | None = None
    last: dt.date | None = None  # the last visit that saw someone


class CareMaker:
    """One community's care history, into the row buffers."""

    def __init__(
        self, ctx: Context, people: People, tag_rows: Sequence[Row], tag_ids: dict[str, int]
    ) -> None:
        self.ctx = ctx
        self.people = people
        self.today = ctx.today
        self.start = ctx.today - dt.timedelta(days=WINDOW)
        state = ctx.rng.getstate()[1]
        self.rng = random.Random("care:" + ",".join(map(str, state)))  # draws nothing
        self.levels, self.days = care_rules()
        names = Names(self.rng)
        self.volunteers = [
            names.person(self.rng.random() < 0.4, 1955 + int(self.rng.random() * 45))
            for _ in range(VOLUNTEERS)
        ]
        self.homes = self._homes(tag_rows, tag_ids)

    # -- who is in care -----------------------------------------------------------------------

    def _homes(self, tag_rows: Sequence[Row], tag_ids: dict[str, int]) -> list[Home]:
        codes = {tag_id: code for code, tag_id in tag_ids.items()}
        levels = self.levels
        spans: dict[int, list[TagSpan]] = defaultdict(list)
        for row in tag_rows:  # (id, resident, tag, since, note, created_at, created_by)
            code = codes[row[2]]
            if code in levels:
                spans[row[1]].append(TagSpan(code, row[3]))
        order = list(PURPOSES)
        homes: list[Home] = []
        for household in self.people.active():
            members = []
            for person in household.living():
                own = spans.get(person.id)
                if own:
                    changes = [(d, lv) for d, lv in level_timeline(own, (), levels) if lv]
                    members.append(Member(person, changes))
            if not members:
                continue
            tags = [t for m in members for t in m.person.tags if t in PURPOSES]
            grid = household.flat.grid
            purpose = PURPOSES[min(tags, key=order.index)] if tags else ""
            homes.append(Home(household, members, grid.id, grid.manager.id, purpose))
        return homes

    # -- the walk -----------------------------------------------------------------------------

    def _lead(self) -> int:
        """Days before the due a visit is made (negative: late)."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.6:
            return 1 + int(rng.random() * 3)
        if roll < 0.85:
            return 0
        if roll < 0.96:
            return -1 - int(rng.random() * 3)
        return -4 - int(rng.random() * 5)

    def _enter(self, member: Member, day: dt.date, level: CareLevel) -> None:
        """``member``'s level from ``day`` on, as cadence counts it."""
        days = self.days[level]
        if member.level is None:
            member.anchor = day
            member.due = member.shift(day + dt.timedelta(days=days))
        elif member.due is not None and member.due >= day:
            assert member.anchor is not None
            member.due = member.shift(max(member.anchor + dt.timedelta(days=days), day))
        member.level = level

    def _target(self, member: Member) -> dt.date:
        """The first day ``member`` can be seen for their due."""
        assert member.due is not None
        return member.shift(max(member.due, member.person.moved_in))

    def walk(self, home: Home) -> None:
        rng = self.rng
        today, start = self.today, self.start
        changes: list[tuple[dt.date, int, CareLevel]] = []
        for index, member in enumerate(home.members):
            before = [lv for d, lv in member.changes if d <= start]
            if before:
                self._enter(member, start, before[-1])
            changes += [(d, index, lv) for d, lv in member.changes if d > start]
        changes.sort(key=lambda change: (change[0], change[1]))
        active = [m for m in home.members if m.level is not None]
        shortest = min((self.days[m.level] for m in active if m.level), default=0)
        first = start + dt.timedelta(days=int(rng.random() * shortest)) if active else None
        floor = start
        at = 0
        while True:
            active = [m for m in home.members if m.due is not None]
            if not active:
                if at == len(changes):
                    break
                day, index, level = changes[at]
                self._enter(home.members[index], day, level)
                at += 1
                continue
            nearest = min(active, key=self._target)
            due = first if first is not None else self._target(nearest)
            hard = max(floor, nearest.person.moved_in)
            day = max(due - dt.timedelta(days=self._lead()), hard)
            if day.weekday() >= 5 and rng.random() < WEEKEND_MOVED:  # Thursday or Friday
                weekday = day - dt.timedelta(days=day.weekday() - 3 - (rng.random() < 0.5))
                day = weekday if weekday >= hard else day
            if at < len(changes) and changes[at][0] <= day:
                change_day, index, level = changes[at]
                self._enter(home.members[index], change_day, level)
                at += 1
                continue
            first = None
            if home.target is not None:
                gap = min(self.days[m.level] for m in active if m.level)
                if day + dt.timedelta(days=gap) >= home.target:
                    final = home.target - dt.timedelta(days=gap)
                    seen = [m for m in active if self._can_see(m, final)]
                    if floor <= final < today and len(seen) == len(active):
                        self._seen(home, final, seen)
                    break
            if day >= today:
                break
            if rng.random() < ATTEMPT_SHARE:
                self.attempt(home, day)
                day += dt.timedelta(days=1 + int(rng.random() * 2))
                if day >= today:
                    break
            seen = [m for m in active if self._can_see(m, day)]
            if len(seen) > 1 and rng.random() < AWAY_SHARE:
                seen.pop(int(rng.random() * len(seen)))
            if seen:
                self._seen(home, day, seen)
            floor = day + _DAY

    def _can_see(self, member: Member, day: dt.date) -> bool:
        return member.due is not None and member.person.moved_in <= day and not member.away_on(day)

    def _seen(self, home: Home, day: dt.date, seen: list[Member]) -> None:
        self.visit(home, day, [m.person for m in seen])
        for member in seen:
            assert member.level is not None
            member.due = member.shift(day + dt.timedelta(days=self.days[member.level]))
            member.anchor = day
        home.last = day

    # -- rows ---------------------------------------------------------------------------------

    def moment(self, day: dt.date) -> dt.datetime:
        """A time of ``day`` a grid manager makes visits (08:30–17:30)."""
        minutes = int(self.rng.random() * 540)
        return dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(minutes=minutes)

    def entered(self, at: dt.datetime) -> dt.datetime:
        """When a visit made at ``at`` was entered: a little later, before the demo's now."""
        later = at + dt.timedelta(minutes=20 + int(self.rng.random() * 220))
        return min(later, self.ctx.latest_entry)

    def attempt(self, home: Home, day: dt.date) -> None:
        people = [m.person for m in home.members if self._can_see(m, day)]
        if not people:
            return
        at = self.moment(day)
        pool = ATTEMPT_NOTES if _kind(people, day) == ELDERLY else OTHER_ATTEMPT_NOTES
        note = pool[int(self.rng.random() * len(pool))]
        areas = (None, "") * len(AREAS)
        self.row(home, at, people, home.manager, "", VisitMode.IN_PERSON, NOT_HOME, areas, note)

    def visit(
        self,
        home: Home,
        day: dt.date,
        people: list[Person],
        *,
        at: dt.datetime | None = None,
        purpose: str = "",
        in_person: bool = False,
    ) -> None:
        """A visit that saw ``people``: who made it and how, what it found."""
        rng = self.rng
        staff: int | None = home.manager
        volunteer = ""
        mode = VisitMode.IN_PERSON
        roll = rng.random()
        if in_person:
            pass
        elif home.volunteer and home.assigned_on and home.assigned_on <= day and roll < 0.8:
            staff, volunteer, mode = None, home.volunteer, VisitMode.VOLUNTEER
        elif roll < 0.03:
            volunteer = self.volunteers[int(rng.random() * len(self.volunteers))]
            staff, mode = None, VisitMode.VOLUNTEER
        elif roll < 0.12:
            mode = VisitMode.PHONE
        elif roll < 0.16:
            mode = VisitMode.VIDEO
        areas: list[str | None] = [OK, ""] * len(AREAS)
        if rng.random() < CONCERN_SHARE:
            index = int(rng.random() * len(AREAS))
            notes = _concerns(_kind(people, day), AREAS[index])
            areas[2 * index] = CONCERN
            areas[2 * index + 1] = notes[int(rng.random() * len(notes))]
            note = ""
        else:
            by_mode = MODE_NOTES[_kind(people, day)]
            pool = by_mode.get(mode, by_mode[None])
            note = pool[int(rng.random() * len(pool))] if rng.random() < 0.6 else ""
        when = at if at is not None else self.moment(day)
        self.row(home, when, people, staff, volunteer, mode, SEEN, areas, note, purpose)

    def row(
        self,
        home: Home,
        at: dt.datetime,
        people: list[Person],
        staff: int | None,
        volunteer: str,
        mode: VisitMode,
        outcome: str,
        areas: Sequence[str | None],
        note: str,
        purpose: str = "",
    ) -> None:
        tables = self.ctx.tables
        visit_id = tables.visit.new_id()
        tables.visit.add(
            visit_id,
            home.household.id,
            staff,
            volunteer,
            mode.value,
            outcome,
            at,
            purpose or home.purpose,
            *areas,
            note,
            self.entered(at),
            home.manager if staff is None else staff,
        )
        persons = tables.visit_person
        for person in people:
            persons.add(persons.new_id(), visit_id, person.id)

    # -- the grids' rounds --------------------------------------------------------------------

    def steady(self, home: Home) -> bool:
        """No one's level changes in the window, everyone in care lived here before it."""
        start = self.start
        return all(
            m.changes and m.changes[-1][0] <= start and m.person.moved_in <= start
            for m in home.members
        )

    def set_targets(self) -> None:
        """Per grid: a household due today, one or two a few days overdue, one by weeks."""
        rng = self.rng
        by_grid: dict[int, list[Home]] = defaultdict(list)
        for home in self.homes:
            if self.steady(home):
                by_grid[home.grid].append(home)
        for homes in by_grid.values():
            rng.shuffle(homes)
            lates = [0, 1 + int(rng.random() * 3), 15 + int(rng.random() * 20)]
            if rng.random() < 0.5:
                lates.append(1 + int(rng.random() * 3))
            for home, late in zip(homes, lates, strict=False):
                home.target = self.today - dt.timedelta(days=late)


def _old_draws(ctx: Context, people: People) -> None:
    """Advance ``ctx.rng`` exactly as the visits generator before schema 9 did (it drew from
    the shared source), so that everything made after the visits stays as it was."""
    rng = ctx.rng
    for household in people.active():
        if not any(tag in CARE_TAGS for person in household.living() for tag in person.tags):
            continue
        visits = 1 + (rng.random() < 0.5) + (rng.random() < 0.2)
        for _ in range(visits):
            day = ctx.today - dt.timedelta(days=1 + int(rng.random() * OLD_DAYS))
            if day.weekday() >= 5:
                day -= dt.timedelta(days=day.weekday() - 4)
            day = max(day, household.moved_in)
            visited = ctx.office_time(day, 9, 17)
            created = visited + dt.timedelta(minutes=30 + int(rng.random() * 210))
            if visited < min(created, ctx.now - dt.timedelta(minutes=1)):
                rng.random()  # its note


def make_visits(
    ctx: Context,
    people: People,
    tag_rows: Sequence[Row],
    tag_ids: dict[str, int],
    community_id: int,
    supervisor: int,
) -> None:
    """The care history of one community: visits, attempts, pauses, events, a campaign."""
    from frontdesk.demo.care_records import Records

    maker = CareMaker(ctx, people, tag_rows, tag_ids)
    _old_draws(ctx, people)
    records = Records(maker, community_id, supervisor)
    maker.set_targets()
    records.before_walks()
    for home in maker.homes:
        maker.walk(home)
    records.after_walks()
