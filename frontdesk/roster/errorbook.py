"""The error workbook of an import (issue 13: "an error workbook written beside the file: the
original rows plus a 错误说明 column, so the clerk fixes them in Excel and imports again").

Beside ``人口台账.xlsx``: ``人口台账-错误-20261202-1030.xlsx`` (``-2``, ``-3`` … rather than over
an earlier one; ``-problems-`` on the English desk). Where that folder cannot be written (a
read-only share, a CD), the export folder instead — ``error_book_message`` says where it went.

One sheet, named as the imported one: the header as the import read it (a two-row header as
its one row of column names: each column's lower cell, else its upper — the names the import
mapped), then only the rows with problems, in their order, each cell as the file held it: text
as text (an ID number stays a string, ``=1+1`` stays text, never a formula), numbers as
numbers (an ID number Excel already turned into ``1.41102E+17`` stays that number, for the
clerk to see), dates as dates. Around them, two columns the import ignores on purpose
(``frontdesk.roster.columns.ERROR_BOOK_COLUMNS``): 原行号 first, the row's number in the
original file, and 错误说明 last, its problems joined with "；", wrapped and highlighted. The
header is frozen; the ID, phone and household-number columns are text ("@") so what the clerk
types there stays as typed. The workbook imports again as it is.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from xlsxwriter.exceptions import XlsxWriterException

from frontdesk.errors import UserError
from frontdesk.exporting.book import (
    FIXED_WIDTHS,
    MAX_WIDTH,
    MIN_WIDTH,
    WIDTH_SAMPLE,
    Book,
    Kind,
    clean_text,
    display_width,
    sheet_name,
)
from frontdesk.i18n import _, language
from frontdesk.roster.columns import ERROR_BOOK_COLUMNS
from frontdesk.roster.header import Table

CODE_FIELDS = frozenset({"id_number", "phone", "household_number"})
DATE_FIELDS = frozenset({"birth_date", "moved_in_on"})
ROW_WIDTH = 8
GENERAL_DIGITS = 12  # the most characters Excel's General format shows of a number
PROBLEMS_WIDTH = MAX_WIDTH
PROBLEM_FILL = "#FFC7CE"  # Excel's own "Bad" style: light red, dark red text
PROBLEM_TEXT = "#9C0006"


def write_error_book(
    source: Path, table: Table, problems: dict[int, list[str]], *, now: datetime
) -> Path:
    """The rows of ``table`` that have problems (``problems``: 1-based row number as in
    ``table.rows`` → its messages) written as a workbook beside ``source`` (see the module);
    the path written. Call it only when some row has a problem (``ValueError`` otherwise); a
    ``UserError`` when no folder can take it."""
    wanted = {number: messages for number, messages in problems.items() if messages}
    rows = [(number, cells) for number, cells in table.rows if number in wanted]
    if not rows:
        raise ValueError("no row of the table has a problem")
    stem = f"{source.stem}-{_('roster.error_book_name')}-{now:%Y%m%d-%H%M}"
    error: OSError | XlsxWriterException | None = None
    for folder in _folders(source):
        try:
            with _claimed(folder, stem) as path:
                _write(path, table, rows, wanted)
            return path
        except (OSError, XlsxWriterException) as exc:
            error = exc
    detail = getattr(error, "strerror", None) or str(error)
    raise UserError("roster.error_book_failed", error=detail)


def error_book_message(source: Path, written: Path, count: int) -> str:
    """What to tell the clerk: where the error workbook is, and what to do with it."""
    if written.parent.resolve() == source.parent.resolve():
        return _("roster.error_book_written", count=count, path=str(written))
    return _(
        "roster.error_book_elsewhere", folder=str(source.parent), count=count, path=str(written)
    )


def _folders(source: Path) -> Iterator[Path]:
    yield source.parent
    from frontdesk.audit.export import export_folder  # the desk's export folder

    yield export_folder()


@contextlib.contextmanager
def _claimed(folder: Path, stem: str) -> Iterator[Path]:
    """A new file ``stem.xlsx`` (or ``stem-2.xlsx`` …) in ``folder``, created for the owner only
    (it holds personal data) and never over an existing one; removed again when writing fails."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        path = folder / (f"{stem}.xlsx" if n == 1 else f"{stem}-{n}.xlsx")
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            n += 1
            continue
        os.close(fd)
        break
    try:
        yield path
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _write(
    path: Path,
    table: Table,
    rows: list[tuple[int, list[object]]],
    problems: dict[int, list[str]],
) -> None:
    row_header, problems_header = ERROR_BOOK_COLUMNS[language()]
    separator = _("roster.problem_separator")
    book = Book(path)
    try:
        writer = _Writer(book, table, row_header, problems_header)
        for number, cells in rows:
            writer.row(number, cells, separator.join(problems[number]))
        writer.finish()
    except BaseException:
        with contextlib.suppress(Exception):
            book.workbook.fileclosed = True  # nothing more to write
        raise
    book.close()


class _Writer:
    """One sheet: the header on creation, ``row`` for each row with problems, ``finish``."""

    def __init__(self, book: Book, table: Table, row_header: str, problems_header: str) -> None:
        add = book.workbook.add_format
        self.book = book
        self.ws: Any = book.workbook.add_worksheet(sheet_name(table.sheet))
        self.headers = list(table.headers)
        self.last = len(self.headers) + 1  # the 错误说明 column
        self.code = {column + 1 for column, key in table.fields.items() if key in CODE_FIELDS}
        self.dates = {column + 1 for column, key in table.fields.items() if key in DATE_FIELDS}
        self.duration = add({"num_format": "[h]:mm:ss"})
        self.problem = add({"text_wrap": True, "valign": "top", "bg_color": PROBLEM_FILL})
        self.problem.set_font_color(PROBLEM_TEXT)
        problem_header = add({"bold": True, "border": 1, "bg_color": PROBLEM_FILL})
        problem_header.set_font_color(PROBLEM_TEXT)
        self.widths = [display_width(row_header) + 2]
        self.widths += [display_width(text) + 2 for text in self.headers]
        self.written = 0
        ws = self.ws
        ws.write_string(0, 0, row_header, book.header_format)
        for column, text in enumerate(self.headers, start=1):
            if text:
                ws.write_string(0, column, clean_text(text), book.header_format)
            else:
                ws.write_blank(0, column, None, book.header_format)
        ws.write_string(0, self.last, problems_header, problem_header)
        ws.freeze_panes(1, 1)

    def row(self, number: int, cells: list[object], problems: str) -> None:
        r = self.written + 1
        self.ws.write_number(r, 0, number)
        for column, value in enumerate(cells, start=1):
            self._cell(r, column, value)
        self.ws.write_string(r, self.last, clean_text(problems), self.problem)
        self.written += 1

    def _cell(self, r: int, column: int, value: object) -> None:
        ws, formats = self.ws, self.book.formats
        if value is None:
            return
        code = formats[Kind.CODE] if column in self.code else None
        if isinstance(value, bool):
            ws.write_boolean(r, column, value)
            shown = 5
        elif isinstance(value, int | float) and math.isfinite(value):
            ws.write_number(r, column, value, code)
            shown = min(len(str(value)), GENERAL_DIGITS)  # Excel shows 1.41102E+17 beyond
        elif isinstance(value, datetime):
            kind = Kind.DATE if value.time() == time() else Kind.DATETIME
            ws.write_datetime(r, column, value, formats[kind])
            shown = FIXED_WIDTHS[kind]
        elif isinstance(value, date):
            ws.write_datetime(r, column, value, formats[Kind.DATE])
            shown = FIXED_WIDTHS[Kind.DATE]
        elif isinstance(value, time):
            ws.write_datetime(r, column, value, formats[Kind.TIME])
            shown = FIXED_WIDTHS[Kind.TIME]
        elif isinstance(value, timedelta):
            ws.write_datetime(r, column, value, self.duration)
            shown = 9
        else:
            text = clean_text(value)
            ws.write_string(r, column, text, code)
            shown = display_width(text) if self.written < WIDTH_SAMPLE else 0
        if shown > self.widths[column]:
            self.widths[column] = shown

    def finish(self) -> None:
        ws, formats = self.ws, self.book.formats
        ws.set_column(0, 0, max(ROW_WIDTH, self.widths[0]))
        for column in range(1, self.last):
            width = min(MAX_WIDTH, max(MIN_WIDTH, self.widths[column] + 2))
            if column in self.dates:
                ws.set_column(
                    column, column, max(width, FIXED_WIDTHS[Kind.DATE]), formats[Kind.DATE]
                )
            elif column in self.code:
                ws.set_column(column, column, max(width, 20), formats[Kind.CODE])
            else:
                ws.set_column(column, column, width)
        ws.set_column(self.last, self.last, PROBLEMS_WIDTH)
        ws.autofilter(0, 0, max(1, self.written), self.last)
