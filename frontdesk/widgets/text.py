"""Text as the terminal shows it: ambiguous-width characters made unambiguous.

Unicode gives some characters an "ambiguous" East Asian width: ``·`` (the 间隔号 in
阿依古丽·买买提), ``“”‘’``, ``…``, ``—``, ``※``, ``°``, ``℃``, ``×``, ``①`` ... Rich counts them as
one cell, terminals set up for Chinese (and Chinese fonts) draw them two cells wide, and a table
holding them no longer lines up. :func:`display` replaces each of them by a character whose width
everybody agrees on: a fullwidth form where Chinese text has one (``・`` for the 间隔号, ``〇`` for
``○``, ``＊`` for ``※``), otherwise plain ASCII (``"``, ``...``, ``-``, ``x``, ``(1)``).

Kept as they are, on purpose:

- letters (é, ü, ā, Greek, Cyrillic): a name is shown as it is written. They are one cell in Rich
  and in every terminal left at its default "ambiguous = narrow", which the whole program needs
  anyway: Textual draws its own borders and scrollbars with ambiguous-width box characters.
- combining marks (zero cells everywhere) and private-use characters (rare characters in old
  GBK-era data are sometimes stored there: replacing them would destroy the name).

Variation selectors and the soft hyphen are dropped (terminals disagree on what they do).
Use ``display()`` on every piece of stored or typed text before it reaches a table cell or a
label; never on what is stored.
"""

from __future__ import annotations

import unicodedata

# The replacements chosen by hand; everything else ambiguous is derived in _replacement().
_CHOSEN: dict[str, str] = {
    # the 间隔号 and other middle dots → the fullwidth middle dot (2 cells everywhere)
    "·": "・",
    "•": "・",
    "‧": "・",
    "․": ".",
    "‥": "..",
    "…": "...",
    # quotes, primes
    "“": '"',
    "”": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "′": "'",
    "‵": "'",
    # dashes and lines
    "‐": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "‾": "-",
    "‖": "||",
    # marks
    "※": "＊",
    "†": "+",
    "‡": "++",
    "§": "#",
    "¶": "#",
    "¡": "!",
    "¿": "?",
    "‰": "0/00",
    "¤": "$",
    "€": "EUR",
    "®": "(R)",
    "№": "No.",
    "☎": "TEL",
    "☏": "TEL",
    # degrees: the superscript zero is narrow everywhere and reads as a degree sign
    "°": "⁰",
    "℃": "⁰C",
    "℉": "⁰F",
    "˚": "⁰",
    # arithmetic, comparison, arrows
    "±": "+/-",
    "×": "x",
    "÷": "/",
    "∕": "/",
    "≤": "<=",
    "≦": "<=",
    "≥": ">=",
    "≧": ">=",
    "≠": "!=",
    "≈": "~",
    "≒": "~",
    "∼": "~",
    "≡": "=",
    "≪": "<<",
    "≫": ">>",
    "≮": "!<",
    "≯": "!>",
    "←": "<-",
    "→": "->",
    "↑": "^",
    "↓": "v",
    "↔": "<->",
    "↕": "^v",
    "⇒": "=>",
    "⇔": "<=>",
    "∶": ":",
    "∷": "::",
    "∣": "|",
    "∥": "||",
    "∽": "~",
    "∞": "oo",
    "√": "v",
    # shapes used as bullets and marks in typed text
    "○": "〇",
    "◯": "〇",
    "◎": "〇",
    "●": "*",
    "◆": "*",
    "◇": "*",
    "★": "*",
    "☆": "*",
    "■": "#",
    "□": "#",
    "▲": "^",
    "△": "^",
    "▼": "v",
    "▽": "v",
    "▶": ">",
    "▷": ">",
    "◀": "<",
    "◁": "<",
    "♥": "<3",
    "♡": "<3",
    "♪": "~",
    "♩": "~",
    "♬": "~",
    "♀": "F",
    "♂": "M",
    # spacing accents and tone marks (ˉˊˇˋ are the 注音 tones)
    "¨": '"',
    "´": "'",
    "¸": ",",
    "˘": "u",
    "˙": ".",
    "˛": ",",
    "˝": '"',
    "˟": "x",
    "˄": "^",
    "ˇ": "v",
    "ˉ": "-",
    "ˊ": "'",
    "ˋ": "`",
    "ˍ": "_",
    "ː": ":",
    "ª": "a",
    "º": "o",
    # the replacement character itself is ambiguous
    "\ufffd": "?",
}

_DROPPED = "\u00ad"  # soft hyphen

# Enclosed numbers and letters: ① ⑴ ⒈ ⓐ ❶ ... → (1) 1. (a) (1)
_CIRCLED_DIGITS = {
    **{chr(0x2460 + i): f"({i + 1})" for i in range(20)},  # ①..⑳
    **{chr(0x24EB + i): f"({i + 11})" for i in range(10)},  # ⓫..⓴
    **{chr(0x24F5 + i): f"({i + 1})" for i in range(10)},  # ⓵..⓾
    **{chr(0x2776 + i): f"({i + 1})" for i in range(10)},  # ❶..❿
    "⓿": "(0)",
}

FALLBACK = "?"


def _ambiguous(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) == "A" for ch in text)


def _kept(ch: str) -> bool:
    """Ambiguous characters left alone: letters, combining marks, private use."""
    return unicodedata.category(ch) in ("Lu", "Ll", "Mn", "Co")


def _by_name(ch: str) -> str | None:
    """Box drawing, blocks and other shapes, drawn with ASCII."""
    name = unicodedata.name(ch, "")
    code = ord(ch)
    if 0x2500 <= code <= 0x257F:  # box drawing
        if "DIAGONAL CROSS" in name:
            return "X"
        if "DIAGONAL" in name:
            return "/" if "UPPER RIGHT TO LOWER LEFT" in name else "\\"
        horizontal, vertical = "HORIZONTAL" in name, "VERTICAL" in name
        if horizontal and not vertical:
            return "-"
        if vertical and not horizontal:
            return "|"
        return "+"
    if 0x2580 <= code <= 0x259F:  # block elements
        return "#"
    if "CIRCLE" in name:
        return "o"
    if any(word in name for word in ("SQUARE", "DIAMOND", "TRIANGLE", "STAR", "RECTANGLE")):
        return "*"
    return None


def _replacement(ch: str) -> str:
    """What ``ch`` becomes on screen (``ch`` itself when nothing needs changing)."""
    if ch in _DROPPED or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF:
        return ""  # variation selectors: Rich and terminals disagree on their effect
    if unicodedata.east_asian_width(ch) != "A" or _kept(ch):
        return ch
    if ch in _CHOSEN:
        return _CHOSEN[ch]
    if ch in _CIRCLED_DIGITS:
        return _CIRCLED_DIGITS[ch]
    compat = unicodedata.normalize("NFKC", ch).replace("⁄", "/")  # Ⅱ → II, ½ → 1/2, ™ → TM
    if compat != ch and compat.isprintable() and compat.strip() and not _ambiguous(compat):
        if unicodedata.category(ch) == "So" and len(compat) == 1:
            return f"({compat})"  # Ⓐ → (A), 🄰 → (A)
        return compat
    return _by_name(ch) or FALLBACK


class _Table(dict[int, str]):
    """``str.translate`` table filled in on first sight of each character."""

    def __missing__(self, code: int) -> str:
        value = _replacement(chr(code))
        self[code] = value
        return value


_TABLE = _Table()


def display(text: str) -> str:
    """``text`` with every ambiguous-width character replaced (see the module's docstring)."""
    if text.isascii():
        return text
    return text.translate(_TABLE)
