"""Where a roster's table starts, and which column is which field (issue 13, "The header is
found wherever it is").

- The header is the row, among a sheet's first ``SCAN_ROWS``, naming the most known fields —
  title rows (丽景街社区实有人口信息表, merged across) and a 填报单位 line above it are passed
  over. A two-row header (a merged 居住地址 over 小区 / 楼栋 / 单元 / 门牌号) is read as one:
  a column's name is the lower cell when it has one, else the upper.
- Without ``sheet``, the sheet holding the best header is used (a 说明 sheet first is usual);
  other sheets holding a table of the kind too are named in ``other_sheets``.
- ``mapping`` (header text → field key, ``""`` to leave a column out on purpose) goes before
  the automatic one: that is how a confirmed mapping is used again.
- Two columns naming one field: the first wins; the later ones are listed in ``duplicates``
  and, as every column not imported, in ``unknown``. A column without a header but with data is
  listed as its letter in brackets, ``(G)``. A 序号 column is left out on purpose.
- Data rows: empty rows, a row repeating the header and a row of column numbers right under it
  (1, 2, 3 …) are skipped; so are total and signature lines at the bottom (合计 / 填表人 /
  说明 … with no name), listed in ``skipped`` so the preview can show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from frontdesk.errors import UserError
from frontdesk.roster.columns import (
    FIELDS,
    MIN_FIELDS,
    REQUIRED,
    field_for,
    header_key,
    usual_headers,
)
from frontdesk.roster.reading import Book, Sheet

SCAN_ROWS = 30
_FOOTER = re.compile(
    r"^(?:合计|总计|小计|共计|总数|填表人|填报人|制表人|审核人|负责人|统计人|联系人|填表日期|制表日期|"
    r"填表说明|说明|注[:：]|备注[:：]|total)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Table:
    sheet: str
    header_row: int  # 1-based row number of the (first) header row
    headers: list[str]  # the header text of each column ("" for none)
    fields: dict[int, str]  # column index (0-based) -> field key
    unknown: list[str]  # header texts of the columns not imported, unless left out on purpose
    rows: list[tuple[int, list[object]]]  # (1-based row number, cells as wide as ``headers``)
    header_rows: int = 1  # 2 for a two-row header
    duplicates: dict[str, str] = field(default_factory=dict)  # header text -> field taken before
    skipped: list[tuple[int, str]] = field(default_factory=list)  # total / signature lines
    # other sheets with a table of this kind too (户籍人口 and 流动人口 on two sheets): each is
    # imported by naming it (``sheet``); never merged behind the clerk's back
    other_sheets: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Header:
    score: tuple[int, int]
    index: int  # 0-based row of the header
    height: int
    texts: list[str]
    fields: list[str | None]  # per column: field key, "" left out, None unknown


def find_table(
    book: Book, kind: str, *, sheet: str | None = None, mapping: dict[str, str] | None = None
) -> Table:
    """The table of ``kind`` ("residents", "places", "rooms") in ``book`` (see the module)."""
    if kind not in FIELDS:
        raise ValueError(f"no such import kind: {kind}")
    mapping = _clean(kind, mapping or {})
    best: tuple[Sheet, _Header] | None = None
    usable: list[str] = []
    for candidate in _sheets(book, sheet):
        header = _best_header(candidate.rows, kind, mapping)
        if header is not None and header.score[0] and header.score[1] >= MIN_FIELDS:
            usable.append(candidate.name)
        if header is not None and (best is None or _better(candidate, header, *best)):
            best = (candidate, header)
    if best is None or best[1].score[0] == 0 or best[1].score[1] < MIN_FIELDS:
        labels = dict((f.key, f.headers[0]) for f in FIELDS[kind])
        raise UserError(
            "roster.no_header",
            name=book.path.name,
            required=labels[REQUIRED[kind]],
            expected="、".join(usual_headers(kind)),
        )
    table = _table(*best, REQUIRED[kind])
    others = [name for name in usable if name != table.sheet]
    return replace(table, other_sheets=others) if others else table


def _better(sheet: Sheet, header: _Header, best_sheet: Sheet, best: _Header) -> bool:
    """More known fields; as many, more rows under it (a 说明 sheet showing the header with an
    example row loses to the sheet of 800 people)."""
    rows = len(sheet.rows) - header.index - header.height
    best_rows = len(best_sheet.rows) - best.index - best.height
    return (header.score, rows) > (best.score, best_rows)


def header_candidates(book: Book, *, sheet: str | None = None) -> list[list[str]]:
    """The header texts ``find_table`` could take, in the order it looks at them: each of a
    sheet's first ``SCAN_ROWS`` rows holding two texts or more, alone and with the row below
    as its lower half. How a mapping saved for headers no synonym names is found again
    (``mappings.saved_mapping_in``)."""
    found: list[list[str]] = []
    for candidate in _sheets(book, sheet):
        rows = candidate.rows
        for index, row in enumerate(rows[:SCAN_ROWS]):
            texts = [_text(value) if isinstance(value, str) else "" for value in row]
            if sum(1 for text in texts if text) < 2:
                continue
            found.append(texts)
            if index + 1 < len(rows):
                below = [
                    _text(value) if isinstance(value, str) else "" for value in rows[index + 1]
                ]
                if any(below):
                    found.append([low or up for up, low in zip(texts, below, strict=False)])
    return found


def _sheets(book: Book, sheet: str | None) -> list[Sheet]:
    """The sheet named ``sheet`` (a ``UserError`` naming the others when there is none), or all."""
    if sheet is None:
        return book.sheets
    chosen = [candidate for candidate in book.sheets if candidate.name == sheet]
    if not chosen:
        names = "、".join(candidate.name for candidate in book.sheets)
        raise UserError("roster.sheet_unknown", sheet=sheet, sheets=names)
    return chosen


def _clean(kind: str, mapping: dict[str, str]) -> dict[str, str]:
    """``mapping`` by header key, without field keys this kind does not have (a stale save)."""
    known = {f.key for f in FIELDS[kind]}
    return {header_key(text): key for text, key in mapping.items() if key == "" or key in known}


def _text(value: object) -> str:
    return str(value).strip() if value is not None else ""


def _field(kind: str, value: object, mapping: dict[str, str]) -> str | None:
    if not isinstance(value, str):
        return None
    key = header_key(value)
    if key in mapping:
        return mapping[key]
    return field_for(kind, value)


def _score(kind: str, fields: list[str | None]) -> tuple[int, int]:
    found = {key for key in fields if key}
    return (1 if REQUIRED[kind] in found else 0, len(found))


def _best_header(rows: list[list[object]], kind: str, mapping: dict[str, str]) -> _Header | None:
    best: _Header | None = None
    for index, row in enumerate(rows[:SCAN_ROWS]):
        top = [_field(kind, value, mapping) for value in row]
        if not any(top):
            continue
        header = _Header(_score(kind, top), index, 1, [_text(value) for value in row], top)
        if index + 1 < len(rows):
            header = max(
                header, _two_rows(kind, header, rows[index + 1], mapping), key=lambda h: h.score
            )
        if best is None or header.score > best.score:
            best = header
    return best


def _two_rows(kind: str, top: _Header, below: list[object], mapping: dict[str, str]) -> _Header:
    """``top`` with the row below it as its lower half, when that row reads as sub-headers
    (text only, at least half of it naming fields); else ``top``."""
    filled = [value for value in below if value is not None]
    lower = [_field(kind, value, mapping) for value in below]
    named = sum(1 for key in lower if key is not None)
    if not filled or any(not isinstance(value, str) for value in filled) or named * 2 < len(filled):
        return top
    width = max(len(top.texts), len(below))
    texts, fields = [], []
    for column in range(width):
        upper_text = top.texts[column] if column < len(top.texts) else ""
        lower_text = _text(below[column]) if column < len(below) else ""
        if lower_text:
            texts.append(lower_text)
            fields.append(lower[column])
        else:
            texts.append(upper_text)
            fields.append(top.fields[column] if column < len(top.fields) else None)
    header = _Header(_score(kind, fields), top.index, 2, texts, fields)
    return header if header.score > top.score else top


def _letter(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _table(sheet: Sheet, header: _Header, required: str) -> Table:
    start = header.index + header.height
    body = sheet.rows[start:]
    width = max([len(header.texts), *(len(row) for row in body)])
    texts = header.texts + [""] * (width - len(header.texts))
    keys = header.fields + [None] * (width - len(header.fields))
    blank = [column for column, text in enumerate(texts) if not text]
    used = {
        column for row in body for column in blank if column < len(row) and row[column] is not None
    }
    fields: dict[int, str] = {}
    unknown: list[str] = []
    duplicates: dict[str, str] = {}
    for column, key in enumerate(keys):
        label = texts[column] or f"({_letter(column)})"
        if key == "" or (not texts[column] and column not in used):
            continue
        if key is None:
            unknown.append(label)
        elif key in fields.values():
            duplicates[label] = key
            unknown.append(label)
        else:
            fields[column] = key
    rows = _data_rows(start, body, texts, width)
    rows, skipped = _without_footer(rows, fields, required)
    return Table(
        sheet=sheet.name,
        header_row=header.index + 1,
        headers=texts,
        fields=fields,
        unknown=unknown,
        rows=rows,
        header_rows=header.height,
        duplicates=duplicates,
        skipped=skipped,
    )


def _data_rows(
    start: int, body: list[list[object]], texts: list[str], width: int
) -> list[tuple[int, list[object]]]:
    header_keys = [header_key(text) for text in texts]
    first = next((column for column, key in enumerate(header_keys) if key), 0)
    rows: list[tuple[int, list[object]]] = []
    for offset, row in enumerate(body):
        if not any(value is not None for value in row):
            continue
        cells = row if len(row) == width else [*row, *[None] * (width - len(row))]
        if (
            isinstance(cells[first], str)
            and header_key(cells[first]) == header_keys[first]
            and [header_key(value) if isinstance(value, str) else "" for value in cells]
            == header_keys
        ):
            continue  # the header again (a printed table repeats it on every page)
        if not rows and _column_numbers(cells):
            continue
        rows.append((start + offset + 1, cells))
    return rows


def _column_numbers(cells: list[object]) -> bool:
    """A row of column numbers under the header (1, 2, 3 … as government forms have)."""
    values = [value for value in cells if value is not None]
    numbers = [
        int(value)
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
        else -1
        for value in values
    ]
    return (
        len(numbers) >= 3
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        and numbers[0] in (0, 1)
    )


def _without_footer(
    rows: list[tuple[int, list[object]]], fields: dict[int, str], required: str
) -> tuple[list[tuple[int, list[object]]], list[tuple[int, str]]]:
    """``rows`` without the total and signature lines at the bottom, and those lines."""
    named = [column for column, key in fields.items() if key == required]
    skipped: list[tuple[int, str]] = []
    while rows:
        number, cells = rows[-1]
        values = [_text(value) for value in cells if value is not None]
        first = header_key(values[0]) if values else ""
        name = _text(cells[named[0]]) if named else ""
        if not _FOOTER.match(first) or (name and not _not_a_name(name)):
            break
        skipped.insert(0, (number, " ".join(values)))
        rows.pop()
    return rows, skipped


def _not_a_name(text: str) -> bool:
    """A name cell of a total line: a footer word again, or a count (``2人``, ``120``)."""
    return bool(_FOOTER.match(header_key(text))) or any(char.isdigit() for char in text)
