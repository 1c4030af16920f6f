"""The imports of the operator's community (palette 导入记录), newest first, with their status;
u takes the highlighted one back after asking (``runs.undo``: refused, with the service's
reason, while a later change touches what it wrote). Escape goes back.
"""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, ProgressBar, Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.roster import runs
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.progress import WorkProgress
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.vocabulary import Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.tables import empty, fit_columns

COLUMNS = ("id", "at", "file", "status", "new", "updated", "by")


class ImportsScreen(DeskScreen):
    CSS_PATH = "roster_import.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("u", "undo", "roster_import.key_undo"),
        Binding("ctrl+r", "reload", "roster_import.key_reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-roster-imports")
        self.items: list[runs.ImportSummary] = []
        self.work = WorkProgress()
        self.poll: Timer | None = None
        self.status_text = _("roster_import.loading")
        self.error = False
        self.said = False  # the line says what an undo did (or why not): kept over a reload

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.roster_imports")
        yield Static(self.status_text, id="rl-status", markup=False)
        yield DataTable(id="rl-table", cursor_type="row", zebra_stripes=True)
        yield ProgressBar(total=1.0, id="rl-progress", show_eta=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.poll = self.set_interval(0.1, self._poll, pause=True)
        self.query_one("#rl-progress", ProgressBar).display = False
        self.query_one("#rl-table", DataTable).focus()
        self._show()
        self.action_reload()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self.query_one("#rl-progress", ProgressBar).display = self.work.running
        self._show()

    def shows(self, changes: Changes) -> bool:
        return changes.touches("roster_import", "resident")

    def refresh_data(self) -> None:
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            if self.work.running:
                return False
            current = self._current()
            return None if current is None or current.status != "done" else True
        return True

    def action_back(self) -> None:
        if not self.work.running:
            self.dismiss()

    def action_reload(self) -> None:
        self.call(
            partial(runs.imports, actor_id=self.desk.operator_id),
            self._loaded,
            group="roster-imports",
            latest=True,
            refused=self._refused,
        )

    def _loaded(self, items: list[runs.ImportSummary]) -> None:
        self.items = items
        if not self.said:
            self.status_text = _("roster_import.imports_hint") if items else _("cli_import.none")
        self._show()

    def _refused(self, error: UserError) -> None:
        self._stopped()
        self.status_text, self.error, self.said = str(error), True, True
        self._show()

    def _current(self) -> runs.ImportSummary | None:
        table = self.query_one("#rl-table", DataTable)
        if not self.items or table.cursor_row < 0 or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    def _show(self) -> None:
        status = self.query_one("#rl-status", Static)
        status.update(self.status_text)
        status.set_class(self.error, "-error")
        table = self.query_one("#rl-table", DataTable)
        keep = table.cursor_row
        empty(table)
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(_(f"roster_import.col.{column}"), key=column)
        for item in self.items:
            counts = item.counts
            table.add_row(
                str(item.id),
                f"{item.started_at:%Y-%m-%d %H:%M}",
                item.file_name,
                _(f"cli_import.status.{item.status}"),
                str(counts.get("written_new", counts.get("new", 0))),
                str(counts.get("written_updates", 0)),
                item.by,
            )
        fit_columns(table)
        if self.items:
            table.move_cursor(row=max(0, min(keep, len(self.items) - 1)), animate=False)
        self.refresh_bindings()

    def action_undo(self) -> None:
        current = self._current()
        if current is None:
            return
        options = [("yes", _("roster_import.undo_yes")), ("no", _("roster_import.write_no"))]
        body = _("roster_import.undo_body", id=current.id) + "\n" + current.file_name
        self.app.push_screen(
            ChoiceScreen(_("roster_import.undo_title"), body, options),
            partial(self._confirmed, current.id),
        )

    def _confirmed(self, import_id: int, answer: str | None) -> None:
        if answer != "yes":
            return
        self.work.start()
        bar = self.query_one("#rl-progress", ProgressBar)
        bar.update(total=1.0, progress=0.0)
        bar.display = True
        if self.poll is not None:
            self.poll.resume()
        self.status_text, self.error, self.said = _("cli_import.undoing"), False, True
        self._show()
        self.call(
            partial(
                runs.undo,
                import_id,
                actor_id=self.desk.operator_id,
                now=self.desk.clock.now(),
                progress=self.work.report,
            ),
            self._undone,
            group="roster-undo",
            refused=self._refused,
            failed=self._stopped,
        )

    def _poll(self) -> None:
        self.query_one("#rl-progress", ProgressBar).update(progress=self.work.share)

    def _stopped(self) -> None:
        self.work.finish()
        if self.poll is not None:
            self.poll.pause()
        self.refresh_bindings()

    def _undone(self, done: runs.Undone) -> None:
        self._stopped()
        self.query_one("#rl-progress", ProgressBar).update(progress=1.0)
        self.status_text = _(
            "cli_import.undone", id=done.import_id, removed=done.removed, restored=done.restored
        )
        self.action_reload()
