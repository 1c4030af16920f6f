"""Changing one's own password: after a reset (required before anything else) or at will."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from frontdesk.auth.signin import change_password, check_new_password
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Operator
from frontdesk.screens.base.screen import DeskModal
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.input import DeskInput


class ChangePasswordScreen(DeskModal[Operator | None]):
    """``old`` given (just typed at the login): the forced change after a reset; Escape then
    signs out. Without it the person types the old password too, and Escape just closes."""

    CSS_PATH = "change_password.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "key.close"),
        Binding("enter", "enter", show=False, priority=True),  # type-ahead safe, see login
    ]

    def __init__(self, old: str | None = None, operator: Operator | None = None) -> None:
        super().__init__()
        self.old = old
        self.operator = operator  # the forced change: not signed in until it is done

    def compose(self) -> ComposeResult:
        with Vertical(id="password-box"):
            title = "password.forced_title" if self.old is not None else "password.title"
            yield Static(_(title), id="password-title")
            if self.old is None:
                yield from self._row("password.old", "password-old")
            yield from self._row("password.new", "password-new")
            yield from self._row("password.repeat", "password-repeat")
            yield Static("", id="password-message")
            yield Static(_("password.hint"), id="password-hint")
        yield DeskFooter()

    def _row(self, label_key: str, input_id: str) -> ComposeResult:
        with Horizontal(classes="password-row"):
            yield Static(_(label_key), classes="password-label")
            yield DeskInput(id=input_id, password=True, max_length=128)

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def action_enter(self) -> None:
        boxes = list(self.query(Input))
        focused = self.focused
        index = boxes.index(focused) if isinstance(focused, Input) and focused in boxes else -1
        if 0 <= index < len(boxes) - 1:
            self.set_focus(boxes[index + 1])
        else:  # after the keys the last box has yet to take in
            boxes[-1].call_later(self.submit)

    def submit(self) -> None:
        operator = self.operator or self.desk.operator
        if operator is None:
            return
        old = self.old if self.old is not None else self.query_one("#password-old", Input).value
        new = self.query_one("#password-new", Input).value
        repeat = self.query_one("#password-repeat", Input).value
        try:
            check_new_password(operator.username, new, old)
        except UserError as exc:
            self._say(str(exc), "#password-new")
            return
        if new != repeat:
            self._say(_("password.mismatch"), "#password-repeat")
            return
        self._say(_("login.checking"))
        self.call(
            partial(change_password, operator.id, old, new, now=self.desk.clock.now()),
            self._saved,
            group="password",
            latest=True,
            refused=self._refused,
        )

    def _saved(self, operator: Operator) -> None:
        self.dismiss(operator)

    def _refused(self, error: UserError) -> None:
        self._say(str(error), "#password-old" if self.old is None else "#password-new")

    def _say(self, text: str, focus: str | None = None) -> None:
        message = self.query_one("#password-message", Static)
        message.update(text)
        message.set_class(focus is not None, "-error")
        if focus is not None:  # that box and the ones after it are typed again, from empty
            boxes = list(self.query(Input))
            box = self.query_one(focus, Input)
            for later in boxes[boxes.index(box) :]:
                later.value = ""
            box.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
