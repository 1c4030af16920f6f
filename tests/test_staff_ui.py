"""Staff management through Pilot, keyboard only: a new account and its temporary password,
a grid handed over in the form, a refusal under its field, disable and reset from the list; and
the look of the list at 80×24 in Chinese and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Select, Static

from frontdesk import auth
from frontdesk.app import FrontdeskApp, make_app
from frontdesk.auth.passwords import verify_password
from frontdesk.clock import FixedClock
from frontdesk.db.models import AuditEntry, GridL4, Staff
from frontdesk.i18n import _
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.office.staff import StaffScreen
from frontdesk.screens.office.staff_form import GridPicker, StaffFormScreen
from frontdesk.screens.office.temp_password import TempPasswordScreen
from frontdesk.staff import StaffInput, create_staff
from tests.conftest import ADMIN, DEMO_NOW, SNAPSHOT_SIZE, SUPERVISOR, desk_on
from tests.conftest import settle as _settle
from tests.roles import staff_of


def _app(db: SqliteDatabase, clock: FixedClock, language: str = "zh") -> FrontdeskApp:
    return desk_on(db, clock, language, SUPERVISOR)


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await _settle(pilot)


async def _staff_screen(pilot: Any) -> StaffScreen:
    await _settle(pilot)
    screen = StaffScreen()
    pilot.app.push_screen(screen)
    await _settle(pilot)
    assert pilot.app.screen is screen and screen.loaded
    return screen


async def _to_row(pilot: Any, screen: StaffScreen, username: str) -> None:
    """Down the list to ``username`` (the list is by role, then user name)."""
    index = next(i for i, row in enumerate(screen.rows) if row.username == username)
    table = screen.query_one("#st-table", DataTable)
    assert table.has_focus and table.cursor_row == 0
    for _step in range(index):
        await pilot.press("down")
    await _settle(pilot)
    current = screen._current()
    assert current is not None and current.username == username


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_create_an_account_keyboard_only(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        await _keys(pilot, "n")
        form = app.screen
        assert isinstance(form, StaffFormScreen)
        assert form.focused is not None and form.focused.id == "f-username"
        assert not form.query_one("#row-grids").display  # no role yet: no grids
        await _keys(pilot, *"wang.fang", "tab", *"王芳", "tab")
        assert form.focused is not None and form.focused.id == "f-role"
        await _keys(pilot, "enter", "down", "enter")  # the first role: 前台
        assert form.selected("role") == "reception"
        await _keys(pilot, "tab", *"139 1234 5678", "ctrl+s")
        shown = app.screen
        assert isinstance(shown, TempPasswordScreen)
        password = _text(shown, "#tp-password")
        assert len(password) == 10 and "wang.fang" in _text(shown, "#tp-who")
        row: Any = Staff.get(Staff.username == "wang.fang")
        assert (row.display_name, row.role, row.phone) == ("王芳", "reception", "13912345678")
        assert row.must_change_password and row.active
        assert verify_password(password, row.password_hash) and password not in row.password_hash
        await _keys(pilot, "enter")
        assert app.screen is screen
        table = screen.query_one("#st-table", DataTable)
        assert str(row.id) in [key.value for key in table.rows]
    operator = auth.sign_in("wang.fang", password, now=DEMO_NOW)
    assert operator.must_change_password


async def test_a_refused_field_shows_its_message(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _staff_screen(pilot)
        await _keys(pilot, "n", *"desk-lj-1", "ctrl+s")
        form = app.screen
        assert isinstance(form, StaffFormScreen)
        assert "用户名已有人用" in _text(form, "#m-username")
        assert _text(form, "#m-display_name") == "必填"
        assert form.focused is not None and form.focused.id == "f-username"
        await _keys(pilot, "escape", "2")  # something typed: asked, then thrown away
        assert isinstance(app.screen, StaffScreen)
    assert Staff.select().where(Staff.username == "desk-lj-1").count() == 1


async def test_a_grid_handed_over_in_the_form(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    taker: Any = Staff.get(Staff.username == "gm-lj-02")
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        await _to_row(pilot, screen, "gm-lj-02")
        await _keys(pilot, "e")
        form = app.screen
        assert isinstance(form, StaffFormScreen) and form.query_one("#row-grids").display
        await _keys(pilot, "tab", "tab", "tab")
        picker = form.query_one("#f-grids", GridPicker)
        assert form.focused is picker and set(picker.selected) == {GridL4.get(code="1-2").id}
        await _keys(pilot, *"2-3")  # typed: the cursor jumps to grid 2-3
        assert picker.highlighted == picker.codes.index("2-3")
        await _keys(pilot, "space", "ctrl+s")
        assert app.screen is screen
    assert GridL4.get(GridL4.code == "2-3").manager_id == taker.id
    assert GridL4.get(GridL4.code == "1-2").manager_id == taker.id
    entry: Any = (
        AuditEntry.select()
        .where(AuditEntry.entity_id == taker.id)
        .order_by(AuditEntry.id.desc())
        .first()
    )
    assert entry.action == "staff.updated" and "2-3" in entry.detail


async def test_a_grid_is_not_left_without_a_manager_in_the_form(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock, "en")
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        await _to_row(pilot, screen, "gm-lj-01")
        await _keys(pilot, "enter", "tab", "tab", "tab", "space", "ctrl+s")
        form = app.screen
        assert isinstance(form, StaffFormScreen)
        message = _text(form, "#m-grids")
        assert "1-1" in message and "cannot be left without a manager" in message
    grid: Any = GridL4.get(GridL4.code == "1-1")
    assert grid.manager.username == "gm-lj-01"


async def test_disable_and_enable_from_the_list(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        await _to_row(pilot, screen, "desk-lj-2")
        await _keys(pilot, "d")
        assert isinstance(app.screen, ChoiceScreen)
        await _keys(pilot, "1")
        assert app.screen is screen
        assert not Staff.get(Staff.username == "desk-lj-2").active
        current = screen._current()
        assert current is not None and not current.active
        assert "停用" in str(screen.query_one("#st-table", DataTable).get_row(str(current.id)))
        await _keys(pilot, "d", "1")  # d on a disabled account enables it
        assert Staff.get(Staff.username == "desk-lj-2").active


async def test_disabling_yourself_is_refused_before_asking(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        await _to_row(pilot, screen, SUPERVISOR)
        await _keys(pilot, "d")
        assert app.screen is screen
        assert any("不能停用自己" in str(n.message) for n in app._notifications)
    assert Staff.get(Staff.username == SUPERVISOR).active


async def test_reset_a_password_from_the_list(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        await _to_row(pilot, screen, "desk-lj-2")
        await _keys(pilot, "r")
        assert isinstance(app.screen, ChoiceScreen)
        await _keys(pilot, "1")
        shown = app.screen
        assert isinstance(shown, TempPasswordScreen) and shown.reset
        password = _text(shown, "#tp-password")
        await _keys(pilot, "escape")
        assert app.screen is screen
        current = screen._current()
        assert current is not None and current.must_change_password
    assert auth.sign_in("desk-lj-2", password, now=DEMO_NOW).must_change_password


async def test_a_role_without_the_permission_sees_why(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = make_app(
        db_path=Path(demo_copy.database),
        clock=clock,
        language="zh",
        demo=True,
        steady_cursor=True,
        operator="desk-lj-1",
    )
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        assert not screen.rows and "管理工作人员" in _text(screen, "#st-counts")
        await _keys(pilot, "n")
        assert app.screen is screen


async def test_the_list_follows_a_language_switch(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        await _to_row(pilot, screen, "gm-lj-01")
        app.set_language("en")
        await _settle(pilot)
        table = screen.query_one("#st-table", DataTable)
        assert [str(c.label) for c in table.columns.values()][:3] == ["Name", "User name", "Role"]
        assert table.row_count == len(screen.rows)
        assert "Grid manager" in [str(cell) for cell in table.get_row_at(2)]
        assert "accounts" in _text(screen, "#st-counts")


async def test_escape_goes_back(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await _settle(pilot)
        before = app.screen
        await _staff_screen(pilot)
        await _keys(pilot, "escape")
        assert app.screen is before


# ---------------------------------------------------------------------- waiting accounts


def _waiting(username: str = "aaa.new") -> int:
    """A reception account the administrator made: it waits for the leadership."""
    new = create_staff(
        StaffInput(username=username, display_name="王芳", role="reception"),
        actor_id=staff_of("admin"),
        now=DEMO_NOW,
    )
    assert new.pending
    return new.id


def _footer_keys(app: Any) -> set[str]:
    return {
        active.binding.key
        for active in app.screen.active_bindings.values()
        if active.binding.show and active.enabled
    }


async def test_confirm_a_waiting_account_keyboard_only(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    staff_id = _waiting()
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        assert "待确认 1" in _text(screen, "#st-counts")
        assert "c 确认" in _text(screen, "#st-hint")
        await _to_row(pilot, screen, "desk-lj-1")
        assert "c" in _footer_keys(app)  # while one waits; on another it says so
        await _keys(pilot, "c")
        assert app.screen is screen
        told = [n.message for n in app._notifications]
        assert any("没有等待确认的变更" in message for message in told), told
        await _keys(pilot, "up")
        current = screen._current()
        assert current is not None and current.id == staff_id and current.pending
        assert "待确认" in str(screen.query_one("#st-table", DataTable).get_row(str(staff_id)))
        assert "c" in _footer_keys(app)
        await _keys(pilot, "c")
        assert isinstance(app.screen, ChoiceScreen)
        await _keys(pilot, "1")
        shown = app.screen
        assert isinstance(shown, TempPasswordScreen) and "账户已确认" in _text(shown, "#tp-title")
        password = _text(shown, "#tp-password")
        await _keys(pilot, "escape")
        assert app.screen is screen
        assert "c" not in _footer_keys(app) and "待确认" not in _text(screen, "#st-counts")
    assert auth.sign_in("aaa.new", password, now=DEMO_NOW).must_change_password


async def test_the_palette_reaches_confirm(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    _waiting()
    app = _app(demo_copy, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        titles = [str(c.title) for c in app.get_system_commands(app.screen)]
        assert app.screen is screen and _("staff.palette.confirm") in titles


async def test_the_admin_makes_an_account_that_waits(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock, "zh", ADMIN)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        screen = await _staff_screen(pilot)
        await _keys(pilot, "n")
        form = app.screen
        assert isinstance(form, StaffFormScreen)
        await _keys(pilot, *"wang.fang", "tab", *"王芳", "tab", "enter", "down", "enter")
        assert form.selected("role") == "reception"
        await _keys(pilot, "ctrl+s")
        assert app.screen is screen  # no password to show: the leadership gets it
        assert any("等待本社区负责人确认" in str(n.message) for n in app._notifications)
        row = next(r for r in screen.rows if r.username == "wang.fang")
        assert row.pending and "c" not in _footer_keys(app)  # the admin does not confirm
        assert screen.check_action("confirm", ()) is False
    with pytest.raises(auth.SignInFailed):
        auth.sign_in("wang.fang", "", now=DEMO_NOW)


async def test_the_form_offers_only_the_roles_one_may_give(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    for operator, roles in (
        (SUPERVISOR, ["reception", "grid_manager", "supervisor"]),
        (ADMIN, ["reception", "grid_manager", "subdistrict", "admin"]),
    ):
        app = desk_on(demo_copy, clock, "zh", operator)
        async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
            await _staff_screen(pilot)
            await _keys(pilot, "n")
            select = app.screen.query_one("#f-role", Select)
            assert [value for _label, value in select._options[1:]] == roles


# ---------------------------------------------------------------------------------- snapshots


def _push_staff(*keys: str) -> Any:
    async def run(pilot: Any) -> None:
        await _staff_screen(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run


@pytest.mark.parametrize("language", ["zh", "en"])
def test_list_snapshot(snap_compare: Any, app_factory: Any, language: str) -> None:
    assert snap_compare(
        app_factory(language), terminal_size=SNAPSHOT_SIZE, run_before=_push_staff()
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_new_form_snapshot(snap_compare: Any, app_factory: Any, language: str) -> None:
    assert snap_compare(
        app_factory(language), terminal_size=SNAPSHOT_SIZE, run_before=_push_staff("n")
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_edit_grid_manager_snapshot(snap_compare: Any, app_factory: Any, language: str) -> None:
    keys = ("down", "down", "e")  # gm-lj-01, after the two reception accounts
    assert snap_compare(
        app_factory(language), terminal_size=SNAPSHOT_SIZE, run_before=_push_staff(*keys)
    )
