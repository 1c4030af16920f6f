"""Walk-in requests: routing, working-time due dates, escalation, lifecycle, queue, figures."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from peewee import SqliteDatabase

from frontdesk.db.models import (
    Flat,
    GridL3,
    GridL4,
    Request,
    RequestEvent,
    Resident,
    ResidentTag,
    Staff,
)
from frontdesk.errors import UserError
from frontdesk.requests.detail import get_request, slip_text, write_slip
from frontdesk.requests.escalation import sweep
from frontdesk.requests.intake import (
    Place,
    Reporter,
    RequestInput,
    attach_report,
    create_request,
    possible_duplicates,
)
from frontdesk.requests.lifecycle import close, escalate, reopen, resolve, start
from frontdesk.requests.queue import QueueFilters, figures, queue
from frontdesk.requests.routing import grid_of_place, holder_for
from frontdesk.workcalendar import WorkCalendar, load
from tests.roles import staff_of

NOW = datetime(2026, 11, 30, 9, 0)  # a Monday morning
HOURS = ((time(8, 30), time(12, 0)), (time(14, 0), time(17, 30)))


def calendar() -> WorkCalendar:
    return WorkCalendar(
        holidays=frozenset(date(2026, 10, d) for d in range(1, 8)) | {date(2026, 9, 25)},
        workdays=frozenset({date(2026, 9, 20), date(2026, 10, 10)}),
        hours=HOURS,
    )


# ------------------------------------------------------------------------ working calendar


def test_due_times_skip_weekends_and_holidays_and_count_make_up_days() -> None:
    cal = calendar()
    # Friday 18 Sep 16:00 + 8 h: 1.5 h on Friday, Saturday off, Sunday 20 Sep is a 调休 workday
    assert cal.add_working_hours(datetime(2026, 9, 18, 16, 0), 8) == datetime(2026, 9, 20, 17, 0)
    # Wednesday 30 Sep 16:00 + 4 h: 1.5 h, then the National Day week, then Thursday 8 Oct
    assert cal.add_working_hours(datetime(2026, 9, 30, 16, 0), 4) == datetime(2026, 10, 8, 11, 0)
    # Friday 9 Oct 17:00 + 2 h: Saturday 10 Oct is worked
    assert cal.add_working_hours(datetime(2026, 10, 9, 17, 0), 2) == datetime(2026, 10, 10, 10, 0)
    # started in the lunch break or at night: the clock starts with the next working window
    assert cal.add_working_hours(datetime(2026, 11, 30, 12, 30), 1) == datetime(2026, 11, 30, 15)
    assert cal.add_working_hours(datetime(2026, 11, 27, 22, 0), 1) == datetime(2026, 11, 30, 9, 30)


@given(
    st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 20)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    st.integers(1, 200),
)
def test_working_hours_round_trip(start: datetime, hours: int) -> None:
    cal = calendar()
    end = cal.add_working_hours(start, hours)
    assert end > start
    assert cal.working_hours_between(start, end) == pytest.approx(hours)
    assert cal.is_working_day(end.date())


def test_shipped_calendar_knows_2026(empty_db: SqliteDatabase) -> None:
    cal = load()
    assert not cal.is_working_day(date(2026, 10, 1))
    assert cal.is_working_day(date(2026, 2, 28))  # 春节调休, a Saturday
    assert not cal.is_working_day(date(2026, 11, 29))  # an ordinary Sunday


# --------------------------------------------------------------------------------- routing


def test_every_flat_of_the_demo_routes_to_its_grid_manager(demo_db: SqliteDatabase) -> None:
    managers = {g.id: g.manager_id for g in GridL4.select()}
    flats: Any = Flat.select(Flat.id, Flat.grid_l4)
    for flat in flats:
        grid = grid_of_place(flat_id=flat.id)
        assert grid == flat.grid_l4_id
        holder = holder_for(grid, "grid")
        assert holder.staff_id == managers[grid] and not holder.standing_in


def test_an_away_manager_is_stood_in_for_by_the_level3_leader(demo_copy: SqliteDatabase) -> None:
    grid: Any = GridL4.select().order_by(GridL4.id).first()
    Staff.update(away=True).where(Staff.id == grid.manager_id).execute()
    holder = holder_for(grid.id, "grid")
    leader = GridL3.get_by_id(grid.grid_l3_id).leader_id
    if leader == grid.manager_id:  # the manager leads the level-3 grid too: a supervisor
        assert Staff.get_by_id(holder.staff_id).role == "supervisor"
    else:
        assert holder.staff_id == leader
    assert holder.standing_in
    assert Staff.get_by_id(holder_for(grid.id, "community").staff_id).role == "supervisor"
    assert Staff.get_by_id(holder_for(grid.id, "subdistrict").staff_id).role == "subdistrict"


# ---------------------------------------------------------------------------------- intake


def _resident(tagged: str | None = None, untagged: bool = False) -> Any:
    query: Any = (
        Resident.select()
        .where((Resident.status == "living") & Resident.phone.is_null(False))
        .order_by(Resident.id)
    )
    for resident in query:
        tags = {
            t.tag.code
            for t in ResidentTag.select().where(
                (ResidentTag.resident == resident.id) & ResidentTag.ended_at.is_null(True)
            )
        }
        if tagged is not None and tagged in tags:
            return resident
        if untagged and not tags:
            household_tags = (
                ResidentTag.select()
                .join(Resident)
                .where(
                    (Resident.household == resident.household_id)
                    & ResidentTag.ended_at.is_null(True)
                )
            )
            if not household_tags.exists():
                return resident
    raise AssertionError("no such resident")


def light_out(reporter: Any, category: str = "lighting", urgency: str = "normal") -> RequestInput:
    return RequestInput(
        category=category,
        urgency=urgency,
        description="楼道灯不亮",
        reporter=Reporter(name="", resident_id=reporter.id),
        place=Place(),
    )


def test_logging_routes_numbers_and_times_a_request(demo_copy: SqliteDatabase) -> None:
    person = _resident(untagged=True)
    logged = create_request(light_out(person), actor_id=staff_of(), now=NOW)
    assert logged.number.startswith("LJ-20261130-")
    second = create_request(light_out(person, "plumbing"), actor_id=staff_of(), now=NOW)
    assert int(second.number[-4:]) == int(logged.number[-4:]) + 1
    row: Any = Request.get_by_id(logged.id)
    flat = person.household.flat
    assert row.flat_id == flat.id and row.grid_l4_id == flat.grid_l4_id
    assert row.holder_id == GridL4.get_by_id(flat.grid_l4_id).manager_id
    assert row.status == "assigned" and not logged.special_group
    assert logged.due_at == load().add_working_hours(NOW, 72)  # lighting, 一般: 72 working hours
    kinds = [e.kind for e in RequestEvent.select().where(RequestEvent.request == logged.id)]
    assert kinds == ["created", "assigned"]
    critical = create_request(
        light_out(person, "plumbing", "critical"), actor_id=staff_of(), now=NOW
    )
    assert critical.due_at == NOW + timedelta(hours=4)  # 特急 counts round the clock


def test_special_groups_are_marked_and_come_due_sooner(demo_copy: SqliteDatabase) -> None:
    elderly = _resident(tagged="elderly_80")
    logged = create_request(light_out(elderly), actor_id=staff_of(), now=NOW)
    assert logged.special_group
    assert logged.due_at == load().add_working_hours(NOW, 36)  # half of 72


def test_duplicates_are_offered_and_attached(demo_copy: SqliteDatabase) -> None:
    person = _resident(untagged=True)
    first = create_request(light_out(person), actor_id=staff_of(), now=NOW)
    place = Place(flat_id=person.household.flat_id)
    found = possible_duplicates("lighting", place, NOW + timedelta(days=2), actor_id=staff_of())
    assert first.id in [c.id for c in found]
    assert not [
        c
        for c in possible_duplicates("dispute", place, NOW, actor_id=staff_of())
        if c.id == first.id
    ]
    assert not possible_duplicates("lighting", place, NOW + timedelta(days=31), actor_id=staff_of())
    attach_report(
        first.id,
        Reporter("邻居王阿姨", "13900001111"),
        "同一栋楼",
        actor_id=staff_of(),
        now=NOW + timedelta(hours=1),
    )
    detail = get_request(first.id, NOW, actor_id=staff_of())
    assert [r.name for r in detail.reporters][1] == "邻居王阿姨"
    assert detail.reporters[1].phone_masked == "139****1111"
    assert detail.timeline[-1].kind == "reporter_attached"


def test_lifecycle_with_reopen_and_stale_versions(demo_copy: SqliteDatabase) -> None:
    person = _resident(untagged=True)
    logged = create_request(light_out(person), actor_id=staff_of(), now=NOW)
    version = start(logged.id, 1, actor_id=staff_of(), now=NOW)
    with pytest.raises(UserError, match="已被"):
        start(logged.id, 1, actor_id=staff_of(), now=NOW)
    with pytest.raises(UserError):
        close(logged.id, version, actor_id=staff_of(), now=NOW)  # not resolved yet
    version = resolve(logged.id, version, "已更换灯泡", "grid", actor_id=staff_of(), now=NOW)
    version = close(logged.id, version, actor_id=staff_of(), now=NOW)
    version = reopen(
        logged.id, version, "灯又坏了", actor_id=staff_of(), now=NOW + timedelta(days=1)
    )
    row: Any = Request.get_by_id(logged.id)
    assert row.status == "assigned" and row.resolved_at is None and row.resolution == "已更换灯泡"
    kinds = [e.kind for e in get_request(logged.id, NOW, actor_id=staff_of()).timeline]
    assert kinds == ["created", "assigned", "status", "resolved", "closed", "reopened"]


def test_escalation_by_hand_and_automatically(demo_copy: SqliteDatabase) -> None:
    person = _resident(untagged=True)
    logged = create_request(light_out(person, "locksmith", "urgent"), actor_id=staff_of(), now=NOW)
    assert logged.due_at == load().add_working_hours(NOW, 4)
    sweep(logged.due_at - timedelta(minutes=1))
    assert Request.get_by_id(logged.id).overdue_since is None
    result = sweep(logged.due_at + timedelta(hours=1))
    row: Any = Request.get_by_id(logged.id)
    assert result.flagged >= 1 and row.overdue_since == logged.due_at and row.level == "grid"
    later = load().add_working_hours(logged.due_at, 4)  # the grace: 4 working hours
    sweep(later)
    row = Request.get_by_id(logged.id)
    assert row.level == "community" and Staff.get_by_id(row.holder_id).role == "supervisor"
    assert row.due_at > later and row.overdue_since is None
    event = get_request(logged.id, later, actor_id=staff_of()).timeline[-1]
    assert (event.kind, event.from_level, event.to_level) == ("escalated", "grid", "community")
    escalate(logged.id, row.version, "需要街道协调", actor_id=staff_of(), now=later)
    row = Request.get_by_id(logged.id)
    assert row.level == "subdistrict" and Staff.get_by_id(row.holder_id).role == "subdistrict"
    with pytest.raises(UserError):
        escalate(logged.id, row.version, "再升级", actor_id=staff_of(), now=later)


def test_queue_filters_sorting_counts_and_figures(demo_copy: SqliteDatabase) -> None:
    community = Request.select().first().community_id
    page = queue(community, QueueFilters(), NOW, actor_id=staff_of())
    dues: list[Any] = [r.due_at for r in page.rows]
    assert dues == sorted(dues) and page.total >= len(page.rows)
    assert all(r.status in ("new", "assigned", "in_progress") for r in page.rows)
    overdue = queue(community, QueueFilters(overdue_only=True), NOW, actor_id=staff_of())
    assert all(r.overdue for r in overdue.rows)
    first = page.rows[0]
    holder = Request.get_by_id(first.id).holder_id
    mine = queue(community, QueueFilters(holder_id=holder), NOW, actor_id=staff_of())
    assert mine.rows and all(Request.get_by_id(r.id).holder_id == holder for r in mine.rows)
    by_level = queue(community, QueueFilters(level="community"), NOW, actor_id=staff_of())
    assert all(r.level == "community" for r in by_level.rows)
    lighting = queue(community, QueueFilters(category="lighting"), NOW, actor_id=staff_of())
    assert all(r.category == "lighting" for r in lighting.rows)
    numbers = figures(community, NOW)
    assert numbers.open == page.total and numbers.overdue == overdue.total
    assert 0 <= numbers.settled_in_grid_share <= 1


def test_slip(demo_copy: SqliteDatabase, tmp_path: Path) -> None:
    person = _resident(untagged=True)
    logged = create_request(light_out(person), actor_id=staff_of(), now=NOW)
    detail = get_request(logged.id, NOW, actor_id=staff_of())
    text = slip_text(detail)
    assert logged.number in text and logged.holder_name in text and "照明维修" in text
    assert person.phone not in text  # the reporter's phone is masked on paper too
    assert write_slip(detail, tmp_path).read_text(encoding="utf-8") == text
