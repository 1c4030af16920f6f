"""Correcting a request from its detail through Pilot, keyboard only (issue 12, point 20): g opens
the form (the footer and the palette offer it), a visitor and another flat typed, Ctrl+S saves,
the timeline shows the correction; Escape writes nothing; a closed request offers no g."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase, fn
from textual.widgets import Input, Static

from frontdesk.app import FrontdeskApp
from frontdesk.clock import FixedClock
from frontdesk.db.models import Flat, GridL4, Request, RequestEvent, Resident, Staff
from frontdesk.requests import lifecycle
from frontdesk.requests.intake import Logged, Place, Reporter, RequestInput, create_request
from frontdesk.requests.routing import holder_for
from frontdesk.screens.requests.correct import CorrectRequestScreen
from frontdesk.screens.requests.detail import RequestDetailScreen
from tests.conftest import DEMO_NOW, RECEPTION, desk_on
from tests.conftest import settle as _settle
from tests.roles import staff_of


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await _settle(pilot)


def _log() -> Logged:
    person: Any = (
        Resident.select()
        .where((Resident.status == "living") & Resident.phone.is_null(False))
        .order_by(Resident.id)
        .first()
    )
    return create_request(
        RequestInput(
            category="lighting",
            urgency="normal",
            description="楼道灯不亮",
            reporter=Reporter(name="", resident_id=person.id),
            place=Place(),
        ),
        actor_id=staff_of("reception"),
        now=DEMO_NOW,
    )


def _flat_elsewhere(row: Any) -> Any:
    """A flat in another grid whose manager is someone else, at work."""
    for flat in Flat.select().where(Flat.grid_l4 != row.grid_l4_id).order_by(Flat.id):
        manager_id = GridL4.get_by_id(flat.grid_l4_id).manager_id
        if manager_id in (None, row.holder_id):
            continue
        manager: Any = Staff.get_by_id(manager_id)
        if manager.active and not manager.away and not manager.pending_change:
            return flat
    raise AssertionError("no flat in another grid")


def _address(flat: Any) -> str:
    unit = flat.unit
    return f"{unit.building.compound.name} {unit.building.number}-{unit.number}-{flat.number}"


def _app(db: SqliteDatabase, clock: FixedClock) -> FrontdeskApp:
    return desk_on(db, clock, "zh", RECEPTION)


async def test_correct_the_reporter_and_place_from_the_detail_keyboard_only(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    logged = _log()
    before: Any = Request.get_by_id(logged.id)
    flat = _flat_elsewhere(before)
    new_holder = holder_for(flat.grid_l4_id, "grid")
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(RequestDetailScreen(logged.id))
        await _settle(pilot)
        detail = app.screen
        assert isinstance(detail, RequestDetailScreen) and detail.detail is not None
        # offered: in the footer, the line of keys and the palette
        footer = {b.binding.action for b in detail.active_bindings.values() if b.binding.show}
        assert "correct" in footer
        assert "g 更正" in str(detail.query_one("#rd-status", Static).render())
        assert any("更正" in title for title, _help, _run in detail.palette_commands())

        # Escape closes the form and writes nothing
        await _keys(pilot, "g")
        assert isinstance(app.screen, CorrectRequestScreen)
        await _keys(pilot, "escape")
        assert app.screen is detail
        assert Request.get_by_id(logged.id).version == before.version

        await _keys(pilot, "g")
        form = app.screen
        assert isinstance(form, CorrectRequestScreen)
        assert form.focused is not None and form.focused.id == "f-reporter"
        # nothing typed: said beside the reporter, nothing saved
        await _keys(pilot, "ctrl+s")
        assert app.screen is form
        assert "没有要更正的内容" in str(form.query_one("#m-reporter", Static).render())
        # a visitor: typed, Enter takes "as a visitor", then the phone
        await _keys(pilot, *"邻居王阿姨")
        await _keys(pilot, "enter")
        assert form.visitor and form.focused is not None and form.focused.id == "f-phone"
        await _keys(pilot, *"13900001111", "enter")
        # another flat, found as the intake finds one
        assert form.focused is not None and form.focused.id == "f-place"
        await _keys(pilot, *_address(flat))
        assert form.place is not None and form.place.place.flat_id == flat.id
        assert form.query_one("#f-place", Input).value == _address(flat)
        await _keys(pilot, "ctrl+s")
        assert app.screen is detail

        row: Any = Request.get_by_id(logged.id)
        assert (row.reporter_kind, row.reporter_name, row.reporter_phone) == (
            "visitor",
            "邻居王阿姨",
            "13900001111",
        )
        assert row.flat_id == flat.id and row.holder_id == new_holder.staff_id
        assert row.due_at == before.due_at
        event: Any = (
            RequestEvent.select()
            .where(RequestEvent.request == logged.id)
            .order_by(RequestEvent.id.desc())
            .first()
        )
        assert event.kind == "corrected"
        # the detail followed: the timeline shows the correction, the new holder
        timeline = str(detail.query_one("#rd-timeline", Static).render())
        assert "更正反映人" in timeline and "邻居王阿姨 139****1111" in timeline
        assert "更正地点" in timeline and f"改由 {new_holder.name} 承办" in timeline
        assert "13900001111" not in timeline
        assert detail.detail is not None and detail.detail.version == row.version


async def test_a_closed_request_offers_no_correction(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    logged = _log()
    supervisor = staff_of("supervisor")
    version = lifecycle.resolve(logged.id, 1, "已修好", "grid", actor_id=supervisor, now=DEMO_NOW)
    lifecycle.close(logged.id, version, actor_id=supervisor, now=DEMO_NOW)
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(RequestDetailScreen(logged.id))
        await _settle(pilot)
        detail = app.screen
        assert isinstance(detail, RequestDetailScreen) and detail.detail is not None
        footer = {b.binding.action for b in detail.active_bindings.values() if b.binding.show}
        assert "correct" not in footer
        assert not any("更正" in title for title, _help, _run in detail.palette_commands())
        await _keys(pilot, "g")
        assert app.screen is detail


async def test_a_resident_chosen_as_reporter_leaves_the_place_as_it_was(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    logged = _log()
    before: Any = Request.get_by_id(logged.id)
    counts: Any = (
        Resident.select(Resident.name, fn.COUNT(Resident.id))
        .where(Resident.status == "living")
        .group_by(Resident.name)
        .tuples()
    )
    unique = {name for name, n in counts if n == 1}
    living: Any = Resident.select().where(Resident.status == "living").order_by(Resident.id.desc())
    right: Any = next(
        r for r in living if r.name in unique and r.household.flat_id != before.flat_id
    )
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(RequestDetailScreen(logged.id))
        await _settle(pilot)
        await _keys(pilot, "g", *right.name)
        form = app.screen
        assert isinstance(form, CorrectRequestScreen)
        await _keys(pilot, "enter")  # the first found: them
        assert form.reporter is not None and form.reporter.resident_id == right.id
        # unlike the intake, their flat is not put in as the place: it stays as it was
        assert form.query_one("#f-place", Input).value == ""
        assert "地点不变" in str(form.query_one("#place-found", Static).render())
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, RequestDetailScreen)
    row: Any = Request.get_by_id(logged.id)
    assert (row.reporter_id, row.reporter_name) == (right.id, right.name)
    assert (row.flat_id, row.holder_id) == (before.flat_id, before.holder_id)
