"""Configuration: who may change which setting, what each accepts, the audit of a change, the
effect on due times and on the desk's idle lock; the settings screen through Pilot, keyboard
only; and its look at 80×24 in Chinese and English."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Input, Static

from frontdesk import settings, workcalendar
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import AuditEntry, Setting, Staff
from frontdesk.db.requests import DueRule
from frontdesk.i18n import _
from frontdesk.permissions import PermissionDenied
from frontdesk.requests.due import allowed_hours, due_at
from frontdesk.residents.validation import ValidationFailed
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.office.setting_form import SettingFormScreen
from frontdesk.screens.office.settings import SettingsScreen
from frontdesk.settings import change_setting, list_settings, parse_value, reset_setting
from frontdesk.vocabulary import Role, Urgency
from tests.conftest import ADMIN, DEMO_NOW, RECEPTION, SNAPSHOT_SIZE, SUPERVISOR, desk_on, settle
from tests.roles import staff_of

MONDAY = datetime(2026, 11, 30, 10, 0)  # a working day in the demo calendar


def _audits(action: str) -> list[Any]:
    return list(AuditEntry.select().where(AuditEntry.action == action).order_by(AuditEntry.id))


def _problem(key: str, text: str) -> str:
    with pytest.raises(ValidationFailed) as caught:
        parse_value(key, text)
    errors = caught.value.validation.errors
    assert list(errors) == ["value"]
    return errors["value"].key


# ----------------------------------------------------------------------------------- service


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.GRID_MANAGER, Role.SUBDISTRICT])
def test_roles_without_configure_are_refused(demo_copy: SqliteDatabase, role: Role) -> None:
    who = staff_of(role.value)
    with pytest.raises(PermissionDenied):
        list_settings(actor_id=who)
    with pytest.raises(PermissionDenied):
        change_setting("auth.lock_after", "6", actor_id=who, now=DEMO_NOW)
    with pytest.raises(PermissionDenied):
        reset_setting("auth.lock_after", actor_id=who, now=DEMO_NOW)
    assert settings.get("auth.lock_after") == 5
    assert not _audits("settings.changed") and not _audits("settings.reset")


GLOBAL = ["auth.idle_minutes", "auth.lock_after", "auth.lock_minutes"]
LOCAL = [
    "requests.special_group_factor",
    "requests.escalation_grace_hours",
    "calendar.working_hours",
    "care.days_high",
    "care.days_key",
    "care.days_general",
]


def _community_of(staff_id: int) -> int:
    row: Any = Staff.get_by_id(staff_id)
    return int(row.community_id)


def test_a_supervisor_configures_their_community(demo_copy: SqliteDatabase) -> None:
    who = staff_of(Role.SUPERVISOR.value)
    community = _community_of(who)
    rows = list_settings(actor_id=who)
    assert [r.key for r in rows] == [*LOCAL, "requests.due_hours"]  # and the due-time table
    assert all(r.value == r.default and not r.changed for r in rows)
    assert {r.community_id for r in rows} == {community}
    hours = next(r for r in rows if r.key == "calendar.working_hours")
    assert hours.value == "08:30-12:00 14:00-17:30"
    assert hours.label_key == "settings.label.calendar_working_hours"
    row = change_setting("requests.escalation_grace_hours", " 6 ", actor_id=who, now=DEMO_NOW)
    assert (row.value, row.default, row.changed) == ("6", "4", True)
    assert settings.get("requests.escalation_grace_hours", community) == 6
    assert settings.get("requests.escalation_grace_hours", community + 1) == 4  # theirs only
    assert settings.get("requests.escalation_grace_hours") == 4  # the installation's
    assert Setting.get_by_id(f"requests.escalation_grace_hours@{community}").value == "6"
    for key in GLOBAL:  # the installation's: the admin's
        with pytest.raises(PermissionDenied) as refused:
            change_setting(key, "7", actor_id=who, now=DEMO_NOW)
        assert refused.value.params["scope"] == "perm.scope.installation_settings"
        with pytest.raises(PermissionDenied):
            reset_setting(key, actor_id=who, now=DEMO_NOW)


def test_the_admin_configures_the_installation(demo_copy: SqliteDatabase) -> None:
    who = staff_of(Role.ADMIN.value)
    rows = list_settings(actor_id=who)
    assert [r.key for r in rows] == GLOBAL and {r.community_id for r in rows} == {None}
    row = change_setting("auth.lock_after", " 6 ", actor_id=who, now=DEMO_NOW)
    assert (row.value, row.default, row.changed) == ("6", "5", True)
    assert settings.get("auth.lock_after") == 6
    assert settings.get("auth.lock_after", 1) == 6  # the same for every community
    for key, text in zip(
        LOCAL, ["0.8", "6", "09:00-17:00", "5", "14", "60"], strict=True
    ):  # each community's
        with pytest.raises(PermissionDenied) as refused:
            change_setting(key, text, actor_id=who, now=DEMO_NOW)
        assert refused.value.params["scope"] == "perm.scope.community_settings"
        with pytest.raises(PermissionDenied):
            reset_setting(key, actor_id=who, now=DEMO_NOW)
    assert not Setting.select().where(Setting.key.contains("@")).exists()


def test_a_value_from_before_counts_until_the_community_sets_its_own(
    demo_copy: SqliteDatabase,
) -> None:
    settings.put("requests.special_group_factor", 0.7)  # set installation-wide, long ago
    who = staff_of(Role.SUPERVISOR.value)
    community = _community_of(who)
    assert settings.get("requests.special_group_factor", community) == 0.7
    change_setting("requests.special_group_factor", "0.6", actor_id=who, now=DEMO_NOW)
    assert settings.get("requests.special_group_factor", community) == 0.6
    assert settings.get("requests.special_group_factor", community + 1) == 0.7


def test_an_unknown_key_is_refused(demo_copy: SqliteDatabase) -> None:
    admin = staff_of(Role.ADMIN.value)
    with pytest.raises(ValueError):
        change_setting("auth.secret", "1", actor_id=admin, now=DEMO_NOW)
    with pytest.raises(ValueError):
        reset_setting("auth.secret", actor_id=admin, now=DEMO_NOW)


def test_numbers_are_checked() -> None:
    assert _problem("auth.idle_minutes", "ten") == "settings.not_a_number"
    assert _problem("auth.idle_minutes", "") == "validation.required"
    assert _problem("auth.idle_minutes", "2.5") == "settings.not_whole"
    assert _problem("auth.idle_minutes", "241") == "settings.out_of_range_or_zero"
    assert _problem("auth.idle_minutes", "-1") == "settings.out_of_range_or_zero"
    assert parse_value("auth.idle_minutes", "0") == 0  # never
    assert parse_value("auth.idle_minutes", "２４０") == 240  # full-width digits
    assert _problem("auth.lock_after", "2") == "settings.out_of_range"
    assert _problem("auth.lock_after", "21") == "settings.out_of_range"
    assert parse_value("auth.lock_after", "20") == 20
    assert _problem("auth.lock_minutes", "0") == "settings.out_of_range"
    assert _problem("auth.lock_minutes", "1441") == "settings.out_of_range"
    assert _problem("requests.special_group_factor", "1.5") == "settings.out_of_range"
    assert _problem("requests.special_group_factor", "0.05") == "settings.out_of_range"
    assert _problem("requests.special_group_factor", "nan") == "settings.not_a_number"
    assert parse_value("requests.special_group_factor", "0.75") == 0.75
    assert _problem("requests.escalation_grace_hours", "73") == "settings.out_of_range"
    assert parse_value("requests.escalation_grace_hours", "0") == 0
    assert _("settings.out_of_range", low="3", high="20") == "须在 3–20 之间"


def test_working_hours_are_checked() -> None:
    key = "calendar.working_hours"
    assert parse_value(key, "8:30-12:00  14:00–17:30") == [["08:30", "12:00"], ["14:00", "17:30"]]
    assert parse_value(key, "０９：００～１７：００") == [["09:00", "17:00"]]  # an input method's
    assert _problem(key, "14:00-17:30 08:30-12:00") == "settings.ranges_overlap"  # not in order
    assert _problem(key, "08:30-12:00 11:00-17:30") == "settings.ranges_overlap"
    assert _problem(key, "12:00-08:30") == "settings.range_backwards"
    assert _problem(key, "08:30-25:00") == "settings.bad_time"
    assert _problem(key, "8.30-12") == "settings.bad_time"
    assert _problem(key, "08:30") == "settings.range_format"
    assert _problem(key, "  ") == "validation.required"


def test_a_change_is_audited_with_from_and_to(demo_copy: SqliteDatabase) -> None:
    supervisor = staff_of(Role.ADMIN.value)
    change_setting("auth.idle_minutes", "5", actor_id=supervisor, now=DEMO_NOW)
    assert settings.get("auth.idle_minutes") == 5
    (entry,) = _audits("settings.changed")
    assert (entry.entity, entry.entity_id, entry.actor_id) == ("setting", None, supervisor)
    assert entry.at == DEMO_NOW
    assert '"from": "10"' in entry.detail and '"to": "5"' in entry.detail
    assert '"key": "auth.idle_minutes"' in entry.detail
    # the same value again: nothing written, nothing audited
    change_setting("auth.idle_minutes", "05", actor_id=supervisor, now=DEMO_NOW)
    assert len(_audits("settings.changed")) == 1
    # a setting at its default reset: nothing either
    reset_setting("auth.lock_after", actor_id=supervisor, now=DEMO_NOW)
    assert not _audits("settings.reset")


def test_reset_goes_back_to_the_default(demo_copy: SqliteDatabase) -> None:
    lead = staff_of(Role.SUPERVISOR.value)
    community = _community_of(lead)
    change_setting("requests.special_group_factor", "0.8", actor_id=lead, now=DEMO_NOW)
    assert settings.get("requests.special_group_factor", community) == 0.8
    row = reset_setting("requests.special_group_factor", actor_id=lead, now=DEMO_NOW)
    assert (row.value, row.changed) == ("0.5", False)
    assert settings.get("requests.special_group_factor", community) == 0.5
    (entry,) = _audits("settings.reset")
    assert '"from": "0.8"' in entry.detail and '"to": "0.5"' in entry.detail
    assert entry.community_id == community  # in the community's own chain


def test_working_hours_change_due_times(demo_copy: SqliteDatabase) -> None:
    rule: Any = DueRule.select().where(DueRule.urgency == Urgency.NORMAL).first()
    hours = float(rule.hours)
    supervisor = staff_of(Role.SUPERVISOR.value)
    community = _community_of(supervisor)
    before = due_at(
        rule.category_id,
        Urgency.NORMAL,
        MONDAY,
        workcalendar.load(community),
        special_group=False,
        community_id=community,
    )
    assert workcalendar.load(community).add_working_hours(MONDAY, 4) == datetime(
        2026, 11, 30, 16, 0
    )
    change_setting("calendar.working_hours", "09:00-17:00", actor_id=supervisor, now=DEMO_NOW)
    calendar = workcalendar.load(community)
    assert calendar.add_working_hours(MONDAY, 4) == datetime(2026, 11, 30, 14, 0)
    after = due_at(
        rule.category_id,
        Urgency.NORMAL,
        MONDAY,
        calendar,
        special_group=False,
        community_id=community,
    )
    assert after == calendar.add_working_hours(MONDAY, hours) and after != before
    # another community keeps its own day
    other = workcalendar.load(community + 1)
    assert other.add_working_hours(MONDAY, 4) == datetime(2026, 11, 30, 16, 0)


def test_each_community_has_its_special_group_share(demo_copy: SqliteDatabase) -> None:
    rule: Any = DueRule.select().where(DueRule.urgency == Urgency.NORMAL).first()
    lead = staff_of(Role.SUPERVISOR.value)
    community = _community_of(lead)
    change_setting("requests.special_group_factor", "0.25", actor_id=lead, now=DEMO_NOW)
    ours = allowed_hours(
        rule.category_id, Urgency.NORMAL, special_group=True, community_id=community
    )
    theirs = allowed_hours(
        rule.category_id, Urgency.NORMAL, special_group=True, community_id=community + 1
    )
    assert ours == float(rule.hours) * 0.25 and theirs == float(rule.hours) * 0.5


# ------------------------------------------------------------------------------------- Pilot


async def _open(pilot: Any) -> SettingsScreen:
    await settle(pilot)
    await pilot.press("f10")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen) and screen.loaded and not screen.problem
    return screen


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_admin_sets_the_idle_lock_keyboard_only(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock, "zh", ADMIN)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        assert app.idle_minutes == 10
        current = screen._current()
        assert current is not None and current.key == "auth.idle_minutes"
        assert "0 表示不自动锁屏" in _text(screen, "#se-help")
        await _keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, SettingFormScreen)
        field = form.query_one("#f-value", Input)
        assert form.focused is field and field.value == "10"
        await _keys(pilot, "backspace", "backspace", "5", "enter")
        assert app.screen is screen
        assert settings.get("auth.idle_minutes") == 5
        assert app.idle_minutes == 5
        table = screen.query_one("#se-table", DataTable)
        assert "5 分钟" in str(table.get_row("auth.idle_minutes"))
        # and back to the default, after asking
        await _keys(pilot, "d")
        assert isinstance(app.screen, ChoiceScreen)
        await _keys(pilot, "1")
        assert app.screen is screen
        assert settings.get("auth.idle_minutes") == 10 and app.idle_minutes == 10
        await _keys(pilot, "escape")
        assert not isinstance(app.screen, SettingsScreen)
    assert [e.action for e in AuditEntry.select().where(AuditEntry.entity == "setting")] == [
        "settings.changed",
        "settings.reset",
    ]


async def test_a_bad_value_shows_its_message_and_writes_nothing(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock, "zh", ADMIN)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _open(pilot)
        await _keys(pilot, "enter", "backspace", "backspace", *"300", "enter")
        form = app.screen
        assert isinstance(form, SettingFormScreen)
        assert _text(form, "#m-value") == "须为 0（不锁屏）或 1–240 之间"
        assert app.idle_minutes == 10
        await _keys(pilot, "escape", "2")  # something typed: asked, then thrown away
        assert isinstance(app.screen, SettingsScreen)
    assert Setting.get_or_none(Setting.key == "auth.idle_minutes") is None
    assert settings.get("auth.idle_minutes") == 10
    assert not _audits("settings.changed")


async def test_working_hours_out_of_order_in_english(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock, "en", SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        await _keys(pilot, *["down"] * 2)
        current = screen._current()
        assert current is not None and current.key == "calendar.working_hours"
        typed = [*"14:00-17:30", "space", *"08:30-12:00"]
        await _keys(pilot, "e", "home", "ctrl+k", *typed, "ctrl+s")
        form = app.screen
        assert isinstance(form, SettingFormScreen)
        assert "in order and not overlap" in _text(form, "#m-value")
    assert settings.get("calendar.working_hours", _community_of(staff_of("supervisor"))) == [
        ["08:30", "12:00"],
        ["14:00", "17:30"],
    ]


async def test_reception_cannot_open_settings(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    app = desk_on(demo_copy, clock, "zh", RECEPTION)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        before = app.screen
        await _keys(pilot, "f10")
        assert app.screen is before and not isinstance(app.screen, SettingsScreen)
        titles = [str(c.title) for c in app.get_system_commands(app.screen)]
        assert _("palette.settings") not in titles


async def test_the_palette_offers_settings_to_the_admin(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock, "zh", ADMIN)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _open(pilot)
        titles = [str(c.title) for c in app.get_system_commands(screen)]
        assert _("palette.settings") in titles and _("settings.palette.edit") in titles


# ---------------------------------------------------------------------------------- snapshots


async def _push_settings(pilot: Any) -> None:
    await _open(pilot)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_list_snapshot(snap_compare: Any, app_factory: Any, language: str) -> None:
    assert snap_compare(
        app_factory(language, operator=ADMIN),
        terminal_size=SNAPSHOT_SIZE,
        run_before=_push_settings,
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_community_list_snapshot(snap_compare: Any, app_factory: Any, language: str) -> None:
    assert snap_compare(
        app_factory(language, operator=SUPERVISOR),
        terminal_size=SNAPSHOT_SIZE,
        run_before=_push_settings,
    )


def test_two_supervisors_on_one_setting_no_lost_change(demo_copy: SqliteDatabase) -> None:
    from frontdesk.errors import UserError

    first = staff_of("supervisor")
    second = Staff.get(Staff.username == "lead-lj-2").id
    key = "requests.escalation_grace_hours"
    shown = "4"  # both opened the form on the default
    change_setting(key, "5", actor_id=first, now=DEMO_NOW, loaded=shown)
    with pytest.raises(UserError) as refused:
        change_setting(key, "30", actor_id=second, now=DEMO_NOW, loaded=shown)
    assert Staff.get_by_id(first).display_name in str(refused.value)
    assert "11-29 10:30" in str(refused.value)
    assert settings.get(key, _community_of(first)) == 5


def test_the_sweep_waits_each_communitys_own_grace(demo_copy: SqliteDatabase) -> None:
    """Due times and escalation read the request's community's hours and grace."""
    from frontdesk.db.models import Request
    from frontdesk.requests.escalation import sweep
    from frontdesk.requests.intake import create_request
    from tests.test_requests import NOW, _resident, light_out

    settings.put("calendar.working_hours", [["07:00", "21:00"]])  # the installation's, before
    settings.put("requests.escalation_grace_hours", 1)
    lead = staff_of(Role.SUPERVISOR.value)
    community = _community_of(lead)
    change_setting("calendar.working_hours", "09:00-17:00", actor_id=lead, now=DEMO_NOW)
    change_setting("requests.escalation_grace_hours", "8", actor_id=lead, now=DEMO_NOW)
    calendar = workcalendar.load(community)
    logged = create_request(
        light_out(_resident(untagged=True), "locksmith", "urgent"),
        actor_id=staff_of(),
        now=NOW,
    )
    assert logged.due_at == calendar.add_working_hours(NOW, 4) == datetime(2026, 11, 30, 13, 0)
    sweep(calendar.add_working_hours(logged.due_at, 4))  # the default grace: not theirs
    row: Any = Request.get_by_id(logged.id)
    assert row.overdue_since == logged.due_at and row.level == "grid"
    sweep(calendar.add_working_hours(logged.due_at, 8))
    assert Request.get_by_id(logged.id).level == "community"


@pytest.fixture(scope="module")
def district_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two communities of one subdistrict (丽景街 and 凤山), generated once for the module."""
    from frontdesk.demo import DemoOptions, generate

    path = tmp_path_factory.mktemp("district") / "district.db"
    db = open_database(path, create=True, now=FixedClock(DEMO_NOW).now)
    try:
        generate(DemoOptions(seed=7, residents=12_000, today=DEMO_NOW.date()))
    finally:
        db.close()
    return path


def test_a_stale_save_names_who_changed_this_communitys_value(
    district_file: Path, tmp_path: Path
) -> None:
    """Once: lead-lj-1 was told 凤山's supervisor had changed 丽景街's grace."""
    from frontdesk.errors import UserError

    path = tmp_path / "district.db"
    shutil.copy(district_file, path)
    db = open_database(path, create=False, now=FixedClock(DEMO_NOW).now)
    try:
        lj_1, lj_2, fs_1 = (
            Staff.get(Staff.username == name) for name in ("lead-lj-1", "lead-lj-2", "lead-fs-1")
        )
        assert lj_1.community_id != fs_1.community_id
        key = "requests.escalation_grace_hours"
        shown = "4"  # every form opened on the default
        later = DEMO_NOW + timedelta(minutes=5)
        change_setting(key, "6", actor_id=lj_2.id, now=DEMO_NOW, loaded=shown)
        change_setting(key, "8", actor_id=fs_1.id, now=later, loaded=shown)  # 凤山's own
        with pytest.raises(UserError) as refused:
            change_setting(key, "5", actor_id=lj_1.id, now=later, loaded=shown)
        message = str(refused.value)
        assert lj_2.display_name in message and "11-29 10:30" in message
        assert fs_1.display_name not in message
        assert settings.get(key, lj_1.community_id) == 6
        assert settings.get(key, fs_1.community_id) == 8
    finally:
        db.close()
