"""A question with a few answers: ↑↓ and Enter, or the answer's number; Escape answers None."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.i18n import _
from frontdesk.screens.base.screen import DeskModal


class ChoiceScreen(DeskModal[str | None]):
    """Dismisses with the id of the answer chosen (Escape, the base's key: None)."""

    CSS_PATH = "choice.tcss"

    def __init__(self, title: str, body: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.title_text, id="choice-title")
            if self.body:
                yield Static(self.body, id="choice-body", markup=False)
            yield OptionList(
                *[
                    Option(f"{n}. {label}", id=key)
                    for n, (key, label) in enumerate(self.options, 1)
                ],
                id="choice-options",
            )
            yield Static(_("rooms.choice_hint"), id="choice-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        key = event.character
        if key and key.isdigit() and 1 <= int(key) <= len(self.options):
            event.stop()
            self.dismiss(self.options[int(key) - 1][0])

    @on(OptionList.OptionSelected, "#choice-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
