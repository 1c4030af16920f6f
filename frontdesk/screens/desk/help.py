"""F1 help: the keys that work everywhere and how to reach every action."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from frontdesk.i18n import _
from frontdesk.logbook import log_path
from frontdesk.screens.base.screen import DeskModal

GLOBAL_KEYS = [
    ("F1", "key.help"),
    ("F2", "key.residents"),
    ("F3", "key.rooms"),
    ("F4", "key.requests"),
    ("F5", "key.home"),
    ("F6", "key.new_request"),
    ("F7", "key.staff"),
    ("F8", "key.switch_operator"),
    ("F9", "key.audit_log"),
    ("F10", "key.settings"),
    ("F12", "care_round.key_care"),
    ("Ctrl+E", "export.ui.help_key"),
    ("Ctrl+L", "key.lock"),
    ("Ctrl+P", "key.palette"),
    ("Esc", "key.close"),
    ("Ctrl+Q", "key.quit"),
]


class HelpScreen(DeskModal[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("f1", "dismiss", "key.close", show=False),
        Binding("q", "dismiss", "key.close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(_("help.title"), id="help-title")
            keys = "\n".join(f"[b]{key:<7}[/b] {_(label)}" for key, label in GLOBAL_KEYS)
            yield Static(keys, id="help-keys")
            yield Static(_("help.text"), id="help-text")
            yield Static(_("help.close_hint"), id="help-close")
            # where a crash is written down, for whoever looks after the installation
            yield Static(_("help.log", path=str(log_path())), id="help-log", markup=False)
