"""Empty workbooks to fill in for an import (issue 13: "``frontdesk import template FILE``
writes empty workbooks with the expected columns and one (fake) example row").

- ``residents``: one sheet 居民 with the columns a roster import reads (``RESIDENT_COLUMNS``).
- ``places``: 楼栋 (one row a unit: 小区 / 楼栋 / 单元 / 层数 / 每层户数 / 网格 / 楼型) and 功能室.
  One file a kind, since one import reads one file of one kind (the rooms go with the places).

Each data sheet: a title row saying what the template is and that the example row is made up,
the header — each field's usual name from ``frontdesk.roster.columns`` in the desk's language —
and one example row: 张三, an ID number right by GB 11643 (division 141102, born 1985-03-02)
but made up, and 示例 in 备注 (mobile numbers have no range kept for fiction, so the row says
it). The ID, phone and household-number columns are text ("@") to the bottom, so Excel keeps
what is typed as typed; the birth date column is a date; gender, document type, relation,
category and building kind offer their values in a list (another word is let through with a
warning: the import knows more words than the list shows). A 说明 sheet says, column by
column, what is required and what is accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from frontdesk import idcards
from frontdesk.errors import UserError
from frontdesk.exporting.book import Book, Column, Kind, Sheet, display_width
from frontdesk.exporting.common import new_book
from frontdesk.i18n import catalog, normalise
from frontdesk.roster.columns import FIELDS
from frontdesk.vocabulary import DocumentType, Relation, ResidentCategory

TEMPLATE_KINDS = ("residents", "places")

RESIDENT_COLUMNS = (
    "name",
    "gender",
    "ethnicity",
    "document_type",
    "id_number",
    "birth_date",
    "phone",
    "emergency_contact",
    "relation",
    "household_number",
    "head_name",
    "compound",
    "building",
    "unit",
    "flat",
    "category",
    "grid",
    "tags",
    "notes",
)
PLACE_COLUMNS = ("compound", "building", "unit", "floors", "flats_per_floor", "grid", "kind")
ROOM_COLUMNS = ("name", "capacity", "purpose", "notes")

# the sheets of each template: (import kind of the sheet, its columns)
SHEETS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "residents": (("residents", RESIDENT_COLUMNS),),
    "places": (("places", PLACE_COLUMNS), ("rooms", ROOM_COLUMNS)),
}

KINDS: dict[str, Kind] = {
    "id_number": Kind.CODE,
    "phone": Kind.CODE,
    "household_number": Kind.CODE,
    "birth_date": Kind.DATE,
    "floors": Kind.NUMBER,
    "flats_per_floor": Kind.NUMBER,
    "capacity": Kind.NUMBER,
}

EXAMPLE_REGION = "141102"  # 离石区: a real division, so the number passes every check
EXAMPLE_BIRTH = dt.date(1985, 3, 2)
EXAMPLE_ID = idcards.make_id(EXAMPLE_REGION, EXAMPLE_BIRTH, 1)  # sequence 001: male
EXAMPLE_NAME = "张三"  # what Chinese writes for "anybody"
EXAMPLE_PHONE = "13800000000"  # no range is kept for fiction: the row is marked 示例

# the values each list offers: catalog keys
CHOICES: dict[str, tuple[str, ...]] = {
    "gender": ("enum.gender.M", "enum.gender.F"),
    "document_type": tuple(f"enum.document_type.{d.value}" for d in DocumentType),
    "relation": tuple(f"enum.relation.{r.value}" for r in Relation),
    "category": tuple(f"enum.resident_category.{c.value}" for c in ResidentCategory),
    "kind": ("export.building_kind.walkup", "export.building_kind.tower"),
}
# what the 说明 sheet marks required: catalog key under roster.template
REQUIRED: dict[str, dict[str, str]] = {
    "residents": {
        "name": "required",
        "gender": "required_without_id",
        "birth_date": "required_without_id",
    },
    "places": {
        "compound": "required",
        "building": "required",
        "unit": "required",
        "floors": "required",
        "flats_per_floor": "required",
    },
    "rooms": {"name": "required"},
}
# the general points the 说明 sheet opens with: keys under roster.template.topic
TOPICS: dict[str, tuple[str, ...]] = {
    "residents": ("example", "codes", "dates", "households", "places", "again", "fix"),
    "places": ("example", "units", "grids", "rooms", "again"),
}
HELP_WIDTH = 90
LAST_ROW = 1_048_575  # Excel's last row (0-based)


def header_name(kind: str, key: str, language: str) -> str:
    """The header a template writes for ``key``: its usual Chinese name, or on the English desk
    its first English one (``columns.FIELDS``)."""
    field = next(f for f in FIELDS[kind] if f.key == key)
    if language == "en":
        return next((name for name in field.headers if name.isascii()), field.headers[0])
    return field.headers[0]


def write_template(path: Path, kind: str, *, language: str) -> Path:
    """The empty workbook for an import of ``kind`` ("residents" or "places") at ``path`` (a new
    ``.xlsx``, never over a file); ``path``. A ``UserError`` when it cannot be written."""
    if kind not in SHEETS:
        raise ValueError(f"no template for {kind!r}: one of {', '.join(TEMPLATE_KINDS)}")
    lang = normalise(language) or "zh"
    words = catalog(lang)

    def say(key: str, **params: object) -> str:
        text = words.get(key) or catalog("zh").get(key, key)
        return text.format(**params) if params else text

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError("roster.template_not_xlsx", path=str(path))
    with new_book(path) as book:
        for sheet_kind, keys in SHEETS[kind]:
            _data_sheet(book, sheet_kind, keys, lang, say)
        _help_sheet(book, kind, lang, say)
    return path


def _example(sheet_kind: str, say: Callable[..., str]) -> dict[str, object]:
    note = say("roster.template.example_note")
    compound = say("roster.template.example_compound")
    if sheet_kind == "residents":
        return {
            "name": EXAMPLE_NAME,
            "gender": say("enum.gender.M"),
            "ethnicity": "汉族",
            "document_type": say("enum.document_type.id_card"),
            "id_number": EXAMPLE_ID,
            "birth_date": EXAMPLE_BIRTH,
            "phone": EXAMPLE_PHONE,
            "emergency_contact": say("roster.template.example_emergency"),
            "relation": say("enum.relation.head"),
            "household_number": "0001",
            "head_name": EXAMPLE_NAME,
            "compound": compound,
            "building": "1",
            "unit": "1",
            "flat": "101",
            "category": say("enum.resident_category.registered"),
            "grid": "1-1",
            "notes": note,
        }
    if sheet_kind == "places":
        return {
            "compound": compound,
            "building": "1",
            "unit": "1",
            "floors": 6,
            "flats_per_floor": 2,
            "grid": "1-1",
            "kind": say("export.building_kind.walkup"),
        }
    return {
        "name": say("roster.template.example_room"),
        "capacity": 30,
        "purpose": say("roster.template.example_purpose"),
        "notes": note,
    }


def _data_sheet(
    book: Book, sheet_kind: str, keys: tuple[str, ...], lang: str, say: Callable[..., str]
) -> None:
    headers = [header_name(sheet_kind, key, lang) for key in keys]
    columns = [
        Column(header, KINDS.get(key, Kind.TEXT)) for header, key in zip(headers, keys, strict=True)
    ]
    sheet = book.sheet(
        say(f"roster.template.sheet_{sheet_kind}"),
        columns,
        say(f"roster.template.title_{sheet_kind}"),
    )
    example = _example(sheet_kind, say)
    sheet.row([example.get(key) for key in keys])
    sheet.finish()
    _whole_columns(book, sheet, keys, example, lang, say)


def _whole_columns(
    book: Book,
    sheet: Sheet,
    keys: tuple[str, ...],
    example: dict[str, object],
    lang: str,
    say: Callable[..., str],
) -> None:
    """Text and date formats down to the last row, and the lists (after ``finish``, whose
    widths the text columns keep)."""
    ws = sheet.ws
    first = 2  # the example row: under the title and the header
    for col, (key, column) in enumerate(zip(keys, sheet.columns, strict=True)):
        if column.kind in (Kind.CODE, Kind.DATE):
            width = max(display_width(column.header), len(str(example.get(key) or ""))) + 4
            ws.set_column(col, col, max(width, 12), book.formats[column.kind])
        choices = CHOICES.get(key)
        if choices is None:
            continue
        values = [say(choice) for choice in choices]
        joined = ("、" if lang == "zh" else ", ").join(values)
        ws.data_validation(
            first,
            col,
            LAST_ROW,
            col,
            {
                "validate": "list",
                "source": values,
                "error_type": "stop" if key == "gender" else "warning",
                "error_title": column.header,
                "error_message": say("roster.template.not_in_list", values=joined),
            },
        )


def _help_sheet(book: Book, kind: str, lang: str, say: Callable[..., str]) -> None:
    """说明: the general points, then a line for each column of each sheet."""
    columns = [
        Column(say("roster.template.help_sheet")),
        Column(say("roster.template.help_column")),
        Column(say("roster.template.help_required")),
        Column(say("roster.template.help_how")),
    ]
    title = say(f"roster.template.help_title_{kind}")
    sheet = book.sheet(say("roster.template.help"), columns, title)
    wrapped = book.workbook.add_format({"text_wrap": True, "valign": "top"})
    # before the rows: constant_memory writes each row out as it goes, with the column's format
    sheet.ws.set_column(3, 3, HELP_WIDTH, wrapped)
    for topic in TOPICS[kind]:
        sheet.row(
            [
                "",
                say(f"roster.template.topic.{topic}_name"),
                "",
                say(f"roster.template.topic.{topic}"),
            ]
        )
    for sheet_kind, keys in SHEETS[kind]:
        name = say(f"roster.template.sheet_{sheet_kind}")
        for key in keys:
            need = REQUIRED[sheet_kind].get(key)
            required = say(f"roster.template.{need}") if need else ""
            how = say(f"roster.template.how_{sheet_kind}.{key}")
            sheet.row([name, header_name(sheet_kind, key, lang), required, how])
    sheet.finish()
    sheet.ws.set_column(3, 3, HELP_WIDTH, wrapped)  # finish set the widths it measured
