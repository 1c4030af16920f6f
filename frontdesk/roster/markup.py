"""Spreadsheets written as markup, as some platforms export them under an .xls name: an HTML
table, and Excel 2003's XML workbook (SpreadsheetML). Both are read with the standard library
(html.parser, xml.etree); a merged cell keeps its value in its first column, as calamine does."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from frontdesk.errors import UserError
from frontdesk.roster.reading import Sheet, clean, squared

_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
_DECLARED = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.-]+)")
_DECLARED_TEXT = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_MAX_INDEX = 16384  # Excel's last column; an index past it is garbage


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


def read_html(data: bytes, name: str) -> list[Sheet]:
    """The first ``<table>`` of an HTML page (what some grid platforms export as .xls)."""
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
    return [Sheet("HTML", squared(parser.rows))]


def read_spreadsheet_xml(data: bytes, name: str) -> list[Sheet]:
    """Each ``Worksheet`` of an Excel 2003 XML workbook. A file declaring entities (a DTD) is
    refused unread: no roster needs one, and expansion is how XML files attack a reader."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise UserError("roster.not_a_spreadsheet", name=name)
    declared = _DECLARED.search(data[:200])
    try:
        text = data.decode(declared.group(1).decode("ascii") if declared else "utf-8-sig")
    except (LookupError, UnicodeDecodeError):
        text = data.decode("gb18030", errors="replace")
    try:  # expat knows few encodings (gb2312 is not one): it is given text, declaration off
        root = ET.fromstring(_DECLARED_TEXT.sub("", text, count=1))
    except (ET.ParseError, ValueError, LookupError):
        raise UserError("roster.damaged", name=name) from None
    if root.tag != f"{_SS}Workbook":
        raise UserError("roster.not_a_spreadsheet", name=name)
    sheets = []
    same: dict[str, str] = {}
    for number, worksheet in enumerate(root.iter(f"{_SS}Worksheet"), start=1):
        rows: list[list[object]] = []
        for row in worksheet.iter(f"{_SS}Row"):
            at = _index(row, len(rows) + 1)
            rows.extend([] for _ in range(at - 1 - len(rows)))
            cells: list[object] = []
            for cell in row.iter(f"{_SS}Cell"):
                column = _index(cell, len(cells) + 1)
                cells.extend([None] * (column - 1 - len(cells)))
                cells.append(_data(cell))
                across = _index(cell, 0, "MergeAcross")
                cells.extend([None] * min(across, _MAX_INDEX - len(cells)))
            rows.append(clean(cells, same))
        sheets.append(Sheet(worksheet.get(f"{_SS}Name") or f"Sheet{number}", squared(rows)))
    return sheets


def _index(element: ET.Element, default: int, attribute: str = "Index") -> int:
    text = element.get(f"{_SS}{attribute}") or ""
    if not text.isdigit() or not 0 < int(text) <= _MAX_INDEX * 64:
        return default
    return int(text)


def _data(cell: ET.Element) -> object:
    data = cell.find(f"{_SS}Data")
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = data.get(f"{_SS}Type")
    try:
        if kind == "Number":
            return float(text)
        if kind == "Boolean":
            return text.strip() == "1"
        if kind == "DateTime":
            moment = dt.datetime.fromisoformat(text.strip()[:19])
            return moment.date() if moment.time() == dt.time() else moment
    except ValueError:
        return text
    return text
