"""A roster file read into rows (issue 13, "Import residents"): what the format is, decided by
the bytes, not the name.

- .xlsx / .xlsm / .xlsb / .xls / .ods: python-calamine. A ZIP holding ``xl/`` or an ODF
  ``mimetype`` is a workbook whatever it is called; an OLE file (.xls) holding
  ``EncryptedPackage`` is a password-protected .xlsx — calamine cannot open it, the clerk can
  take the password off.
- Text (.csv / .txt, or a CSV named .xls): UTF-8 (BOM or none) read strictly, else GB18030
  (which GBK is a part of, and what Excel writes on Chinese Windows); the delimiter (comma, tab,
  semicolon) is the one that splits the first lines into the same number of columns.
- An HTML table (what some grid platforms export as ``.xls``): its first table's cells.
- WPS's own .et: a message to save it as .xlsx. Anything else: one message, never a traceback.

Cells are what calamine gives (str, int, float, bool, date, datetime, time, timedelta), with
two changes: an empty or blank cell is ``None`` and a whole float (``12.0``) is an ``int`` —
``str()`` of a phone then reads as typed. Rows keep their place (row 1 is ``rows[0]``, an empty
row is all ``None``); trailing empty rows and columns are dropped, and every row is as wide as
the sheet's last column holding something (``row[column]`` never fails within the sheet).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import cast

import python_calamine

from frontdesk.errors import UserError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_WPS = frozenset({".et", ".ett"})
_DELIMITERS = (",", "\t", ";")
_HTML_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|table|head|body|meta|!--)", re.IGNORECASE)
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
_SAMPLE_LINES = 60


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[object]]  # see the module: calamine's values, None for empty


@dataclass(frozen=True)
class Book:
    path: Path
    sha256: str
    sheets: list[Sheet]


def read_book(path: Path) -> Book:
    """The workbook at ``path``; a ``UserError`` with one plain message for a file it is not."""
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError("roster.file_not_found", path=str(path)) from None
    except OSError as error:
        raise UserError(
            "roster.file_unreadable", path=str(path), error=error.strerror or error
        ) from None
    if not data:
        raise UserError("roster.file_empty", name=name)
    sheets = _sheets(data, path.suffix.lower(), name)
    if not any(sheet.rows for sheet in sheets):
        raise UserError("roster.workbook_empty", name=name)
    return Book(path=path, sha256=hashlib.sha256(data).hexdigest(), sheets=sheets)


def _sheets(data: bytes, suffix: str, name: str) -> list[Sheet]:
    if data.startswith(b"PK"):
        _check_zip(data, suffix, name)
        return _workbook(data, name)
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise UserError("roster.password", name=name)
        if suffix in _WPS:
            raise UserError("roster.wps_et", name=name)
        return _workbook(data, name)
    if suffix in _WPS:
        raise UserError("roster.wps_et", name=name)
    text = _decode(data)
    if text is None:
        raise UserError("roster.not_a_spreadsheet", name=name)
    if _HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")):
        return _html(data, name)
    head = text[:4096].lstrip().lower()
    if head.startswith("<?xml") or head.startswith("{\\rtf") or head.startswith("%pdf"):
        raise UserError("roster.not_a_spreadsheet", name=name)
    return _csv(text)


def _check_zip(data: bytes, suffix: str, name: str) -> None:
    """A ZIP is a workbook when it holds one; a Word file or a ZIP of photos is not."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except Exception:  # a damaged or cut-off ZIP: zipfile raises many kinds
        raise UserError("roster.damaged", name=name) from None
    if any(member.startswith("xl/") for member in names):
        return
    if b"opendocument.spreadsheet" in mimetype:
        return
    if suffix in _WPS:
        raise UserError("roster.wps_et", name=name)
    raise UserError("roster.not_a_spreadsheet", name=name)


def _workbook(data: bytes, name: str) -> list[Sheet]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            return [
                _sheet(sheet_name, workbook.get_sheet_by_index(index))
                for index, sheet_name in enumerate(workbook.sheet_names)
            ]
        finally:
            workbook.close()
    except python_calamine.PasswordError:
        raise UserError("roster.password", name=name) from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:  # calamine's errors, and a Rust panic (a BaseException) on garbage
        raise UserError("roster.damaged", name=name) from None


def _sheet(name: str, sheet: python_calamine.CalamineSheet) -> Sheet:
    """A sheet's rows, made one by one (a 200,000-row sheet is not held twice over): calamine's
    ``iter_rows`` starts at row 1 but at the first column holding something."""
    start = sheet.start
    lead: list[object] = [None] * (start[1] if start else 0)
    same: dict[str, str] = {}
    rows = [
        _clean([*lead, *row] if lead else cast(list[object], row), same)
        for row in sheet.iter_rows()
    ]
    return Sheet(name, _squared(rows))


def _clean(row: list[object], same: dict[str, str]) -> list[object]:
    """``row`` changed in place: blank cells ``None``, whole floats ``int``, a short text that
    repeats (男, 汉族, the compound's name) one object for all."""
    for index, value in enumerate(row):
        kind = type(value)
        if kind is str:
            text: str = value  # type: ignore[assignment]
            if not text or text.isspace():
                row[index] = None
            elif len(text) <= 12:
                row[index] = same.setdefault(text, text)
        elif kind is float:
            number: float = value  # type: ignore[assignment]
            if number.is_integer() and abs(number) < 2**63:
                row[index] = int(number)
    return row


def _squared(rows: list[list[object]]) -> list[list[object]]:
    """``rows`` in place without trailing empty rows, each as wide as the last column that
    holds something."""
    while rows and not any(value is not None for value in rows[-1]):
        rows.pop()
    width = 0
    for row in rows:
        last = len(row)
        while last > width and row[last - 1] is None:
            last -= 1
        width = max(width, last)
    for row in rows:
        if len(row) > width:
            del row[width:]
        elif len(row) < width:
            row.extend([None] * (width - len(row)))
    return rows


def _decode(data: bytes) -> str | None:
    """Text in UTF-8 (a BOM or none), else GB18030; ``None`` for bytes that are not text."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
        return None
    return None


def _looks_like_text(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\r\n\f")
    return "\x00" not in sample and controls * 100 <= len(sample)


def _csv(text: str) -> list[Sheet]:
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    same: dict[str, str] = {}
    return [Sheet("CSV", _squared([_clean(cast(list[object], row), same) for row in reader]))]


def _delimiter(text: str) -> str:
    """The delimiter that gives most of the first lines one and the same number of columns."""
    lines = [line for line in text.splitlines()[:_SAMPLE_LINES] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            widths = Counter(
                len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1
            )
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


class _Tables(HTMLParser):
    """The cells of the first ``<table>``: a ``colspan`` keeps its text in its first column."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[object]] = []
        self.depth = 0
        self.tables = 0
        self.done = False
        self.cell: list[str] | None = None
        self.span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth += 1
            self.tables += 1
        elif self.depth == 1 and tag == "tr":
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th"):
            self._close_cell()
            if not self.rows:
                self.rows.append([])
            self.cell = []
            span = dict(attrs).get("colspan") or "1"
            self.span = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
        elif self.depth == 1 and tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag in ("td", "th", "tr"):
            self._close_cell()
        elif tag == "table":
            self._close_cell()
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.cell is not None and self.depth == 1:
            self.cell.append(data)

    def _close_cell(self) -> None:
        if self.cell is None:
            return
        text = " ".join(
            part.strip() for part in "".join(self.cell).replace("\xa0", " ").split("\n")
        )
        self.rows[-1].append(text.strip() or None)
        self.rows[-1].extend([None] * (self.span - 1))
        self.cell = None


def _html(data: bytes, name: str) -> list[Sheet]:
    found = _CHARSET.search(data[:4096])
    encodings = [found.group(1).decode("ascii")] if found else []
    text = None
    for encoding in [*encodings, "utf-8-sig", "gb18030"]:
        try:
            text = data.decode(encoding)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    if text is None:
        raise UserError("roster.not_a_spreadsheet", name=name)
    parser = _Tables()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # HTMLParser is lenient; this is a last guard
        raise UserError("roster.damaged", name=name) from None
    parser._close_cell()
    if not parser.tables:
        raise UserError("roster.not_a_spreadsheet", name=name)
    return [Sheet("HTML", _squared(parser.rows))]
