"""The application: wiring only — modes, keys, themes, language, the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Input

from frontdesk import i18n
from frontdesk.bookings.attendance import mark_no_shows
from frontdesk.clock import Clock
from frontdesk.db.connection import connection
from frontdesk.desk import Desk
from frontdesk.i18n import _
from frontdesk.overview import first_community
from frontdesk.requests.escalation import sweep
from frontdesk.screens.help import HelpScreen
from frontdesk.screens.home import HomeScreen
from frontdesk.screens.request_form import open_intake
from frontdesk.screens.requests import RequestsScreen
from frontdesk.screens.residents import ResidentsScreen
from frontdesk.screens.rooms import RoomsScreen
from frontdesk.widgets.localized import translate_bindings
from frontdesk.widgets.palette import desk_commands
from frontdesk.widgets.theme import DARK_THEME, LIGHT_THEME

NO_SHOW_SWEEP_SECONDS = 60
ESCALATION_SWEEP_SECONDS = 60


class FrontdeskApp(App[None]):
    CSS_PATH = "app.tcss"
    MODES = {
        "home": HomeScreen,
        "residents": ResidentsScreen,
        "rooms": RoomsScreen,
        "requests": RequestsScreen,
    }
    DEFAULT_MODE = "home"
    BINDINGS = [
        Binding("f1", "help", "key.help", id="help"),
        Binding("f2", "switch_mode('residents')", "key.residents", id="residents"),
        Binding("f3", "switch_mode('rooms')", "key.rooms", id="rooms"),
        Binding("f4", "switch_mode('requests')", "key.requests", id="requests"),
        Binding("f5", "switch_mode('home')", "key.home", id="home"),
        # Not in the footer (it would not fit 80 columns in English): F1 help and the palette.
        Binding("f6", "new_request", "key.new_request", show=False, id="new_request"),
        Binding("ctrl+p", "command_palette", "key.palette", priority=True, id="palette"),
        Binding("ctrl+q", "quit", "key.quit", show=False, priority=True, id="quit"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, desk: Desk, language: str) -> None:
        super().__init__()
        self.desk = desk
        self.language = language
        self.language_changed: Signal[str] = Signal(self, "language_changed")
        i18n.set_language(language)
        translate_bindings(self)
        self.title = _("app.title")

    def on_mount(self) -> None:
        self.register_theme(LIGHT_THEME)
        self.register_theme(DARK_THEME)
        self.theme = LIGHT_THEME.name
        self.set_interval(NO_SHOW_SWEEP_SECONDS, self.sweep_no_shows)
        self.set_interval(ESCALATION_SWEEP_SECONDS, self.sweep_requests)

    @work(thread=True, exclusive=True, group="no-shows", exit_on_error=False)
    def sweep_no_shows(self) -> None:
        """Bookings nobody checked in for become no-shows (the room is free again)."""
        with connection():
            mark_no_shows(self.desk.clock.now())

    @work(thread=True, exclusive=True, group="escalation", exit_on_error=False)
    def sweep_requests(self) -> None:
        """Overdue requests are flagged, and escalated once overdue past the grace."""
        with connection():
            sweep(self.desk.clock.now())

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.desk.steady_cursor and isinstance(event.widget, Input):
            event.widget.cursor_blink = False

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from desk_commands(self, screen)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_new_request(self) -> None:
        open_intake(self)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast(App[object], self)):
            self.push_screen(
                CommandPalette(placeholder=_("palette.placeholder"), id="--command-palette")
            )

    def open_resident(self, resident_id: int) -> None:
        from frontdesk.screens.resident_detail import ResidentDetailScreen

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


def make_app(
    *,
    db_path: Path,
    clock: Clock,
    language: str,
    demo: bool = False,
    steady_cursor: bool = False,
) -> FrontdeskApp:
    """The one factory the command line and the tests share. The database must be open."""
    with connection():
        community = first_community()
    desk = Desk(
        db_path=db_path, clock=clock, demo=demo, community=community, steady_cursor=steady_cursor
    )
    return FrontdeskApp(desk, language)
