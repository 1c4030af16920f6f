"""The demo's care history, read back from the database and counted by ``cadence.dues``: every
grid manager has someone due or overdue on any day, attempts meet nothing, visits see only
people who lived in the household that day, nothing lies in the future."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.care.cadence import (
    Campaign,
    Due,
    DueKind,
    Event,
    History,
    LevelSet,
    Pause,
    TagSpan,
    dues,
    level_timeline,
)
from frontdesk.care.history import follow_from
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import (
    CareAssignment,
    CareCampaign,
    CareCampaignMember,
    CareEvent,
    CareLevelChange,
    CarePause,
    Community,
    Flat,
    GridL3,
    GridL4,
    Household,
    Resident,
    ResidentTag,
    Tag,
    Visit,
    VisitPerson,
)
from frontdesk.demo import DemoOptions, generate
from frontdesk.demo.visits import care_rules
from frontdesk.vocabulary import VisitMode, VisitOutcome
from tests.conftest import DEMO_SEED, DEMO_TODAY

NOW = datetime.combine(DEMO_TODAY, datetime.min.time()).replace(hour=8)  # the demo's now
LEVELS, DAYS = care_rules()


@dataclass(frozen=True)
class Person:
    resident_id: int
    manager_id: int
    history: History


def histories() -> list[Person]:
    """Everyone who carries a care tag, with the history their dues follow from, from the rows."""
    spans: dict[int, list[TagSpan]] = defaultdict(list)
    rows: Any = (
        ResidentTag.select(ResidentTag.resident, Tag.code, ResidentTag.since, ResidentTag.ended_at)
        .join(Tag)
        .where(Tag.code.in_(sorted(LEVELS)))
        .tuples()
    )
    for resident_id, code, since, ended in rows:
        spans[resident_id].append(TagSpan(code, since, ended.date() if ended else None))
    by_hand: dict[int, list[LevelSet]] = defaultdict(list)
    rows = CareLevelChange.select(
        CareLevelChange.resident, CareLevelChange.level, CareLevelChange.created_at
    ).tuples()
    for resident_id, level, at in rows:
        by_hand[resident_id].append(LevelSet(at.date(), level))
    seen: dict[int, list[datetime]] = defaultdict(list)
    rows = (
        VisitPerson.select(VisitPerson.resident, Visit.visited_at)
        .join(Visit)
        .where(Visit.outcome == VisitOutcome.SEEN.value)
        .tuples()
    )
    for resident_id, at in rows:
        seen[resident_id].append(at)
    pauses: dict[int, list[Pause]] = defaultdict(list)
    rows = CarePause.select(
        CarePause.resident, CarePause.starts_on, CarePause.resume_on, CarePause.ended_on
    ).tuples()
    for resident_id, starts, resume, ended in rows:
        pauses[resident_id].append(Pause(starts, min(ended or resume, resume)))
    events: dict[int, list[Event]] = defaultdict(list)
    rows = CareEvent.select(CareEvent.resident, CareEvent.created_at, CareEvent.due_at).tuples()
    for resident_id, recorded, due_at in rows:
        events[resident_id].append(Event(recorded, due_at))
    campaigns: dict[int, list[Campaign]] = defaultdict(list)
    rows = (
        CareCampaignMember.select(
            CareCampaignMember.resident, CareCampaign.starts_at, CareCampaign.due_on
        )
        .join(CareCampaign)
        .tuples()
    )
    for resident_id, starts, due_on in rows:
        campaigns[resident_id].append(Campaign(starts, due_on))
    start = {c.id: follow_from(c.id) for c in Community.select()}
    people: Any = (
        Resident.select(
            Resident.id, Resident.died_on, Resident.moved_out_on, GridL4.manager, GridL3.community
        )
        .join(Household)
        .join(Flat)
        .join(GridL4)
        .join(GridL3)
        .where(Resident.id.in_(sorted(spans)))
        .tuples()
    )
    found = []
    for resident_id, died, moved_out, manager_id, community_id in people:
        history = History(
            levels=level_timeline(spans[resident_id], by_hand[resident_id], LEVELS),
            seen=seen[resident_id],
            pauses=pauses[resident_id],
            events=events[resident_id],
            campaigns=campaigns[resident_id],
            gone_on=died or moved_out,
            follow_from=start[community_id],
        )
        found.append(Person(resident_id, manager_id, history))
    return found


def routine_due_by(people: list[Person], now: datetime) -> dict[int, list[Due]]:
    """Each grid manager's open routine dues falling today or before (the round without the
    events and campaigns)."""
    found: dict[int, list[Due]] = defaultdict(list)
    for person in people:
        for due in dues(person.history, DAYS, now).open:
            if due.kind == DueKind.ROUTINE and due.due_on <= now.date():
                found[person.manager_id].append(due)
    return found


@pytest.fixture(scope="module")
def people(demo_file: Path) -> Iterator[list[Person]]:
    db = open_database(demo_file, create=False, now=FixedClock(NOW).now)
    try:
        yield histories()
    finally:
        db.close()


def managers() -> set[int]:
    return {int(g.manager_id) for g in GridL4.select(GridL4.manager)}


def test_every_grid_manager_has_a_round_on_seven_days(people: list[Person], demo_db: Any) -> None:
    """Three days before the demo's today to three after: nobody's round is empty, and on the
    demo's today each has someone overdue and the grids together someone due that day."""
    everyone = managers()
    for offset in range(-3, 4):
        now = NOW + timedelta(days=offset)
        due = routine_due_by(people, now)
        empty = everyone - {manager for manager, found in due.items() if found}
        assert empty == set(), (now, sorted(empty))
    today = routine_due_by(people, NOW)
    overdue = {m for m, found in today.items() if any(d.overdue(NOW) for d in found)}
    assert overdue == everyone
    assert sum(1 for found in today.values() for d in found if d.due_on == DEMO_TODAY) >= 20


def test_overdue_by_days_and_by_weeks(people: list[Person], demo_db: Any) -> None:
    late = [
        (DEMO_TODAY - due.due_on).days
        for found in routine_due_by(people, NOW).values()
        for due in found
        if due.overdue(NOW)
    ]
    assert sum(1 for days in late if 1 <= days <= 3) >= len(managers())
    assert sum(1 for days in late if days > 14) >= len(managers())
    in_care = sum(1 for p in people if dues(p.history, DAYS, NOW).level is not None)
    assert len(late) < in_care * 0.25  # most are seen on time


def test_attempts_meet_nothing(demo_db: Any) -> None:
    attempts = Visit.select().where(Visit.outcome == VisitOutcome.NOT_HOME.value)
    visits = Visit.select().count()
    assert 0.02 * visits < attempts.count() < 0.1 * visits
    for attempt in attempts:
        assert attempt.health is None and attempt.staff_id is not None
        assert VisitPerson.select().where(VisitPerson.visit == attempt.id).exists()
    # the history reads only seen visits: an attempt's day is no visit of whom it went to see
    shown = (
        VisitPerson.select(VisitPerson.resident, Visit.visited_at)
        .join(Visit)
        .where(Visit.outcome == VisitOutcome.NOT_HOME.value)
        .tuples()
    )
    seen = set(
        VisitPerson.select(VisitPerson.resident, Visit.visited_at)
        .join(Visit)
        .where(Visit.outcome == VisitOutcome.SEEN.value)
        .tuples()
    )
    assert not set(shown) & seen


def test_visits_see_members_living_there_that_day(demo_db: Any) -> None:
    rows: Any = (
        VisitPerson.select(
            Visit.id,
            Visit.household,
            Visit.visited_at,
            Resident.household,
            Resident.moved_in_on,
            Resident.moved_out_on,
            Resident.died_on,
        )
        .join(Visit)
        .switch(VisitPerson)
        .join(Resident)
        .tuples()
    )
    count = 0
    for _visit, household, at, home, moved_in, moved_out, died in rows:
        count += 1
        day = at.date()
        assert household == home
        assert moved_in <= day
        assert (moved_out is None or day < moved_out) and (died is None or day < died)
    assert count > Visit.select().count()
    nobody: Any = Visit.select().where(~Visit.id.in_(VisitPerson.select(VisitPerson.visit)))
    assert nobody.count() == 0  # every visit or attempt names whom it saw or went to see


def test_nothing_in_the_future_and_entered_after(demo_db: Any) -> None:
    for visit in Visit.select():
        assert visit.visited_at < visit.created_at < NOW
        assert (visit.staff_id is None) == (visit.mode == VisitMode.VOLUNTEER.value)
        assert visit.created_by_id == (visit.staff_id or visit.created_by_id)
        assert visit.staff_id is not None or visit.volunteer
    for event in CareEvent.select():
        assert event.created_at < NOW and event.happened_on <= DEMO_TODAY
    assert CarePause.select().where(CarePause.resume_on > DEMO_TODAY).count() >= 1
    assert CareAssignment.select().where(CareAssignment.volunteer != "").count() >= 1
    campaign = CareCampaign.get()
    assert campaign.starts_at < NOW and campaign.due_on == DEMO_TODAY + timedelta(days=1)
    assert CareCampaignMember.select().count() > 50


def test_events_met_and_open(people: list[Person], demo_db: Any) -> None:
    met = open_ = 0
    for person in people:
        for due in dues(person.history, DAYS, NOW).all:
            if due.kind == DueKind.EVENT:
                if due.met_at is not None:
                    assert due.on_time
                    met += 1
                else:
                    assert due.due_by > NOW  # within its 24 hours
                    open_ += 1
    assert met >= 2 and open_ >= 1


@pytest.mark.parametrize("days_later", [1, 3])
def test_same_seed_same_history_other_weekdays(tmp_path: Path, days_later: int) -> None:
    """The demo made on other days of the week: again nobody's round is empty."""
    today = DEMO_TODAY + timedelta(days=days_later)
    now = datetime.combine(today, datetime.min.time()).replace(hour=8)
    db: SqliteDatabase = open_database(tmp_path / "d.db", create=True, now=lambda: now)
    try:
        generate(DemoOptions(seed=DEMO_SEED, residents=3000, today=today))
        due = routine_due_by(histories(), now)
        assert managers() == {m for m, found in due.items() if found}
    finally:
        db.close()
