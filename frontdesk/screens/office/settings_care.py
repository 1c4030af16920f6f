"""走访等级表 — which special-group tags put a person in care, at which level, in the supervisor's
community (``care.tag_levels``; the days between visits at each level are ordinary settings on
the settings screen). A row per tag: its level now (bold where it differs from the default) and
the default. One key per level changes the tag under the cursor: 1 高风险, 2 重点, 3 一般, 0 不走访;
each change is written and audited by ``set_tag_level``. Opened from the settings screen (c);
Escape goes back. A person with several care tags takes the highest of their levels.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from frontdesk.care.settings import TagLevelRow, set_tag_level, tag_level_rows
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.vocabulary import CareLevel, Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.tables import empty, fit_columns

NONE = "none"  # the key's level: not a care tag
LEVEL_KEYS = [
    ("1", CareLevel.HIGH.value),
    ("2", CareLevel.KEY.value),
    ("3", CareLevel.GENERAL.value),
    ("0", NONE),
]
COLUMNS = ("tag", "level", "default")


def level_name(level: CareLevel | None) -> str:
    return _(f"enum.care_level.{level}") if level else _("care_tags.no_care")


class CareTagsScreen(DeskScreen):
    CSS_PATH = "settings_care.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back", show=False),
        # one key per level (the hint under the table names them: the footer has no room)
        *[
            Binding(key, f"level('{level}')", f"care_tags.key.{level}", show=False)
            for key, level in LEVEL_KEYS
        ],
        Binding("ctrl+r", "reload", "care_tags.key_reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-care-tags")
        self.rows: list[TagLevelRow] = []
        self.problem = ""
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield DeskHeader("care_tags.title")
        yield Static(_("care_tags.loading"), id="ct-status")
        yield DataTable(id="ct-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("care_tags.hint"), id="ct-hint")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#ct-table", DataTable).focus()
        self.reload()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._columns()
        self._show()

    def shows(self, changes: Changes) -> bool:
        return changes.touches("setting")

    def refresh_data(self) -> None:
        self.reload()

    def _columns(self) -> None:
        table = self.query_one("#ct-table", DataTable)
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(_(f"care_tags.col.{column}"), key=column)

    def reload(self) -> None:
        self.call(
            partial(tag_level_rows, actor_id=self.desk.operator_id),
            self._loaded,
            group="care-tags",
            latest=True,
            refused=self._refused,
        )

    def _loaded(self, rows: list[TagLevelRow]) -> None:
        self.rows, self.problem, self.loaded = rows, "", True
        self._show()

    def _refused(self, error: UserError) -> None:
        self.rows, self.problem, self.loaded = [], str(error), True
        self._show()

    def _show(self) -> None:
        table = self.query_one("#ct-table", DataTable)
        keep = self._current()
        empty(table)
        accent = f"bold {self.app.theme_variables.get('text-accent', '')}"
        muted = self.app.theme_variables.get("text-muted", "")
        for row in self.rows:
            table.add_row(
                Text(_(f"tag.{row.code}")),
                Text(level_name(row.level), style=accent if row.changed else ""),
                Text(level_name(row.default), style=muted),
                key=row.code,
            )
        fit_columns(table)
        if keep is not None and any(r.code == keep.code for r in self.rows):
            table.move_cursor(row=table.get_row_index(keep.code), animate=False)
        status = self.query_one("#ct-status", Static)
        status.set_class(bool(self.problem), "-error")
        if self.problem:
            status.update(self.problem)
        elif not self.loaded:
            status.update(_("care_tags.loading"))
        else:
            in_care = sum(1 for row in self.rows if row.level is not None)
            changed = sum(1 for row in self.rows if row.changed)
            status.update(_("care_tags.counts", care=in_care, changed=changed))

    def _current(self) -> TagLevelRow | None:
        table = self.query_one("#ct-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((row for row in self.rows if row.code == key), None)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        return [
            (
                _("care_tags.palette.level", level=_(f"care_tags.key.{level}"), key=key),
                "",
                partial(self.action_level, level),
            )
            for key, level in LEVEL_KEYS
        ]

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.reload()

    def action_level(self, level: str) -> None:
        row = self._current()
        if row is None:
            return
        wanted = None if level == NONE else CareLevel(level)
        desk = self.desk
        self.call(
            partial(
                set_tag_level, row.code, wanted, actor_id=desk.operator_id, now=desk.clock.now()
            ),
            self._changed,
            group="care-tags-write",
            refused=self._change_refused,
        )

    def _changed(self, row: TagLevelRow) -> None:
        self.notify(_("care_tags.changed", tag=_(f"tag.{row.code}"), level=level_name(row.level)))
        self.reload()

    def _change_refused(self, error: UserError) -> None:
        self.notify(str(error), severity="warning")
