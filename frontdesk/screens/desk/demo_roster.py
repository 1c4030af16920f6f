"""The demo's login, F2: every demo account with its password, role, name, grids and community,
in a list that scrolls and is filtered by typing (``8-1`` finds the manager of grid 8-1).

Opened only on a demo database (the login says so, see ``LoginScreen.demo``); the service lists
nothing on any other one.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from frontdesk.demo_roster import RosterAccount, demo_roster, filter_roster
from frontdesk.i18n import _
from frontdesk.screens.base.screen import DeskModal
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.input import DeskInput
from frontdesk.widgets.tables import empty
from frontdesk.widgets.text import display

COLUMNS = ("username", "password", "role", "name", "grids", "community")
ROLES = ("reception", "grid_manager", "supervisor", "subdistrict", "admin")


class DemoRosterScreen(DeskModal[None]):
    """演示账户与网格: the filter box keeps the focus; ↑ ↓ PageUp PageDown move in the list."""

    CSS_PATH = "demo_roster.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "key.close"),
        Binding("down", "move('cursor_down')", show=False),
        Binding("up", "move('cursor_up')", show=False),
        Binding("pagedown", "move('page_down')", show=False),
        Binding("pageup", "move('page_up')", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.accounts: list[RosterAccount] | None = None  # None: not read yet

    def compose(self) -> ComposeResult:
        with Vertical(id="dr-box"):
            yield Static(_("demo_roster.title"), id="dr-title")
            yield DeskInput(placeholder=_("demo_roster.filter"), id="dr-filter", max_length=32)
            yield DataTable(id="dr-table", cursor_type="row", zebra_stripes=True)
            yield Static(_("demo_roster.loading"), id="dr-count")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#dr-filter", Input).focus()
        self.call(demo_roster, self._loaded, group="demo-roster", latest=True)

    async def _language_changed(self, language: str) -> None:
        typed = self.query_one("#dr-filter", Input).value
        await super()._language_changed(language)
        self.query_one("#dr-filter", Input).value = typed
        self.query_one("#dr-filter", Input).focus()
        self._columns()
        self._show()

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(_(f"demo_roster.col.{column}"), key=column)

    def _loaded(self, accounts: list[RosterAccount]) -> None:
        self.accounts = accounts
        self._show()

    @on(Input.Changed, "#dr-filter")
    def _filter(self) -> None:
        self._show()

    def _show(self) -> None:
        if self.accounts is None:
            return
        count = self.query_one("#dr-count", Static)
        if not self.accounts:  # not a demo database: nothing is ever listed
            count.update(_("demo_roster.none"))
            return
        names = {role: f"{_(f'enum.role.{role}')} {_(f'header.role.{role}')}" for role in ROLES}
        text = self.query_one("#dr-filter", Input).value
        shown = filter_roster(self.accounts, text, names)
        table = self.query_one(DataTable)
        empty(table)
        for account in shown:
            table.add_row(*self._cells(account), key=account.username)
        if shown:
            table.move_cursor(row=0, animate=False)
        total = len(self.accounts)
        if not text.strip():
            count.update(_("demo_roster.count_all", total=total))
        else:
            count.update(_("demo_roster.count", shown=len(shown), total=total))

    def _cells(self, account: RosterAccount) -> tuple[str, ...]:
        grids = "、".join(account.grids)
        if account.leads:
            leads = _("demo_roster.leads", grids="、".join(account.leads))
            grids = f"{grids} {leads}" if grids else leads
        password = account.password if account.password is not None else _("demo_roster.changed")
        role = _(f"header.role.{account.role}") if account.role in ROLES else account.role
        return (
            account.username,
            password,
            role,
            display(account.name),
            grids,
            display(account.where),
        )

    def action_move(self, how: str) -> None:
        """The list moves while the filter box keeps the focus (typing goes on filtering)."""
        table = self.query_one(DataTable)
        getattr(table, f"action_{how}")()
