"""Everything the dues of many people follow from, read in a few queries.

``load(scope, now)`` reads the people of a set of grids (or of communities) who are or were in
care — they carried a care tag, had a level set by hand, a major event or a campaign — with
their place, and builds each one's ``cadence.History``. One query a kind of record, each joined
to the scope by the household's flat, so a round or a month costs the same few queries whether
the community has 8,000 people or 200,000. No Textual; plain values out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import fn

from frontdesk.care.cadence import Campaign, Event, History, LevelSet, Pause, TagSpan
from frontdesk.care.cadence import level_timeline as timeline_of
from frontdesk.db.connection import raw_rows
from frontdesk.db.models import (
    Building,
    CareCampaign,
    CareCampaignMember,
    CareEvent,
    CareLevelChange,
    CarePause,
    Compound,
    Flat,
    GridL3,
    GridL4,
    Household,
    Resident,
    ResidentTag,
    SchemaMigration,
    Setting,
    Tag,
    Unit,
    Visit,
    VisitPerson,
)
from frontdesk.vocabulary import CareLevel, ResidentStatus, VisitOutcome

CARE_SCHEMA = 9  # the schema version that began keeping care visits


@dataclass(frozen=True)
class Scope:
    """Whose people: the level-4 grids listed, else every grid of the communities listed."""

    grids: frozenset[int] = frozenset()
    communities: frozenset[int] = frozenset()
    residents: frozenset[int] = frozenset()  # only these (a resident's page), within the above
    households: frozenset[int] = frozenset()  # only these, within the above


@dataclass(frozen=True)
class Person:
    resident_id: int
    household_id: int
    name: str
    birth_date: date
    status: str
    grid_l4_id: int
    community_id: int
    flat_id: int
    compound: str
    building: int
    unit: int
    flat: int  # 1001

    @property
    def route(self) -> tuple[str, int, int, int, int]:
        """The order of a walk: compound, building, unit, flat."""
        return (self.compound, self.building, self.unit, self.flat, self.household_id)

    @property
    def address(self) -> str:
        return f"{self.compound} {self.building}-{self.unit}-{self.flat}"


@dataclass(frozen=True)
class Cared:
    person: Person
    history: History
    last_seen: datetime | None
    last_attempt: datetime | None  # the household's latest 未遇
    paused_until: date | None  # a pause running today: the day it ends


def _scoped(query: Any, scope: Scope) -> Any:
    """``query`` (already joined to Resident) restricted to the scope."""
    query = query.join(Household, on=(Resident.household == Household.id)).join(
        Flat, on=(Household.flat == Flat.id)
    )
    if scope.grids:
        query = query.where(Flat.grid_l4.in_(sorted(scope.grids)))
    else:
        query = (
            query.join(GridL4, on=(Flat.grid_l4 == GridL4.id))
            .join(GridL3, on=(GridL4.grid_l3 == GridL3.id))
            .where(GridL3.community.in_(sorted(scope.communities)))
        )
    if scope.residents:
        query = query.where(Resident.id.in_(sorted(scope.residents)))
    if scope.households:
        query = query.where(Household.id.in_(sorted(scope.households)))
    return query


FOLLOW_FROM = "care.follow_from"


def follow_from(community_id: int) -> date | None:
    """The day the desk follows care visits from in ``community_id``: a date set for it (or
    for the installation) as ``care.follow_from``, else the earlier of the first visit kept
    and the day this database began keeping care visits (schema 9)."""
    keys = [f"{FOLLOW_FROM}@{community_id}", FOLLOW_FROM]
    stored = {row.key: row.value for row in Setting.select().where(Setting.key.in_(keys))}
    for key in keys:
        if key in stored:
            return date.fromisoformat(json.loads(stored[key]))
    began: Any = (
        SchemaMigration.select(fn.MIN(SchemaMigration.applied_at))
        .where(SchemaMigration.version >= CARE_SCHEMA)
        .scalar()
    )
    first: Any = Visit.select(fn.MIN(Visit.visited_at)).scalar()
    days = [_end_day(moment) for moment in (began, first) if moment is not None]
    return min((day for day in days if day is not None), default=None)


def _day(value: Any) -> date:
    """A date as the engine gives it (ISO text from SQLite, a date from PostgreSQL)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _end_day(moment: datetime | date | None) -> date | None:
    if moment is None:
        return None
    return moment.date() if isinstance(moment, datetime) else moment


def load(scope: Scope, tag_levels: Mapping[str, CareLevel], now: datetime) -> list[Cared]:
    """The people of ``scope`` who are or were in care, each with their history up to ``now``.

    ``tag_levels`` is the community's mapping of tags to levels (``care.settings``)."""
    if not scope.grids and not scope.communities:
        return []
    today = now.date()
    care_codes = sorted(tag_levels)
    start = {community: follow_from(community) for community in _communities(scope)}
    tags: dict[int, list[TagSpan]] = defaultdict(list)
    for resident_id, code, since, ended in raw_rows(
        _scoped(
            ResidentTag.select(
                ResidentTag.resident, Tag.code, ResidentTag.since, ResidentTag.ended_at
            )
            .join(Tag, on=(ResidentTag.tag == Tag.id))
            .switch(ResidentTag)
            .join(Resident, on=(ResidentTag.resident == Resident.id)),
            scope,
        ).where(Tag.code.in_(care_codes))
    ):
        tags[resident_id].append(TagSpan(code, _day(since), _end_day(_moment(ended))))

    by_hand: dict[int, list[LevelSet]] = defaultdict(list)
    for resident_id, level, at in _scoped(
        CareLevelChange.select(
            CareLevelChange.resident, CareLevelChange.level, CareLevelChange.created_at
        )
        .join(Resident, on=(CareLevelChange.resident == Resident.id))
        .order_by(CareLevelChange.id),
        scope,
    ).tuples():
        by_hand[resident_id].append(LevelSet(at.date(), CareLevel(level) if level else None))

    events: dict[int, list[Event]] = defaultdict(list)
    for resident_id, recorded, due_at in _scoped(
        CareEvent.select(CareEvent.resident, CareEvent.created_at, CareEvent.due_at).join(
            Resident, on=(CareEvent.resident == Resident.id)
        ),
        scope,
    ).tuples():
        events[resident_id].append(Event(recorded, due_at))

    campaigns: dict[int, list[Campaign]] = defaultdict(list)
    for resident_id, starts_at, due_on in _scoped(
        CareCampaignMember.select(
            CareCampaignMember.resident, CareCampaign.starts_at, CareCampaign.due_on
        )
        .join(CareCampaign, on=(CareCampaignMember.campaign == CareCampaign.id))
        .switch(CareCampaignMember)
        .join(Resident, on=(CareCampaignMember.resident == Resident.id)),
        scope,
    ).tuples():
        campaigns[resident_id].append(Campaign(starts_at, due_on))

    wanted = set(tags) | set(by_hand) | set(events) | set(campaigns)
    if not wanted:
        return []
    people = _people(scope, wanted)

    pauses: dict[int, list[Pause]] = defaultdict(list)
    for resident_id, starts, resume, ended in _scoped(
        CarePause.select(
            CarePause.resident, CarePause.starts_on, CarePause.resume_on, CarePause.ended_on
        ).join(Resident, on=(CarePause.resident == Resident.id)),
        scope,
    ).tuples():
        pauses[resident_id].append(Pause(starts, min(ended or resume, resume)))

    seen: dict[int, list[datetime]] = defaultdict(list)
    attempts: dict[int, datetime] = {}
    for resident_id, household_id, when, outcome in raw_rows(
        _scoped(
            VisitPerson.select(
                VisitPerson.resident, Visit.household, Visit.visited_at, Visit.outcome
            )
            .join(Visit, on=(VisitPerson.visit == Visit.id))
            .switch(VisitPerson)
            .join(Resident, on=(VisitPerson.resident == Resident.id)),
            scope,
        )
    ):
        if resident_id not in people:
            continue
        at = _moment(when)
        if at is None or at > now:
            continue
        if outcome == VisitOutcome.SEEN:
            seen[resident_id].append(at)
        elif household_id == people[resident_id][0].household_id and (
            resident_id not in attempts or attempts[resident_id] < at
        ):
            attempts[resident_id] = at

    found: list[Cared] = []
    for resident_id, (person, gone_on) in people.items():
        hand = sorted(by_hand.get(resident_id, ()), key=lambda change: change.on)
        levels = timeline_of(tags.get(resident_id, ()), hand, tag_levels)
        own_pauses = pauses.get(resident_id, [])
        visits = seen.get(resident_id, [])
        last_seen = max(visits, default=None)
        attempt = attempts.get(resident_id)
        if attempt is not None and last_seen is not None and attempt < last_seen:
            attempt = None  # seen since: the attempt is history
        history = History(
            levels=levels,
            seen=visits,
            pauses=own_pauses,
            events=events.get(resident_id, ()),
            campaigns=campaigns.get(resident_id, ()),
            gone_on=gone_on,
            follow_from=start.get(person.community_id),
        )
        current = [p for p in own_pauses if p.starts_on <= today < p.until]
        found.append(
            Cared(
                person=person,
                history=history,
                last_seen=last_seen,
                last_attempt=attempt,
                paused_until=max((p.until for p in current), default=None),
            )
        )
    return found


def _communities(scope: Scope) -> frozenset[int]:
    if scope.communities:
        return scope.communities
    rows: Any = (
        GridL3.select(GridL3.community)
        .join(GridL4, on=(GridL4.grid_l3 == GridL3.id))
        .where(GridL4.id.in_(sorted(scope.grids)))
        .distinct()
        .tuples()
    )
    return frozenset(community for (community,) in rows)


CHUNK = 2000  # ids a query names at most (SQLite's variables are limited)


def _people(scope: Scope, wanted: Iterable[int]) -> dict[int, tuple[Person, date | None]]:
    """The people among ``wanted`` with their place: by their ids, a chunk a query (an IN over
    the whole district's care records, rebuilt for every round, cost 40 ms of a round's 48)."""
    ids = sorted(set(wanted))
    people: dict[int, tuple[Person, date | None]] = {}
    for start in range(0, len(ids), CHUNK):
        people.update(_people_among(scope, ids[start : start + CHUNK]))
    return people


def _people_among(scope: Scope, ids: list[int]) -> dict[int, tuple[Person, date | None]]:
    query = _scoped(
        Resident.select(
            Resident.id,
            Resident.household,
            Resident.name,
            Resident.birth_date,
            Resident.status,
            Resident.moved_out_on,
            Resident.died_on,
            Flat.grid_l4,
            GridL3.community,
            Flat.id,
            Compound.name,
            Building.number,
            Unit.number,
            Flat.number,
        ),
        scope,
    )
    query = query.where(Resident.id.in_(ids))
    if scope.grids:  # the community's join is already there for a community scope
        query = query.join(GridL4, on=(Flat.grid_l4 == GridL4.id)).join(
            GridL3, on=(GridL4.grid_l3 == GridL3.id)
        )
    query = (
        query.join(Unit, on=(Flat.unit == Unit.id))
        .join(Building, on=(Unit.building == Building.id))
        .join(Compound, on=(Building.compound == Compound.id))
    )
    people: dict[int, tuple[Person, date | None]] = {}
    for row in raw_rows(query):
        (rid, hid, name, birth, status, moved_out, died, grid, community, flat_id, *place) = row
        birth = _day(birth)
        died = None if died is None else _day(died)
        moved_out = None if moved_out is None else _day(moved_out)
        gone = died if status == ResidentStatus.DECEASED else None
        if status == ResidentStatus.MOVED_OUT:
            gone = moved_out
        person = Person(
            rid, hid, name, birth, status, grid, community, flat_id, place[0], *place[1:]
        )
        people[rid] = (person, gone)
    return people
