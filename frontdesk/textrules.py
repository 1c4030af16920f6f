"""What free text the desk accepts, and how stored text leaves it safely.

One table of limits (``LIMITS``) and the checks every service runs on what a person typed:

- a **name** (residents, bookers, staff, reporters): at most 30 characters of letters (any script,
  Chinese included), the middle dot of names like 阿卜杜热合曼·买买提明 (``·`` or a look-alike the
  screen draws the same way: ``•`` ``‧`` ``・`` ``･``) and single spaces between words; no digits,
  no punctuation, no emoji, no control characters; nothing that shows as nothing (the Hangul
  fillers, the combining grapheme joiner) and at most two combining marks on a letter;
- a **title** (60), a **reason** (200), a **line** of free text such as a forwarding contact (200):
  one line, no control characters;
- a **note** or a description (2,000): lines, but no other control character.

No text holds a format character (Unicode category Cf: zero-width spaces and joiners, the soft
hyphen, word joiners, tag characters ...): invisible on the screen, they make two texts that look
the same differ, or a text look empty.

A check returns a ``Notice`` (a catalog key and its parameters) or None; nothing is ever cut or
rewritten silently: too long is refused, with the limit and the length typed.

On the way out: ``csv_cell`` / ``csv_writer`` keep a spreadsheet from reading a cell as a formula
(the OWASP rule: a cell beginning with ``=`` ``+`` ``-`` ``@``, a tab or a carriage return gets a
leading single quote), and ``printable`` / ``printable_json`` keep stored text from driving the
terminal when the command line prints it.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from frontdesk.errors import UserError
from frontdesk.notices import Notice, msg

__all__ = [
    "LIMITS",
    "LINE",
    "NAME",
    "NOTE",
    "REASON",
    "TITLE",
    "Limit",
    "TextRefused",
    "csv_cell",
    "csv_writer",
    "name_problem",
    "printable",
    "printable_json",
    "require_name",
    "require_text",
    "text_problem",
]


@dataclass(frozen=True)
class Limit:
    """How long a kind of text may be, and whether it may hold line breaks."""

    kind: str
    max: int
    multiline: bool = False


NAME = Limit("name", 30)
TITLE = Limit("title", 60)
REASON = Limit("reason", 200)
LINE = Limit("line", 200)  # one line of free text: a forwarding contact, a place, a tag's note
NOTE = Limit("note", 2000, multiline=True)  # notes and descriptions

LIMITS: dict[str, Limit] = {limit.kind: limit for limit in (NAME, TITLE, REASON, LINE, NOTE)}

# The middle dot of names and its look-alikes (those widgets.text.display() draws as ``・``).
NAME_DOTS = frozenset("\u00b7\u2022\u2027\u30fb\uff65")
_LETTER = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo"})
_MARK = frozenset({"Mn", "Mc"})  # combining marks, after a letter (ā written a + ̄ )
# Private-use characters: rare characters of old GBK-era data are stored there (see display()).
_PRIVATE = "Co"
_EXTRA_LETTERS = frozenset("\u3007")  # 〇, a numeral by category but written in names
_VARIATION = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0))
# Characters that reorder or hide text (the "Trojan source" controls) and line separators.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Letters and marks by category that show as nothing: the Hangul fillers and the combining
# grapheme joiner ("ㅤㅤ" looked like an empty name, "王͏明" like 王明).
_BLANK_IN_NAMES = frozenset("\u115f\u1160\u3164\uffa0\u034f")
MAX_MARKS = 2  # combining marks on one letter (ễ written e + ̂ + ̃ has two)


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def _shown(char: str) -> str:
    """A character as a message may quote it: itself when harmless, else its code point."""
    if (
        unicodedata.category(char)[0] in "LMNPS"
        and ord(char) not in _VARIATION
        and char not in _BLANK_IN_NAMES
    ):
        return f"“{char}”（{_code(char)}）"
    return _code(char)


def _control(char: str, *, newline_ok: bool) -> bool:
    """A character a stored text must not hold: control characters (C0, DEL, C1), format
    characters (the bidirectional controls among them), lone surrogates, line and paragraph
    separators."""
    if char == "\n":
        return not newline_ok
    category = unicodedata.category(char)
    return category in {"Cc", "Cf", "Cs", "Zl", "Zp"} or char in _BIDI


class TextRefused(UserError):
    """A field's text was refused: ``field`` names it, ``message`` says why."""

    def __init__(self, field: str, message: Notice) -> None:
        super().__init__(message.key, **message.params)
        self.field = field
        self.message = message


def text_problem(text: str, limit: Limit) -> Notice | None:
    """Why ``text`` (as it will be stored: stripped) cannot be kept, or None."""
    value = text.strip()
    for char in value:
        if _control(char, newline_ok=limit.multiline):
            if char in "\r\n":
                return msg("text.one_line")
            return msg("text.control", char=_code(char))
    if len(value) > limit.max:
        return msg("text.too_long", max=limit.max, length=len(value))
    return None


def name_problem(text: str) -> Notice | None:
    """Why ``text`` (stripped) is not a name, or None. Empty is the caller's to refuse."""
    value = text.strip()
    for char in value:
        if _control(char, newline_ok=False):
            return msg("text.control", char=_code(char))
    if len(value) > NAME.max:
        return msg("validation.name_too_long", max=NAME.max, length=len(value))
    previous = ""  # "" at the start, "letter", "space" or "dot"
    marks = 0  # combining marks since the last letter
    for char in value:
        category = unicodedata.category(char)
        if char in _BLANK_IN_NAMES:
            return msg("text.name_char", char=_shown(char))
        if category in _LETTER or category == _PRIVATE or char in _EXTRA_LETTERS:
            previous = "letter"
            marks = 0
        elif category in _MARK and ord(char) not in _VARIATION and previous == "letter":
            marks += 1  # a combining mark on the letter before it
            if marks > MAX_MARKS:
                return msg("text.name_marks", max=MAX_MARKS)
        elif char == " " or char in NAME_DOTS:
            if previous != "letter":
                return msg("text.name_separator")
            previous = "space" if char == " " else "dot"
        else:
            return msg("text.name_char", char=_shown(char))
    if previous in {"space", "dot"}:
        return msg("text.name_separator")
    return None


def require_text(field: str, text: str, limit: Limit) -> str:
    """``text`` stripped, as it may be stored; ``TextRefused`` naming ``field`` otherwise."""
    problem = text_problem(text, limit)
    if problem is not None:
        raise TextRefused(field, problem)
    return text.strip()


def require_name(field: str, text: str) -> str:
    """A name stripped, as it may be stored; ``TextRefused`` naming ``field`` otherwise."""
    problem = name_problem(text)
    if problem is not None:
        raise TextRefused(field, problem)
    return text.strip()


# -- out of the program ---------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a string beginning with ``= + - @``, a tab or a
    carriage return gets a leading ``'`` (OWASP, "CSV injection"). Numbers and None pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose every string cell goes through ``csv_cell``."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Any, **options: Any) -> SafeWriter:
    """The writer every CSV the program writes goes through."""
    return SafeWriter(out, **options)


def _terminal_unsafe(char: str) -> bool:
    category = unicodedata.category(char)
    return category in {"Cc", "Cs", "Zl", "Zp"} or char in _BIDI


def printable(text: str) -> str:
    """Stored text as the command line may print it: control characters (ESC, BEL, CR, C1 ...)
    and the bidirectional controls become visible and harmless: the C0 ones their symbol
    (``␛`` for ESC), the others ``�``."""
    if not any(_terminal_unsafe(char) for char in text):
        return text
    out = []
    for char in text:
        if not _terminal_unsafe(char):
            out.append(char)
        elif ord(char) < 0x20:
            out.append(chr(0x2400 + ord(char)))
        elif ord(char) == 0x7F:
            out.append("\u2421")
        else:
            out.append("\ufffd")
    return "".join(out)


def printable_json(value: Any) -> str:
    """One JSON line that keeps its non-ASCII text readable yet holds no character a terminal
    acts on: ``json`` already escapes C0 controls; C1 controls, separators and bidirectional
    controls are escaped here too (still valid JSON, the same value when read back)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    if not any(_terminal_unsafe(char) for char in text):
        return text
    return "".join(f"\\u{ord(c):04x}" if _terminal_unsafe(c) else c for c in text)
