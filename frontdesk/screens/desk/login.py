"""The login screen: user name and password. A demo database shows its accounts here, and only here
(``frontdesk --demo`` and a seeded demo database alike, over SSH too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Static

from frontdesk.auth.signin import sign_in
from frontdesk.db.connection import connection
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.overview import DemoAccountHint, demo_accounts, first_run_hint
from frontdesk.permissions import Operator
from frontdesk.screens.base.localized import LocalizedScreen
from frontdesk.widgets.header import DeskHeader

if TYPE_CHECKING:
    from frontdesk.app import FrontdeskApp


class LoginScreen(LocalizedScreen):
    """登录. Enter moves from the name to the password and signs in from the password."""

    CSS_PATH = "login.tcss"
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "key.quit"),
        # priority: decided when the key arrives, so a password typed ahead right after the
        # user name's Enter lands in the password box, not in the name
        Binding("enter", "enter", show=False, priority=True),
    ]

    @property
    def desk_app(self) -> FrontdeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.login")
        with Center(id="login-center"), Vertical(id="login-box"):
            yield Static(_("app.title"), id="login-title")
            with Horizontal(classes="login-row"):
                yield Static(_("login.username"), classes="login-label")
                # what is typed stays typed (a language switch makes the box anew): no select-all
                yield Input(id="login-username", max_length=32, select_on_focus=False)
            with Horizontal(classes="login-row"):
                yield Static(_("login.password"), classes="login-label")
                yield Input(id="login-password", password=True, max_length=128)
            yield Button(_("login.submit"), id="login-submit", variant="primary", compact=True)
            yield Static("", id="login-message")
        yield Static("", id="login-demo")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#login-username", Input).focus()
        self.load_hints()

    async def _language_changed(self, language: str) -> None:
        """The boxes are made anew in the new language: the user name has the focus again (the
        keys go on working) and the demo's accounts are listed again."""
        typed = self.query_one("#login-username", Input).value
        await super()._language_changed(language)
        self.query_one("#login-username", Input).value = typed
        self.query_one("#login-username", Input).focus()
        self.load_hints()

    def on_screen_resume(self) -> None:
        """Back at the login (signed out): nothing of the last person stays in the fields."""
        self.query_one("#login-username", Input).value = ""
        self.query_one("#login-password", Input).value = ""
        self.query_one("#login-username", Input).focus()

    @work(thread=True, exclusive=True, group="login-hints", exit_on_error=False)
    def load_hints(self) -> None:
        with connection():
            hint = first_run_hint()
            accounts = demo_accounts()  # empty unless the demo generator made the database
        self.app.call_from_thread(self._show_hints, hint, accounts)

    def _show_hints(self, hint: str | None, accounts: list[DemoAccountHint]) -> None:
        if hint is not None:
            self.query_one("#login-demo", Static).update(_(hint))
            return
        if not accounts:
            return
        lines = [_("login.demo_accounts")]
        lines += [
            _("login.demo_account", role=_(f"enum.role.{a.role}"), user=a.username, pw=a.password)
            for a in accounts
        ]
        self.query_one("#login-demo", Static).update("\n".join(lines))

    def action_enter(self) -> None:
        password = self.query_one("#login-password", Input)
        if self.focused is self.query_one("#login-username", Input):
            self.set_focus(password)
        else:  # after the keys the password box has yet to take in
            password.call_later(self.submit)

    @on(Button.Pressed, "#login-submit")
    def submit(self) -> None:
        username = self.query_one("#login-username", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        if not username:
            self._say(_("login.username_required"))
            self.query_one("#login-username", Input).focus()
            return
        self._say(_("login.checking"))
        self.query_one("#login-submit", Button).disabled = True
        self.attempt(username, password)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def attempt(self, username: str, password: str) -> None:
        desk = self.desk_app.desk
        try:
            with connection():
                operator = sign_in(username, password, now=desk.clock.now())
        except UserError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._signed_in, operator, password)

    def _failed(self, message: str) -> None:
        self.query_one("#login-submit", Button).disabled = False
        self._say(message, error=True)
        password = self.query_one("#login-password", Input)
        password.value = ""
        password.focus()

    def _signed_in(self, operator: Operator, password: str) -> None:
        self.query_one("#login-submit", Button).disabled = False
        self.query_one("#login-password", Input).value = ""
        self._say("")
        self.desk_app.signed_in(operator, password)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#login-message", Static)
        message.update(text)
        message.set_class(error, "-error")
