"""The column → field mapping of a previewed import (issue 13, "A confirmed mapping can be
saved and reused"): each named column of the file and the field it goes to.

Enter changes the highlighted column's field (a list of the residents' fields and 不导入);
r previews again with the mapping shown, s saves it too (``mappings.save_mapping``: the next
file with the same columns opens with it), Escape closes and changes nothing. Dismisses with
(mapping, save) or None.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from frontdesk.i18n import _
from frontdesk.roster.plan import ResidentsPlan
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.screen import DeskModal
from frontdesk.screens.office.roster_files import current_mapping, field_choices, field_label
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.tables import empty, fit_columns

Answer = tuple[dict[str, str], bool]


class MappingScreen(DeskModal[Answer | None]):
    CSS_PATH = "roster_import.tcss"
    BINDINGS = [
        Binding("enter", "change", "roster_import.key_change"),
        Binding("r", "apply", "roster_import.key_apply"),
        Binding("s", "save", "roster_import.key_save"),
    ]

    def __init__(self, plan: ResidentsPlan) -> None:
        super().__init__(id="screen-roster-mapping")
        self.mapping = current_mapping(plan)
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="rm-box"):
            yield Static(_("roster_import.mapping_title"), id="rm-title")
            yield DataTable(id="rm-table", cursor_type="row", zebra_stripes=True)
            yield Static(_("roster_import.mapping_hint"), id="rm-hint")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._show()
        self.query_one("#rm-table", DataTable).focus()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._show()

    def _show(self) -> None:
        table = self.query_one("#rm-table", DataTable)
        keep = table.cursor_row
        empty(table)
        table.clear(columns=True)
        table.add_column(_("roster_import.col.column"), key="column")
        table.add_column(_("roster_import.col.field"), key="field")
        for text, key in self.mapping.items():
            table.add_row(text, field_label(key), key=text)
        fit_columns(table)
        if self.mapping:
            table.move_cursor(row=min(keep, len(self.mapping) - 1), animate=False)

    @on(DataTable.RowSelected, "#rm-table")
    def _selected(self) -> None:
        self.action_change()

    def action_change(self) -> None:
        table = self.query_one("#rm-table", DataTable)
        if not self.mapping:
            return
        column = list(self.mapping)[table.cursor_row]
        options = [(key or "-", label) for key, label in field_choices()]
        self.app.push_screen(
            ChoiceScreen(_("roster_import.field_title", column=column), "", options),
            partial(self._chosen, column),
        )

    def _chosen(self, column: str, answer: str | None) -> None:
        if answer is None:
            return
        key = "" if answer == "-" else answer
        if self.mapping.get(column) != key:
            self.mapping[column] = key
            self.changed = True
            self._show()

    def action_apply(self) -> None:
        self.dismiss((dict(self.mapping), False))

    def action_save(self) -> None:
        self.dismiss((dict(self.mapping), True))
