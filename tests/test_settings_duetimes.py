"""The due-time table (category × urgency) of each community: read, changed cell by cell by its
supervisor, checked, audited, and what new requests' due times are counted from; reached from
F10 and edited keyboard-only."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Input, Static

from frontdesk import settings, workcalendar
from frontdesk.clock import FixedClock
from frontdesk.db.models import AuditEntry, Setting, Staff
from frontdesk.db.reference import DUE_HOURS, category_ids
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied
from frontdesk.requests.due import allowed_hours
from frontdesk.residents.validation import ValidationFailed
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.office.setting_form_due import DueHoursFormScreen
from frontdesk.screens.office.settings import SettingsScreen
from frontdesk.screens.office.settings_due import DueTimesView
from frontdesk.settings import change_due_hours, due_table, list_settings, reset_due_hours
from frontdesk.settings.duetimes import parse_hours
from frontdesk.vocabulary import Role
from tests.conftest import DEMO_NOW, SNAPSHOT_SIZE, SUPERVISOR, desk_on, settle
from tests.roles import staff_of


def _community_of(staff_id: int) -> int:
    row: Any = Staff.get_by_id(staff_id)
    return int(row.community_id)


def _audits() -> list[Any]:
    return list(
        AuditEntry.select()
        .where(AuditEntry.action.in_(["settings.changed", "settings.reset"]))
        .order_by(AuditEntry.id)
    )


def _problem(text: str) -> str:
    with pytest.raises(ValidationFailed) as caught:
        parse_hours(text)
    errors = caught.value.validation.errors
    assert list(errors) == ["value"]
    return errors["value"].key


def test_the_table_starts_at_the_shipped_defaults(demo_copy: SqliteDatabase) -> None:
    lead = staff_of(Role.SUPERVISOR.value)
    table = due_table(actor_id=lead)
    assert table.community_id == _community_of(lead)
    assert table.categories == tuple(DUE_HOURS)  # every category, in display order
    assert len(table.cells) == 3 * len(DUE_HOURS) and table.changed == 0
    for category, (normal, urgent, critical) in DUE_HOURS.items():
        hours = [table.cell(category, u).hours for u in ("normal", "urgent", "critical")]
        assert hours == [str(normal), str(urgent), str(critical)]
        assert all(not table.cell(category, u).changed for u in ("normal", "urgent"))
    # nothing set: the requests' hours are the shipped ones, in any community
    lighting = category_ids()["lighting"]
    for community in (table.community_id, table.community_id + 1, None):
        assert settings.due_hours(lighting, "urgent", community) == 24


def test_a_supervisor_changes_one_cell_of_their_community(demo_copy: SqliteDatabase) -> None:
    lead = staff_of(Role.SUPERVISOR.value)
    community = _community_of(lead)
    cell = change_due_hours("lighting", "urgent", " ４８ 小时 ", actor_id=lead, now=DEMO_NOW)
    assert (cell.hours, cell.default, cell.changed) == ("48", "24", True)
    stored = Setting.get_by_id(f"requests.due_hours.lighting.urgent@{community}")
    assert json.loads(stored.value) == 48
    table = due_table(actor_id=lead)
    assert table.changed == 1 and table.cell("lighting", "normal").hours == "72"
    lighting = category_ids()["lighting"]
    assert settings.due_hours(lighting, "urgent", community) == 48
    assert settings.due_hours(lighting, "urgent", community + 1) == 24  # theirs only
    assert settings.due_hours(lighting, "urgent", None) == 24  # the installation's
    # the settings list says the table has a changed cell
    row = next(r for r in list_settings(actor_id=lead) if r.key == "requests.due_hours")
    assert (row.value, row.default, row.changed, row.community_id) == ("1", "0", True, community)


def test_each_change_is_audited_with_from_and_to(demo_copy: SqliteDatabase) -> None:
    lead = staff_of(Role.SUPERVISOR.value)
    community = _community_of(lead)
    later = DEMO_NOW + timedelta(minutes=3)
    change_due_hours("plumbing", "normal", "60", actor_id=lead, now=DEMO_NOW)
    change_due_hours("plumbing", "normal", "60", actor_id=lead, now=DEMO_NOW)  # unchanged
    reset_due_hours("plumbing", "normal", actor_id=lead, now=later)
    reset_due_hours("plumbing", "normal", actor_id=lead, now=later)  # already the default
    changed, reset = _audits()
    assert (changed.action, reset.action) == ("settings.changed", "settings.reset")
    assert (changed.entity, changed.entity_id, changed.actor_id) == ("setting", None, lead)
    assert changed.at == DEMO_NOW and reset.at == later
    assert changed.community_id == reset.community_id == community  # the community's chain
    detail = json.loads(changed.detail)
    assert detail["key"] == "requests.due_hours"
    assert (detail["category"], detail["urgency"]) == ("plumbing", "normal")
    assert (detail["from"], detail["to"]) == ("48", "60")
    assert detail["stored"] == f"requests.due_hours.plumbing.normal@{community}"
    assert (json.loads(reset.detail)["from"], json.loads(reset.detail)["to"]) == ("60", "48")
    assert due_table(actor_id=lead).changed == 0


def test_hours_are_checked() -> None:
    assert parse_hours("36") == 36
    assert parse_hours("３６") == 36  # an input method's digits
    assert parse_hours("36h") == parse_hours("36 hours") == parse_hours("36小时") == 36
    assert _problem("") == "validation.required"
    assert _problem("  ") == "validation.required"
    assert _problem("ten") == "settings.not_a_number"
    assert _problem("nan") == "settings.not_a_number"
    assert _problem("1.5") == "settings.not_whole"
    assert _problem("0") == "settings.out_of_range"
    assert _problem("-4") == "settings.out_of_range"
    assert _problem("721") == "settings.out_of_range"
    assert parse_hours("720") == 720 and parse_hours("1") == 1


def test_the_more_urgent_never_gets_longer(demo_copy: SqliteDatabase) -> None:
    lead = staff_of(Role.SUPERVISOR.value)

    def refused(category: str, urgency: str, text: str) -> tuple[str, object]:
        with pytest.raises(ValidationFailed) as caught:
            change_due_hours(category, urgency, text, actor_id=lead, now=DEMO_NOW)
        notice = caught.value.validation.errors["value"]
        return notice.key, notice.params["hours"]

    # lighting: 72 / 24 / 8
    assert refused("lighting", "urgent", "80") == ("settings.due.longer_than_normal", "72")
    assert refused("lighting", "critical", "30") == ("settings.due.longer_than_urgent", "24")
    assert refused("lighting", "normal", "20") == ("settings.due.shorter_than_urgent", "24")
    assert refused("lighting", "urgent", "6") == ("settings.due.shorter_than_critical", "8")
    assert not _audits() and not Setting.select().where(Setting.key.contains("due_hours")).exists()
    change_due_hours("lighting", "urgent", "72", actor_id=lead, now=DEMO_NOW)  # equal is fine
    assert due_table(actor_id=lead).cell("lighting", "urgent").hours == "72"


def test_a_reset_that_would_break_the_order_is_refused(demo_copy: SqliteDatabase) -> None:
    lead = staff_of(Role.SUPERVISOR.value)
    change_due_hours("lighting", "critical", "6", actor_id=lead, now=DEMO_NOW)
    change_due_hours("lighting", "urgent", "6", actor_id=lead, now=DEMO_NOW)
    with pytest.raises(UserError) as refused:  # critical back to 8 would exceed urgent's 6
        reset_due_hours("lighting", "critical", actor_id=lead, now=DEMO_NOW)
    assert refused.value.key == "settings.due.longer_than_urgent"
    assert str(refused.value) == "不能长于同类“紧急”的 6 小时"
    assert due_table(actor_id=lead).cell("lighting", "critical").hours == "6"


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.GRID_MANAGER, Role.SUBDISTRICT, Role.ADMIN])
def test_only_a_supervisor_reads_or_changes_the_table(
    demo_copy: SqliteDatabase, role: Role
) -> None:
    who = staff_of(role.value)
    with pytest.raises(PermissionDenied) as refused:
        due_table(actor_id=who)
    if role == Role.ADMIN:  # may configure, but only the installation's settings
        assert refused.value.params["scope"] == "perm.scope.community_settings"
        assert "requests.due_hours" not in [r.key for r in list_settings(actor_id=who)]
    with pytest.raises(PermissionDenied):
        change_due_hours("lighting", "normal", "60", actor_id=who, now=DEMO_NOW)
    with pytest.raises(PermissionDenied):
        reset_due_hours("lighting", "normal", actor_id=who, now=DEMO_NOW)
    assert not _audits() and not Setting.select().where(Setting.key.contains("due_hours")).exists()


def test_a_supervisor_cannot_touch_another_communitys_table(demo_copy: SqliteDatabase) -> None:
    lead = staff_of(Role.SUPERVISOR.value)
    other = _community_of(lead) + 1
    with pytest.raises(PermissionDenied) as refused:
        due_table(actor_id=lead, community_id=other)
    assert refused.value.params["scope"] == "perm.scope.other_community"
    with pytest.raises(PermissionDenied):
        change_due_hours(
            "lighting", "normal", "60", actor_id=lead, now=DEMO_NOW, community_id=other
        )
    with pytest.raises(PermissionDenied):
        reset_due_hours("lighting", "normal", actor_id=lead, now=DEMO_NOW, community_id=other)
    assert not _audits()
    # their own, named: allowed
    own = change_due_hours(
        "lighting", "normal", "60", actor_id=lead, now=DEMO_NOW, community_id=other - 1
    )
    assert own.hours == "60"


def test_an_unknown_cell_is_refused(demo_copy: SqliteDatabase) -> None:
    lead = staff_of(Role.SUPERVISOR.value)
    with pytest.raises(UserError) as refused:
        change_due_hours("teleport", "normal", "60", actor_id=lead, now=DEMO_NOW)
    assert refused.value.key == "settings.due.no_such_cell"
    with pytest.raises(UserError):
        change_due_hours("lighting", "someday", "60", actor_id=lead, now=DEMO_NOW)
    assert not _audits()


def test_a_stale_form_does_not_overwrite_a_change_made_meanwhile(
    demo_copy: SqliteDatabase,
) -> None:
    first = staff_of(Role.SUPERVISOR.value)
    second = Staff.get(Staff.username == "lead-lj-2").id
    assert _community_of(second) == _community_of(first)
    change_due_hours("safety", "urgent", "10", actor_id=first, now=DEMO_NOW, loaded="12")
    with pytest.raises(UserError) as refused:
        change_due_hours("safety", "urgent", "8", actor_id=second, now=DEMO_NOW, loaded="12")
    assert refused.value.key == "settings.changed_elsewhere"
    assert Staff.get_by_id(first).display_name in str(refused.value)
    assert due_table(actor_id=first).cell("safety", "urgent").hours == "10"


# ---------------------------------------------------------------- the requests' due times

MONDAY = datetime(2026, 11, 30, 9, 0)  # a working day in the demo calendar


def test_new_requests_are_due_by_their_communitys_table(demo_copy: SqliteDatabase) -> None:
    from frontdesk.requests.intake import create_request
    from tests.test_requests import _resident, light_out

    lead = staff_of(Role.SUPERVISOR.value)
    community = _community_of(lead)
    calendar = workcalendar.load(community)
    person = _resident(untagged=True)
    before = create_request(
        light_out(person, "locksmith", "urgent"), actor_id=staff_of(), now=MONDAY
    )
    assert before.due_at == calendar.add_working_hours(MONDAY, 4)  # the default: 4 h
    change_due_hours("locksmith", "urgent", "12", actor_id=lead, now=DEMO_NOW)
    change_due_hours("locksmith", "critical", "1", actor_id=lead, now=DEMO_NOW)
    after = create_request(
        light_out(person, "locksmith", "urgent"), actor_id=staff_of(), now=MONDAY
    )
    assert after.due_at == calendar.add_working_hours(MONDAY, 12)
    critical = create_request(
        light_out(person, "locksmith", "critical"), actor_id=staff_of(), now=MONDAY
    )
    assert critical.due_at == MONDAY + timedelta(hours=1)  # round the clock
    # special groups: the community's share of the community's hours
    locksmith = category_ids()["locksmith"]
    assert allowed_hours(locksmith, "urgent", special_group=True, community_id=community) == 6
    assert allowed_hours(locksmith, "urgent", special_group=True, community_id=community + 1) == 2


def test_a_reopened_request_is_timed_again_by_the_table(demo_copy: SqliteDatabase) -> None:
    """Re-dues (escalation, reopening) read the request's community's table too."""
    from frontdesk.db.models import Request
    from frontdesk.requests.intake import create_request
    from frontdesk.requests.lifecycle import _fresh_due
    from tests.test_requests import _resident, light_out

    lead = staff_of(Role.SUPERVISOR.value)
    logged = create_request(
        light_out(_resident(untagged=True), "plumbing", "normal"), actor_id=staff_of(), now=MONDAY
    )
    row: Any = Request.get_by_id(logged.id)
    calendar = workcalendar.load(row.community_id)
    assert _fresh_due(row, MONDAY) == calendar.add_working_hours(MONDAY, 48)
    change_due_hours("plumbing", "normal", "96", actor_id=lead, now=DEMO_NOW)
    assert _fresh_due(row, MONDAY) == calendar.add_working_hours(MONDAY, 96)


# ------------------------------------------------------------------------------------- Pilot


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def _open_table(pilot: Any) -> DueTimesView:
    """F10, down to 处理时限表 (the last line), Enter: the table in place of the list, the cursor
    on its first cell."""
    await settle(pilot)
    await _keys(pilot, "f10")
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen) and screen.loaded
    await _keys(pilot, *["down"] * (len(screen.rows) - 1))
    current = screen._current()
    assert current is not None and current.key == "requests.due_hours"
    await _keys(pilot, "enter")
    view = screen.query_one("#se-due", DueTimesView)
    assert pilot.app.screen is screen and view.display and view.table is not None
    assert not screen.query_one("#se-table").display
    assert screen.focused is view.query_one("#dt-table")
    return view


def _shown(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_a_supervisor_edits_one_cell_keyboard_only(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    lead = Staff.get(Staff.username == SUPERVISOR)
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        view = await _open_table(pilot)
        screen = app.screen
        await _keys(pilot, "down", "right")  # 水电维修 · 紧急
        cell = view._current()
        assert cell is not None and (cell.category, cell.urgency) == ("plumbing", "urgent")
        assert "水电维修 · 紧急：现为 12 小时" in _shown(view, "#dt-help")
        # Escape closes the form and writes nothing
        await _keys(pilot, "enter", "escape")
        assert app.screen is screen and view.display
        # a bad value: the message next to the field, nothing written
        await _keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, DueHoursFormScreen)
        field = form.query_one("#f-value", Input)
        assert form.focused is field and field.value == "12"
        await _keys(pilot, "backspace", "backspace", *"60", "enter")
        assert app.screen is form
        assert _shown(form, "#m-value") == "不能长于同类“一般”的 48 小时"
        await _keys(pilot, "backspace", "backspace", *"20", "enter")
        assert app.screen is screen
        grid = view.query_one("#dt-table", DataTable)
        assert "20 小时" in str(grid.get_cell("plumbing", "urgent"))
        assert "1 格与默认值不同" in _shown(view, "#dt-status")
        # Escape: back to the list, on the table's line, which counts the changed cell
        await _keys(pilot, "escape")
        assert app.screen is screen and isinstance(screen, SettingsScreen)
        assert not view.display and screen.query_one("#se-table").display
        row = screen._current()
        assert row is not None and row.key == "requests.due_hours" and row.value == "1"
        assert "已改 1 格" in str(screen.query_one("#se-table", DataTable).get_row(row.key))
        await _keys(pilot, "escape")
        assert not isinstance(app.screen, SettingsScreen)
    community = int(lead.community_id)
    plumbing = category_ids()["plumbing"]
    assert settings.due_hours(plumbing, "urgent", community) == 20
    (entry,) = _audits()
    assert entry.action == "settings.changed" and entry.actor_id == lead.id
    assert (json.loads(entry.detail)["from"], json.loads(entry.detail)["to"]) == ("12", "20")


async def test_a_cell_goes_back_to_its_default_after_asking(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    lead = staff_of(Role.SUPERVISOR.value)
    change_due_hours("lighting", "normal", "96", actor_id=lead, now=DEMO_NOW)
    app = desk_on(demo_copy, clock, "en", SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        view = await _open_table(pilot)
        screen = app.screen
        assert "cells changed from the default: 1" in _shown(view, "#dt-status")
        await _keys(pilot, "d")
        assert isinstance(app.screen, ChoiceScreen)
        await _keys(pilot, "escape")  # Escape: nothing
        assert app.screen is screen and view.display
        await _keys(pilot, "d", "1")
        assert app.screen is screen
        assert "Every cell is at its default" in _shown(view, "#dt-status")
    assert due_table(actor_id=lead).changed == 0
    assert [e.action for e in _audits()] == ["settings.changed", "settings.reset"]


async def test_function_keys_leave_the_table_like_the_settings(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """The table is part of F10: F4 closes it with the settings, F10 on it opens nothing twice,
    a language switch keeps it shown."""
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _open_table(pilot)
        await _keys(pilot, "f10")
        assert [type(s) for s in app.screen_stack].count(SettingsScreen) == 1
        assert app.screen.query_one("#se-due", DueTimesView).display
        app.set_language("en")
        await settle(pilot)
        view = app.screen.query_one("#se-due", DueTimesView)
        assert view.display and view.table is not None
        await _keys(pilot, "f4")
        assert not any(isinstance(s, SettingsScreen) for s in app.screen_stack)
        await _keys(pilot, "f5")
        assert not any(isinstance(s, SettingsScreen) for s in app.screen_stack)


# ---------------------------------------------------------------------------------- snapshots


@pytest.mark.parametrize("language", ["zh", "en"])
def test_due_table_snapshot(snap_compare: Any, app_factory: Any, language: str) -> None:
    async def run_before(pilot: Any) -> None:
        await _open_table(pilot)
        await _keys(pilot, "down", "right")

    assert snap_compare(
        app_factory(language, operator=SUPERVISOR),
        terminal_size=SNAPSHOT_SIZE,
        run_before=run_before,
    )
