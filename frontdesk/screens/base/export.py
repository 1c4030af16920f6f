"""Ctrl+E on a list screen: export what the list shows, with its filters, as an Excel workbook.

One key everywhere (the residents, the requests, the rooms' bookings, the audit log): in the
footer where it fits, in F1 help and in the palette. A dialog says what will be written; Enter
writes it masked. A supervisor may choose a full export (document numbers and phones in full)
and gives the reason the audit log keeps. The file's place, and the command that fetches it to
the office PC from an SSH desk's outbox, are said when it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.exporting import Delivered, export_at_desk
from frontdesk.i18n import _
from frontdesk.outbox import fetch_hint
from frontdesk.screens.base.screen import DeskBase, DeskModal
from frontdesk.textrules import REASON, text_problem
from frontdesk.vocabulary import Role
from frontdesk.widgets.input import DeskInput

EXPORT_KEY = "ctrl+e"
MASKED, FULL = "masked", "full"


def export_binding(*, show: bool = True) -> Binding:
    """The key, the same on every list (priority: it works from the list's search box too).
    ``show=False`` where the footer has no room for it at 80 columns in English (F2, F4): F1
    help lists it with the keys that work everywhere, and the palette names it."""
    return Binding(EXPORT_KEY, "export_list", "export.ui.key", show=show, priority=True)


@dataclass(frozen=True)
class ExportChoice:
    full: bool
    reason: str = ""


class ExportDialog(DeskModal[ExportChoice | None]):
    """Enter on "masked" exports at once; "full" (a supervisor's, for the residents) asks the
    reason in the box below first."""

    CSS_PATH = "export.tcss"
    BINDINGS = [Binding("escape", "cancel", "key.close")]

    def __init__(self, what: str, *, full_allowed: bool) -> None:
        super().__init__()
        self.what = what
        self.full_allowed = full_allowed

    def compose(self) -> ComposeResult:
        options = [Option(f"1. {_('export.ui.masked')}", id=MASKED)]
        if self.full_allowed:
            options.append(Option(f"2. {_('export.ui.full')}", id=FULL))
        with Vertical(id="export-box"):
            yield Static(_("export.ui.title", what=self.what), id="export-title")
            yield OptionList(*options, id="export-choices")
            reason = DeskInput(
                placeholder=_("export.ui.reason_placeholder"), id="export-reason", compact=True
            )
            reason.display = self.full_allowed
            yield reason
            yield Static("", id="export-error")
            hint = "export.ui.hint" if self.full_allowed else "export.ui.hint_masked"
            yield Static(_(hint), id="export-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        options = self.query_one(OptionList)
        if event.character in ("1", "2") and self.focused is options:
            index = int(event.character) - 1
            if index < options.option_count:
                options.highlighted = index
                options.action_select()
                event.stop()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == MASKED:
            self.dismiss(ExportChoice(full=False))
            return
        self._full()

    @on(Input.Submitted, "#export-reason")
    def _typed(self) -> None:
        self._full()

    def _full(self) -> None:
        box = self.query_one("#export-reason", Input)
        text = box.value.strip()
        error = self.query_one("#export-error", Static)
        if not text:
            box.focus()
            error.update(_("export.reason_required"))
            return
        problem = text_problem(text, REASON)
        if problem is not None:
            box.focus()
            error.update(problem.text())
            return
        self.dismiss(ExportChoice(full=True, reason=text))

    def action_cancel(self) -> None:
        self.dismiss(None)


def start_export(
    screen: DeskBase[Any], kind: str, selection: Any, what: str, *, full_allowed: bool = False
) -> None:
    """Ask (the dialog), then export ``kind`` under ``selection`` through the service."""
    operator = screen.desk.operator
    may_full = full_allowed and operator is not None and operator.role == Role.SUPERVISOR

    def chosen(choice: ExportChoice | None) -> None:
        if choice is None:
            return
        desk = screen.desk
        screen.notify(_("export.ui.writing"), timeout=3)
        screen.call(
            partial(
                export_at_desk,
                kind,
                selection,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
                full=choice.full,
                reason=choice.reason,
            ),
            partial(_written, screen),
            group="export",
        )

    screen.app.push_screen(ExportDialog(what, full_allowed=may_full), chosen)


def _written(screen: DeskBase[Any], delivered: Delivered) -> None:
    key = "export.ui.done_masked" if delivered.masked else "export.ui.done_full"
    text = _(key, rows=delivered.rows, path=str(delivered.path)) + fetch_hint(delivered.path)
    screen.notify(text, timeout=30, markup=False)
