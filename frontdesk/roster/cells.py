"""One spreadsheet cell read as the roster means it, and the damage Excel is known to do said
plainly (issue 13, "Every row is checked").

- An ID number Excel took for a number has lost digits for good: it keeps 15 significant
  digits, so ``1.41102E+17`` or ``141102198503021000`` cannot be mended, only exported again
  with the column set to text — the row is refused and says so. A number cell is always
  refused; a text ending in 000 only when its check character is wrong (one in a thousand real
  numbers ends in 000 — a column where most do was damaged, which the import judges whole).
- Full-width digits and letters (typed with a Chinese input method), stray spaces, a small
  ``x`` are what a clerk typed: read as meant. A 15-digit number (issued before 1999) becomes
  its 18-digit form (century 19, the check character computed), as GB 11643 says.
- Dates: an Excel serial number (days since 1899-12-30), ``1985.3.2``, ``1985/3/2``,
  ``1985-03-02``, ``1985年3月2日``, or a date the reader library already made.

Plain values in, a ``Cell`` out (the value, or the catalog key and values of the problem).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from frontdesk.idcards import check_character, is_valid

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Lotus's 1900-02-29 counted)
# serials of dates a roster holds: 1900-03-01 (61) to 2099-12-31
FIRST_SERIAL, LAST_SERIAL = 61, 73050
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXPONENT = re.compile(r"^\d(?:\.\d+)?E\+?\d+$", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    """What a cell was read as: ``value``, or ``problem`` (a catalog key) with its values."""

    value: Any = None
    problem: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problem is None


def plain(text: str) -> str:
    """Full-width forms made plain (ＡＢ１２ → AB12), spaces inside and around removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def read_id_number(value: object) -> Cell:
    """An ID number from a cell: the 18-character number, or why the row cannot have one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Cell(None)
    if isinstance(value, bool):
        return Cell(problem="roster.id_unreadable", params={"value": str(value)})
    if isinstance(value, int | float):  # Excel kept it as a number: 15 significant digits
        return Cell(problem="roster.id_was_a_number", params={"value": _as_typed(value)})
    text = plain(str(value)).upper()
    if _EXPONENT.match(text):
        return Cell(problem="roster.id_was_a_number", params={"value": text})
    if len(text) == 15 and text.isdigit():  # before 1999: the century and a check character
        first17 = f"{text[:6]}19{text[6:]}"
        text = first17 + check_character(first17)
    if len(text) == 18 and text[:17].isdigit() and not is_valid(text) and text.endswith("000"):
        return Cell(problem="roster.id_was_a_number", params={"value": text})
    if not is_valid(text):
        return Cell(problem="roster.id_invalid", params={"value": text})
    return Cell(text)


def _as_typed(number: int | float) -> str:
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    return str(number)


def read_date(value: object) -> Cell:
    """A date from a cell (see the module); a day the calendar lacks is said so."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Cell(None)
    if isinstance(value, dt.datetime):
        return Cell(value.date())
    if isinstance(value, dt.date):
        return Cell(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not (FIRST_SERIAL <= value <= LAST_SERIAL) or value != int(value):
            return Cell(problem="roster.date_unreadable", params={"value": _as_typed(value)})
        return Cell(EXCEL_EPOCH + dt.timedelta(days=int(value)))
    text = plain(str(value))
    found = _DATE.match(text)
    if found is None and text.isdigit() and len(text) == 8:  # 19850302
        found = _DATE.match(f"{text[:4]}-{text[4:6]}-{text[6:]}")
    if found is None:
        return Cell(problem="roster.date_unreadable", params={"value": text})
    year, month, day = (int(part) for part in found.groups())
    try:
        return Cell(dt.date(year, month, day))
    except ValueError:
        if not (1 <= month <= 12 and day >= 1):
            return Cell(problem="roster.date_unreadable", params={"value": text})
        return Cell(problem="date.no_such_day", params={"year": year, "month": month, "day": day})
