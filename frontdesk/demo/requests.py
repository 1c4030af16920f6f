"""Walk-in requests (来访诉求) of the last three months, each with its timeline.

A request is about a place (a flat, a building or a compound) and goes to the grid manager of
that place's level-4 grid. Its life is simulated: assigned, in progress, sometimes escalated to
the community or the subdistrict, resolved, closed after a return call. Whatever would happen
after the demo's "now" has not happened yet, which leaves a recent tail of open requests and a
few overdue ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from frontdesk.dates import age_on
from frontdesk.db.reference import DUE_HOURS
from frontdesk.demo.context import Context
from frontdesk.demo.grids import Grid
from frontdesk.demo.people import MOVED_OUT, People, Person
from frontdesk.demo.places import Building, Compound, Flat, Places
from frontdesk.demo.request_categories import (
    CATEGORIES,
    FIND_PERSON_RESOLUTIONS,
    LEVEL_RESOLUTIONS,
    NOTES,
    Category,
)
from frontdesk.demo.staff import Account, CommunityStaff
from frontdesk.vocabulary import Level, ReporterKind, RequestEventKind, RequestStatus, Urgency

NEW, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED = (s.value for s in RequestStatus)
GRID, COMMUNITY, SUBDISTRICT = (level.value for level in Level)
NORMAL, URGENT, CRITICAL = (urgency.value for urgency in Urgency)
DAYS = 90


CREATED, ASSIGNED_EVENT, STATUS, ESCALATED, RESOLVED_EVENT, CLOSED_EVENT, OVERDUE, ATTACHED = (
    kind.value
    for kind in (
        RequestEventKind.CREATED,
        RequestEventKind.ASSIGNED,
        RequestEventKind.STATUS,
        RequestEventKind.ESCALATED,
        RequestEventKind.RESOLVED,
        RequestEventKind.CLOSED,
        RequestEventKind.OVERDUE,
        RequestEventKind.REPORTER_ATTACHED,
    )
)


class Event(NamedTuple):
    """A ``RequestEvent`` row without its ids, in column order."""

    at: dt.datetime
    actor: int | None
    kind: str
    from_status: str | None = None
    to_status: str | None = None
    from_holder: int | None = None
    to_holder: int | None = None
    from_level: str | None = None
    to_level: str | None = None
    note: str = ""


@dataclass
class Draft:
    created: dt.datetime
    category: Category
    urgency: str
    reporter: Person | None
    reporter_name: str
    reporter_phone: str
    flat: Flat | None
    building: Building | None
    compound: Compound | None
    grid: Grid
    place_text: str
    description: str
    resolution: str
    created_by: int
    events: list[Event] = field(default_factory=list)
    extra: list[tuple[Person, dt.datetime, int]] = field(default_factory=list)


class RequestMaker:
    def __init__(
        self,
        ctx: Context,
        community_id: int,
        code: str,
        category_ids: dict[str, int],
        team: CommunityStaff,
        subdistrict_staff: list[Account],
        places: Places,
        people: People,
        subdistrict: str,
    ) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.community_id = community_id
        self.code = code
        self.category_ids = category_ids
        self.team = team
        self.subdistrict_staff = subdistrict_staff
        self.places = places
        self.police = subdistrict.removesuffix("街道") + "派出所"
        today = ctx.today
        self.reporters = [p for p in people.living if age_on(p.birth, today) >= 18]
        self.by_building: dict[int, list[Person]] = {}
        for person in self.reporters:
            self.by_building.setdefault(person.household.flat.building.id, []).append(person)
        # Old neighbours who left years ago, with relatives still here.
        long_ago = today - dt.timedelta(days=365)
        self.former = [
            p
            for h in people.households
            for p in h.members
            if p.status == MOVED_OUT
            and h.status == "active"
            and p.moved_out
            and p.moved_out < long_ago
        ]
        self.living = people.living
        total = sum(c.share for c in CATEGORIES)
        self.cum: list[float] = []
        running = 0.0
        for category in CATEGORIES:
            running += category.share / total
            self.cum.append(running)

    def clerk(self) -> int:
        reception = self.team.reception
        return reception[int(self.rng.random() * len(reception))].id

    def when(self) -> dt.datetime:
        """A moment in the last 90 days, mostly in office hours."""
        rng = self.rng
        now = self.ctx.now
        while True:
            day = self.ctx.today - dt.timedelta(days=1 + int(rng.random() * DAYS))
            roll = rng.random()
            if roll < 0.85:
                minute = 8 * 60 + 30 + int(rng.random() * 9.5 * 60)
            elif roll < 0.95:
                minute = 18 * 60 + int(rng.random() * 3.5 * 60)
            else:
                minute = 22 * 60 + int(rng.random() * 9 * 60)  # the night line, to 07:00
            at = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(minutes=minute)
            if at < now - dt.timedelta(minutes=10):
                return at

    def make(self, count: int) -> None:
        drafts = [self.draft() for _ in range(count)]
        drafts.sort(key=lambda d: d.created)
        self.write(drafts)

    # -- one request -------------------------------------------------------------------------

    def draft(self) -> Draft:
        rng = self.rng
        roll = rng.random()
        category = CATEGORIES[
            next(i for i, c in enumerate(self.cum) if roll < c or i == len(self.cum) - 1)
        ]
        roll = rng.random()
        urgent, critical = category.urgency
        urgency = CRITICAL if roll < critical else URGENT if roll < critical + urgent else NORMAL
        created = self.when()
        if category.code == "find_person":
            return self.find_person(category, urgency, created)
        reporter: Person | None = None
        if rng.random() < 0.85 and self.reporters:
            reporter = self.reporters[int(rng.random() * len(self.reporters))]
            name, phone = reporter.name, reporter.phone or ""
            home = reporter.household.flat
        else:
            name = self.ctx.names.person(rng.random() < 0.5, 1960 + int(rng.random() * 40))
            phone = self.ctx.phones.new()
            home = self.places.flats[int(rng.random() * len(self.places.flats))]
        building = home.building
        compound = building.compound
        texts = category.texts
        text, resolution = texts[int(rng.random() * len(texts))]
        if "{above}" in text and home.floor >= building.floors:
            text, resolution = texts[1]
        if "{below}" in text and home.floor == 1:
            text, resolution = texts[1]
        place = category.place
        flat: Flat | None = home
        place_building: Building | None = None
        place_compound: Compound | None = None
        place_text = ""
        if "{compound}" in text or (place == "compound" and "{b}" not in text):
            flat, place_compound = None, compound
            place_text = "小区公共区域"
        elif "{b}" in text or place == "building":
            flat, place_building = None, building
            place_text = f"{home.unit}单元楼道" if "{u}" in text else ""
        description = text.format(
            b=building.number,
            u=home.unit,
            fl=home.floor,
            above=home.number + 100,
            below=home.number - 100,
            compound=compound.name,
        )
        draft = Draft(
            created,
            category,
            urgency,
            reporter,
            name,
            phone,
            flat,
            place_building,
            place_compound,
            home.grid,
            place_text,
            description,
            resolution,
            self.clerk(),
        )
        if place_building is not None and rng.random() < 0.15:
            neighbours = self.by_building.get(building.id, [])
            if neighbours:
                other = neighbours[int(rng.random() * len(neighbours))]
                if other is not reporter:
                    later = created + dt.timedelta(minutes=60 + int(rng.random() * 240))
                    draft.extra.append((other, later, self.clerk()))
        self.simulate(draft)
        return draft

    def find_person(self, category: Category, urgency: str, created: dt.datetime) -> Draft:
        """An old neighbour looked for by a visitor, or a resident looked for by the police."""
        rng = self.rng
        if self.former and rng.random() < 0.7:
            target = self.former[int(rng.random() * len(self.former))]
            moved = target.moved_out.year if target.moved_out else self.ctx.today.year
            home = target.household.flat
            building = home.building
            where = f"{building.compound.name}{building.number}号楼{home.unit}单元{home.number}室"
            description = (
                f"外地来访者寻找老邻居{target.name}，{moved}年从{where}迁出，希望联系上本人"
            )
            name = self.ctx.names.person(rng.random() < 0.5, 1950 + int(rng.random() * 25))
            phone = self.ctx.phones.new()
            resolution = FIND_PERSON_RESOLUTIONS["visitor"]
        else:
            target = self.living[int(rng.random() * len(self.living))]
            description = f"{self.police}民警来社区查找居民{target.name}，核实居住情况"
            name = f"{self.police}民警"
            phone = self.ctx.phones.landline()
            resolution = FIND_PERSON_RESOLUTIONS["police"]
        flat = target.household.flat
        draft = Draft(
            created,
            category,
            urgency,
            None,
            name,
            phone,
            flat,
            None,
            None,
            flat.grid,
            "",
            description,
            resolution,
            self.clerk(),
        )
        self.simulate(draft)
        return draft

    def simulate(self, draft: Draft) -> None:
        """The timeline from creation to closing, cut at the demo's now."""
        rng = self.rng
        now = self.ctx.now
        due_hours = DUE_HOURS[draft.category.code][(NORMAL, URGENT, CRITICAL).index(draft.urgency)]
        clerk = draft.created_by
        manager = draft.grid.manager.id
        urgent = draft.urgency != NORMAL

        def add(event: Event) -> bool:
            if event.at >= now:
                return False
            draft.events.append(event)
            return True

        created = draft.created
        add(Event(created, clerk, CREATED, to_status=NEW, to_level=GRID))
        minutes = created.hour * 60 + created.minute
        if 8 * 60 + 30 <= minutes < 18 * 60 or draft.urgency == CRITICAL:
            assigned = created + dt.timedelta(minutes=2 + int(rng.random() * 24))
        else:  # routed when the desk opens
            next_day = created.date() + dt.timedelta(days=1 if minutes >= 18 * 60 else 0)
            assigned = dt.datetime.combine(next_day, dt.time(8, 30)) + dt.timedelta(
                minutes=int(rng.random() * 30)
            )
        if not add(Event(assigned, clerk, ASSIGNED_EVENT, NEW, ASSIGNED, None, manager)):
            return
        started = assigned + dt.timedelta(minutes=10 + int(rng.random() * min(360, due_hours * 18)))
        if not add(Event(started, manager, STATUS, ASSIGNED, IN_PROGRESS)):
            return
        roll = rng.random()
        if roll < 0.02:  # stuck: waits on someone outside, overdue
            return
        share = 1.05 + rng.random() * 1.5 if roll < 0.12 else 0.05 + rng.random() * 0.8
        resolved = created + dt.timedelta(minutes=int(due_hours * 60 * share))
        resolved = max(started + dt.timedelta(minutes=20), resolved)
        if not urgent:
            resolved = self.daytime(resolved)
        holder, level = manager, GRID
        if rng.random() < draft.category.escalate:
            span = (resolved - started).total_seconds() / 60
            escalated = started + dt.timedelta(minutes=int(span * (0.2 + 0.3 * rng.random())))
            escalated = self.daytime(escalated)
            leader = draft.grid.leader.id
            target = leader if leader != manager and rng.random() < 0.3 else self.supervisor()
            up = Event(escalated, manager, ESCALATED, from_holder=manager, to_holder=target)
            if not add(up._replace(from_level=GRID, to_level=COMMUNITY, note=NOTES[COMMUNITY])):
                return
            holder, level = target, COMMUNITY
            if rng.random() < 0.15 and self.subdistrict_staff:
                later = escalated + max(resolved - escalated, dt.timedelta(hours=4)) * 0.4
                later = self.daytime(later.replace(second=0, microsecond=0))
                staff = self.subdistrict_staff
                staffer = staff[int(rng.random() * len(staff))].id
                up = Event(later, holder, ESCALATED, from_holder=holder, to_holder=staffer)
                if not add(
                    up._replace(from_level=COMMUNITY, to_level=SUBDISTRICT, note=NOTES[SUBDISTRICT])
                ):
                    return
                holder, level = staffer, SUBDISTRICT
                escalated = later
            if resolved <= escalated:  # going up took time: settled later
                hours = 2 + int(rng.random() * 46)
                resolved = self.daytime(escalated + dt.timedelta(hours=hours))
        resolution = draft.resolution
        if level != GRID:
            resolution = LEVEL_RESOLUTIONS[level] + resolution
        if not add(Event(resolved, holder, RESOLVED_EVENT, IN_PROGRESS, RESOLVED, note=resolution)):
            return
        if rng.random() < 0.92:  # the desk calls the reporter back, then closes it
            closed = self.daytime(resolved + dt.timedelta(minutes=120 + int(rng.random() * 4200)))
            add(Event(closed, clerk, CLOSED_EVENT, RESOLVED, CLOSED, note="回访居民，表示满意"))

    def daytime(self, at: dt.datetime) -> dt.datetime:
        """``at``, or the next morning when it falls in the night."""
        if 8 <= at.hour < 20:
            return at
        day = at.date() if at.hour < 8 else at.date() + dt.timedelta(days=1)
        morning = dt.datetime.combine(day, dt.time(8, 30))
        return morning + dt.timedelta(minutes=int(self.rng.random() * 90))

    def supervisor(self) -> int:
        supervisors = self.team.supervisors
        return supervisors[int(self.rng.random() * len(supervisors))].id

    # -- rows --------------------------------------------------------------------------------

    def write(self, drafts: list[Draft]) -> None:
        ctx = self.ctx
        tables = ctx.tables
        now = ctx.now
        per_day: dict[dt.date, int] = {}
        for draft in drafts:
            request_id = tables.request.new_id()
            day = draft.created.date()
            per_day[day] = per_day.get(day, 0) + 1
            number = f"{self.code}-{day:%Y%m%d}-{per_day[day]:04d}"
            category = draft.category
            due_hours = DUE_HOURS[category.code][(NORMAL, URGENT, CRITICAL).index(draft.urgency)]
            due = draft.created + dt.timedelta(hours=due_hours)
            events = list(draft.events)
            status, holder, level = NEW, None, GRID
            resolution, resolved_level = "", None
            resolved_at = closed_at = None
            for event in events:
                status = event.to_status or status
                holder = event.to_holder or holder
                level = event.to_level or level
                if event.kind == RESOLVED_EVENT:
                    resolution, resolved_level, resolved_at = event.note, level, event.at
                if event.kind == CLOSED_EVENT:
                    closed_at = event.at
            finished = resolved_at or now
            overdue = None
            if due < finished and due < now:  # still open when it fell due
                overdue = due
                events.append(Event(due, None, OVERDUE, note="已超过办理时限"))
            for person, at, clerk in draft.extra:
                if at < finished and at < now:
                    events.append(Event(at, clerk, ATTACHED, note=person.name))
                    tables.request_reporter.add(
                        tables.request_reporter.new_id(),
                        request_id,
                        person.id,
                        person.name,
                        person.phone or "",
                        "同一问题，另一位居民也来反映",
                        at,
                        clerk,
                    )
            events.sort(key=lambda event: event.at)
            for index in range(1, len(events)):  # strictly increasing times
                if events[index].at <= events[index - 1].at:
                    at = events[index - 1].at + dt.timedelta(seconds=1)
                    events[index] = events[index]._replace(at=at)
            reporter = draft.reporter
            special = bool(reporter and reporter.tags)
            tables.request.add(
                request_id,
                number,
                self.community_id,
                self.category_ids[category.code],
                draft.urgency,
                level,
                status,
                ReporterKind.RESIDENT.value if reporter else ReporterKind.VISITOR.value,
                reporter.id if reporter else None,
                draft.reporter_name,
                draft.reporter_phone,
                draft.flat.id if draft.flat else None,
                draft.building.id if draft.building else None,
                draft.compound.id if draft.compound else None,
                draft.grid.id,
                draft.place_text,
                draft.description,
                holder,
                due,
                special,
                overdue,
                resolution,
                resolved_level,
                resolved_at,
                closed_at,
                draft.created,
                draft.created_by,
                events[-1].at,
                len(events),
            )
            for event in events:
                tables.request_event.add(tables.request_event.new_id(), request_id, *event)
