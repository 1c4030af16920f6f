"""Asks why a full ID number or phone is about to be shown: quick choices, then free text.

The resident page offers ``REVEAL_REASONS``; another place that shows numbers passes its own quick
choices (catalog keys; ``OTHER`` among them asks for the free text), e.g. the round's slip."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.i18n import _
from frontdesk.residents.privacy import OTHER, REVEAL_REASONS
from frontdesk.screens.base.screen import DeskModal
from frontdesk.textrules import REASON, text_problem
from frontdesk.widgets.input import DeskInput


@dataclass(frozen=True)
class RevealReason:
    choice: str  # one of the choices offered (REVEAL_REASONS unless others were passed)
    text: str  # free text, required with "other"


class RevealReasonScreen(DeskModal[RevealReason | None]):
    """Enter on a quick choice answers at once; "other" moves to the free-text box."""

    CSS_PATH = "reveal_reason.tcss"
    BINDINGS = [Binding("escape", "cancel", "key.close")]

    def __init__(self, field_key: str, who: str, choices: tuple[str, ...] = REVEAL_REASONS) -> None:
        super().__init__()
        self.field_key = field_key
        self.who = who
        self.choices = choices  # catalog keys; OTHER needs the free text

    def compose(self) -> ComposeResult:
        with Vertical(id="reveal-box"):
            yield Static(
                _("reveal.title", field=_(self.field_key), who=self.who), id="reveal-title"
            )
            yield OptionList(
                *[Option(f"{n}. {_(key)}", id=key) for n, key in enumerate(self.choices, 1)],
                id="reveal-choices",
            )
            yield DeskInput(
                placeholder=_("reveal.text_placeholder"), id="reveal-text", compact=True
            )
            yield Static("", id="reveal-error")
            yield Static(_("reveal.hint"), id="reveal-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: object) -> None:
        key = getattr(event, "character", None)
        options = self.query_one(OptionList)
        if key and key.isdigit() and self.focused is options:
            index = int(key) - 1
            if 0 <= index < len(self.choices):
                options.highlighted = index
                options.action_select()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or OTHER
        text = self.query_one("#reveal-text", Input).value.strip()
        if choice == OTHER and not text:
            self.query_one("#reveal-text", Input).focus()
            self.query_one("#reveal-error", Static).update(_("reveal.reason_required"))
            return
        if self._refused(text):
            return
        self.dismiss(RevealReason(choice=choice, text=text))

    @on(Input.Submitted, "#reveal-text")
    def _typed(self) -> None:
        text = self.query_one("#reveal-text", Input).value.strip()
        if not text:
            self.query_one("#reveal-error", Static).update(_("reveal.reason_required"))
            return
        if self._refused(text):
            return
        highlighted = self.query_one(OptionList).highlighted_option
        choice = highlighted.id if highlighted is not None and highlighted.id else OTHER
        self.dismiss(RevealReason(choice=choice, text=text))

    def _refused(self, text: str) -> bool:
        """Too long or holding a control character: said under the field, kept as typed."""
        problem = text_problem(text, REASON)
        if problem is None:
            return False
        self.query_one("#reveal-text", Input).focus()
        self.query_one("#reveal-error", Static).update(problem.text())
        return True

    def action_cancel(self) -> None:
        self.dismiss(None)
