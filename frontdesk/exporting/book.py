"""One way every export writes its workbook (xlsxwriter, streaming).

Each sheet: a title row (community, what, the filters in words, when written, masked or not)
merged across the columns; the header row below it, frozen and with Excel's filter buttons;
then one row per record. Every text is written as a string — a name such as ``=SUM(A1)`` stays
text, never a formula; ID numbers and phones as text in "@" format, so Excel cannot turn them
into numbers; dates as real dates. ``constant_memory`` writes each row out as it goes: 200,000
rows take little memory. Column widths fit the widest value seen in the first rows, Chinese
characters counting as two.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Any

WIDTH_SAMPLE = 2000  # rows measured for the column widths
MIN_WIDTH = 6
MAX_WIDTH = 60
MAX_CELL = 32_767  # Excel's limit for one cell's text
MAX_ROWS = 1_048_576  # Excel's rows in a sheet
# characters XML 1.0 cannot carry (Excel refuses the file)
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class Kind(StrEnum):
    TEXT = "text"
    CODE = "code"  # ID numbers, phones, household numbers: text in "@" format
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT


FIXED_WIDTHS = {Kind.DATE: 11, Kind.DATETIME: 17, Kind.TIME: 7}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet cell: East-Asian wide characters count 2."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clean_text(value: object) -> str:
    """A value as the text a cell can hold (control characters dropped, within Excel's limit)."""
    text = value if isinstance(value, str) else str(value)
    if not text.isprintable():
        text = _UNWRITABLE.sub("", text)
    return text[:MAX_CELL]


def sheet_name(text: str) -> str:
    return _SHEET_NAME_BAD.sub("_", text)[:31] or "Sheet1"


class Book:
    """An export workbook being written; ``close`` finishes the file."""

    def __init__(self, path: Path) -> None:
        import xlsxwriter  # when an export is written, not when a list screen loads

        self.path = path
        self.workbook = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "default_date_format": "yyyy-mm-dd",
            },
        )
        add = self.workbook.add_format
        self.formats = {
            Kind.CODE: add({"num_format": "@"}),
            Kind.DATE: add({"num_format": "yyyy-mm-dd"}),
            Kind.DATETIME: add({"num_format": "yyyy-mm-dd hh:mm"}),
            Kind.TIME: add({"num_format": "hh:mm"}),
        }
        self.title_format = add({"bold": True, "font_size": 12, "align": "left"})
        self.header_format = add({"bold": True, "bg_color": "#DDEBF7", "border": 1})

    def sheet(self, name: str, columns: Sequence[Column], title: str) -> Sheet:
        return Sheet(self, self.workbook.add_worksheet(sheet_name(name)), columns, title)

    def close(self) -> None:
        self.workbook.close()


class Sheet:
    """One sheet: the title and header written on creation; ``row`` adds one record;
    ``finish`` sets the widths and the filter (before the book is closed)."""

    def __init__(self, book: Book, worksheet: Any, columns: Sequence[Column], title: str) -> None:
        self.book = book
        self.ws = worksheet
        self.columns = tuple(columns)
        self.kinds = tuple(column.kind for column in self.columns)
        self.widths = [display_width(column.header) + 2 for column in self.columns]
        self.rows = 0
        self._next = 2  # the row the next record goes in
        last = len(self.columns) - 1
        title = clean_text(title)
        if last > 0:
            self.ws.merge_range(0, 0, 0, last, title, book.title_format)
        else:
            self.ws.write_string(0, 0, title, book.title_format)
        for col, column in enumerate(self.columns):
            self.ws.write_string(1, col, clean_text(column.header), book.header_format)
        self.ws.freeze_panes(2, 0)

    def row(self, values: Sequence[object]) -> None:
        """One record; ``None`` and "" leave the cell empty."""
        ws, formats, r = self.ws, self.book.formats, self._next
        if r >= MAX_ROWS:  # xlsxwriter would drop the rest without a word
            from frontdesk.errors import UserError

            raise UserError("export.too_many_rows", rows=MAX_ROWS - 2)
        measure = self.rows < WIDTH_SAMPLE
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = self.kinds[col]
            if kind is Kind.TEXT or kind is Kind.CODE:
                text = clean_text(value)
                ws.write_string(r, col, text, formats.get(kind))
                if measure:
                    width = display_width(text)
                    if width > self.widths[col]:
                        self.widths[col] = width
            elif kind is Kind.NUMBER:
                if isinstance(value, int | float):
                    ws.write_number(r, col, value)
                else:
                    ws.write_string(r, col, clean_text(value))
            elif isinstance(value, date | datetime | time):
                ws.write_datetime(r, col, value, formats[kind])
            else:
                ws.write_string(r, col, clean_text(value))
        self._next += 1
        self.rows += 1

    def finish(self) -> None:
        for col, column in enumerate(self.columns):
            fixed = FIXED_WIDTHS.get(column.kind)
            width = max(fixed or 0, min(MAX_WIDTH, max(MIN_WIDTH, self.widths[col] + 2)))
            self.ws.set_column(col, col, width)
        if self.columns:
            self.ws.autofilter(1, 0, max(1, self._next - 1), len(self.columns) - 1)
