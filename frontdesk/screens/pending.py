"""A screen whose module has not been built yet: says so, and what it will do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from frontdesk.i18n import _
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.localized import LocalizedScreen


class PendingScreen(LocalizedScreen):
    """The residents, rooms and requests screens until their issues land."""

    CSS_PATH = "pending.tcss"

    def __init__(self, module: str) -> None:
        super().__init__(id=f"screen-{module}")
        self.module = module

    def compose(self) -> ComposeResult:
        yield DeskHeader(f"screen.{self.module}")
        with VerticalScroll(id="pending-body"):
            yield Static(_("pending.title"), id="pending-title")
            yield Static(_(f"pending.{self.module}"), id="pending-text")
        yield Footer(compact=True, show_command_palette=False)
