"""The workbook every export writes (frontdesk.exporting.book), read back with python-calamine
and, where calamine would hide it (a formula, a width, a frozen pane), from the sheet's XML."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from frontdesk.errors import UserError
from frontdesk.exporting.book import Book, Column, Kind, display_width


def _write(path: Path, rows: list[list[object]]) -> Path:
    book = Book(path)
    sheet = book.sheet(
        "名单",
        [
            Column("姓名"),
            Column("公民身份号码", Kind.CODE),
            Column("出生日期", Kind.DATE),
            Column("登记时间", Kind.DATETIME),
            Column("开始", Kind.TIME),
            Column("人数", Kind.NUMBER),
        ],
        "丽景街社区 · 居民名单 · 在住 · 导出于 2026-11-29 10:00 · 已打码",
    )
    for row in rows:
        sheet.row(row)
    sheet.finish()
    book.close()
    return path


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


ROWS: list[list[object]] = [
    [
        "=SUM(A1)",
        "141102199001011234",
        date(1990, 1, 1),
        datetime(2026, 11, 29, 10, 5),
        time(9, 30),
        3,
    ],
    ["阿依古丽·买买提阿依古丽", "00123", date(2001, 2, 3), None, None, None],
    ["+86 138", "1.41102E+17", None, None, None, ""],
]


def test_title_header_and_values_read_back(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.xlsx", ROWS)
    rows: list[list[Any]] = (
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name("名单").to_python()
    )
    assert rows[0][0].startswith("丽景街社区 · 居民名单")
    assert rows[1] == ["姓名", "公民身份号码", "出生日期", "登记时间", "开始", "人数"]
    first = rows[2]
    assert first[0] == "=SUM(A1)"  # text, not a formula's value
    assert first[1] == "141102199001011234" and isinstance(first[1], str)
    assert first[2] == date(1990, 1, 1)  # a real date, not text or a serial number
    assert first[3] == datetime(2026, 11, 29, 10, 5)
    assert first[5] == 3
    assert rows[3][1] == "00123"  # leading zeros kept: text
    assert rows[4][1] == "1.41102E+17" and isinstance(rows[4][1], str)
    assert rows[4][0] == "+86 138"


def test_no_cell_is_a_formula_and_ids_are_text_formatted(tmp_path: Path) -> None:
    xml = _sheet_xml(_write(tmp_path / "t.xlsx", ROWS))
    assert "<f>" not in xml and "<f " not in xml
    cell = re.search(r'<c r="A3"[^>]*t="inlineStr"[^>]*><is><t>=SUM\(A1\)</t>', xml)
    assert cell, xml[:2000]
    # the ID column's cells carry the "@" (text) format
    styles = zipfile.ZipFile(tmp_path / "t.xlsx").read("xl/styles.xml").decode()
    assert 'formatCode="@"' in styles


def test_header_frozen_below_the_title_with_filter_buttons(tmp_path: Path) -> None:
    xml = _sheet_xml(_write(tmp_path / "t.xlsx", ROWS))
    assert re.search(
        r'<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"', xml
    )
    assert '<mergeCell ref="A1:F1"/>' in xml
    assert '<autoFilter ref="A2:F5"/>' in xml


def test_widths_count_chinese_characters_as_two(tmp_path: Path) -> None:
    xml = _sheet_xml(_write(tmp_path / "t.xlsx", ROWS))
    widths = {
        int(m.group(1)): float(m.group(2))
        for m in re.finditer(r'<col min="(\d+)" max="\d+" width="([\d.]+)"', xml)
    }
    name = "阿依古丽·买买提阿依古丽"
    assert display_width(name) == 23  # 11 wide characters and the middle dot
    assert widths[1] >= display_width(name)
    assert widths[2] >= 18  # an 18-character ID number fits
    assert widths[3] >= 10  # yyyy-mm-dd


def test_control_characters_do_not_break_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.xlsx", [["张\x00三\x1b", "1", None, None, None, None]])
    rows: list[list[Any]] = (
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name("名单").to_python()
    )
    assert rows[2][0] == "张三"


def test_more_rows_than_a_sheet_holds_is_refused_not_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontdesk.exporting import book as book_module

    monkeypatch.setattr(book_module, "MAX_ROWS", 4)  # the title, the header and two rows
    with pytest.raises(UserError) as refused:
        _write(tmp_path / "t.xlsx", [["a"], ["b"], ["c"]])
    assert refused.value.key == "export.too_many_rows"
