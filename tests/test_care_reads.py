"""Care visits' read services without Textual, on the demo: today's round, the month's figures,
one resident's care, and who sees what of them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.care.cadence import DueKind, dues
from frontdesk.care.figures import month_figures
from frontdesk.care.history import Scope, load
from frontdesk.care.manage import assign_visitor
from frontdesk.care.privacy import Sight, mask_name
from frontdesk.care.round import Round, round_count, todays_round
from frontdesk.care.settings import care_days, tag_levels
from frontdesk.care.status import care_of_resident
from frontdesk.care.visits import VisitInput, record_visit
from frontdesk.db.models import GridL3, GridL4, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied, operator_named
from frontdesk.vocabulary import Role, VisitMode, VisitOutcome
from tests.conftest import (
    DEMO_NOW,
    GRID_MANAGER,
    RECEPTION,
    SUBDISTRICT,
    SUPERVISOR,
)


def staff_id(username: str) -> int:
    return operator_named(username).id


def gm_round(now: datetime = DEMO_NOW) -> Round:
    return todays_round(actor_id=staff_id(GRID_MANAGER), now=now)


def visit(household_id: int, seen: tuple[int, ...], outcome: VisitOutcome, at: datetime) -> int:
    return record_visit(
        VisitInput(household_id, VisitMode.IN_PERSON, outcome, at, seen),
        actor_id=staff_id(GRID_MANAGER),
        now=at,
    )


def test_the_round_holds_due_and_overdue_people_in_walking_order(demo_db: SqliteDatabase) -> None:
    found = gm_round()
    assert found.stops, "the demo gives every grid manager someone to see"
    assert found.overdue >= 1
    operator = operator_named(GRID_MANAGER)
    routes = [stop.address for stop in found.stops]
    assert len(set(routes)) == len(routes)  # one stop a household
    for stop in found.stops:
        for person in stop.people:
            if person.kind == DueKind.ROUTINE:
                assert person.due_on <= DEMO_NOW.date()
            assert (person.overdue_days > 0) == (person.due_on < DEMO_NOW.date())
    # every person on it lives in the grid manager's grids and is due by the cadence itself
    people = {
        c.person.resident_id: c
        for c in load(
            Scope(grids=operator.grid_ids), tag_levels(operator.community_id or 0), DEMO_NOW
        )
    }
    days = care_days(operator.community_id)
    for stop in found.stops:
        for person in stop.people:
            state = dues(people[person.resident_id].history, days, DEMO_NOW)
            assert any(d.due_on == person.due_on for d in state.open)
            assert any(d.kind == person.kind for d in state.open)
    assert round_count(actor_id=operator.id, now=DEMO_NOW) == found.people


def _route_key(address: str) -> tuple[str, ...]:
    compound, rest = address.rsplit(" ", 1)
    return (compound, *(f"{int(part):06d}" for part in rest.split("-")))


def test_stops_follow_compound_building_unit_flat(demo_db: SqliteDatabase) -> None:
    found = gm_round()
    keys = [_route_key(stop.address) for stop in found.stops]
    assert keys == sorted(keys)


def test_a_visit_takes_the_people_it_saw_off_the_round_and_an_attempt_does_not(
    demo_copy: SqliteDatabase,
) -> None:
    found = gm_round()
    routine = [s for s in found.stops if any(p.kind == DueKind.ROUTINE for p in s.people)]
    stop_a, stop_b = routine[0], routine[1]
    later = DEMO_NOW + timedelta(minutes=5)
    visit(
        stop_a.household_id, tuple(p.resident_id for p in stop_a.people), VisitOutcome.SEEN, later
    )
    visit(
        stop_b.household_id,
        tuple(p.resident_id for p in stop_b.people),
        VisitOutcome.NOT_HOME,
        later,
    )
    after = gm_round(later + timedelta(minutes=1))
    households = {stop.household_id: stop for stop in after.stops}
    assert stop_a.household_id not in households
    assert households[stop_b.household_id].last_attempt == later


def test_a_visit_that_saw_one_member_leaves_the_other_due(demo_copy: SqliteDatabase) -> None:
    found = gm_round()
    pair = next(s for s in found.stops if len(s.people) >= 2)
    first, second = pair.people[0], pair.people[1]
    later = DEMO_NOW + timedelta(minutes=5)
    visit(pair.household_id, (first.resident_id,), VisitOutcome.SEEN, later)
    after = {s.household_id: s for s in gm_round(later + timedelta(minutes=1)).stops}
    left = [p.resident_id for p in after[pair.household_id].people]
    assert second.resident_id in left and first.resident_id not in left


def test_an_away_grid_managers_grids_go_to_the_level3_leader(demo_copy: SqliteDatabase) -> None:
    operator = operator_named(GRID_MANAGER)
    grid: Any = GridL4.select().where(GridL4.manager == operator.id).first()
    l3: Any = GridL3.get_by_id(grid.grid_l3_id)
    assert l3.leader_id is not None and l3.leader_id != operator.id
    leader_before = todays_round(actor_id=staff_id(SUPERVISOR), now=DEMO_NOW, staff_id=l3.leader_id)
    Staff.update(away=True).where(Staff.id == operator.id).execute()
    leader_after = todays_round(actor_id=staff_id(SUPERVISOR), now=DEMO_NOW, staff_id=l3.leader_id)
    mine = {s.household_id for s in gm_round().stops}
    assert mine <= {s.household_id for s in leader_after.stops}
    assert not mine & {s.household_id for s in leader_before.stops}


def test_an_assigned_household_goes_to_the_assignees_round(demo_copy: SqliteDatabase) -> None:
    found = gm_round()
    stop = found.stops[0]
    operator = operator_named(GRID_MANAGER)
    other: Any = (
        Staff.select()
        .where(
            (Staff.role == Role.GRID_MANAGER)
            & (Staff.community == operator.community_id)
            & (Staff.id != operator.id)
        )
        .first()
    )
    lead = staff_id(SUPERVISOR)
    assign_visitor(stop.household_id, staff_id=other.id, volunteer="", actor_id=lead, now=DEMO_NOW)
    assert stop.household_id not in {s.household_id for s in gm_round().stops}
    theirs = todays_round(actor_id=lead, now=DEMO_NOW, staff_id=other.id)
    assert stop.household_id in {s.household_id for s in theirs.stops}
    # a volunteer's household stays on the grid manager's round, marked
    second = found.stops[1]
    assign_visitor(
        second.household_id, staff_id=None, volunteer="王志愿", actor_id=lead, now=DEMO_NOW
    )
    marked = {s.household_id: s for s in gm_round().stops}
    assert marked[second.household_id].volunteer == "王志愿"


def test_rounds_are_their_own_but_the_leaderships_to_see(demo_db: SqliteDatabase) -> None:
    with pytest.raises(PermissionDenied):
        todays_round(actor_id=staff_id(RECEPTION), now=DEMO_NOW)
    other_gm: Any = (
        Staff.select()
        .where((Staff.role == Role.GRID_MANAGER) & (Staff.username != GRID_MANAGER))
        .first()
    )
    with pytest.raises(UserError):
        todays_round(actor_id=staff_id(GRID_MANAGER), now=DEMO_NOW, staff_id=other_gm.id)
    assert round_count(actor_id=staff_id(RECEPTION), now=DEMO_NOW) is None


def test_month_figures_add_up_from_each_persons_dues(demo_db: SqliteDatabase) -> None:
    lead = operator_named(SUPERVISOR)
    figures = month_figures(date(2026, 11, 1), actor_id=lead.id, now=DEMO_NOW)
    assert figures.until == DEMO_NOW.date()
    assert sum(g.rates.dues for g in figures.grids) == figures.total.dues
    assert figures.trend[-1] == (date(2026, 11, 1), figures.total)
    assert [m for m, _ in figures.trend] == [date(2026, m, 1) for m in range(6, 12)]
    # the definitions, recomputed from the cadence directly
    community = lead.community_id or 0
    days = care_days(community)
    falling = on_time = 0
    for cared in load(Scope(communities=frozenset({community})), tag_levels(community), DEMO_NOW):
        for due in dues(cared.history, days, DEMO_NOW).all:
            decided = due.met_at is not None or due.overdue(DEMO_NOW)
            if date(2026, 11, 1) <= due.due_on <= DEMO_NOW.date() and decided:
                falling += 1
                on_time += due.on_time
    assert (figures.total.dues, figures.total.on_time) == (falling, on_time)
    assert 0 < figures.total.on_time_rate < 1  # type: ignore[operator]
    assert 0 < figures.total.visit_rate < 1  # type: ignore[operator]
    assert figures.overdue and not figures.masked
    assert all(p.days_overdue > 0 or p.due_on == DEMO_NOW.date() for p in figures.overdue)


def test_a_visit_counts_at_once_in_the_figures(demo_copy: SqliteDatabase) -> None:
    lead = staff_id(SUPERVISOR)
    before = month_figures(date(2026, 11, 1), actor_id=lead, now=DEMO_NOW)
    stop = next(s for s in gm_round().stops if all(p.overdue_days > 0 for p in s.people))
    later = DEMO_NOW + timedelta(minutes=5)
    visit(stop.household_id, tuple(p.resident_id for p in stop.people), VisitOutcome.SEEN, later)
    after = month_figures(date(2026, 11, 1), actor_id=lead, now=later)
    assert len(after.overdue) <= len(before.overdue) - len(stop.people)


def test_figures_scope_and_masking(demo_db: SqliteDatabase) -> None:
    subdistrict = operator_named(SUBDISTRICT)
    figures = month_figures(date(2026, 11, 1), actor_id=subdistrict.id, now=DEMO_NOW)
    assert figures.masked
    assert all("*" in p.name for p in figures.overdue if len(p.name) > 1)
    gm = operator_named(GRID_MANAGER)
    own = month_figures(date(2026, 11, 1), actor_id=gm.id, now=DEMO_NOW)
    assert {g.grid_l4_id for g in own.grids} == set(gm.grid_ids)
    with pytest.raises(PermissionDenied):
        month_figures(date(2026, 11, 1), actor_id=staff_id(RECEPTION), now=DEMO_NOW)
    with pytest.raises(UserError):
        month_figures(date(2026, 12, 1), actor_id=gm.id, now=DEMO_NOW)


def test_mask_name() -> None:
    assert mask_name("王立华") == "王*华"
    assert mask_name("王华") == "王*"
    assert mask_name("欧阳明月") == "欧**月"


def test_what_each_role_sees_of_one_residents_care(demo_db: SqliteDatabase) -> None:
    stop = gm_round().stops[0]
    resident = stop.people[0].resident_id
    views = {
        name: care_of_resident(resident, actor_id=staff_id(name), now=DEMO_NOW)
        for name in (GRID_MANAGER, SUPERVISOR, RECEPTION, SUBDISTRICT)
    }
    assert views[GRID_MANAGER].sight == Sight.FULL and views[GRID_MANAGER].visits
    assert views[SUPERVISOR].sight == Sight.FULL
    desk = views[RECEPTION]
    assert desk.sight == Sight.DUE and desk.due_on is not None
    assert desk.level is None and desk.visits == () and desk.visitor == ""
    office = views[SUBDISTRICT]
    assert office.sight == Sight.MASKED and office.level is not None
    assert all(v.note == "" and v.areas == () for v in office.visits)
    assert any(v.note for v in views[GRID_MANAGER].visits) or all(
        not v.note for v in views[SUPERVISOR].visits
    )
    # another grid's grid manager sees only that a visit is due
    other: Any = (
        Staff.select()
        .where((Staff.role == Role.GRID_MANAGER) & (Staff.username != GRID_MANAGER))
        .first()
    )
    elsewhere = care_of_resident(resident, actor_id=other.id, now=DEMO_NOW)
    assert elsewhere.sight == Sight.DUE and elsewhere.visits == ()


def test_a_requests_page_names_the_visit_it_came_from(demo_copy: SqliteDatabase) -> None:
    from frontdesk.care.visits import visit_request
    from frontdesk.requests.detail import get_request
    from frontdesk.screens.requests.detail_view import summary_text

    stop = gm_round().stops[0]
    later = DEMO_NOW + timedelta(minutes=5)
    visit_id = visit(stop.household_id, (stop.people[0].resident_id,), VisitOutcome.SEEN, later)
    gm = staff_id(GRID_MANAGER)
    request_id = visit_request(
        visit_id, category="hardship", summary="暖气不热", actor_id=gm, now=later
    )
    detail = get_request(request_id, later, actor_id=staff_id(RECEPTION))
    assert detail.from_visit_at == later
    assert detail.from_visit_by == operator_named(GRID_MANAGER).name
    assert "走访时发现" in summary_text(detail)
    unrelated = get_request(request_id - 1, later, actor_id=staff_id(RECEPTION))
    assert unrelated.from_visit_at is None and "走访" not in summary_text(unrelated)
