"""A roster file read into rows (issue 13, "Import residents"): what the format is, decided by
the bytes, not the name.

- .xlsx / .xlsm / .xlsb / .xls / .ods: python-calamine, in a child process (a damaged file
  can make it abort its process: ``calamine_child``). A ZIP holding ``xl/`` or an ODF
  ``mimetype`` is a workbook whatever it is called; an OLE file (.xls) holding
  ``EncryptedPackage`` is a password-protected .xlsx, one whose first record after BOF is
  FILEPASS a password-protected .xls — calamine cannot open them, the clerk can take the
  password off.
- Text (.csv / .txt, or a CSV named .xls): UTF-8 (BOM or none) read strictly, else GB18030
  (which GBK is a part of, and what Excel writes on Chinese Windows); the delimiter (comma, tab,
  semicolon) is the one that splits the first lines into the same number of columns.
- Text in UTF-16 after its BOM (Excel's "Unicode text", tab-separated) too.
- An HTML table or an Excel 2003 XML workbook (what some platforms export as ``.xls``): read
  by ``markup`` with the standard library.
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
import os
import pickle
import re
import subprocess
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from frontdesk.errors import UserError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_WORKBOOK, _BOOK = "Workbook".encode("utf-16-le"), "Book".encode("utf-16-le")  # BIFF8, BIFF5
# BOF of a workbook's globals: record 0x0809, 16 (BIFF8) or 8 (BIFF5) bytes, its version, 0x0005
_BIFF_BOF = re.compile(rb"\x09\x08(?:\x10|\x08)\x00\x00[\x05\x06]\x05\x00")
_WPS = frozenset({".et", ".ett"})
_DELIMITERS = (",", "\t", ";")
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|table|head|body|meta|!--)")
_SAMPLE_LINES = 60
CHILD_SECONDS = 600  # calamine reads 200,000 rows in 3 s; a file it loops on is given up


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
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        _check_zip(data, suffix, name)
        return _workbook(data, name)
    if data.startswith(_OLE):
        if _ENCRYPTED in data or _xls_with_password(data):
            raise UserError("roster.password", name=name)
        if suffix in _WPS:
            raise UserError("roster.wps_et", name=name)
        if _WORKBOOK not in data and _BOOK not in data:  # a Word .doc, an Outlook .msg …
            raise UserError("roster.not_a_spreadsheet", name=name)
        return _workbook(data, name)
    if suffix in _WPS:
        raise UserError("roster.wps_et", name=name)
    text = _decode(data)
    if text is None:
        raise UserError("roster.not_a_spreadsheet", name=name)
    head = text[:65536].lstrip().lower()
    if _HTML_START.match(head):
        from frontdesk.roster.markup import read_html

        return read_html(data, name)
    if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in head:
        from frontdesk.roster.markup import read_spreadsheet_xml

        return read_spreadsheet_xml(data, name)
    if head.startswith(("<?xml", "{\\rtf", "%pdf")):
        raise UserError("roster.not_a_spreadsheet", name=name)
    return _csv(text)


def _xls_with_password(data: bytes) -> bool:
    """An .xls saved with a password: its workbook's BOF record is followed by FILEPASS (both
    left in clear). calamine says so only when told the format, and it is not (the bytes
    decide); it reports the file as unreadable instead."""
    found = _BIFF_BOF.search(data)
    if found is None:
        return False
    after = (
        found.start() + 4 + int.from_bytes(data[found.start() + 2 : found.start() + 4], "little")
    )
    return data[after : after + 2] == b"\x2f\x00"


def _check_zip(data: bytes, suffix: str, name: str) -> None:
    """A ZIP is a workbook when it holds one; a Word file or a ZIP of photos is not."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = _small(archive, "mimetype")
            manifest = _small(archive, "META-INF/manifest.xml")
    except Exception:  # a damaged or cut-off ZIP: zipfile raises many kinds
        raise UserError("roster.damaged", name=name) from None
    if any(member.startswith("xl/") for member in names):
        return
    if b"opendocument.spreadsheet" in mimetype:
        if b"encryption-data" in manifest:  # saved with a password: its parts are encrypted
            raise UserError("roster.password", name=name)
        return
    if suffix in _WPS:
        raise UserError("roster.wps_et", name=name)
    raise UserError("roster.not_a_spreadsheet", name=name)


def _small(archive: zipfile.ZipFile, member: str) -> bytes:
    """A small member's bytes (b"" when missing, or too big to be what it says)."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        return b""
    return archive.read(info) if info.file_size <= 1_000_000 else b""


def _workbook(data: bytes, name: str) -> list[Sheet]:
    """The sheets calamine reads, in a child process (``calamine_child`` says why)."""
    root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "frontdesk.roster.calamine_child"],
            input=data,
            capture_output=True,
            env=env,
            timeout=CHILD_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):  # cannot start, or ran past its time
        raise UserError("roster.damaged", name=name) from None
    try:
        status, sheets = pickle.loads(done.stdout) if done.returncode == 0 else ("damaged", [])
    except Exception:  # cut short: the child died while writing
        status, sheets = "damaged", []
    if status == "password":
        raise UserError("roster.password", name=name)
    if status != "ok":
        raise UserError("roster.damaged", name=name)
    return [Sheet(sheet_name, rows) for sheet_name, rows in sheets]


def clean(row: list[object], same: dict[str, str]) -> list[object]:
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


def squared(rows: list[list[object]]) -> list[list[object]]:
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
    """Text in UTF-8 (a BOM or none), else GB18030 — or UTF-16 after its BOM (Excel's "Unicode
    text"); ``None`` for bytes that are not text."""
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
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
    return [Sheet("CSV", squared([clean(cast(list[object], row), same) for row in reader]))]


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
