"""Settings, each with its value now and its default: a supervisor's are their community's (the
special-group share, the escalation grace, the working hours and the due-time table), the
administrator's the installation's (the idle lock and the sign-in lock); the line above the list
says which.

Enter or e 修改 edits the setting under the cursor (a small form: one field, Enter or Ctrl+S
saves; on 处理时限表 it shows the table in place of the list, ``settings_due``, Escape back to
the list), d 恢复默认 puts it back to its default after asking, Escape goes back. The line under
the list explains the highlighted setting and what it may be set to. A change to the idle lock
counts at this desk at once; the list reloads when the screen comes back or another desk changes
a setting.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.office.setting_form import SettingFormScreen, help_text, shown
from frontdesk.screens.office.settings_due import DueTimesView
from frontdesk.settings import Kind, SettingRow, list_settings, reset_setting
from frontdesk.vocabulary import Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.tables import empty, fit_columns

COLUMNS = ["setting", "value", "default"]
IDLE = "auth.idle_minutes"  # the app keeps it; it reloads it after a change
LIST_PARTS = ("#se-status", "#se-table", "#se-help", "#se-hint")  # hidden under the due table


class SettingsScreen(DeskScreen):
    """Pushed over any screen by an operator allowed to configure; Escape goes back."""

    CSS_PATH = ["settings.tcss", "settings_due.tcss"]
    BINDINGS = [
        Binding("escape", "back", "key.back", show=False),
        Binding("e", "edit", "settings.key_edit"),
        Binding("d", "reset", "settings.key_reset"),
        # the care-tag table (a community's): in the palette, the footer has no room in English
        Binding("c", "care_tags", "care_tags.key_open", show=False),
        Binding("ctrl+r", "reload", "settings.key_reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-settings")
        self.rows: list[SettingRow] = []
        self.loaded = False
        self.problem = ""  # why the list could not be loaded (e.g. the role may not)

    # ---------------------------------------------------------------------------- composing

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.settings")
        yield Static(_("settings.loading"), id="se-status")
        yield DataTable(id="se-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="se-help")
        yield Static(_("settings.hint"), id="se-hint")
        yield DueTimesView(id="se-due")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#se-due", DueTimesView).display = False
        self.query_one("#se-table", DataTable).focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_screen_resume(self) -> None:
        self.reload()

    async def _language_changed(self, language: str) -> None:
        table_open = self._table_open()
        await super()._language_changed(language)
        self._columns()
        self._show()
        if table_open:
            self._open_table()

    def _theme_changed(self, _theme: object) -> None:
        self._show()
        self.query_one("#se-due", DueTimesView).theme_changed()

    def shows(self, changes: Changes) -> bool:
        return changes.touches("setting")  # another desk changed one

    def refresh_data(self) -> None:
        self.reload()

    def _columns(self) -> None:
        table = self.query_one("#se-table", DataTable)
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(_(f"settings.col.{column}"), key=column)

    # ------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        if self._table_open():  # the due-time table shown: it too (a cell saved, another desk)
            self.query_one("#se-due", DueTimesView).reload()
        self.call(
            partial(list_settings, actor_id=self.desk.operator_id),
            self._loaded,
            group="settings-list",
            latest=True,
            refused=self._refused,
        )

    def _loaded(self, rows: list[SettingRow]) -> None:
        self.rows, self.loaded, self.problem = rows, True, ""
        self._show()
        self.refresh_bindings()  # c: a community's settings have the care-tag table

    def _refused(self, error: UserError) -> None:
        self.rows, self.loaded, self.problem = [], True, str(error)
        self._show()

    def _show(self) -> None:
        table = self.query_one("#se-table", DataTable)
        keep = self._current()
        empty(table)
        for row in self.rows:
            table.add_row(*self._cells(row), key=row.key)
        fit_columns(table)  # sized before it is drawn (widgets.tables)
        if keep is not None and any(r.key == keep.key for r in self.rows):
            table.move_cursor(row=table.get_row_index(keep.key), animate=False)
        self._show_status()
        self._show_help()

    def _cells(self, row: SettingRow) -> list[Text]:
        colours = self.app.theme_variables
        muted = colours.get("text-muted", "")
        value_style = f"bold {colours.get('text-accent', '')}" if row.changed else ""
        return [
            Text(_(row.label_key)),
            Text(shown(row.key, row.value), style=value_style),
            Text(shown(row.key, row.default), style=muted),
        ]

    def _show_status(self) -> None:
        status = self.query_one("#se-status", Static)
        hint = self.query_one("#se-hint", Static)
        status.set_class(bool(self.problem), "-error")
        if self.problem:
            status.update(self.problem)
            hint.update("")
            return
        if not self.loaded:
            status.update(_("settings.loading"))
            return
        changed = sum(1 for row in self.rows if row.changed)
        counts = _("settings.counts", changed=changed) if changed else _("settings.counts_none")
        # whose settings these are: a supervisor's community's, the administrator's installation's
        whose = "community" if any(row.community_id for row in self.rows) else "installation"
        status.update(_(f"settings.whose_{whose}") + counts)
        hint.update(_("settings.hint"))

    def _show_help(self) -> None:
        row = self._current()
        self.query_one("#se-help", Static).update(help_text(row.key) if row else "")

    @on(DataTable.RowHighlighted, "#se-table")
    def _row_highlighted(self) -> None:
        self._show_help()

    # ------------------------------------------------------------------------------ helpers

    def _current(self) -> SettingRow | None:
        """The setting under the cursor."""
        tables = self.query("#se-table")
        table = tables.first() if tables else None
        if not isinstance(table, DataTable) or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if r.key == key), None)

    def _table_open(self) -> bool:
        views = self.query("#se-due")
        return bool(views) and bool(views.first().display)

    def _open_table(self) -> None:
        """The due-time table in place of the list (its keys while it has the focus)."""
        for selector in LIST_PARTS:
            self.query_one(selector).display = False
        self.query_one("#se-due", DueTimesView).open()

    @on(DueTimesView.Closed)
    def _table_closed(self) -> None:
        for selector in LIST_PARTS:
            self.query_one(selector).display = True
        self.query_one("#se-table", DataTable).focus()
        self.reload()

    def _applied(self, key: str) -> None:
        """A setting was written: what this desk keeps of it is read again."""
        if key == IDLE:
            self.desk_app.load_idle_minutes()

    # ------------------------------------------------------------------------------ actions

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """This screen's commands for the palette: (title, help, callback)."""
        if self._table_open():
            return self.query_one("#se-due", DueTimesView).palette_commands()
        return [
            (_("settings.palette.edit"), _("settings.palette.edit_help"), self.action_edit),
            (_("settings.palette.reset"), _("settings.palette.reset_help"), self.action_reset),
            (_("settings.palette.reload"), _("settings.palette.reload_help"), self.reload),
            (_("settings.palette.back"), _("settings.palette.back_help"), self.action_back),
            *(
                [(_("care_tags.palette.open"), _("care_tags.hint"), self.action_care_tags)]
                if self.check_action("care_tags", ())
                else []
            ),
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "care_tags":  # the care-tag table: a community's (not the installation's)
            return any(row.community_id for row in self.rows)
        return True

    def action_care_tags(self) -> None:
        from frontdesk.screens.office.settings_care import CareTagsScreen

        if self.check_action("care_tags", ()):
            self.app.push_screen(CareTagsScreen())

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.reload()

    @on(DataTable.RowSelected, "#se-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.kind == Kind.TABLE:  # the due-time table: shown in place of the list
            self._open_table()
            return
        form = SettingFormScreen(row)

        def closed(result: int | None) -> None:
            if result is not None:
                self._applied(row.key)
                self.notify(_("settings.saved", setting=_(row.label_key)))

        self.app.push_screen(form, closed)

    def action_reset(self) -> None:
        """Put the setting under the cursor back to its default, after asking."""
        row = self._current()
        if row is None:
            return
        label = _(row.label_key)
        if row.kind == Kind.TABLE:
            self.notify(_("settings.due.reset_in_table"))
            return
        if not row.changed:
            self.notify(_("settings.already_default", setting=label))
            return
        title = _("settings.reset_title", setting=label)
        body = _(
            "settings.reset_body",
            value=shown(row.key, row.value),
            default=shown(row.key, row.default),
        )
        options = [("yes", _("settings.reset_yes")), ("no", _("settings.keep_as_is"))]

        def chosen(answer: str | None) -> None:
            if answer == "yes":
                self._reset(row)

        self.app.push_screen(ChoiceScreen(title, body, options), chosen)

    def _reset(self, row: SettingRow) -> None:
        desk = self.desk
        self.call(
            partial(reset_setting, row.key, actor_id=desk.operator_id, now=desk.clock.now()),
            partial(self._was_reset, row),
            group="settings-write",
            refused=self._reset_refused,
        )

    def _was_reset(self, row: SettingRow, _answer: object) -> None:
        self._applied(row.key)
        self.notify(_("settings.reset_done", setting=_(row.label_key)))
        self.reload()

    def _reset_refused(self, error: UserError) -> None:
        self.notify(str(error), severity="error")
        self.reload()
