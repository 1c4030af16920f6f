"""Escape on a form with something typed asks first (issue 12, point 7).

A form remembers what its boxes held once it was drawn (filled in from the record edited, a
pick, the slot chosen); Escape closes it at once when nothing differs from that, and otherwise
asks whether to throw away what was typed — keeping on editing is the answer Enter and Escape
give. Signing the next person in (F8) still discards every open form without asking: the form
belongs to the person who filled it in.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from frontdesk.i18n import _
from frontdesk.screens.base.choice import ChoiceScreen

KEEP = "keep"
DISCARD = "discard"


def typed_values(screen: Screen[Any]) -> dict[str, object]:
    """What each box, list and checkbox of ``screen`` holds now, by its id."""
    values: dict[str, object] = {}
    for widget in screen.query("*"):
        key = widget.id
        if key is None:
            continue
        if isinstance(widget, Input | Select | Checkbox):
            values[key] = widget.value
        elif isinstance(widget, TextArea):
            values[key] = widget.text
        elif isinstance(widget, SelectionList):
            values[key] = tuple(widget.selected)
    return values


class AsksBeforeDiscarding:
    """For a form (a ``DeskModal``): ``remember_typed()`` once it is filled in, and
    ``close_or_ask()`` where Escape closes it."""

    _typed_at_start: dict[str, object] | None = None

    def remember_typed(self) -> None:
        """What the form holds now counts as untouched (call again after filling it in from an
        answer that came later)."""
        self._typed_at_start = typed_values(self)  # type: ignore[arg-type]

    def something_typed(self) -> bool:
        start = self._typed_at_start
        return start is not None and typed_values(self) != start  # type: ignore[arg-type]

    def close_or_ask(self, result: object = None) -> None:
        """Close the form with ``result`` — at once when nothing was typed, else if the person
        at the desk says to throw it away."""
        screen: Any = self
        if not self.something_typed():
            screen.dismiss(result)
            return

        def answered(answer: str | None) -> None:
            if answer == DISCARD:
                screen.dismiss(result)

        screen.app.push_screen(
            ChoiceScreen(
                _("form.discard_title"),
                _("form.discard_body"),
                [(KEEP, _("form.discard_keep")), (DISCARD, _("form.discard_yes"))],
            ),
            answered,
        )
