"""Importing residents from a spreadsheet (issue 13, "the same in the program for the
supervisor"): the palette's 导入居民.

The file box takes a typed path (``~`` expanded) or one of the spreadsheets listed under it
(↓ and Enter, as the desk's pickers do); the sheet box names a sheet when the file has more
than one table. Enter previews in a worker (``roster_files.preview``) — nothing is written to
the register: the counts, unknown columns and places, the people the file leaves out, where the
error workbook went, and one of three lists (t switches): the rows with problems (行, 姓名,
问题), the updates (old → new) and the people not in the file. m shows the column → field
mapping, to change (and save) before previewing again (``roster_mapping``).

w writes — not while a row is refused (the line above the footer says why); v writes only the
valid rows, the user's explicit choice; space ticks whether the updates are applied. The bar
follows the write (``WorkProgress``: the worker reports, a timer shows); Escape stops it and
everything written is taken back. Once written, u takes the import back, i lists the imports.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Input, ProgressBar, Static
from textual.widgets.option_list import Option

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.roster import runs
from frontdesk.roster.mappings import save_mapping
from frontdesk.roster.writing import Cancelled, Imported, write_plan
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.progress import WorkProgress
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.office.roster_files import (
    LISTS,
    Preview,
    fill_list,
    list_tabs,
    preview,
    spreadsheets,
    summary_lines,
    typed_path,
)
from frontdesk.screens.office.roster_mapping import MappingScreen
from frontdesk.widgets.checkbox import DeskCheckbox
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.input import DeskInput
from frontdesk.widgets.picker import PickList, StepInput

POLL = 0.1  # seconds between looks at the write's progress


class RosterImportScreen(DeskScreen):
    """Pushed from the palette by an operator allowed to import; Escape goes back."""

    CSS_PATH = "roster_import.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("w", "write", "roster_import.key_write"),
        Binding("v", "write_valid", "roster_import.key_write_valid"),
        Binding("space", "toggle_updates", "roster_import.key_updates"),
        Binding("t", "switch_list", "roster_import.key_switch"),
        Binding("m", "mapping", "roster_import.key_mapping"),
        Binding("u", "undo", "roster_import.key_undo"),
        Binding("i", "imports", "roster_import.key_imports"),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-roster-import")
        self.found: Preview | None = None
        self.mapping: dict[str, str] | None = None  # chosen in the mapping editor
        self.shown_list = "problems"
        self.loading = False
        self.done: Imported | None = None
        self.work = WorkProgress()
        self.files: list[str] = []
        self.shown_rows: list[tuple[int, str, str]] = []
        self.summary_text = ""
        self.said = ""
        self.poll: Timer | None = None
        self.status_text = _("roster_import.hint_path")

    # ---------------------------------------------------------------------------- composing

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.roster_import")
        with Horizontal(id="ri-boxes"):
            yield Static(_("roster_import.file"), classes="ri-label")
            yield StepInput(
                placeholder=_("roster_import.path_placeholder"), id="ri-path", compact=True
            )
            yield Static(_("roster_import.sheet"), classes="ri-label")
            yield DeskInput(
                placeholder=_("roster_import.sheet_placeholder"), id="ri-sheet", compact=True
            )
        yield PickList(id="ri-files")
        yield Static("", id="ri-status", markup=False)
        yield Static("", id="ri-summary", markup=False)
        yield Static("", id="ri-lists")
        yield DataTable(id="ri-rows", cursor_type="row", zebra_stripes=True)
        yield Static("", id="ri-detail", markup=False)
        with Horizontal(id="ri-write"):
            yield DeskCheckbox(_("roster_import.apply_updates"), id="ri-updates", compact=True)
            yield ProgressBar(total=1.0, id="ri-progress", show_eta=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.poll = self.set_interval(POLL, self._poll, pause=True)
        self.query_one("#ri-updates", DeskCheckbox).can_focus = False
        self.query_one("#ri-path", StepInput).focus()
        self.call(spreadsheets, self._files_found, group="roster-files", latest=True)
        self._show()

    async def _language_changed(self, language: str) -> None:
        path = self.query_one("#ri-path", Input).value
        sheet = self.query_one("#ri-sheet", Input).value
        updates = self.query_one("#ri-updates", DeskCheckbox).value
        await super()._language_changed(language)
        self.query_one("#ri-path", Input).value = path
        self.query_one("#ri-sheet", Input).value = sheet
        self.query_one("#ri-updates", DeskCheckbox).value = updates
        if self.found is not None and self.done is None:
            self.summary_text = "\n".join(summary_lines(self.found))
        self._show()

    # --------------------------------------------------------------------------- the keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writing = self.work.running
        found = self.found
        if action == "back":
            return True
        if writing or self.loading:
            return False
        if action == "imports":
            return True
        if action == "undo":
            return self.done is not None
        if found is None or self.done is not None:
            return False
        counts = found.plan.counts
        if action in ("switch_list", "mapping"):
            return True
        if action == "write":
            return None if counts["refused"] else True  # shown, but off: the status says why
        if action == "write_valid":
            return bool(counts["refused"]) and self._writing_count(True) > 0
        if action == "toggle_updates":
            return bool(counts["update"])
        return True

    def action_back(self) -> None:
        if self.work.running:
            self.work.ask_stop()
            self._status(_("roster_import.stopping"))
            return
        self.dismiss()

    # ---------------------------------------------------------------------- choosing a file

    def _files_found(self, files: list[str]) -> None:
        self.files = files
        self._show_files()

    @on(Input.Changed, "#ri-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self._show_files()

    def _show_files(self) -> None:
        box = self.query_one("#ri-path", StepInput)
        picks = self.query_one("#ri-files", PickList)
        typed = box.value.strip().lower()
        matching = [path for path in self.files if typed in path.lower() and path != box.value]
        picks.clear_options()
        picks.add_options([Option(path, id=str(n)) for n, path in enumerate(matching[:6])])
        picks.display = bool(matching) and box.has_focus and self.found is None
        picks.show_first() if typed else setattr(picks, "highlighted", None)

    @on(StepInput.Step, "#ri-path")
    def _step(self, event: StepInput.Step) -> None:
        picks = self.query_one("#ri-files", PickList)
        if picks.highlighted is None and picks.option_count and event.step > 0:
            picks.highlighted = 0
            return
        picks.step(event.step)

    @on(Input.Submitted, "#ri-path")
    def _path_entered(self, event: Input.Submitted) -> None:
        picks = self.query_one("#ri-files", PickList)
        chosen = picks.chosen_id()
        if chosen is not None:
            event.input.value = str(picks.get_option_at_index(int(chosen)).prompt)
            picks.display = False
        self._preview(fresh=True)

    @on(Input.Submitted, "#ri-sheet")
    def _sheet_entered(self) -> None:
        self._preview(fresh=True)

    # ---------------------------------------------------------------------------- preview

    def _preview(self, *, fresh: bool, said: str = "") -> None:
        text = self.query_one("#ri-path", Input).value
        if not text.strip():
            self._status(_("roster_import.hint_path"), error=True)
            return
        if fresh:
            self.mapping = None  # another file: its saved mapping, if any
        sheet = self.query_one("#ri-sheet", Input).value.strip() or None
        self.loading, self.done, self.found = True, None, None
        self.said = said  # shown again once previewed (a stopped write's message)
        self.query_one("#ri-files", PickList).display = False
        self._status(_("roster_import.loading"))
        self._show()
        self.call(
            partial(
                preview,
                typed_path(text),
                actor_id=self.desk.operator_id,
                today=self.desk.clock.today(),
                now=self.desk.clock.now(),
                sheet=sheet,
                mapping=self.mapping,
            ),
            self._previewed,
            group="roster-preview",
            latest=True,
            refused=self._preview_refused,
            failed=self._preview_failed,
        )

    def _previewed(self, found: Preview) -> None:
        self.loading, self.found = False, found
        self.summary_text = "\n".join(summary_lines(found))  # as previewed (writing moves counts)
        counts = found.plan.counts
        self.shown_list = "problems" if found.problems or not counts["update"] else "updates"
        if self.said:
            self._status(self.said, error=True)
        elif counts["refused"]:
            self._status(_("roster_import.refused_reason", count=counts["refused"]), error=True)
        elif self._writing_count(False):
            self._status(_("roster_import.ready"))
        elif counts["update"]:
            self._status(_("roster_import.ready_updates", count=counts["update"]))
        else:
            self._status(_("roster.nothing_to_write"))
        self._show()
        self.query_one("#ri-rows", DataTable).focus()

    def _preview_refused(self, error: UserError) -> None:
        self.loading = False
        self._status(str(error), error=True)
        self._show()
        self.query_one("#ri-path", Input).focus()

    def _preview_failed(self) -> None:
        self.loading = False
        self._status(_("roster_import.hint_path"), error=True)
        self._show()

    def action_switch_list(self) -> None:
        self.shown_list = LISTS[(LISTS.index(self.shown_list) + 1) % len(LISTS)]
        self._show()

    def action_toggle_updates(self) -> None:
        box = self.query_one("#ri-updates", DeskCheckbox)
        box.value = not box.value
        self.refresh_bindings()

    def action_mapping(self) -> None:
        if self.found is None:
            return
        self.app.push_screen(MappingScreen(self.found.plan), self._mapping_chosen)

    def _mapping_chosen(self, answer: tuple[dict[str, str], bool] | None) -> None:
        if answer is None or self.found is None:
            return
        mapping, save = answer
        self.mapping = mapping
        if save:
            self.call(
                partial(
                    save_mapping,
                    "residents",
                    list(self.found.plan.table.headers),
                    mapping,
                    actor_id=self.desk.operator_id,
                    now=self.desk.clock.now(),
                ),
                lambda _none: self.notify(_("roster_import.mapping_saved")),
            )
        self._preview(fresh=False)

    # ----------------------------------------------------------------------------- writing

    def _apply_updates(self) -> bool:
        return self.query_one("#ri-updates", DeskCheckbox).value

    def _writing_count(self, only_valid: bool) -> int:
        if self.found is None:
            return 0
        counts = self.found.plan.counts
        return counts["new"] + (counts["update"] if self._apply_updates() else 0)

    def action_write(self) -> None:
        self._confirm(only_valid=False)

    def action_write_valid(self) -> None:
        self._confirm(only_valid=True)

    def _confirm(self, *, only_valid: bool) -> None:
        if self.found is None:
            return
        count = self._writing_count(only_valid)
        if count == 0:
            self._status(_("roster.nothing_to_write"), error=True)
            return
        refused = self.found.plan.counts["refused"]
        body = _("cli_import.confirm", count=count).removesuffix("[y/N] ").strip()
        if only_valid:
            body += "\n" + _("roster_import.skipping", count=refused)
        if not self._apply_updates() and self.found.plan.counts["update"]:
            body += "\n" + _("roster_import.updates_left", count=self.found.plan.counts["update"])
        options = [("yes", _("roster_import.write_yes")), ("no", _("roster_import.write_no"))]
        self.app.push_screen(
            ChoiceScreen(_("roster_import.confirm_title"), body, options),
            partial(self._confirmed, only_valid),
        )

    def _confirmed(self, only_valid: bool, answer: str | None) -> None:
        if answer != "yes" or self.found is None:
            return
        self._start(_("cli_import.writing"))
        self.call(
            partial(
                write_plan,
                self.found.plan,
                actor_id=self.desk.operator_id,
                now=self.desk.clock.now(),
                only_valid=only_valid,
                apply_updates=self._apply_updates(),
                progress=self.work.report,
                cancel=self.work.stop_asked,
            ),
            self._written,
            group="roster-write",
            refused=self._write_refused,
            failed=self._write_failed,
        )

    def _start(self, text: str) -> None:
        self.work.start()
        bar = self.query_one("#ri-progress", ProgressBar)
        bar.update(total=1.0, progress=0.0)
        bar.display = True
        self._status(text + " " + _("roster_import.escape_stops"))
        if self.poll is not None:
            self.poll.resume()
        self.refresh_bindings()

    def _poll(self) -> None:
        self.query_one("#ri-progress", ProgressBar).update(progress=self.work.share)

    def _stopped(self) -> None:
        self.work.finish()
        if self.poll is not None:
            self.poll.pause()
        self.refresh_bindings()

    def _written(self, done: Imported) -> None:
        self._stopped()
        self.query_one("#ri-progress", ProgressBar).update(progress=1.0)
        self.done = done
        text = _(
            "cli_import.done",
            id=done.import_id,
            new=done.new,
            households=done.households,
            updated=done.updated,
            skipped=done.skipped,
        )
        self._status(text + "\n" + _("roster_import.how_to_undo"))
        self._show()

    def _write_refused(self, error: UserError) -> None:
        self._stopped()
        self.query_one("#ri-progress", ProgressBar).display = False
        if isinstance(error, Cancelled):
            self.notify(str(error))
        self._status(str(error), error=True)
        self._show()
        self._plan_again(str(error))

    def _write_failed(self) -> None:
        self._stopped()
        self._plan_again(self.status_text)

    def _plan_again(self, said: str) -> None:
        """A write that stopped leaves its plan half-spent (households it made and took back):
        preview again before another write, keeping what the line said."""
        if self.done is None and self.found is not None:
            self._preview(fresh=False, said=said)

    # ------------------------------------------------------------------------- taking back

    def action_undo(self) -> None:
        if self.done is None:
            return
        import_id = self.done.import_id
        options = [("yes", _("roster_import.undo_yes")), ("no", _("roster_import.write_no"))]
        self.app.push_screen(
            ChoiceScreen(
                _("roster_import.undo_title"), _("roster_import.undo_body", id=import_id), options
            ),
            partial(self._undo_confirmed, import_id),
        )

    def _undo_confirmed(self, import_id: int, answer: str | None) -> None:
        if answer != "yes":
            return
        self._start(_("cli_import.undoing"))
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
            refused=self._write_refused,
            failed=self._stopped,
        )

    def _undone(self, done: runs.Undone) -> None:
        self._stopped()
        self.done = None
        self.found = None
        self.query_one("#ri-progress", ProgressBar).update(progress=1.0)
        self._status(
            _("cli_import.undone", id=done.import_id, removed=done.removed, restored=done.restored)
        )
        self._show()
        self.query_one("#ri-path", Input).focus()

    def action_imports(self) -> None:
        from frontdesk.screens.office.roster_imports import ImportsScreen

        self.app.push_screen(ImportsScreen())

    # ---------------------------------------------------------------------------- showing

    def _status(self, text: str, *, error: bool = False) -> None:
        self.status_text = text
        status = self.query_one("#ri-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _show(self) -> None:
        found = self.found
        summary = self.query_one("#ri-summary", Static)
        lists = self.query_one("#ri-lists", Static)
        table = self.query_one("#ri-rows", DataTable)
        bar = self.query_one("#ri-progress", ProgressBar)
        bar.display = self.work.running or self.done is not None
        self.query_one("#ri-status", Static).update(self.status_text)
        shown = found is not None
        for widget in (summary, lists, table):
            widget.display = shown
        self.query_one("#ri-detail", Static).display = False
        updates = self.query_one("#ri-updates", DeskCheckbox)
        updates.display = shown and bool(found and found.plan.counts["update"])
        self.refresh_bindings()
        if found is None:
            return
        summary.update(self.summary_text)
        lists.update(list_tabs(found, self.shown_list))
        self.shown_rows = fill_list(table, found, self.shown_list)

    @on(DataTable.RowHighlighted, "#ri-rows")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        detail = self.query_one("#ri-detail", Static)
        rows = self.shown_rows
        index = event.cursor_row
        text = rows[index][2] if 0 <= index < len(rows) else ""
        detail.update(text)
        detail.display = bool(text)
