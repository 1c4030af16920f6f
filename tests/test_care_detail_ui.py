"""The care section of a resident's page, per role, and its forms: a level by hand with its
reason, a pause, a major event that makes the person due within 24 hours, a visitor assigned."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from peewee import SqliteDatabase
from textual.widgets import Input, Select, Static

from frontdesk.care.history import Scope, load
from frontdesk.care.privacy import Sight
from frontdesk.care.settings import tag_levels
from frontdesk.clock import FixedClock
from frontdesk.db.care import CareAssignment, CareEvent, CareLevelChange, CarePause
from frontdesk.db.models import AuditEntry, Staff
from frontdesk.permissions import grids_of
from frontdesk.screens.care.assign_form import AssignFormScreen
from frontdesk.screens.care.event_form import EventFormScreen
from frontdesk.screens.care.level_form import LevelFormScreen
from frontdesk.screens.care.pause_end_form import PauseEndFormScreen
from frontdesk.screens.care.pause_form import PauseFormScreen
from frontdesk.screens.care.section import CareSection
from frontdesk.screens.residents.detail import ResidentDetailScreen
from frontdesk.vocabulary import CareLevel
from tests.conftest import (
    DEMO_NOW,
    GRID_MANAGER,
    RECEPTION,
    SNAPSHOT_SIZE,
    SUBDISTRICT,
    SUPERVISOR,
    desk_on,
    settle,
)


def _cared_person(*, paused: bool = False) -> tuple[int, int]:
    """(resident id, household id) of someone in care in the demo grid manager's grids."""
    manager = Staff.get(Staff.username == GRID_MANAGER)
    grids = grids_of(manager.id)
    people = load(Scope(grids=grids), tag_levels(manager.community_id), DEMO_NOW)
    for cared in sorted(people, key=lambda c: c.person.resident_id):
        if cared.person.status != "living":
            continue
        if paused != (cared.paused_until is not None):
            continue
        if not paused and cared.last_seen is None:
            continue
        return cared.person.resident_id, cared.person.household_id
    raise AssertionError("nobody in care in the grid manager's grids")


async def _page(pilot: Any, resident_id: int) -> ResidentDetailScreen:
    await settle(pilot)
    pilot.app.open_resident(resident_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ResidentDetailScreen) and screen.detail is not None
    return screen


def _care_text(screen: ResidentDetailScreen) -> str:
    return str(screen.query_one("#care", CareSection).render())


async def _fill(pilot: Any, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.value = text
    await pilot.pause()


async def _choose(pilot: Any, selector: str, value: object) -> None:
    pilot.app.screen.query_one(selector, Select).value = value
    await pilot.pause()


async def _save(pilot: Any) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_the_section_per_role(demo_db: SqliteDatabase, clock: FixedClock) -> None:
    resident_id, _household = _cared_person()
    for operator, sight, keys in (
        (GRID_MANAGER, Sight.FULL, True),
        (SUPERVISOR, Sight.FULL, True),
        (SUBDISTRICT, Sight.MASKED, False),
        (RECEPTION, Sight.DUE, False),
    ):
        app = desk_on(demo_db, clock, operator=operator)
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            screen = await _page(pilot, resident_id)
            assert screen.care is not None and screen.care.sight == sight, operator
            text = _care_text(screen)
            assert screen.check_action("care_level", ()) is keys, operator
            assert ("l 走访等级" in text) is keys, operator
            if sight == Sight.DUE:
                assert text.startswith("走访："), text
                assert "上次走访" not in text and "本户走访记录" not in text
            else:
                assert "上次走访" in text and "本户走访记录" in text, text
            await pilot.press("l")
            await settle(pilot)
            assert isinstance(pilot.app.screen, LevelFormScreen) is keys, operator


async def test_set_a_level_with_a_reason(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    resident_id, _household = _cared_person()
    app = desk_on(demo_copy, clock, operator=GRID_MANAGER)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _page(pilot, resident_id)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LevelFormScreen)
        await _choose(pilot, "#f-level", CareLevel.HIGH.value)
        await _save(pilot)  # no reason: refused beside its field, the form stays
        assert isinstance(app.screen, LevelFormScreen)
        message = str(app.screen.query_one("#m-reason", Static).render())
        assert message, "the reason's message stands under it"
        await _fill(pilot, "#f-reason", "独居且近期摔倒")
        await _save(pilot)
        assert app.screen is screen
        change = CareLevelChange.select().where(CareLevelChange.resident == resident_id).get()
        assert change.level == "high" and change.reason == "独居且近期摔倒"
        await settle(pilot)
        text = _care_text(screen)
        assert "高风险（手动调整：独居且近期摔倒）" in text, text
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("escape")  # Escape closes (nothing typed: at once)
        await settle(pilot)
        assert app.screen is screen


async def test_pause_and_end_it(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    resident_id, _household = _cared_person()
    app = desk_on(demo_copy, clock, operator=GRID_MANAGER)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _page(pilot, resident_id)
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, PauseFormScreen)
        await _choose(pilot, "#f-kind", "hospital")
        resume = DEMO_NOW.date() + timedelta(days=10)
        await _fill(pilot, "#f-resume_on", f"{resume:%Y-%m-%d}")
        await _save(pilot)
        assert app.screen is screen
        pause = CarePause.get(CarePause.resident == resident_id)
        assert pause.kind == "hospital" and pause.resume_on == resume
        assert screen.care is not None and screen.care.pause_id == pause.id
        assert f"暂停至 {resume:%m-%d}（住院）" in _care_text(screen)
        await pilot.press("z")  # a pause runs: z ends it
        await settle(pilot)
        assert isinstance(app.screen, PauseEndFormScreen)
        await _save(pilot)
        assert app.screen is screen
        assert CarePause.get_by_id(pause.id).ended_on == DEMO_NOW.date()
        assert "暂停至" not in _care_text(screen)


async def test_an_event_makes_the_person_due(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    resident_id, _household = _cared_person()
    app = desk_on(demo_copy, clock, operator=SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _page(pilot, resident_id)
        before = screen.care
        assert before is not None
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, EventFormScreen)
        await _choose(pilot, "#f-kind", "fell")
        await _fill(pilot, "#f-note", "在家中跌倒")
        await _save(pilot)
        assert app.screen is screen
        event = (
            CareEvent.select()
            .where(CareEvent.resident == resident_id)
            .order_by(CareEvent.id.desc())
            .get()
        )
        assert event.kind == "fell" and event.due_at == DEMO_NOW + timedelta(hours=24)
        after = screen.care
        assert after is not None and after.due_on is not None
        assert after.due_on <= (DEMO_NOW + timedelta(hours=24)).date()
        assert f"下次 {after.due_on:%m-%d}" in _care_text(screen)


async def test_assign_a_visitor_and_end_it(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    resident_id, household_id = _cared_person()
    app = desk_on(demo_copy, clock, operator=SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _page(pilot, resident_id)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, AssignFormScreen)
        await _fill(pilot, "#f-volunteer", "李志愿")
        await _save(pilot)
        assert app.screen is screen
        open_one = CareAssignment.get(
            (CareAssignment.household == household_id) & CareAssignment.ended_at.is_null()
        )
        assert open_one.volunteer == "李志愿" and open_one.staff_id is None
        assert "指派走访人 李志愿" in _care_text(screen)
        assert AuditEntry.select().where(AuditEntry.action == "care.assign").exists()
        await pilot.press("w")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AssignFormScreen)
        await _choose(pilot, "#f-staff_id", -1)  # back to the grid manager
        await _save(pilot)
        assert app.screen is screen
        assert CareAssignment.get_by_id(open_one.id).ended_at is not None
        assert "指派走访人" not in _care_text(screen)
