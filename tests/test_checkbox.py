"""The desk's checkbox reads ticked or not by its text, not only by its colour (16 colours)."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App, ComposeResult

from frontdesk.widgets.checkbox import DeskCheckbox

SCREENS = Path(__file__).resolve().parent.parent / "frontdesk" / "screens"


class _Boxes(App[None]):
    def compose(self) -> ComposeResult:
        yield DeskCheckbox("on", True, id="on", compact=True)
        yield DeskCheckbox("off", False, id="off", compact=True)


def _glyph(box: DeskCheckbox) -> str:
    return box._button.plain


async def test_ticked_and_empty_differ_as_text() -> None:
    app = _Boxes()
    async with app.run_test(size=(40, 4)) as pilot:
        on = app.query_one("#on", DeskCheckbox)
        off = app.query_one("#off", DeskCheckbox)
        assert _glyph(on) != _glyph(off)
        assert "X" in _glyph(on) and "X" not in _glyph(off)
        # the screen itself: "X" beside the ticked box's label only
        assert "X" in str(on.render().plain) and "X" not in str(off.render().plain)
        off.focus()
        await pilot.press("space")
        await pilot.pause()
        assert off.value and _glyph(off) == _glyph(on)


async def test_16_colours_too() -> None:
    """The desk's ANSI theme (TERM=xterm) draws the same text."""
    app = _Boxes()
    async with app.run_test(size=(40, 4)) as pilot:
        app.theme = "ansi-dark"
        await pilot.pause()
        assert _glyph(app.query_one("#on", DeskCheckbox)) != _glyph(
            app.query_one("#off", DeskCheckbox)
        )


def test_screens_build_the_desks_checkbox() -> None:
    """Every checkbox a screen builds is the desk's, never Textual's own."""
    built = []
    for path in SCREENS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Checkbox"
            ):
                built.append(f"{path.name}:{node.lineno}")
    assert built == []
