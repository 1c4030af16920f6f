"""The desk's text box: Textual's ``Input`` with keys applied in the order they were typed.

Textual 8 (8.2.8) applies a key two ways. The app hands every key to the focused widget's
message queue. A printable key is inserted by ``Input._on_key`` there and then. A key that
``Input`` handles through a binding (Backspace, Delete, the arrows, Home, End, Enter, Ctrl+U
...) is not: it bubbles up through the queue of every container and the screen back to the
app, and only there ``App._on_key`` looks the binding up and runs the box's action. Keys that
arrive in one read (typing ahead over SSH, a paste of keys, a slow machine) are all handed to
the box before any is handled, so a printable key after a Backspace is inserted before the
Backspace comes back round: ``abc`` + Backspace + ``x`` leaves ``abc``, Home + ``y`` gives
``abcy``, ``11`` + Backspace + ``2`` gives ``11`` instead of ``12``.

``DeskInput`` runs its own bindings as the key reaches it, in order with the printable keys.
Nothing else changes: the box's bindings were the first the app looked at anyway (the focused
widget comes first in the binding chain), priority bindings are still tried by the app before
the key reaches the box, and a key the box has no binding for bubbles on as before.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


class DeskInput(Input):
    """A text box that applies Backspace, arrows, Home, End … in order with the typed text.

    A box already filled in (a stored value, a pick, the reporter's flat) is not selected when
    it gets the focus: typing goes on from the end instead of replacing what is there (Textual's
    default selects it all; issue 12, point 4)."""

    def __init__(self, *args: Any, select_on_focus: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)

    async def _on_key(self, event: events.Key) -> None:
        if self.check_consume_key(event.key, event.character):
            return  # printable: Input._on_key inserts it, as before
        if await self._run_own_binding(event.key):
            self._restart_blink()  # what Input._on_key would have done
            event.stop()  # handled: the app must not run the binding again
            event.prevent_default()  # nor Input's and Widget's own key handlers

    async def _run_own_binding(self, key: str) -> bool:
        """Run this box's (non-priority) binding for ``key`` as ``App._check_bindings`` would;
        whether one ran (an action refused by ``check_action`` or skipped did not)."""
        for binding in self._bindings.key_to_bindings.get(key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                return True
        return False
