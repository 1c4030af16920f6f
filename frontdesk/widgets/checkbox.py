"""The desk's checkbox: ticked and not ticked differ in the text, not only in colour."""

from __future__ import annotations

from textual.content import Content
from textual.style import Style
from textual.widgets import Checkbox


class DeskCheckbox(Checkbox):
    """Textual's checkbox shows the same "X" whether it is ticked or not, and only its colour
    changes: in 16 colours (TERM=xterm, the ansi theme) or on a monochrome screen the two read
    alike. Here a ticked box holds an "X" and an empty one a blank: ``▐X▌`` / ``▐ ▌``.
    """

    BUTTON_INNER = "X"
    BUTTON_INNER_OFF = " "

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        side_style = Style(foreground=button_style.background, background=self.background_colors[1])
        inner = self.BUTTON_INNER if self.value else self.BUTTON_INNER_OFF
        return Content.assemble(
            (self.BUTTON_LEFT, side_style),
            (inner, button_style),
            (self.BUTTON_RIGHT, side_style),
        )
