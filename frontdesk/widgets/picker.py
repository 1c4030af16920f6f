"""Picking one of the few things found as you type — the same gesture everywhere.

Under a search box, the first thing found is highlighted; ↓ and ↑ move the highlight while the
typing stays in the box; Enter takes the highlighted one (so ↓ then Enter takes the second,
in F2's results as in a form's reporter or booker list). After a pick the focus goes on to the
next field still empty, never into one already filled (where typing would replace it).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Select

from frontdesk.desk import Desk
from frontdesk.residents.search import SearchResult, search
from frontdesk.widgets.input import DeskInput


class StepInput(DeskInput):
    """A search box whose ↓ and ↑ move the highlight in the list found under it (its own
    bindings: applied in order with the keys typed with them, see ``DeskInput``)."""

    BINDINGS = [
        Binding("down", "step(1)", show=False),
        Binding("up", "step(-1)", show=False),
    ]

    class Step(Message):
        def __init__(self, box: StepInput, step: int) -> None:
            super().__init__()
            self.box = box
            self.step = step

        @property
        def control(self) -> StepInput:
            return self.box

    def action_step(self, step: int) -> None:
        self.post_message(self.Step(self, step))


class PickList(OptionList):
    """What was found under a search box: it never takes the focus (the box keeps the keys)."""

    def __init__(self, *, id: str, compact: bool = True) -> None:
        super().__init__(id=id, compact=compact)
        self.can_focus = False

    def show_first(self) -> None:
        """Highlight the first thing found (what Enter takes)."""
        self.highlighted = 0 if self.option_count else None

    def step(self, step: int) -> None:
        if not self.display or not self.option_count:
            return
        current = self.highlighted or 0
        self.highlighted = max(0, min(self.option_count - 1, current + step))

    def chosen_id(self) -> str | None:
        """The id of the highlighted option, if the list shows one."""
        if not self.display or self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id


def people_search(desk: Desk, query: str, limit: int) -> partial[SearchResult]:
    """The residents search a list of people under a box runs (for ``DeskBase.call``): as F2
    finds them, in the community the desk shows, the first ``limit``."""
    return partial(
        search,
        query,
        desk.in_view(),
        actor_id=desk.operator_id,
        today=desk.clock.today(),
        limit=limit,
    )


def is_empty(widget: Widget) -> bool:
    if isinstance(widget, Input):
        return not widget.value.strip()
    if isinstance(widget, Select):
        return widget.is_blank()
    return False


def focus_next_empty(screen: Screen[Any], after: Widget) -> None:
    """Move the focus from ``after`` to the next box or list still empty (else to the next)."""
    chain = screen.focus_chain
    later = chain[chain.index(after) + 1 :] if after in chain else chain
    target = next((w for w in later if is_empty(w)), later[0] if later else None)
    if target is not None:
        target.focus()
