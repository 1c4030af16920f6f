"""The login screen: user name and password. A demo database shows its accounts here, and only here
(``frontdesk --demo`` and a seeded demo database alike, over SSH too).

The login is drawn at once while the database is opened behind it (``frontdesk --demo``: created
and the demo community generated, a line saying how far it is); Enter before it is ready says
so and signs in when it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Input, Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.input import DeskInput

if TYPE_CHECKING:
    from frontdesk.overview import DemoAccountHint
    from frontdesk.permissions import Operator


@dataclass(frozen=True)
class LoginHints:
    """What the login says under the boxes: why nobody can sign in yet, or the demo's accounts."""

    first_run: str | None  # a catalog key
    accounts: list[DemoAccountHint]


@runtime_checkable
class PreparesTheDatabase(Protocol):
    """An app that may still be opening its database behind the login, or making the demo
    community in it (``frontdesk --demo``)."""

    def database_pending(self) -> bool: ...

    def making_demo(self) -> bool: ...


def login_hints() -> LoginHints:
    from frontdesk.overview import demo_accounts, first_run_hint

    return LoginHints(first_run_hint(), demo_accounts())  # no accounts unless a demo database


class LoginScreen(DeskScreen):
    """登录. Enter moves from the name to the password and signs in from the password."""

    # its stylesheet, login.tcss, is the app's (FrontdeskApp.CSS_PATH): read before it is drawn
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "key.quit"),
        # a demo database: every demo account and its grids (the hint line names the key)
        Binding("f2", "app.demo_accounts", "key.demo_accounts", show=False),
        # priority: decided when the key arrives, so a password typed ahead right after the
        # user name's Enter lands in the password box, not in the name
        Binding("enter", "enter", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        # the database is being opened, or the demo community generated (the app says so, then
        # reports how far the demo is on the progress line): a sign-in waits for it
        self.preparing = False
        self.demo_wait = False
        self.progress = ""
        self.waiting = False  # Enter was pressed before the demo was ready
        self.handed_over = False  # someone signed in from here (and will sign out back to it)
        self.demo = False  # a demo database: its accounts are listed (F2 lists all of them)

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.login")
        with Center(id="login-center"), Vertical(id="login-box"):
            yield Static(_("app.title"), id="login-title")
            with Horizontal(classes="login-row"):
                yield Static(_("login.username"), classes="login-label")
                # what is typed stays typed (a language switch makes the box anew): no select-all
                yield DeskInput(id="login-username", max_length=32, select_on_focus=False)
            with Horizontal(classes="login-row"):
                yield Static(_("login.password"), classes="login-label")
                yield DeskInput(id="login-password", password=True, max_length=128)
            yield Button(_("login.submit"), id="login-submit", variant="primary", compact=True)
            yield Static("", id="login-message")
        yield Static(self.progress, id="login-demo")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#login-username", Input).focus()
        app = self.app
        if isinstance(app, PreparesTheDatabase) and app.database_pending():
            self.preparing = True
            if app.making_demo():
                self.show_progress(0)
        # after the first frame: the reading thread would compete with drawing it
        self.call_after_refresh(self.load_hints)

    async def _language_changed(self, language: str) -> None:
        """The boxes are made anew in the new language: the user name has the focus again (the
        keys go on working) and the demo's accounts are listed again."""
        typed = self.query_one("#login-username", Input).value
        await super()._language_changed(language)
        self.query_one("#login-username", Input).value = typed
        self.query_one("#login-username", Input).focus()
        self.load_hints()

    def on_screen_resume(self) -> None:
        """Back at the login after someone signed out: nothing of them stays in the boxes. The
        login also resumes when a pop-up over it closes (help, the palette — a language switch —
        the demo's accounts): what was typed then stays, and so does the focus."""
        if not self.handed_over:
            return
        self.handed_over = False
        self.query_one("#login-username", Input).value = ""
        self.query_one("#login-password", Input).value = ""
        self.query_one("#login-username", Input).focus()

    # -- the demo being generated -----------------------------------------------------------

    def show_progress(self, percent: int) -> None:
        """How far the demo community is (the app reports it while generating)."""
        self.preparing = True
        self.demo_wait = True
        self.progress = _("login.demo_preparing", percent=percent)
        if self.is_mounted:
            self.query_one("#login-demo", Static).update(self.progress)

    async def prepared(self) -> None:
        """The database is open (the demo community there): the header names the community,
        a demo's accounts are listed, and a sign-in asked for meanwhile goes ahead."""
        self.preparing = False
        self.progress = ""
        await self.query_one(DeskHeader).recompose()
        self.load_hints()
        if self.waiting:
            self.waiting = False
            self.submit()

    def preparation_failed(self, message: str) -> None:
        self.preparing = False
        self.waiting = False
        self.progress = message
        self.query_one("#login-submit", Button).disabled = True
        self.query_one("#login-demo", Static).update(message)
        self._say(message, error=True)

    # -- hints and signing in ---------------------------------------------------------------

    def load_hints(self) -> None:
        if self.preparing:  # nothing to read yet: the progress line shows instead
            return
        self.call(login_hints, self._show_hints, group="login-hints", latest=True)

    def _show_hints(self, hints: LoginHints) -> None:
        if hints.first_run is not None:
            self.query_one("#login-demo", Static).update(_(hints.first_run))
            return
        if not hints.accounts:
            return
        self.demo = True
        lines = [_("login.demo_accounts")]
        lines += [
            _("login.demo_account", role=_(f"enum.role.{a.role}"), user=a.username, pw=a.password)
            for a in hints.accounts
        ]
        lines.append(_("login.demo_roster_key"))
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
        if self.preparing:  # signs in as soon as the database is there (see prepared)
            self.waiting = True
            self._say(_("login.demo_wait" if self.demo_wait else "login.opening_wait"))
            return
        # the sign-in service and what it uses (staff, settings, the audit log) are imported
        # when first used, not before the login is drawn
        from frontdesk.auth.signin import sign_in

        self._say(_("login.checking"))
        self.query_one("#login-submit", Button).disabled = True
        self.call(
            partial(sign_in, username, password, now=self.desk.clock.now()),
            partial(self._signed_in, password),
            group="login",
            latest=True,
            refused=self._failed,
            failed=self._enable,
        )

    def _enable(self) -> None:
        self.query_one("#login-submit", Button).disabled = False

    def _failed(self, error: UserError) -> None:
        self._enable()
        self._say(str(error), error=True)
        password = self.query_one("#login-password", Input)
        password.value = ""
        password.focus()

    def _signed_in(self, password: str, operator: Operator) -> None:
        self._enable()
        self.query_one("#login-password", Input).value = ""
        self._say("")
        self.handed_over = True
        self.desk_app.signed_in(operator, password)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#login-message", Static)
        message.update(text)
        message.set_class(error, "-error")
