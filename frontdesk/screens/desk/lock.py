"""The idle lock: the screen's content hidden until the same person types their password again.

The lock is a screen pushed on top of whatever was open, so a half-filled form underneath
keeps its input. F8 hands the desk to someone else instead (which closes everything open).
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Input, Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Operator
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.input import DeskInput


class LockScreen(DeskScreen):
    CSS_PATH = "lock.tcss"
    BINDINGS = [Binding("f8", "app.switch_operator", "key.switch_operator")]

    def compose(self) -> ComposeResult:
        operator = self.desk.operator
        name = operator.name if operator else ""
        role = _(f"enum.role.{operator.role}") if operator else ""
        yield DeskHeader("screen.locked")
        with Center(id="lock-center"), Vertical(id="lock-box"):
            yield Static(_("lock.title"), id="lock-title")
            yield Static(_("lock.who", name=name, role=role), id="lock-who")
            with Horizontal(id="lock-row"):
                yield Static(_("login.password"), id="lock-label")
                yield DeskInput(id="lock-password", password=True, max_length=128)
            yield Static("", id="lock-message")
            yield Static(_("lock.hint"), id="lock-hint")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#lock-password", Input).focus()

    @on(Input.Submitted, "#lock-password")
    def submit(self, event: Input.Submitted) -> None:
        operator = self.desk.operator
        if operator is None:
            return
        from frontdesk.auth.signin import unlock  # with its services, when first used

        self.query_one("#lock-message", Static).update(_("login.checking"))
        self.call(
            partial(unlock, operator.id, event.value, now=self.desk.clock.now()),
            self._unlocked,
            group="unlock",
            latest=True,
            refused=self._failed,
        )

    def _failed(self, error: UserError) -> None:
        box = self.query_one("#lock-password", Input)
        box.value = ""
        box.focus()
        message_line = self.query_one("#lock-message", Static)
        message_line.update(str(error))
        message_line.add_class("-error")

    def _unlocked(self, operator: Operator) -> None:
        self.desk_app.unlocked(operator)
