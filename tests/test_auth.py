"""Signing in: one message for every failure, the lock after five wrong passwords, changing the
password; then the login, lock and switch-operator flows in the app."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import IntegrityError, SqliteDatabase
from textual import events
from textual.widgets import Input, Static

from frontdesk import audit
from frontdesk.app import FrontdeskApp, make_app
from frontdesk.auth.passwords import hash_password
from frontdesk.auth.signin import SignInFailed, change_password, sign_in, unlock
from frontdesk.clock import FixedClock
from frontdesk.db.models import AuditEntry, Setting, Staff
from frontdesk.errors import UserError
from frontdesk.overview import DEMO_ACCOUNTS_SETTING
from frontdesk.screens.base.forms import field_id
from frontdesk.screens.desk.change_password import ChangePasswordScreen
from frontdesk.screens.desk.demo_roster import DemoRosterScreen
from frontdesk.screens.desk.home import HomeScreen
from frontdesk.screens.desk.lock import LockScreen
from frontdesk.screens.desk.login import LoginScreen
from frontdesk.screens.requests.queue import RequestsScreen
from frontdesk.screens.residents.resident_form import ResidentFormScreen
from tests.conftest import DEMO_NOW, GRID_MANAGER, RECEPTION, SUPERVISOR, desk_on
from tests.conftest import settle as _settle

NOW = DEMO_NOW
PASSWORDS = {RECEPTION: "desk2026", SUPERVISOR: "lead2026", GRID_MANAGER: "grid2026"}


def _row(username: str) -> Any:
    return Staff.get(Staff.username == username)


def _failure(username: str, password: str, now: Any = NOW) -> str:
    with pytest.raises(SignInFailed) as failed:
        sign_in(username, password, now=now)
    return str(failed.value)


# -- the service -------------------------------------------------------------------------------


def test_sign_in_returns_the_operator_and_is_recorded(demo_copy: SqliteDatabase) -> None:
    operator = sign_in(RECEPTION, PASSWORDS[RECEPTION], now=NOW)
    assert operator.username == RECEPTION and operator.role == "reception"
    assert _row(RECEPTION).last_login_at == NOW
    actions = [e.action for e in audit.entries_for("staff", operator.id)]
    assert actions == ["auth.sign_in"]


def test_every_failure_says_the_same_thing(demo_copy: SqliteDatabase) -> None:
    wrong_password = _failure(RECEPTION, "nope")
    unknown_user = _failure("nobody-here", PASSWORDS[RECEPTION])
    Staff.update(active=False).where(Staff.username == SUPERVISOR).execute()
    disabled = _failure(SUPERVISOR, PASSWORDS[SUPERVISOR])
    assert wrong_password == unknown_user == disabled
    assert "用户名或密码" in wrong_password


def test_five_wrong_passwords_lock_the_account_for_a_while(demo_copy: SqliteDatabase) -> None:
    for _ in range(4):
        _failure(RECEPTION, "wrong")
    assert _row(RECEPTION).failed_logins == 4 and _row(RECEPTION).locked_until is None
    message = _failure(RECEPTION, "wrong")
    locked_until = _row(RECEPTION).locked_until
    assert locked_until == NOW + timedelta(minutes=15)
    # locked: even the right password fails, with the very same message
    assert _failure(RECEPTION, PASSWORDS[RECEPTION], NOW + timedelta(minutes=5)) == message
    # the lock runs out
    later = NOW + timedelta(minutes=16)
    assert sign_in(RECEPTION, PASSWORDS[RECEPTION], now=later).username == RECEPTION
    assert _row(RECEPTION).failed_logins == 0
    actions = [e.action for e in audit.entries_for("staff", _row(RECEPTION).id)]
    assert actions.count("auth.sign_in_failed") == 6 and "auth.locked" in actions


def test_a_right_password_resets_the_count(demo_copy: SqliteDatabase) -> None:
    for _ in range(3):
        _failure(RECEPTION, "wrong")
    sign_in(RECEPTION, PASSWORDS[RECEPTION], now=NOW)
    for _ in range(4):
        _failure(RECEPTION, "wrong")
    assert _row(RECEPTION).locked_until is None


def test_unlock_wants_the_same_persons_password(demo_copy: SqliteDatabase) -> None:
    staff_id = _row(RECEPTION).id
    assert unlock(staff_id, PASSWORDS[RECEPTION], now=NOW).id == staff_id
    with pytest.raises(SignInFailed):
        unlock(staff_id, PASSWORDS[SUPERVISOR], now=NOW)
    assert _row(RECEPTION).failed_logins == 1


def test_change_password_rules(demo_copy: SqliteDatabase) -> None:
    staff_id = _row(RECEPTION).id
    old = PASSWORDS[RECEPTION]
    with pytest.raises(UserError, match="至少"):
        change_password(staff_id, old, "short", now=NOW)
    with pytest.raises(UserError, match="用户名"):
        change_password(staff_id, old, RECEPTION, now=NOW)
    with pytest.raises(UserError, match="原密码"):
        change_password(staff_id, old, old, now=NOW)
    with pytest.raises(SignInFailed):
        change_password(staff_id, "not-the-old-one", "a-new-password", now=NOW)
    Staff.update(must_change_password=True).where(Staff.id == staff_id).execute()
    operator = change_password(staff_id, old, "a-new-password", now=NOW)
    assert not operator.must_change_password
    assert sign_in(RECEPTION, "a-new-password", now=NOW).id == staff_id
    _failure(RECEPTION, old)
    stored = _row(RECEPTION).password_hash
    assert stored.startswith("scrypt$") and "a-new-password" not in stored


def test_the_audit_log_refuses_updates_and_deletes(demo_copy: SqliteDatabase) -> None:
    sign_in(RECEPTION, PASSWORDS[RECEPTION], now=NOW)
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEntry.update(reason="x").execute()
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEntry.delete().execute()


# -- the app -----------------------------------------------------------------------------------


def _app(db: SqliteDatabase, clock: FixedClock, operator: str | None = None) -> FrontdeskApp:
    return desk_on(db, clock, "zh", operator)


async def _type(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press(char)


async def _log_in(pilot: Any, username: str, password: str) -> None:
    await _settle(pilot)
    await _type(pilot, username)
    await pilot.press("enter")
    await _type(pilot, password)
    await pilot.press("enter")
    await _settle(pilot)
    await _settle(pilot)


def _text(app: FrontdeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_login_shows_demo_accounts_and_keeps_the_desk_shut(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "desk-lj-1 / desk2026" in _text(app, "#login-demo")
        assert "未登录" in _text(app, "#header-operator")
        for key in ("f3", "f4", "f5", "f6"):  # nothing behind the login opens
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, LoginScreen)
        await pilot.press("f2")  # a demo database: F2 lists the demo's accounts, nothing else
        await _settle(pilot)
        assert isinstance(app.screen, DemoRosterScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await _log_in(pilot, RECEPTION, "wrong")
        assert isinstance(app.screen, LoginScreen)
        assert "用户名或密码" in _text(app, "#login-message")
        assert app.screen.query_one("#login-password", Input).value == ""
        await _type(pilot, PASSWORDS[RECEPTION])
        await pilot.press("enter")
        await _settle(pilot)
        await _settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        name = _row(RECEPTION).display_name
        assert name in _text(app, "#header-operator") and "前台" in _text(app, "#header-operator")


async def test_an_account_that_waits_is_told_so_after_the_right_password(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """The admin gave the reception account another role: it waits for the leadership."""
    desk: Any = _row(RECEPTION)
    Staff.update(pending_change="role", pending_by=_row("admin").id, pending_since=NOW).where(
        Staff.id == desk.id
    ).execute()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _log_in(pilot, RECEPTION, "wrong")
        assert "用户名或密码" in _text(app, "#login-message")  # the one message for failures
        await _type(pilot, PASSWORDS[RECEPTION])
        await pilot.press("enter")
        await _settle(pilot)
        await _settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "等待社区负责人确认" in _text(app, "#login-message")
    assert _row(RECEPTION).last_login_at is None


async def test_a_desk_on_a_seeded_demo_database_lists_its_accounts(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """Not ``--demo``: ``frontdesk --db`` (an SSH desk) on a database ``frontdesk seed`` made."""
    Staff.update(active=False).where(Staff.username == GRID_MANAGER).execute()
    app = make_app(db_path=Path(demo_copy.database), clock=clock, language="en", steady_cursor=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        listed = _text(app, "#login-demo")
        for user, password in (
            (RECEPTION, "desk2026"),
            (SUPERVISOR, "lead2026"),
            ("jd-lhc-1", "jiedao2026"),
            ("admin", "admin2026"),
        ):
            assert f"{user} / {password}" in listed
        assert GRID_MANAGER not in listed  # disabled since: not offered


async def test_a_database_the_demo_did_not_make_lists_no_accounts(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    Setting.delete().where(Setting.key == DEMO_ACCOUNTS_SETTING).execute()
    app = make_app(db_path=Path(demo_copy.database), clock=clock, language="zh", steady_cursor=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "desk2026" not in _text(app, "#login-demo")


async def test_a_grid_manager_lands_on_their_requests(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _log_in(pilot, GRID_MANAGER, PASSWORDS[GRID_MANAGER])
        assert isinstance(app.screen, RequestsScreen)
        assert app.screen.filters.holder_id == _row(GRID_MANAGER).id


async def test_the_lock_hides_the_screen_and_keeps_a_half_filled_form(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock, operator=SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        person = Staff.get(Staff.username == SUPERVISOR)
        from frontdesk.db.models import Resident

        resident = Resident.select().where(Resident.status == "living").first()
        app.open_resident(resident.id)
        await _settle(pilot)
        await pilot.press("e")
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, ResidentFormScreen)
        notes = form.query_one(f"#{field_id('notes')}", Input)
        notes.focus()
        await _type(pilot, "半截备注")
        # ten idle minutes later
        app.idle_minutes = 10
        app.lock_when_idle(app.last_input + 10 * 60 + 1)  # (x + 600) - x may fall short of 600
        await _settle(pilot)
        assert isinstance(app.screen, LockScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert resident.name not in shown and "半截备注" not in shown
        for key in ("f2", "f4", "ctrl+p", "escape"):  # nothing gets past the lock
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, LockScreen)
        await _type(pilot, "wrong-one")
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "用户名或密码" in _text(app, "#lock-message")
        await _type(pilot, PASSWORDS[SUPERVISOR])
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen is form
        assert "半截备注" in form.query_one(f"#{field_id('notes')}", Input).value
        assert app.desk.operator is not None and app.desk.operator.id == person.id


async def test_switch_operator_closes_everything_and_asks_again(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock, operator=SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("f2")
        await _settle(pilot)
        await _type(pilot, "王")
        await _settle(pilot)
        await pilot.press("f8")
        await _settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.desk.operator is None
        await _log_in(pilot, RECEPTION, PASSWORDS[RECEPTION])
        assert app.desk.operator is not None and app.desk.operator.username == RECEPTION
        await pilot.press("f2")
        await _settle(pilot)
        assert app.screen.query_one("#search", Input).value == ""  # nothing of the last person
        actions = [e.action for e in audit.entries_for("staff", _row(SUPERVISOR).id)]
        assert "auth.sign_out" in actions


async def test_a_reset_password_must_be_changed_first(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    Staff.update(password_hash=hash_password("temp-1234"), must_change_password=True).where(
        Staff.username == RECEPTION
    ).execute()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _log_in(pilot, RECEPTION, "temp-1234")
        assert isinstance(app.screen, ChangePasswordScreen)
        assert app.desk.operator is None  # not signed in until the new password is set
        for key in ("f2", "f4", "f5"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ChangePasswordScreen)
        await _type(pilot, "short")
        await pilot.press("enter")
        await _type(pilot, "short")
        await pilot.press("enter")
        await _settle(pilot)
        assert "至少" in _text(app, "#password-message")
        await _type(pilot, "new-password-1")
        await pilot.press("enter")
        await _type(pilot, "new-password-1")
        await pilot.press("enter")
        await _settle(pilot)
        await _settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not _row(RECEPTION).must_change_password
    assert sign_in(RECEPTION, "new-password-1", now=NOW).username == RECEPTION


async def test_escape_from_the_forced_change_signs_out(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    Staff.update(password_hash=hash_password("temp-1234"), must_change_password=True).where(
        Staff.username == RECEPTION
    ).execute()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _log_in(pilot, RECEPTION, "temp-1234")
        assert isinstance(app.screen, ChangePasswordScreen)
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.desk.operator is None


async def test_a_password_typed_ahead_lands_in_the_password_box(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """Name, Enter, password, Enter arriving at once (a busy machine, an SSH link)."""
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        typed = [*RECEPTION, "enter", *PASSWORDS[RECEPTION], "enter"]
        for key in typed:  # as the terminal driver does: all queued before any is handled
            character = "\r" if key == "enter" else key
            app.post_message(events.Key(key, character))
        await _settle(pilot)
        await _settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.desk.operator is not None and app.desk.operator.username == RECEPTION


async def test_tab_and_a_language_switch_keep_the_login_keyboard_only(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """A wrong user name is corrected with Shift+Tab; switching the language at the login keeps
    the focus in the user name, what was typed in it, and the demo's accounts."""
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        name = app.screen.query_one("#login-username", Input)
        password = app.screen.query_one("#login-password", Input)
        await _type(pilot, "desk")
        await pilot.press("tab")
        assert password.has_focus
        await pilot.press("shift+tab")
        assert name.has_focus and name.value == "desk"
        app.set_language("en")
        await _settle(pilot)
        await _settle(pilot)
        name = app.screen.query_one("#login-username", Input)
        assert name.has_focus and name.value == "desk"
        assert "desk-lj-1 / desk2026" in _text(app, "#login-demo")
        await _type(pilot, "-lj-1")
        await pilot.press("enter")
        await _type(pilot, PASSWORDS[RECEPTION])
        await pilot.press("enter")
        await _settle(pilot)
        await _settle(pilot)
        assert isinstance(app.screen, HomeScreen), (
            name.value,
            _text(app, "#login-message"),
        )


async def test_the_administrator_has_no_residents_screen(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock, "zh", "admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        assert not app.check_action("switch_mode", ("residents",))
        before = app.screen
        await pilot.press("f2")
        await _settle(pilot)
        assert app.screen is before


async def test_after_switching_operator_the_next_person_types_their_own_name(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """F8 leaves nothing of the last person in the boxes: the next name is typed afresh."""
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _log_in(pilot, RECEPTION, PASSWORDS[RECEPTION])
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f8")
        await _settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-username", Input).value == ""
        await _log_in(pilot, SUPERVISOR, PASSWORDS[SUPERVISOR])
        assert app.desk.operator is not None and app.desk.operator.username == SUPERVISOR
