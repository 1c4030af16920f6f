"""Staff management (for a supervisor or the administrator): every account, and what to do with it.

n 新建 a new account (its temporary password is shown once), Enter or e 修改 edit the one under
the cursor (name, phone, role, a grid manager's grids, away), d 停用/启用 disable or enable it
(never delete: the audit log points at people), r 重置密码 a new temporary password, c 确认
an account that waits for the leadership (one created, enabled, given a role or reset by the
administrator; the confirming supervisor gets its temporary password). Each asks first where it
cannot be undone; the services refuse what must not be done (yourself, the last
supervisor, a grid left without a manager) and the refusal shows as it is. The list reloads
whenever the screen comes back, and when another desk changes an account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.office.staff_form import StaffFormScreen
from frontdesk.screens.office.temp_password import TempPasswordScreen
from frontdesk.staff import (
    GridOption,
    StaffRow,
    community_choices,
    confirm_staff,
    grid_choices,
    list_staff,
    needs_confirmation,
    reads_residents,
    reset_password,
    set_active,
)
from frontdesk.vocabulary import Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.text import display

COLUMNS = ["name", "username", "role", "grids", "state", "last_login"]
MAX_GRIDS_SHOWN = 3  # more than this many grid codes: the first ones and "+N"


def state_words(row: StaffRow) -> list[str]:
    """The states of an account, as catalog keys of their short words (none: in use)."""
    words = []
    if row.pending:
        words.append("staff.state.pending")
    if not row.active:
        words.append("staff.state.disabled")
    if row.locked:
        words.append("staff.state.locked")
    if row.away:
        words.append("staff.state.away")
    if row.must_change_password:
        words.append("staff.state.must_change")
    return words


def grid_text(codes: tuple[str, ...]) -> str:
    if len(codes) <= MAX_GRIDS_SHOWN:
        return " ".join(codes) or "—"
    shown = " ".join(codes[:MAX_GRIDS_SHOWN])
    return f"{shown} +{len(codes) - MAX_GRIDS_SHOWN}"


@dataclass(frozen=True)
class StaffList:
    """What the screen shows and offers: the accounts, the grids a grid manager may be given,
    the communities a new account may go to."""

    rows: list[StaffRow]
    grids: list[GridOption]
    communities: list[tuple[int, str]]


def load_staff_list(actor_id: int | None, community_id: int | None, now: datetime) -> StaffList:
    """The accounts with the form's choices, read together (called by ``call``)."""
    rows = list_staff(actor_id=actor_id, now=now)
    communities = community_choices(actor_id=actor_id)
    grids = grid_choices(community_id, actor_id=actor_id) if community_id is not None else []
    return StaffList(rows, grids, communities)


class StaffScreen(DeskScreen):
    """Pushed over any screen by an operator allowed to manage staff; Escape goes back."""

    CSS_PATH = "staff.tcss"
    BINDINGS = [
        # The hint line lists Escape and e too; the footer keeps to what fits 80 columns.
        Binding("escape", "back", "key.back", show=False),
        Binding("n", "new", "staff.key_new"),
        Binding("e", "edit", "staff.key_edit", show=False),
        Binding("d", "disable", "staff.key_disable"),  # d on an active account
        Binding("d", "enable", "staff.key_enable"),  # d on a disabled one
        Binding("r", "reset_password", "staff.key_reset"),
        Binding("c", "confirm", "staff.key_confirm"),  # shown while an account waits
        Binding("ctrl+r", "reload", "staff.key_reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-staff")
        self.rows: list[StaffRow] = []
        self.grids: list[GridOption] = []
        self.communities: list[tuple[int, str]] = []  # where a new account may go
        self.loaded = False
        self.problem = ""  # why the list could not be loaded (e.g. the role may not)

    # ---------------------------------------------------------------------------- composing

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.staff")
        yield Static(_("staff.loading"), id="st-counts")
        yield DataTable(id="st-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("staff.hint"), id="st-hint")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#st-table", DataTable).focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def shows(self, changes: Changes) -> bool:
        """Another desk's supervisor changed an account (or someone got locked out)."""
        return changes.touches("staff")

    def refresh_data(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._columns()
        self._show()

    def _theme_changed(self, _theme: object) -> None:
        self._show()

    def _columns(self, cells: list[list[Text]] | None = None) -> None:
        """The columns, each as wide as its label and its widest cell. The widths are set here
        rather than measured by the table when idle: a frame drawn between adding the rows and
        that measurement would keep the labels' widths (the table caches the drawn rows)."""
        table = self.query_one("#st-table", DataTable)
        table.clear(columns=True)
        for index, column in enumerate(COLUMNS):
            label = _(f"staff.col.{column}")
            width = max([cell_len(label), *(row[index].cell_len for row in cells or [])])
            table.add_column(label, key=column, width=width)

    # ------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        desk = self.desk
        community_id = desk.community.id if desk.community is not None else None
        self.call(
            partial(load_staff_list, desk.operator_id, community_id, desk.clock.now()),
            self._loaded,
            group="staff-list",
            latest=True,
            refused=self._refused,
        )

    def _loaded(self, loaded: StaffList) -> None:
        self.rows, self.grids, self.loaded, self.problem = loaded.rows, loaded.grids, True, ""
        self.communities = loaded.communities
        self._show()

    def _refused(self, error: UserError) -> None:
        self.rows, self.grids, self.loaded, self.problem = [], [], True, str(error)
        self._show()

    def _show(self) -> None:
        table = self.query_one("#st-table", DataTable)
        keep = self._current()
        cells = [self._cells(row) for row in self.rows]
        self._columns(cells)
        for row, row_cells in zip(self.rows, cells, strict=True):
            table.add_row(*row_cells, key=str(row.id))
        if keep is not None and any(r.id == keep.id for r in self.rows):
            table.move_cursor(row=table.get_row_index(str(keep.id)), animate=False)
        self._show_counts()

    def _cells(self, row: StaffRow) -> list[Text]:
        colours = self.app.theme_variables
        muted = colours.get("text-muted", "")
        base = "" if row.active else muted
        if not row.active:
            state_style = f"bold {colours.get('text-error', '')}"
        elif row.locked or row.away or row.pending:
            state_style = f"bold {colours.get('text-warning', '')}"
        else:
            state_style = colours.get("text-accent", "")
        words = state_words(row)
        state = (
            Text(" ".join(_(word) for word in words), style=state_style)
            if words
            else Text(_("staff.state.active"), style=muted)
        )
        last = f"{row.last_login_at:%m-%d %H:%M}" if row.last_login_at else "—"
        values = [display(row.name), row.username, _(f"enum.role.{row.role}"), grid_text(row.grids)]
        return [
            *(Text(value, style=base) for value in values),
            state,
            Text(last, style=muted),
        ]

    def _show_counts(self) -> None:
        counts = self.query_one("#st-counts", Static)
        hint = self.query_one("#st-hint", Static)
        if self.problem:
            counts.update(self.problem)
            counts.add_class("-error")
            hint.update("")
            return
        counts.remove_class("-error")
        if not self.loaded:
            counts.update(_("staff.loading"))
            return
        active = sum(1 for r in self.rows if r.active)
        text = _(
            "staff.counts", total=len(self.rows), active=active, disabled=len(self.rows) - active
        )
        pending = sum(1 for r in self.rows if r.pending)
        if pending:
            text += _("staff.counts_pending", pending=pending)
        counts.update(text)
        hint.update(_("staff.hint_confirm" if pending and self._confirms() else "staff.hint"))

    # ------------------------------------------------------------------------------ helpers

    def _current(self) -> StaffRow | None:
        """The account under the cursor."""
        tables = self.query("#st-table")
        table = tables.first() if tables else None
        if not isinstance(table, DataTable) or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if str(r.id) == key), None)

    def _refuse(self, message: str) -> None:
        self.notify(message, severity="error")

    def _write_refused(self, error: UserError) -> None:
        """A change the services refused: said, and the list read again (it may be stale)."""
        self._refuse(str(error))
        self.reload()

    # ------------------------------------------------------------------------------ actions

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """This screen's commands for the palette: (title, help, callback)."""
        return [
            (_("staff.palette.new"), _("staff.palette.new_help"), self.action_new),
            (_("staff.palette.edit"), _("staff.palette.edit_help"), self.action_edit),
            (
                _("staff.palette.toggle_active"),
                _("staff.palette.toggle_active_help"),
                self.action_toggle_active,
            ),
            (_("staff.palette.reset"), _("staff.palette.reset_help"), self.action_reset_password),
            (_("staff.palette.confirm"), _("staff.palette.confirm_help"), self.action_confirm),
            (_("staff.palette.reload"), _("staff.palette.reload_help"), self.reload),
            (_("staff.palette.back"), _("staff.palette.back_help"), self.action_back),
        ]

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.reload()

    def action_new(self) -> None:
        if not self.loaded or self.problem:
            return
        form = StaffFormScreen(None, self.grids, communities=self.communities)

        def closed(result: int | None) -> None:
            if result is not None and form.created is not None:
                new = form.created
                if new.pending:
                    name = display(form.created_name)
                    self.notify(_("staff.waiting_created", name=name), severity="warning")
                    return
                self.app.push_screen(
                    TempPasswordScreen(form.created_name, new.username, new.temporary_password)
                )

        self.app.push_screen(form, closed)

    @on(DataTable.RowSelected, "#st-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        row = self._current()
        if row is None:
            return
        own = row.id == self.desk.operator_id
        form = StaffFormScreen(row, self.grids, own=own)

        def closed(result: int | None) -> None:
            if result is not None and form.waits:
                self.notify(_("staff.waiting_changed", name=display(row.name)), severity="warning")

        self.app.push_screen(form, closed)

    @on(DataTable.RowHighlighted, "#st-table")
    def _row_highlighted(self) -> None:
        self.refresh_bindings()  # d disables or enables, after the account under the cursor

    def _confirms(self) -> bool:
        """Whether the operator is the leadership, who confirm accounts (not the admin)."""
        operator = self.desk.operator
        return operator is not None and reads_residents(operator.role)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":  # shown while an account waits; usable on one that does
            # on one that does not wait it says so (a greyed key pressed said nothing)
            return self._confirms() and any(r.pending for r in self.rows)
        if action in ("disable", "enable"):
            row = self._current()
            if row is None:
                return None if action == "disable" else False
            return row.active == (action == "disable")
        return True

    def action_disable(self) -> None:
        self.action_toggle_active()

    def action_enable(self) -> None:
        self.action_toggle_active()

    def action_toggle_active(self) -> None:
        """Disable the account under the cursor, or enable it again, after asking."""
        row = self._current()
        if row is None:
            return
        name = display(row.name)
        if row.active:
            if row.id == self.desk.operator_id:
                self._refuse(_("staff.cannot_disable_self"))
                return
            if row.grids:
                codes = " ".join(row.grids)
                self._refuse(_("staff.still_manages_grids", name=name, codes=codes))
                return
            title = _("staff.disable_title", name=name, username=row.username)
            body = _("staff.disable_body")
            options = [("yes", _("staff.disable_yes")), ("no", _("staff.keep_as_is"))]
        else:
            title = _("staff.enable_title", name=name, username=row.username)
            operator = self.desk.operator
            waits = operator is not None and needs_confirmation(operator, row.role)
            body = _("staff.enable_body_waits" if waits else "staff.enable_body")
            options = [("yes", _("staff.enable_yes")), ("no", _("staff.keep_as_is"))]

        def chosen(answer: str | None) -> None:
            if answer == "yes":
                self._set_active(row, not row.active)

        self.app.push_screen(ChoiceScreen(title, body, options), chosen)

    def _set_active(self, row: StaffRow, active: bool) -> None:
        desk = self.desk
        self.call(
            partial(
                set_active,
                row.id,
                row.version,
                active,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            ),
            partial(self._active_set, row, active),
            group="staff-write",
            refused=self._write_refused,
        )

    def _active_set(self, row: StaffRow, active: bool, _answer: object) -> None:
        operator = self.desk.operator
        if active and operator is not None and needs_confirmation(operator, row.role):
            message = _("staff.waiting_changed", name=display(row.name))
            self.notify(message, severity="warning")
        else:
            key = "staff.enabled" if active else "staff.disabled"
            self.notify(_(key, name=display(row.name)))
        self.reload()

    def action_reset_password(self) -> None:
        row = self._current()
        if row is None:
            return
        title = _("staff.reset_title", name=display(row.name), username=row.username)
        options = [("yes", _("staff.reset_yes")), ("no", _("staff.keep_as_is"))]

        def chosen(answer: str | None) -> None:
            if answer == "yes":
                self._reset(row)

        self.app.push_screen(ChoiceScreen(title, _("staff.reset_body"), options), chosen)

    def _reset(self, row: StaffRow) -> None:
        desk = self.desk
        self.call(
            partial(reset_password, row.id, actor_id=desk.operator_id, now=desk.clock.now()),
            partial(self._password_reset, row),
            group="staff-write",
            refused=self._write_refused,
        )

    def _password_reset(self, row: StaffRow, password: str | None) -> None:
        if password is None:  # waits for the leadership, who get the password
            message = _("staff.waiting_reset", name=display(row.name))
            self.notify(message, severity="warning")
            self.reload()
            return
        self._show_password(row, password)

    def _show_password(self, row: StaffRow, password: str, *, title: str = "") -> None:
        self.app.push_screen(
            TempPasswordScreen(row.name, row.username, password, reset=True, title=title)
        )

    def action_confirm(self) -> None:
        """Confirm the account under the cursor that waits, after asking; its new temporary
        password is shown once, to hand over in person."""
        row = self._current()
        if row is None:
            return
        if not row.pending:
            self._refuse(_("staff.not_pending", name=display(row.name)))
            return
        since = f"{row.pending_since:%m-%d %H:%M}" if row.pending_since else ""
        title = _("staff.confirm_title", name=display(row.name), username=row.username)
        body = _(
            "staff.confirm_body",
            change=_(f"staff.change.{row.pending_change}"),
            by=display(row.pending_by) or "—",
            since=since,
            role=_(f"enum.role.{row.role}"),
        )
        options = [("yes", _("staff.confirm_yes")), ("no", _("staff.keep_as_is"))]

        def chosen(answer: str | None) -> None:
            if answer == "yes":
                self._confirm(row)

        self.app.push_screen(ChoiceScreen(title, body, options), chosen)

    def _confirm(self, row: StaffRow) -> None:
        desk = self.desk
        self.call(
            partial(
                confirm_staff, row.id, row.version, actor_id=desk.operator_id, now=desk.clock.now()
            ),
            partial(self._show_password, row, title="temp_password.title_confirmed"),
            group="staff-write",
            refused=self._write_refused,
        )
