"""The footer every screen shows: the keys that work now."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class DeskFooter(Footer):
    """Textual's footer, compact and without the palette's own key (F1 help names Ctrl+P).

    Textual rebuilds the footer once for every change of the screen's bindings, and a screen
    being drawn changes them several times in one go (mounting, the focus, the language): here
    the changes that arrive before the next refresh are rebuilt once, after it.
    """

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
