"""The application: wiring only — modes, keys, themes, language, the command palette."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import Reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import Theme
from textual.widgets import Input

from frontdesk import i18n
from frontdesk.app_keyorder import KeyOrder
from frontdesk.app_modes import MODE_NEEDS, MODES
from frontdesk.app_opening import DeskOpening, Prepare
from frontdesk.app_palette import desk_commands
from frontdesk.calls import in_connection
from frontdesk.clock import Clock
from frontdesk.db.sessions import SweeperLease
from frontdesk.desk import Desk
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Can, Operator, operator_named
from frontdesk.screens.base.localized import translate_bindings
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.base.theme import DARK_THEME, DESK_THEMES, LIGHT_THEME, few_colours
from frontdesk.screens.desk.lock import LockScreen
from frontdesk.vocabulary import Changes, CommunityRef, Role

if TYPE_CHECKING:
    from frontdesk.db.changes import ChangeWatch


NO_SHOW_SWEEP_SECONDS = 60
ESCALATION_SWEEP_SECONDS = 60
IDLE_CHECK_SECONDS = 5
AUDIT_CHECK_SECONDS = 300  # the audit log's guards and chain tails (see audit.alerts)
CHANGE_POLL_SECONDS = 1.0  # other sessions' changes show within this (plus a query)
# what is not needed to draw the first screen starts this long after it: the worker threads
# importing services and dictionaries would hold the interpreter's lock while it is drawn
SETTLED_SECONDS = 1.0
# what works at the login and at the lock: nothing that shows or changes data
# Tab and Shift+Tab move between the boxes at the login and the lock too (a wrong user name is
# corrected without a mouse)
MOVE_FOCUS = frozenset({"focus_next", "focus_previous"})
# and the demo's list of its accounts (a demo database only: see action_demo_accounts)
OPEN_ACTIONS = (
    frozenset({"quit", "help_quit", "help", "command_palette", "change_theme", "demo_accounts"})
    | MOVE_FOCUS
)
LOCKED_ACTIONS = frozenset({"quit", "help_quit", "switch_operator"}) | MOVE_FOCUS
# the permission each screen needs: MODE_NEEDS, beside the modes (frontdesk.app_modes)
ACTION_NEEDS = {
    "new_request": Can.LOG_REQUEST,
    "staff": Can.MANAGE_STAFF,
    "audit_log": Can.VIEW_AUDIT,
    "settings": Can.CONFIGURE,
}
INPUT_EVENTS = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


class FrontdeskApp(DeskOpening):
    # the login's own rules are read with the app's: the first screen needs no second parse
    CSS_PATH = ["app.tcss", "screens/desk/login.tcss"]
    MODES = MODES  # the login now, every other screen when first opened
    # the desk's theme from the start (the stylesheet is first parsed with its colours: no
    # second parse); 16-colour terminals get the terminal's own colours
    theme: Reactive[str] = Reactive(
        lambda: "ansi-dark" if few_colours(os.environ) else LIGHT_THEME.name
    )
    DEFAULT_MODE = "login"
    BINDINGS = [
        Binding("f1", "help", "key.help", id="help"),
        Binding("f2", "switch_mode('residents')", "key.residents", id="residents"),
        Binding("f3", "switch_mode('rooms')", "key.rooms", id="rooms"),
        Binding("f4", "switch_mode('requests')", "key.requests", id="requests"),
        Binding("f5", "switch_mode('home')", "key.home", id="home"),
        # Not in the footer (it would not fit 80 columns in English): F1 help and the palette.
        Binding("f6", "new_request", "key.new_request", show=False, id="new_request"),
        Binding("f7", "staff", "key.staff", show=False, id="staff"),
        # (from a pop-up too: DeskModal binds it, Textual keeps a modal from the app's keys)
        Binding("f8", "switch_operator", "key.switch_operator", show=False, id="switch_operator"),
        Binding("f9", "audit_log", "key.audit_log", show=False, id="audit_log"),
        Binding("f10", "settings", "key.settings", show=False, id="settings"),
        # F11 is the full screen of many terminals
        Binding("f12", "switch_mode('care')", "care_round.key_care", show=False, id="care"),
        Binding("ctrl+l", "lock", "key.lock", show=False, id="lock"),
        Binding("ctrl+p", "command_palette", "key.palette", priority=True, id="palette"),
        Binding("ctrl+q", "quit", "key.quit", show=False, priority=True, id="quit"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, desk: Desk, language: str, prepare: Prepare | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.last_input = time.monotonic()
        # the terminal's keys, handed out in order (on_event; frontdesk.app_keyorder)
        self.key_order = KeyOrder(self, super().on_event)
        self.idle_minutes = 0.0
        self.language = language
        self.language_changed: Signal[str] = Signal(self, "language_changed")
        # records other sessions (or this one's workers) wrote: screens showing them reload
        self.data_changed: Signal[Changes] = Signal(self, "data_changed")
        self.change_watch: ChangeWatch | None = None
        self.sweeper = SweeperLease(desk.db_path)
        self.prepare = prepare  # the database, still to be opened (or the demo made)
        self.open_error: UserError | None = None  # it could not be: the command line says why
        i18n.set_language(language)
        translate_bindings(self)
        self.title = _("app.title")

        self.register_theme(LIGHT_THEME)  # in the theme picker (F1 … Ctrl+P) too
        self.register_theme(DARK_THEME)

    def get_theme(self, theme_name: str) -> Theme | None:
        """The desk's own themes are known before ``App.__init__`` registers any."""
        return DESK_THEMES.get(theme_name) or super().get_theme(theme_name)

    def on_mount(self) -> None:
        self.data_changed.subscribe(self, self._settings_changed)
        self.set_timer(SETTLED_SECONDS, self.warm_up)
        if self.desk.operator is not None:  # started signed in (tests): communities read
            self._entered()

    def _start_rounds(self) -> None:
        """The rounds, the audit log's check and the watch for other desks' changes."""
        from frontdesk.db.changes import ChangeWatch

        self.set_interval(NO_SHOW_SWEEP_SECONDS, self.sweep_no_shows)
        self.set_interval(ESCALATION_SWEEP_SECONDS, self.sweep_requests)
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_when_idle)
        # its import and reads would compete with drawing the first screen
        self.set_timer(SETTLED_SECONDS, self.check_at_start)
        self.set_interval(AUDIT_CHECK_SECONDS, self.check_audit_log)
        self.change_watch = ChangeWatch(self.desk.db_path)
        self.set_interval(CHANGE_POLL_SECONDS, self.poll_changes)

    def _settings_changed(self, changes: Changes) -> None:
        """A supervisor at another desk changed the idle lock: it counts here too."""
        if changes.touches("setting") and self.desk.operator is not None:
            self.load_idle_minutes()

    def on_unmount(self) -> None:
        if self.change_watch is not None:
            self.change_watch.close()
        self.sweeper.close()

    # -- who is at the keyboard ------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return isinstance(self.screen, LockScreen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.locked:
            return action in LOCKED_ACTIONS
        if self.desk.operator is None:
            return action in OPEN_ACTIONS
        if action == "switch_mode" and parameters:
            return permitted(self, MODE_NEEDS, str(parameters[0]))
        return permitted(self, ACTION_NEEDS, action)

    def signed_in(self, operator: Operator, password: str) -> None:
        """The login screen accepted someone: a reset password is changed first."""
        self.last_input = time.monotonic()
        if operator.must_change_password:  # not signed in until the new password is set
            from frontdesk.screens.desk.change_password import ChangePasswordScreen

            self.push_screen(
                ChangePasswordScreen(old=password, operator=operator), self._password_changed
            )
            return
        self.desk.operator = operator
        self._enter()

    def _password_changed(self, operator: Operator | None) -> None:
        if operator is None:  # would not change it: still at the login
            return
        self.desk.operator = operator
        self.notify(_("password.changed"))
        self._enter()

    def _enter(self) -> None:
        """Signed in: the desk serves the operator's communities (read off the UI thread, each
        time: the last person's are not theirs), then the operator's first screen."""
        if self.desk.operator is not None:
            self.read_communities(self.desk.operator)

    @work(thread=True, exclusive=True, group="enter", exit_on_error=False)
    def read_communities(self, operator: Operator) -> None:
        from frontdesk.overview import communities_for

        communities = tuple(in_connection(communities_for, operator))
        self.call_from_thread(self._communities_read, operator, communities)

    def _communities_read(self, operator: Operator, communities: tuple[CommunityRef, ...]) -> None:
        if self.desk.operator != operator:  # signed out meanwhile
            return
        self.desk.communities = communities
        self.desk.community = communities[0] if communities else None
        self._entered()

    def _entered(self) -> None:
        self.load_idle_minutes()
        self.check_at_start()
        self.show_audit_alerts()
        self.refresh_bindings()
        self.switch_mode(start_mode(self.desk.operator))

    async def switch_community(self, community: CommunityRef) -> None:
        """The subdistrict office turns to another of its communities: every screen starts
        afresh on it (nothing of the last community stays on screen)."""
        if community not in self.desk.communities:
            return
        self.desk.community = community
        await self._renew_modes()  # every screen, the one shown too, is made anew
        await self.switch_mode(start_mode(self.desk.operator))
        self.notify(_("palette.community_now", community=community.name))

    async def _renew_modes(self) -> None:
        """To the login, and every other screen discarded (made anew when next shown)."""
        await self.switch_mode("login")
        for mode, screen in type(self).MODES.items():
            if mode != "login" and mode in self._modes:
                await self.remove_mode(mode)
                self.add_mode(mode, screen)
        self.refresh_bindings()

    async def action_switch_operator(self) -> None:
        """换人: sign out; every open screen (and what it showed) is discarded."""
        operator = self.desk.operator
        if operator is not None:
            self.record_sign_out(operator.id)
        self.desk.operator = None
        await self._renew_modes()

    @work(thread=True, group="sign-out", exit_on_error=False)
    def record_sign_out(self, staff_id: int) -> None:
        from frontdesk.auth.signin import sign_out

        in_connection(sign_out, staff_id, now=self.desk.clock.now())

    def action_lock(self) -> None:
        if self.desk.operator is not None and not self.locked:
            self.push_screen(LockScreen())

    def unlocked(self, operator: Operator) -> None:
        self.desk.operator = operator
        self.last_input = time.monotonic()
        if self.locked:
            self.pop_screen()
        self.refresh_bindings()

    def action_change_password(self) -> None:
        from frontdesk.screens.desk.change_password import ChangePasswordScreen

        if self.desk.operator is not None:
            self.push_screen(ChangePasswordScreen(), self._password_changed_at_will)

    def _password_changed_at_will(self, operator: Operator | None) -> None:
        if operator is not None:
            self.desk.operator = operator
            self.notify(_("password.changed"))

    @work(thread=True, exclusive=True, group="idle", exit_on_error=False)
    def load_idle_minutes(self) -> None:
        from frontdesk.settings import get

        self.idle_minutes = float(in_connection(get, "auth.idle_minutes"))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, INPUT_EVENTS):
            self.last_input = time.monotonic()
        # Textual hands each key to the focus of the moment it is read: keys typed ahead behind
        # Tab, Enter or an F-key went where the focus was. KeyOrder holds them until the key
        # before them has been handled, then hands them on to Textual (super().on_event).
        if await self.key_order.take(event):
            return
        await super().on_event(event)

    def lock_when_idle(self, now: float | None = None) -> None:
        """Lock the screen after ``auth.idle_minutes`` without a key press."""
        idle = (now if now is not None else time.monotonic()) - self.last_input
        if self.idle_minutes > 0 and idle >= self.idle_minutes * 60:
            self.action_lock()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.desk.steady_cursor and isinstance(event.widget, Input):
            event.widget.cursor_blink = False

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from desk_commands(self, screen)

    def action_help(self) -> None:
        from frontdesk.screens.desk.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_demo_accounts(self) -> None:
        """Every demo account and its grids: the login of a demo database only (it says so)."""
        from frontdesk.screens.desk.demo_roster import DemoRosterScreen

        if getattr(self.screen, "demo", False):
            self.push_screen(DemoRosterScreen())

    def _office_on_top(self) -> bool:
        """Whether the screen shown is one of the office's (F7, F9, F10), opened over a mode."""
        from frontdesk.screens.office.audit_log import AuditLogScreen
        from frontdesk.screens.office.settings import SettingsScreen
        from frontdesk.screens.office.staff import StaffScreen

        return isinstance(self.screen, StaffScreen | AuditLogScreen | SettingsScreen)

    def _open_office(self, screen: Screen[Any]) -> None:
        """F7, F9, F10: one office screen at a time, in place of another one shown."""
        if type(self.screen) is type(screen):
            return
        if self._office_on_top():
            self.pop_screen()
        self.push_screen(screen)

    async def action_switch_mode(self, mode: str) -> None:
        """F2–F5 go where they say from everywhere: an office screen shown is closed first."""
        while self._office_on_top():
            self.pop_screen()
        await self.switch_mode(mode)

    def action_staff(self) -> None:
        from frontdesk.screens.office.staff import StaffScreen

        self._open_office(StaffScreen())

    def action_audit_log(self) -> None:
        from frontdesk.screens.office.audit_log import AuditLogScreen

        self._open_office(AuditLogScreen())

    def action_settings(self) -> None:
        from frontdesk.screens.office.settings import SettingsScreen

        self._open_office(SettingsScreen())

    def action_new_request(self) -> None:
        from frontdesk.screens.requests.request_form import open_intake

        open_intake(self)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast(App[object], self)):
            self.push_screen(
                CommandPalette(placeholder=_("palette.placeholder"), id="--command-palette")
            )

    def open_resident(self, resident_id: int) -> None:
        from frontdesk.screens.residents.detail import ResidentDetailScreen

        self.push_screen(ResidentDetailScreen(resident_id))

    def action_toggle_keys(self) -> None:
        if self.screen.query("KeyPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def set_language(self, language: str) -> None:
        i18n.set_language(language)
        self.language = i18n.language()
        self.title = _("app.title")
        translate_bindings(self)
        self.language_changed.publish(self.language)
        self.refresh_bindings()


def start_mode(operator: Operator | None) -> str:
    """Where someone starts: a grid manager at their own requests, everyone else at home."""
    if operator is not None and operator.role == Role.GRID_MANAGER:
        return "requests"
    return "home"


def make_app(
    *,
    db_path: Path,
    clock: Clock,
    language: str,
    demo: bool = False,
    steady_cursor: bool = False,
    operator: str | None = None,
    prepare: Prepare | None = None,
) -> FrontdeskApp:
    """The one factory the command line and the tests share. The database must be open.

    The app starts at the login screen; ``operator`` (a user name) starts it signed in as that
    person instead, for tests and snapshots of the screens behind the login. ``prepare``
    makes the demo community behind the login (the database is opened by it, not before).
    """
    signed_in: Operator | None = None
    communities: tuple[CommunityRef, ...] = ()
    community: CommunityRef | None = None
    if prepare is None:  # one short read, before the app runs (the header names the community)
        signed_in, communities, community = in_connection(_starting_desk, operator)
    desk = Desk(
        db_path=db_path,
        clock=clock,
        demo=demo,
        community=community,
        communities=communities,
        operator=signed_in,
        steady_cursor=steady_cursor,
        opening=prepare is not None,
    )
    return FrontdeskApp(desk, language, prepare)


def _starting_desk(
    operator: str | None,
) -> tuple[Operator | None, tuple[CommunityRef, ...], CommunityRef | None]:
    """Who is signed in at start (tests), their communities and the one the desk shows."""
    from frontdesk.overview import communities_for, first_community

    signed_in = operator_named(operator) if operator else None
    communities = tuple(communities_for(signed_in)) if signed_in else ()
    community = communities[0] if communities else None if signed_in else first_community()
    return signed_in, communities, community
