"""The desk's themes: a warm civic red on paper white, and its dark twin."""

from __future__ import annotations

from collections.abc import Mapping

from textual.theme import Theme

LIGHT_THEME = Theme(
    name="frontdesk",
    primary="#B22222",
    secondary="#1F5F8B",
    accent="#C8102E",
    warning="#B8860B",
    error="#C62828",
    success="#2E7D32",
    foreground="#1E1E1E",
    background="#FAF7F2",
    surface="#FFFFFF",
    panel="#EFE6DA",
    dark=False,
)

DARK_THEME = Theme(
    name="frontdesk-dark",
    primary="#E57373",
    secondary="#64B5F6",
    accent="#FF8A80",
    warning="#FFD54F",
    error="#EF5350",
    success="#81C784",
    foreground="#ECE7E1",
    background="#1B1A19",
    surface="#262422",
    panel="#33302D",
    dark=True,
)


DESK_THEMES = {theme.name: theme for theme in (LIGHT_THEME, DARK_THEME)}


def few_colours(environ: Mapping[str, str]) -> bool:
    """Whether the terminal shows only the 16 standard colours (``TERM=xterm`` over SSH, the
    Linux console): then the ANSI theme, in the terminal's own palette, reads better than ours
    squeezed into it, where every pale shade becomes the same white. Decided like Rich does."""
    chosen = environ.get("TEXTUAL_COLOR_SYSTEM", "auto").strip().lower()
    if chosen != "auto":
        return chosen in ("standard", "windows")
    if environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return False
    term = environ.get("TERM", "").lower()
    if not term or term == "dumb":
        return False  # not a terminal we draw on
    return not term.endswith(("256color", "direct")) and "kitty" not in term
