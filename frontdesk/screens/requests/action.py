"""What an action on a request needs to know: a reason or a note, the staff member to hand it to,
the level it was settled at. Enter moves on and, in the last box, answers; Escape cancels."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.i18n import _
from frontdesk.requests.lookup import StaffChoice
from frontdesk.screens.base.screen import DeskModal
from frontdesk.textrules import NOTE, REASON, text_problem
from frontdesk.vocabulary import Level
from frontdesk.widgets.input import DeskInput
from frontdesk.widgets.text import display


@dataclass(frozen=True)
class ActionAnswer:
    text: str
    staff_id: int | None = None
    level: str | None = None


def staff_label(staff: StaffChoice) -> str:
    what = " ".join(staff.grids) if staff.grids else _(f"enum.role.{staff.role}")
    away = f" {_('request_detail.away')}" if staff.away else ""
    return f"{display(staff.name)}  {what}  {staff.phone}{away}"


class RequestActionScreen(DeskModal[ActionAnswer | None]):
    """``staff``: pick whom to hand the request to (type to filter); ``level``: the level it was
    settled at, starting from this one; always a text box (``text_key`` names it). Escape
    cancels (the base's Escape: dismissed with None)."""

    CSS_PATH = "action.tcss"

    def __init__(
        self,
        title: str,
        text_key: str,
        *,
        staff: list[StaffChoice] | None = None,
        level: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.text_key = text_key
        self.staff = staff
        self.level = level
        self.staff_id: int | None = None
        self._chosen_name = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="action-box"):
            yield Static(self.title_text, id="action-title")
            if self.staff is not None:
                yield Static(_("request_detail.field.staff"), classes="action-label")
                yield DeskInput(
                    placeholder=_("request_detail.staff_placeholder"),
                    id="action-filter",
                    compact=True,
                )
                yield OptionList(id="action-staff", compact=True)
            if self.level is not None:
                yield Static(_("request_detail.field.level"), classes="action-label")
                yield OptionList(
                    *[
                        Option(f"{n}. {_(f'enum.level.{lv.value}')}", id=lv.value)
                        for n, lv in enumerate(Level, 1)
                    ],
                    id="action-level",
                    compact=True,
                )
            yield Static(_(self.text_key), classes="action-label")
            yield DeskInput(
                placeholder=_(f"{self.text_key}_placeholder"),
                id="action-text",
                compact=True,
            )
            yield Static("", id="action-error")
            yield Static(_("request_detail.action_hint"), id="action-hint")

    def on_mount(self) -> None:
        self._fill_staff("")
        self._show_level()
        first = "#action-text"
        if self.staff is not None:
            first = "#action-filter"
        elif self.level is not None:
            first = "#action-level"
        self.query_one(first).focus()

    # --------------------------------------------------------------------------------- staff

    def _fill_staff(self, typed: str) -> None:
        if self.staff is None:
            return
        needle = typed.strip().lower()
        options = self.query_one("#action-staff", OptionList)
        options.clear_options()
        for staff in self.staff:
            label = staff_label(staff)
            if needle and needle not in label.lower():
                continue
            options.add_option(Option(label, id=str(staff.id)))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#action-filter")
    def _filter(self, event: Input.Changed) -> None:
        if event.value != self._chosen_name:
            self.staff_id = None
        self._fill_staff(event.value)

    @on(Input.Submitted, "#action-filter")
    def _filter_entered(self) -> None:
        options = self.query_one("#action-staff", OptionList)
        if options.option_count == 1:
            options.highlighted = 0
            options.action_select()
        elif options.option_count:
            options.focus()

    @on(OptionList.OptionSelected, "#action-staff")
    def _staff_chosen(self, event: OptionList.OptionSelected) -> None:
        self.staff_id = int(event.option.id) if event.option.id else None
        self._chosen_name = str(event.option.prompt).split("  ")[0]
        self.query_one("#action-filter", Input).value = self._chosen_name
        self.query_one("#action-error", Static).update("")
        self.query_one("#action-text", Input).focus()

    # ---------------------------------------------------------------------------- answering

    def _show_level(self) -> None:
        if self.level is None:
            return
        options = self.query_one("#action-level", OptionList)
        options.highlighted = [lv.value for lv in Level].index(self.level)

    def on_key(self, event: events.Key) -> None:
        """1 / 2 / 3 pick the level while the levels have the focus."""
        levels = [lv.value for lv in Level]
        key = event.character
        if self.level is None or not key or not key.isdigit():
            return
        if self.focused is self.query_one("#action-level") and 1 <= int(key) <= len(levels):
            event.stop()
            self.query_one("#action-level", OptionList).highlighted = int(key) - 1
            self.query_one("#action-level", OptionList).action_select()

    @on(OptionList.OptionSelected, "#action-level")
    def _level_chosen(self, event: OptionList.OptionSelected) -> None:
        self.level = event.option.id or self.level
        self.query_one("#action-text", Input).focus()

    @on(Input.Submitted, "#action-text")
    def _answer(self) -> None:
        text = self.query_one("#action-text", Input).value.strip()
        error = self.query_one("#action-error", Static)
        if self.staff is not None and self.staff_id is None:
            error.update(_("request_detail.staff_required"))
            self.query_one("#action-filter", Input).focus()
            return
        if not text:
            error.update(_("request_detail.text_required"))
            return
        limit = REASON if self.text_key.endswith(".reason") else NOTE  # as the services hold it
        problem = text_problem(text, limit)
        if problem is not None:  # said here, with what was typed kept
            error.update(problem.text())
            return
        level = None
        if self.level is not None:
            highlighted = self.query_one("#action-level", OptionList).highlighted_option
            level = highlighted.id if highlighted is not None and highlighted.id else self.level
        self.dismiss(ActionAnswer(text, self.staff_id, level))
