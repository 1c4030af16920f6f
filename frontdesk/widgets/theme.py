"""The desk's themes: a warm civic red on paper white, and its dark twin."""

from __future__ import annotations

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
