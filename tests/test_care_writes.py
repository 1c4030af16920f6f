"""Care visits' write services without Textual: recording a visit or attempt, a request from a
visit's concern, levels, pauses, events, assignments, campaigns. Every rule refused with its
message, the permissions and scope, one audit entry a write and nothing half-written when
refused."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import SqliteDatabase, fn

from frontdesk.audit import record_labels
from frontdesk.care.campaigns import campaigns, start_campaign
from frontdesk.care.manage import (
    assign_visitor,
    end_assignment,
    end_pause,
    open_assignment,
    record_event,
    set_level,
    start_pause,
)
from frontdesk.care.settings import set_tag_level
from frontdesk.care.visits import VisitInput, record_visit, visit_request
from frontdesk.db.care import (
    CareAssignment,
    CareCampaign,
    CareCampaignMember,
    CareEvent,
    CareLevelChange,
    CarePause,
    Visit,
    VisitPerson,
)
from frontdesk.db.models import (
    AuditEntry,
    Flat,
    Household,
    Request,
    Resident,
    ResidentTag,
    Staff,
    Tag,
)
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied, grids_of
from frontdesk.residents.validation import ValidationFailed
from frontdesk.textrules import TextRefused
from frontdesk.vocabulary import (
    AreaState,
    CareArea,
    CareEventKind,
    CareLevel,
    CarePauseKind,
    Role,
    VisitMode,
    VisitOutcome,
)
from tests.conftest import DEMO_NOW, DEMO_TODAY, GRID_MANAGER, RECEPTION, SUPERVISOR

NOW = DEMO_NOW
TODAY = DEMO_TODAY
TABLES = (
    Visit,
    VisitPerson,
    Request,
    CareLevelChange,
    CarePause,
    CareEvent,
    CareAssignment,
    CareCampaign,
    CareCampaignMember,
    AuditEntry,
)


def _id(username: str) -> int:
    return int(Staff.get(Staff.username == username).id)


def _counts() -> dict[str, int]:
    return {model.__name__: model.select().count() for model in TABLES}


def _living_on(person: Any, day: date) -> bool:
    return (
        person.moved_in_on <= day
        and (person.moved_out_on is None or person.moved_out_on > day)
        and (person.died_on is None or person.died_on > day)
    )


def _household(inside: bool, gm: int, members: int = 2) -> Any:
    """A household of ``members`` or more living members, all there for 60 days or more, in
    (or outside) the grid manager's grids."""
    grids = grids_of(gm)
    where = Flat.grid_l4.in_(list(grids)) if inside else Flat.grid_l4.not_in(list(grids))
    for household in (
        Household.select()
        .join(Flat, on=(Household.flat == Flat.id))
        .where(where & (Household.status == "active"))
        .order_by(Household.id)
    ):
        people = _members(household.id)
        if len(people) >= members and all(
            _living_on(p, TODAY - timedelta(days=60)) for p in people
        ):
            return household
    raise AssertionError("no such household in the demo")


def _members(household_id: int) -> list[Any]:
    return list(
        Resident.select()
        .where((Resident.household == household_id) & (Resident.status == "living"))
        .order_by(Resident.id)
    )


def _visit(household: Any, **changes: Any) -> VisitInput:
    people = _members(household.id)
    data = VisitInput(
        household_id=household.id,
        mode=VisitMode.IN_PERSON,
        outcome=VisitOutcome.SEEN,
        visited_at=NOW - timedelta(hours=1),
        seen=(people[0].id,),
        areas={CareArea.HEALTH: (AreaState.CONCERN, "腿脚不便，需要助行器")},
        note="老人说暖气不太热。",
    )
    return replace(data, **changes)


def _refused(call: Any, *, field: str | None = None, key: str | None = None) -> UserError:
    """``call()`` refused (with ``key``, beside ``field``) and nothing written."""
    before = _counts()
    with pytest.raises(UserError) as caught:
        call()
    assert _counts() == before
    error = caught.value
    if field is not None:
        if isinstance(error, ValidationFailed):
            assert list(error.validation.errors) == [field]
            if key is not None:
                assert error.validation.errors[field].key == key
        else:
            assert isinstance(error, TextRefused) and error.field == field
    elif key is not None:
        assert error.key == key
    return error


@pytest.fixture
def gm(demo_copy: SqliteDatabase) -> int:
    _BEFORE["audit"] = AuditEntry.select(fn.MAX(AuditEntry.id)).scalar() or 0
    return _id(GRID_MANAGER)


@pytest.fixture
def boss(demo_copy: SqliteDatabase) -> int:
    return _id(SUPERVISOR)


@pytest.fixture
def mine(gm: int) -> Any:
    return _household(True, gm)


@pytest.fixture
def theirs(gm: int) -> Any:
    return _household(False, gm)


_BEFORE = {"audit": 0}  # the last audit entry the demo wrote (set by the ``gm`` fixture)


def _audits(action: str) -> list[Any]:
    """The test's own entries of ``action``."""
    query = AuditEntry.select().where(
        (AuditEntry.action == action) & (AuditEntry.id > _BEFORE["audit"])
    )
    return list(query.order_by(AuditEntry.id))


# ------------------------------------------------------------------------------------ visits


def test_a_visit_is_stored_with_whom_it_saw_and_audited_without_names(gm: int, mine: Any) -> None:
    people = _members(mine.id)
    data = _visit(mine, seen=(people[1].id, people[0].id, people[1].id), purpose="例行走访")
    visit_id = record_visit(data, actor_id=gm, now=NOW)
    row = Visit.get_by_id(visit_id)
    assert (row.household_id, row.staff_id, row.created_by_id, row.volunteer) == (
        mine.id,
        gm,
        gm,
        "",
    )
    assert (row.mode, row.outcome, row.visited_at) == ("in_person", "seen", data.visited_at)
    assert (row.health, row.health_note) == ("concern", "腿脚不便，需要助行器")
    assert [(row.money, row.family, row.safety, row.needs)] == [("ok",) * 4]
    assert row.note == "老人说暖气不太热。" and row.purpose == "例行走访"
    seen = [p.resident_id for p in VisitPerson.select().where(VisitPerson.visit == visit_id)]
    assert sorted(seen) == sorted({people[0].id, people[1].id})
    (entry,) = _audits("care.visit")
    assert (entry.entity, entry.entity_id, entry.actor_id) == ("visit", visit_id, gm)
    detail = json.loads(entry.detail)
    assert detail["seen"] == 2 and detail["concerns"] == ["health"]
    assert detail["mode"] == "in_person" and detail["outcome"] == "seen"
    text = entry.detail + entry.reason
    for secret in ("腿脚", "暖气", "例行", *(p.name for p in people)):
        assert secret not in text
    assert entry.community_id == Staff.get_by_id(gm).community_id


def test_an_attempt_stores_no_areas_and_refuses_a_concern(gm: int, mine: Any) -> None:
    attempt = _visit(mine, outcome=VisitOutcome.NOT_HOME, areas={}, note="敲门无人应答")
    visit_id = record_visit(attempt, actor_id=gm, now=NOW)
    row = Visit.get_by_id(visit_id)
    assert row.outcome == "not_home"
    assert [getattr(row, a.value) for a in CareArea] == [None] * 5
    assert [e.entity_id for e in _audits("care.attempt")] == [visit_id]
    assert _audits("care.visit") == []
    concern = replace(attempt, areas={CareArea.SAFETY: (AreaState.CONCERN, "")})
    _refused(lambda: record_visit(concern, actor_id=gm, now=NOW), field="safety")


def test_who_may_record_a_visit(demo_copy: SqliteDatabase, gm: int, mine: Any) -> None:
    theirs = _household(False, gm)
    for who in (_id(RECEPTION), _id("jd-lhc-1"), _id("admin")):
        _refused(lambda who=who: record_visit(_visit(mine), actor_id=who, now=NOW))
    error = _refused(lambda: record_visit(_visit(theirs), actor_id=gm, now=NOW))
    assert isinstance(error, PermissionDenied)
    assert error.params["scope"] == "perm.scope.own_grids_or_assigned"
    # the leadership: any household of the community; a grid manager once assigned to it
    boss = _id(SUPERVISOR)
    record_visit(_visit(theirs), actor_id=boss, now=NOW)
    assign_visitor(theirs.id, staff_id=gm, actor_id=boss, now=NOW)
    visit_id = record_visit(_visit(theirs), actor_id=gm, now=NOW)
    assert Visit.get_by_id(visit_id).staff_id == gm
    end_assignment(theirs.id, actor_id=boss, now=NOW)
    _refused(lambda: record_visit(_visit(theirs), actor_id=gm, now=NOW))


def test_another_community_s_household_is_refused(district: SqliteDatabase) -> None:
    bosses = list(Staff.select().where(Staff.role == Role.SUPERVISOR).order_by(Staff.id))
    here = bosses[0]
    there = next(b for b in bosses if b.community_id != here.community_id)
    gm_there = (
        Staff.select()
        .where((Staff.role == Role.GRID_MANAGER) & (Staff.community == there.community_id))
        .first()
    )
    household = _household(True, gm_there.id)
    error = _refused(lambda: record_visit(_visit(household), actor_id=here.id, now=NOW))
    assert isinstance(error, PermissionDenied)
    assert error.params["scope"] == "perm.scope.other_community"
    # nor made by a staff member of another community
    outsider = _visit(household, visitor_id=here.id)
    _refused(lambda: record_visit(outsider, actor_id=there.id, now=NOW), field="visitor_id")
    assert record_visit(_visit(household), actor_id=there.id, now=NOW) > 0


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minutes=st.integers(min_value=-45 * 24 * 60, max_value=2 * 24 * 60))
def test_when_a_visit_may_be_recorded(demo_copy: SqliteDatabase, minutes: int) -> None:
    gm = _id(GRID_MANAGER)
    household = _household(True, gm)
    at = NOW + timedelta(minutes=minutes)
    data = _visit(household, visited_at=at)
    if minutes > 1:
        _refused(lambda: record_visit(data, actor_id=gm, now=NOW), field="visited_at")
    elif minutes < -30 * 24 * 60:
        error = _refused(lambda: record_visit(data, actor_id=gm, now=NOW), field="visited_at")
        assert isinstance(error, ValidationFailed)
        assert error.validation.errors["visited_at"].key == "care.error.visit_too_old"
    else:
        assert record_visit(data, actor_id=gm, now=NOW) > 0


def test_not_before_the_household_moved_in(demo_copy: SqliteDatabase, gm: int, mine: Any) -> None:
    moved_in = TODAY - timedelta(days=5)
    Household.update(moved_in_on=moved_in).where(Household.id == mine.id).execute()
    early = _visit(mine, visited_at=NOW - timedelta(days=6))
    _refused(
        lambda: record_visit(early, actor_id=gm, now=NOW),
        field="visited_at",
        key="care.error.visit_before_move_in",
    )
    assert record_visit(_visit(mine, visited_at=NOW - timedelta(days=5)), actor_id=gm, now=NOW)


def test_whom_it_saw(gm: int, mine: Any, theirs: Any) -> None:
    people = _members(mine.id)
    cases = [
        ((), "care.error.seen_required"),
        ((_members(theirs.id)[0].id,), "care.error.seen_not_member"),
        ((999_999,), "care.error.seen_not_member"),
    ]
    for seen, key in cases:
        data = _visit(mine, seen=seen)
        _refused(lambda data=data: record_visit(data, actor_id=gm, now=NOW), field="seen", key=key)
    # one who moved out ten days ago was not seen five days ago, but was fifteen days ago
    gone = people[1]
    Resident.update(status="moved_out", moved_out_on=TODAY - timedelta(days=10)).where(
        Resident.id == gone.id
    ).execute()
    late = _visit(mine, seen=(gone.id,), visited_at=NOW - timedelta(days=5))
    _refused(
        lambda: record_visit(late, actor_id=gm, now=NOW),
        field="seen",
        key="care.error.seen_not_living",
    )
    early = replace(late, visited_at=NOW - timedelta(days=15))
    assert record_visit(early, actor_id=gm, now=NOW) > 0


def test_a_volunteer_s_visit_names_them(gm: int, mine: Any) -> None:
    for mode in (VisitMode.VOLUNTEER, VisitMode.FAMILY, VisitMode.THIRD_PARTY):
        data = _visit(mine, mode=mode)
        _refused(
            lambda data=data: record_visit(data, actor_id=gm, now=NOW),
            field="volunteer",
            key="care.error.volunteer_required",
        )
    data = _visit(mine, mode=VisitMode.VOLUNTEER, volunteer="党员 王建国")
    row = Visit.get_by_id(record_visit(data, actor_id=gm, now=NOW))
    assert (row.staff_id, row.volunteer, row.created_by_id) == (None, "党员 王建国", gm)
    assert json.loads(_audits("care.visit")[-1].detail)["by_volunteer"] is True
    # a phone call made by another staff member of the community, recorded by the grid manager
    other = _id("gm-lj-02")
    call = _visit(mine, mode=VisitMode.PHONE, visitor_id=other)
    assert Visit.get_by_id(record_visit(call, actor_id=gm, now=NOW)).staff_id == other
    Staff.update(active=False).where(Staff.id == other).execute()
    _refused(lambda: record_visit(call, actor_id=gm, now=NOW), field="visitor_id")


def test_texts_are_refused_beside_their_field(gm: int, mine: Any) -> None:
    long_note = _visit(mine, note="很" * 2001)
    _refused(lambda: record_visit(long_note, actor_id=gm, now=NOW), field="note")
    two_lines = _visit(mine, areas={CareArea.MONEY: (AreaState.CONCERN, "低保\n到期")})
    _refused(lambda: record_visit(two_lines, actor_id=gm, now=NOW), field="money_note")
    hidden = _visit(mine, purpose="例行\u200b走访")
    _refused(lambda: record_visit(hidden, actor_id=gm, now=NOW), field="purpose")
    bad_mode = _visit(mine, mode="teleport")
    _refused(lambda: record_visit(bad_mode, actor_id=gm, now=NOW), field="mode")


# --------------------------------------------------------------------- a request from a visit


def test_a_visit_opens_one_request_linked_both_ways(gm: int, mine: Any) -> None:
    people = _members(mine.id)
    visit_id = record_visit(_visit(mine, seen=(people[1].id, people[0].id)), actor_id=gm, now=NOW)
    first_seen = (
        VisitPerson.select().where(VisitPerson.visit == visit_id).order_by(VisitPerson.id).first()
    )
    request_id = visit_request(
        visit_id, category="hardship", summary="需要助行器", actor_id=gm, now=NOW
    )
    request = Request.get_by_id(request_id)
    assert request.flat_id == mine.flat_id
    assert request.reporter_id == first_seen.resident_id == people[1].id
    assert request.reporter_kind == "resident"
    assert request.created_by_id == gm
    assert request.description == "需要助行器"
    assert Visit.get_by_id(visit_id).request_id == request_id
    assert [v.id for v in request.visits] == [visit_id]
    assert [e.entity_id for e in _audits("request.created")] == [request_id]
    error = _refused(
        lambda: visit_request(visit_id, category="hardship", summary="再来", actor_id=gm, now=NOW)
    )
    assert error.key == "care.error.request_exists"
    assert error.params["number"] == request.number


def test_a_request_from_a_visit_is_refused_whole(gm: int, mine: Any, theirs: Any) -> None:
    visit_id = record_visit(_visit(mine), actor_id=gm, now=NOW)
    _refused(
        lambda: visit_request(visit_id, category="no_such", summary="x", actor_id=gm, now=NOW),
        key="request.no_category",
    )
    _refused(
        lambda: visit_request(visit_id, category="hardship", summary=" ", actor_id=gm, now=NOW),
        field="summary",
    )
    attempt = record_visit(
        _visit(mine, outcome=VisitOutcome.NOT_HOME, areas={}), actor_id=gm, now=NOW
    )
    _refused(
        lambda: visit_request(attempt, category="hardship", summary="x", actor_id=gm, now=NOW),
        key="care.error.request_from_attempt",
    )
    elsewhere = record_visit(_visit(theirs), actor_id=_id(SUPERVISOR), now=NOW)
    _refused(
        lambda: visit_request(elsewhere, category="hardship", summary="x", actor_id=gm, now=NOW)
    )
    assert Visit.get_by_id(visit_id).request_id is None


# ------------------------------------------------------------------------------------ levels


def test_a_level_is_set_with_a_reason_and_given_back(gm: int, mine: Any) -> None:
    person = _members(mine.id)[0].id
    _refused(
        lambda: set_level(person, CareLevel.HIGH, reason=" ", actor_id=gm, now=NOW),
        field="reason",
    )
    _refused(
        lambda: set_level(person, None, reason="恢复", actor_id=gm, now=NOW),
        key="care.error.level_not_set",
    )
    set_level(person, CareLevel.HIGH, reason="独自在家，近期摔倒", actor_id=gm, now=NOW)
    _refused(
        lambda: set_level(person, CareLevel.HIGH, reason="再设", actor_id=gm, now=NOW),
        key="care.error.level_same",
    )
    set_level(person, None, reason="子女已回家照顾", actor_id=gm, now=NOW + timedelta(days=1))
    rows = list(CareLevelChange.select().order_by(CareLevelChange.id))
    assert [(r.resident_id, r.level, r.created_by_id) for r in rows] == [
        (person, "high", gm),
        (person, None, gm),
    ]
    first, second = _audits("care.level_set")
    assert json.loads(first.detail) == {"from": "tags", "to": "high"}
    assert first.reason == "独自在家，近期摔倒" and first.entity_id == person
    assert json.loads(second.detail) == {"from": "high", "to": "tags"}


def test_who_may_set_a_level(gm: int, mine: Any, theirs: Any) -> None:
    person = _members(mine.id)[0].id
    for who in (_id(RECEPTION), _id("jd-lhc-1")):
        _refused(
            lambda who=who: set_level(person, CareLevel.KEY, reason="r", actor_id=who, now=NOW)
        )
    outside = _members(theirs.id)[0].id
    error = _refused(lambda: set_level(outside, CareLevel.KEY, reason="r", actor_id=gm, now=NOW))
    assert isinstance(error, PermissionDenied)
    set_level(outside, CareLevel.KEY, reason="r", actor_id=_id(SUPERVISOR), now=NOW)
    Resident.update(status="deceased", died_on=TODAY).where(Resident.id == person).execute()
    _refused(
        lambda: set_level(person, CareLevel.KEY, reason="r", actor_id=gm, now=NOW),
        key="resident.not_living",
    )


# ------------------------------------------------------------------------------------ pauses


def _pause(person: int, gm: int, starts: int, resumes: int) -> int:
    return start_pause(
        person,
        CarePauseKind.HOSPITAL,
        starts_on=TODAY + timedelta(days=starts),
        resume_on=TODAY + timedelta(days=resumes),
        reason="住院",
        actor_id=gm,
        now=NOW,
    )


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    starts=st.integers(min_value=-40, max_value=40),
    length=st.integers(min_value=-3, max_value=400),
)
def test_pause_dates(demo_copy: SqliteDatabase, starts: int, length: int) -> None:
    gm = _id(GRID_MANAGER)
    person = _members(_household(True, gm).id)[0].id
    CarePause.delete().execute()  # one open pause at a time: each example on its own
    resumes = starts + length
    fine = -30 <= starts <= 30 and length > 0 and 0 < resumes <= 366
    if fine:
        pause_id = _pause(person, gm, starts, resumes)
        assert CarePause.get_by_id(pause_id).resume_on == TODAY + timedelta(days=resumes)
    else:
        error = _refused(lambda: _pause(person, gm, starts, resumes))
        assert isinstance(error, ValidationFailed)
        assert set(error.validation.errors) <= {"starts_on", "resume_on"}


def test_one_pause_at_a_time_and_its_end(gm: int, mine: Any) -> None:
    person = _members(mine.id)[0].id
    pause_id = _pause(person, gm, -3, 20)
    _refused(lambda: _pause(person, gm, 25, 40), key="care.error.pause_open")
    (entry,) = _audits("care.pause")
    assert json.loads(entry.detail)["kind"] == "hospital" and entry.entity_id == person
    for on, key in (
        (TODAY - timedelta(days=4), "care.error.pause_end_outside"),
        (TODAY + timedelta(days=1), "validation.date_in_future"),
    ):
        _refused(
            lambda on=on: end_pause(pause_id, on=on, actor_id=gm, now=NOW), field="on", key=key
        )
    _refused(lambda: end_pause(pause_id, on=TODAY, actor_id=_id(RECEPTION), now=NOW))
    end_pause(pause_id, on=TODAY - timedelta(days=1), actor_id=gm, now=NOW)
    row = CarePause.get_by_id(pause_id)
    assert (row.ended_on, row.ended_at, row.ended_by_id) == (TODAY - timedelta(days=1), NOW, gm)
    assert row.resume_on == TODAY + timedelta(days=20)  # the planned date kept beside it
    assert len(_audits("care.pause_end")) == 1
    _refused(
        lambda: end_pause(pause_id, on=TODAY, actor_id=gm, now=NOW), key="care.error.pause_ended"
    )
    assert _pause(person, gm, 0, 10) != pause_id  # the next one may start


# ------------------------------------------------------------------------------------ events


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.integers(min_value=-40, max_value=5))
def test_an_event_is_due_within_24_hours(demo_copy: SqliteDatabase, days: int) -> None:
    gm = _id(GRID_MANAGER)
    person = _members(_household(True, gm).id)[0].id
    happened = TODAY + timedelta(days=days)

    def call() -> int:
        return record_event(
            person, CareEventKind.FELL, happened_on=happened, note="在家跌倒", actor_id=gm, now=NOW
        )

    if -30 <= days <= 0:
        event = CareEvent.get_by_id(call())
        assert event.due_at == NOW + timedelta(hours=24)
        assert (event.kind, event.happened_on, event.note) == ("fell", happened, "在家跌倒")
        entry = _audits("care.event")[-1]
        assert "跌倒" not in entry.detail
    else:
        _refused(call, field="happened_on")


# ------------------------------------------------------------------------------- assignments


def test_an_assignment_replaces_the_open_one(gm: int, boss: int, mine: Any) -> None:
    first = assign_visitor(mine.id, staff_id=None, volunteer="志愿者 李芳", actor_id=gm, now=NOW)
    later = NOW + timedelta(hours=1)
    second = assign_visitor(mine.id, staff_id=_id("gm-lj-02"), actor_id=boss, now=later)
    rows = {r.id: r for r in CareAssignment.select()}
    assert rows[first].ended_at == later and rows[first].ended_by_id == boss
    assert rows[second].ended_at is None and rows[second].staff_id == _id("gm-lj-02")
    _refused(
        lambda: assign_visitor(mine.id, staff_id=_id("gm-lj-02"), actor_id=gm, now=later),
        key="care.error.assign_same",
    )
    details = [json.loads(e.detail) for e in _audits("care.assign")]
    assert details[1]["replaced"] == first and details[0]["volunteer"] is True
    assert all("李芳" not in e.detail for e in _audits("care.assign"))
    end_assignment(mine.id, actor_id=gm, now=later)
    assert open_assignment(mine.id) is None
    assert len(_audits("care.unassign")) == 1
    _refused(
        lambda: end_assignment(mine.id, actor_id=gm, now=later), key="care.error.no_assignment"
    )


def test_assignment_rules(gm: int, boss: int, mine: Any, theirs: Any) -> None:
    for staff_id, volunteer in ((None, ""), (_id("gm-lj-02"), "李芳")):
        _refused(
            lambda s=staff_id, v=volunteer: assign_visitor(
                mine.id, staff_id=s, volunteer=v, actor_id=gm, now=NOW
            ),
            field="staff_id",
            key="care.error.assign_one",
        )
    _refused(lambda: assign_visitor(theirs.id, staff_id=gm, actor_id=gm, now=NOW))
    _refused(lambda: assign_visitor(mine.id, staff_id=gm, actor_id=_id(RECEPTION), now=NOW))
    Staff.update(active=False).where(Staff.username == "gm-lj-03").execute()
    _refused(
        lambda: assign_visitor(mine.id, staff_id=_id("gm-lj-03"), actor_id=boss, now=NOW),
        field="staff_id",
        key="care.error.visitor_not_staff",
    )
    _refused(
        lambda: assign_visitor(mine.id, staff_id=_id("jd-lhc-1"), actor_id=boss, now=NOW),
        field="staff_id",
    )


# --------------------------------------------------------------------------------- campaigns


def _expected(community: int, codes: set[str], today: date, grid: int | None = None) -> set[int]:
    """The campaign's group worked out the long way, person by person."""
    tag_ids = {t.id for t in Tag.select().where(Tag.code.in_(list(codes)))}
    carried = {
        rt.resident_id
        for rt in ResidentTag.select().where(
            ResidentTag.tag.in_(list(tag_ids)) & ResidentTag.ended_at.is_null(True)
        )
    }
    paused = {
        p.resident_id
        for p in CarePause.select()
        if p.starts_on <= today < (p.ended_on or p.resume_on)
    }
    found = set()
    for person in Resident.select().where(Resident.id.in_(list(carried))):
        flat = Household.get_by_id(person.household_id).flat
        if person.status != "living" or person.id in paused:
            continue
        if grid is not None and flat.grid_l4_id != grid:
            continue
        if flat.unit.building.compound.community_id == community:
            found.add(person.id)
    return found


def test_a_campaign_chooses_the_living_tagged_not_paused(gm: int, boss: int) -> None:
    community = Staff.get_by_id(boss).community_id
    alone = {"elderly_alone", "elderly_alone_no_kin"}
    group = _expected(community, alone, TODAY)
    assert len(group) > 5
    paused = sorted(group)[0]
    start_pause(
        paused,
        CarePauseKind.CARE_HOME,
        starts_on=TODAY - timedelta(days=2),
        resume_on=TODAY + timedelta(days=30),
        actor_id=boss,
        now=NOW,
    )
    started = start_campaign(
        "寒潮来袭", tuple(sorted(alone)), due_on=TODAY + timedelta(days=2), actor_id=boss, now=NOW
    )
    members = {
        m.resident_id
        for m in CareCampaignMember.select().where(CareCampaignMember.campaign == started.id)
    }
    assert members == group - {paused} == _expected(community, alone, TODAY)
    assert started.members == len(members)
    campaign = CareCampaign.get_by_id(started.id)
    assert (campaign.community_id, campaign.starts_at, campaign.created_by_id) == (
        community,
        NOW,
        boss,
    )
    (entry,) = [e for e in _audits("care.campaign") if e.entity_id == started.id]
    assert entry.entity == "care_campaign" and json.loads(entry.detail)["members"] == len(members)
    grid, in_grid = next(
        (grid, found)
        for grid in sorted(grids_of(gm))
        if (found := _expected(community, {"elderly_80"}, TODAY, grid))
    )
    one = start_campaign(
        "春节前走访", ("elderly_80",), due_on=TODAY, grid_l4_id=grid, actor_id=boss, now=NOW
    )
    assert one.members == len(in_grid)
    assert CareCampaign.get_by_id(one.id).grid_l4_id == grid
    rows = campaigns(actor_id=boss)
    assert rows.index(next(r for r in rows if r.id == one.id)) == 0  # the latest first
    (row,) = [r for r in rows if r.id == started.id]
    assert (row.title, row.members, row.tags) == ("寒潮来袭", len(members), tuple(sorted(alone)))


def test_campaign_rules(gm: int, boss: int) -> None:
    def start(**changes: Any) -> Any:
        args: dict[str, Any] = {"title": "寒潮来袭", "tags": ("elderly_alone",)}
        args |= {"due_on": TODAY + timedelta(days=2), "actor_id": boss, "now": NOW} | changes
        return lambda: start_campaign(args.pop("title"), args.pop("tags"), **args)

    _refused(start(title=" "), field="title")
    _refused(start(title="寒潮\n来袭"), field="title")
    _refused(start(tags=()), field="tags")
    _refused(start(due_on=TODAY - timedelta(days=1)), field="due_on")
    _refused(start(due_on=TODAY + timedelta(days=61)), field="due_on")
    _refused(start(tags=("no_such",)), key="resident.tag_unknown")
    _refused(start(actor_id=gm))
    _refused(start(actor_id=_id(RECEPTION)))
    _refused(start(tags=("veteran",), grid_l4_id=999_999), key="care.error.no_grid")
    _refused(start(tags=("party_member",)), field="tags")  # not a care tag
    nobody = Tag.create(code="test_nobody", sensitive=True, sort=99)
    set_tag_level(nobody.code, CareLevel.KEY, actor_id=_id(SUPERVISOR), now=NOW)
    _refused(start(tags=(nobody.code,)), key="care.error.campaign_empty")
    assert start(due_on=TODAY + timedelta(days=60))().members > 0
    with pytest.raises(PermissionDenied):
        campaigns(actor_id=gm)


def test_the_audit_log_names_visits_and_campaigns(gm: int, boss: int, mine: Any) -> None:
    visit_id = record_visit(_visit(mine), actor_id=gm, now=NOW)
    started = start_campaign(
        "寒潮来袭", ("elderly_alone",), due_on=TODAY + timedelta(days=2), actor_id=boss, now=NOW
    )
    labels = record_labels([("visit", visit_id), ("care_campaign", started.id)])
    household = record_labels([("household", mine.id)])[("household", mine.id)]
    assert labels[("visit", visit_id)] == f"{NOW - timedelta(hours=1):%m-%d} {household}"
    assert labels[("care_campaign", started.id)] == "寒潮来袭"
