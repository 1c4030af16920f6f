"""The due-time table of the supervisor's community: a row per request category, a column per
urgency (一般, 紧急, 特急), each cell the hours a request may take. A view inside the settings
screen (F10), shown in place of the list when Enter is pressed on its 处理时限表 line, so F2–F10
treat it as the settings screen they close or replace.

The arrows move from cell to cell; Enter or e edits the cell under the cursor (a one-field
form), d puts it back to its default after asking, Escape goes back to the list. Cells that
differ from the installation's default are in bold; the lines under the table say what the cell
under the cursor is, what it may be set to, and how due times are counted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.localized import translate_bindings
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.office.setting_form_due import DueHoursFormScreen, cell_name
from frontdesk.settings import DueCell, DueTable, due_table, reset_due_hours
from frontdesk.settings.duetimes import HIGH, LOW, URGENCIES


class DueTimesView(Vertical):
    """The table and its lines; its keys apply while the table has the focus. Posts ``Closed``
    on Escape; the screen it is in shows the list again."""

    BINDINGS = [
        Binding("escape", "close", "key.back", show=False),
        Binding("e", "edit", "settings.due.key_edit"),
        Binding("d", "reset", "settings.due.key_reset"),
        Binding("ctrl+r", "reload", "settings.due.key_reload", show=False),
    ]

    class Closed(Message):
        """Escape: back to the list of settings."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.table: DueTable | None = None
        self.problem = ""  # why the table could not be loaded

    @property
    def host(self) -> DeskScreen:
        return cast(DeskScreen, self.screen)

    # ---------------------------------------------------------------------------- composing

    def compose(self) -> ComposeResult:
        yield Static(_("settings.loading"), id="dt-status")
        yield DataTable(id="dt-table", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="dt-help")
        yield Static(_("settings.due.hint"), id="dt-hint")

    def on_mount(self) -> None:
        translate_bindings(self)
        self._columns()

    def open(self) -> None:
        """Shown: the table loaded again, the focus in it."""
        self.display = True
        self.query_one("#dt-table", DataTable).focus()
        self.reload()

    def theme_changed(self) -> None:
        self._show()

    def _columns(self) -> None:
        grid = self.query_one("#dt-table", DataTable)
        grid.clear(columns=True)
        for urgency in URGENCIES:
            grid.add_column(Text(_(f"enum.urgency.{urgency}"), justify="right"), key=urgency)

    # ------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        self.host.call(
            partial(due_table, actor_id=self.host.desk.operator_id),
            self._loaded,
            group="due-times",
            latest=True,
            refused=self._refused,
        )

    def _loaded(self, table: DueTable) -> None:
        self.table, self.problem = table, ""
        if self.is_attached:  # not replaced meanwhile (a language switch recomposes the screen)
            self._show()

    def _refused(self, error: UserError) -> None:
        self.table, self.problem = None, str(error)
        if self.is_attached:
            self._show()

    def _show(self) -> None:
        grid = self.query_one("#dt-table", DataTable)
        keep = grid.cursor_coordinate
        grid.clear()
        table = self.table
        if table is not None:
            colours = self.app.theme_variables
            changed = f"bold {colours.get('text-accent', '')}"
            for category in table.categories:
                cells = [table.cell(category, urgency) for urgency in URGENCIES]
                grid.add_row(
                    *[
                        Text(
                            _("settings.unit.hours", value=c.hours),
                            changed if c.changed else "",
                            justify="right",
                        )
                        for c in cells
                    ],
                    key=category,
                    label=Text(_(f"category.{category}")),
                )
            if grid.row_count:
                row = min(keep.row, grid.row_count - 1)
                grid.move_cursor(row=row, column=keep.column, animate=False)
        self._show_status()
        self._show_help()

    def _show_status(self) -> None:
        status = self.query_one("#dt-status", Static)
        status.set_class(bool(self.problem), "-error")
        if self.problem:
            status.update(self.problem)
            return
        if self.table is None:
            status.update(_("settings.loading"))
            return
        changed = self.table.changed
        counts = (
            _("settings.due.counts", changed=changed) if changed else _("settings.due.counts_none")
        )
        status.update(_("settings.due.whose") + counts)

    def _show_help(self) -> None:
        cell = self._current()
        text = ""
        if cell is not None:
            text = _(
                "settings.due.about",
                category=_(f"category.{cell.category}"),
                urgency=_(f"enum.urgency.{cell.urgency}"),
                hours=cell.hours,
                default=cell.default,
                low=LOW,
                high=HIGH,
            )
            text += "\n" + _("settings.due.clock")
        self.query_one("#dt-help", Static).update(text)

    @on(DataTable.CellHighlighted, "#dt-table")
    def _cell_highlighted(self) -> None:
        self._show_help()

    # ------------------------------------------------------------------------------ helpers

    def _current(self) -> DueCell | None:
        """The cell under the cursor."""
        grids = self.query("#dt-table")
        grid = grids.first() if grids else None
        if not isinstance(grid, DataTable) or not grid.row_count or self.table is None:
            return None
        at: Coordinate = grid.cursor_coordinate
        keys = grid.coordinate_to_cell_key(at)
        category, urgency = keys.row_key.value, keys.column_key.value
        if category not in self.table.categories or urgency not in URGENCIES:
            return None
        return self.table.cell(category, urgency)

    # ------------------------------------------------------------------------------ actions

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """The table's commands for the palette: (title, help, callback)."""
        return [
            (_("settings.due.palette_edit"), _("settings.due.palette_edit_help"), self.action_edit),
            (
                _("settings.due.palette_reset"),
                _("settings.due.palette_reset_help"),
                self.action_reset,
            ),
            (_("settings.palette.reload"), _("settings.palette.reload_help"), self.reload),
            (
                _("settings.due.palette_back"),
                _("settings.due.palette_back_help"),
                self.action_close,
            ),
        ]

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())

    def action_reload(self) -> None:
        self.reload()

    @on(DataTable.CellSelected, "#dt-table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        cell = self._current()
        if cell is None:
            return

        def closed(result: int | None) -> None:
            if result is not None:
                self.notify(_("settings.saved", setting=cell_name(cell)))

        self.app.push_screen(DueHoursFormScreen(cell), closed)

    def action_reset(self) -> None:
        """Put the cell under the cursor back to its default, after asking."""
        cell = self._current()
        if cell is None:
            return
        name = cell_name(cell)
        if not cell.changed:
            self.notify(_("settings.already_default", setting=name))
            return
        title = _("settings.reset_title", setting=name)
        body = _(
            "settings.reset_body",
            value=_("settings.unit.hours", value=cell.hours),
            default=_("settings.unit.hours", value=cell.default),
        )
        options = [("yes", _("settings.reset_yes")), ("no", _("settings.keep_as_is"))]

        def chosen(answer: str | None) -> None:
            if answer == "yes":
                self._reset(cell)

        self.app.push_screen(ChoiceScreen(title, body, options), chosen)

    def _reset(self, cell: DueCell) -> None:
        desk = self.host.desk
        job = partial(
            reset_due_hours,
            cell.category,
            cell.urgency,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
        )
        self.host.call(job, partial(self._was_reset, cell), group="due-write", refused=self._failed)

    def _was_reset(self, cell: DueCell, _answer: object) -> None:
        self.notify(_("settings.reset_done", setting=cell_name(cell)))
        self.reload()

    def _failed(self, error: UserError) -> None:
        self.notify(str(error), severity="error")
        self.reload()
