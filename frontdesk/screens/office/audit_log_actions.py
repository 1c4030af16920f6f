"""What the audit log screen does with its entries besides listing them: open the record an
entry is about (Enter, in the list or in the person box; ↓ from the box goes into the list),
export the entries under the filters as CSV (x) or as an Excel workbook (Ctrl+E, as on every
list), write the chains' anchor for the supervisor to keep outside the database (k), and its
palette commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.widgets import DataTable, Input

from frontdesk.audit import (
    AuditFilters,
    LogRow,
    export_anchor,
    export_entries,
    export_folder,
    export_path,
)
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.outbox import fetch_hint
from frontdesk.screens.base.export import export_binding, start_export
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.widgets.picker import StepInput

PAGE_SIZE = 50


def export_to_file(
    filters: AuditFilters, *, actor_id: int | None, now: datetime
) -> tuple[int, Path]:
    """Export the entries under ``filters`` into the exports folder, else the current folder
    (called by ``call``); the number written and the file. A refusal or a file that cannot be
    written is refused with its reason."""
    try:
        try:
            path = export_path(export_folder(), now)
            count = export_entries(filters, path, actor_id=actor_id, now=now)
        except OSError:  # the folder cannot be written: the current one
            path = export_path(Path.cwd(), now)
            count = export_entries(filters, path, actor_id=actor_id, now=now)
    except (UserError, OSError) as exc:
        raise UserError("audit_log.export_failed", error=str(exc)) from exc
    return count, path


def anchor_to_file(*, actor_id: int | None, database: str, now: datetime) -> tuple[Path, int]:
    """Write the chains' anchor into the exports folder (called by ``call``); the file and the
    number of chains. A refusal or a file that cannot be written is refused with its reason."""
    try:
        return export_anchor(export_folder(), actor_id=actor_id, database=database, now=now)
    except (UserError, OSError) as exc:
        raise UserError("audit_log.export_failed", error=str(exc)) from exc


class AuditLogActions(DeskScreen):
    """The audit log screen's actions (``AuditLogScreen`` holds the list and the filters)."""

    BINDINGS = [export_binding()]  # merged with the screen's own
    filters: AuditFilters

    if TYPE_CHECKING:  # what the list screen provides

        def _highlighted(self) -> LogRow | None: ...
        def reload(self) -> None: ...
        def action_next_page(self) -> None: ...
        def action_previous_page(self) -> None: ...
        def action_clear(self) -> None: ...
        def action_focus_filter(self, widget_id: str) -> None: ...

    @on(StepInput.Step, "#au-person")
    def _step(self, event: StepInput.Step) -> None:
        """↓ from the box: into the list, the next entry the highlighted one (↓ then Enter
        opens the second, as under every box)."""
        table = self.query_one("#au-table", DataTable)
        if event.step > 0 and table.row_count:
            table.focus()
            table.move_cursor(row=min(table.cursor_row + 1, table.row_count - 1))

    @on(Input.Submitted, "#au-person")
    def _person_submitted(self) -> None:
        """Enter in the box opens the highlighted entry, as Enter in the list does."""
        if self.query_one("#au-table", DataTable).row_count:
            self.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """x and k are letters the focused box takes: not offered in the footer there."""
        if action in ("export", "export_anchor") and isinstance(self.focused, Input):
            return False
        return super().check_action(action, parameters)

    @on(DataTable.RowSelected, "#au-table")
    def _row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self._highlighted()
        if row is None or row.entity_id is None:
            return
        if row.entity == "resident":
            self.desk_app.open_resident(row.entity_id)
        elif row.entity == "request":
            from frontdesk.screens.requests.detail import RequestDetailScreen

            self.app.push_screen(RequestDetailScreen(row.entity_id))
        else:
            self.notify(_("audit_log.cannot_open"))

    def action_export(self) -> None:
        desk = self.desk
        self.call(
            partial(export_to_file, self.filters, actor_id=desk.operator_id, now=desk.clock.now()),
            self._exported,
            group="audit-export",
        )

    def _exported(self, written: tuple[int, Path]) -> None:
        count, path = written
        self.notify(
            _("audit_log.exported", count=count, path=str(path)) + fetch_hint(path), timeout=10
        )
        self.reload()  # the export is an entry itself

    def action_export_list(self) -> None:
        """Ctrl+E: the entries under the filters as an Excel workbook (x: as CSV)."""
        start_export(self, "audit", self.filters, _("export.what.audit"))

    def action_export_anchor(self) -> None:
        """The chains' anchor, for the supervisor to keep outside the database."""
        desk = self.desk
        self.call(
            partial(
                anchor_to_file,
                actor_id=desk.operator_id,
                database=desk.db_path.name,
                now=desk.clock.now(),
            ),
            self._anchor_written,
            group="audit-anchor",
        )

    def _anchor_written(self, written: tuple[Path, int]) -> None:
        path, chains = written
        self.notify(_("audit_chain.anchor_written", path=str(path), chains=chains), timeout=10)
        self.reload()  # taking the anchor is an entry itself

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """This screen's commands for the palette: (title, help, callback)."""
        page_help = _("audit_log.palette.page_help", size=PAGE_SIZE)
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_("audit_log.palette.export"), _("audit_log.palette.export_help"), self.action_export),
            (
                _("export.ui.palette_audit"),
                _("export.ui.palette_audit_help"),
                self.action_export_list,
            ),
            (
                _("audit_log.palette.anchor"),
                _("audit_log.palette.anchor_help"),
                self.action_export_anchor,
            ),
            (_("audit_log.palette.open"), _("audit_log.palette.open_help"), self.action_open),
            (_("audit_log.palette.next"), page_help, self.action_next_page),
            (_("audit_log.palette.previous"), page_help, self.action_previous_page),
            (_("audit_log.palette.clear"), _("audit_log.palette.clear_help"), self.action_clear),
            (_("audit_log.palette.reload"), _("audit_log.palette.reload_help"), self.reload),
        ]
        for widget_id, key in (
            ("au-person", "person"),
            ("au-operator", "operator"),
            ("au-action", "action"),
            ("au-since", "since"),
        ):
            commands.append(
                (
                    _(f"audit_log.palette.filter_{key}"),
                    _("audit_log.palette.filter_help"),
                    partial(self.action_focus_filter, widget_id),
                )
            )
        return commands
