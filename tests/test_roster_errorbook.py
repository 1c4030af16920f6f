"""The error workbook of an import (frontdesk.roster.errorbook): beside the file, only the rows
with problems, each cell as the file held it, 原行号 first and 错误说明 last — and itself a file
the import reads again with the same columns."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
import xlsxwriter

from frontdesk import i18n
from frontdesk.errors import UserError
from frontdesk.roster.columns import field_for
from frontdesk.roster.errorbook import error_book_message, write_error_book
from frontdesk.roster.header import Table, find_table
from frontdesk.roster.reading import read_book

NOW = datetime(2026, 12, 2, 10, 30)
HEADER = ["序号", "姓名", "公民身份号码", "出生日期", "联系电话", "备注"]


def _roster(path: Path) -> Path:
    """A 人口台账 as offices keep it: a title row, a header, three people."""
    workbook = xlsxwriter.Workbook(str(path))
    ws = workbook.add_worksheet("人口")
    dated = workbook.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_string(0, 0, "丽景街社区实有人口信息表")
    for column, text in enumerate(HEADER):
        ws.write_string(1, column, text)
    # row 3: all right
    ws.write_number(2, 0, 1)
    ws.write_string(2, 1, "张三")
    ws.write_string(2, 2, "141102198503020019")
    ws.write_datetime(2, 3, datetime(1985, 3, 2), dated)
    ws.write_string(2, 4, "13800000000")
    # row 4: an ID number Excel made a number; a note that is a float
    ws.write_number(3, 0, 2)
    ws.write_string(3, 1, "李四")
    ws.write_number(3, 2, 1.41102e17)
    ws.write_string(3, 3, "1985.3.2")
    ws.write_number(3, 4, 13800000001)
    ws.write_number(3, 5, 2.5)
    # row 5: a name that looks like a formula, a wrong check character
    ws.write_number(4, 0, 3)
    ws.write_string(4, 1, "=1+1")
    ws.write_string(4, 2, "141102198503020010")
    ws.write_datetime(4, 3, datetime(1985, 3, 2), dated)
    workbook.close()
    return path


def _table(path: Path) -> Table:
    return find_table(read_book(path), "residents")


PROBLEMS = {4: ["证件号已被当成数字", "日期读不出"], 5: ["证件号不对"]}


def test_only_the_rows_with_problems_each_cell_as_it_was(tmp_path: Path) -> None:
    source = _roster(tmp_path / "人口台账.xlsx")
    written = write_error_book(source, _table(source), PROBLEMS, now=NOW)
    assert written == tmp_path / "人口台账-错误-20261202-1030.xlsx"
    rows = read_book(written).sheets[0].rows
    assert read_book(written).sheets[0].name == "人口"
    assert rows[0] == ["原行号", *HEADER, "错误说明"]
    assert rows[1] == [4, 2, "李四", 141102000000000000, "1985.3.2", 13800000001, 2.5,
                       "证件号已被当成数字；日期读不出"]  # fmt: skip
    assert isinstance(rows[1][6], float)  # a float stays a float
    assert rows[2] == [5, 3, "=1+1", "141102198503020010", date(1985, 3, 2), None, None,
                       "证件号不对"]  # fmt: skip
    assert isinstance(rows[2][3], str)  # an ID number stays text
    assert len(rows) == 3  # the good row is not there


def test_no_formula_header_frozen_problems_wrapped(tmp_path: Path) -> None:
    source = _roster(tmp_path / "人口台账.xlsx")
    written = write_error_book(source, _table(source), PROBLEMS, now=NOW)
    with zipfile.ZipFile(written) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        styles = archive.read("xl/styles.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml
    assert 'ySplit="1"' in xml  # the header stays in view
    assert 'wrapText="1"' in styles
    # the ID column (D, after 原行号) is text to the bottom, so what the clerk types stays typed
    assert column_format(xml, styles, 4) == "@"
    assert column_format(xml, styles, 8) is None  # 错误说明: highlighted where it says something
    widths = {
        int(n): float(w) for n, w in re.findall(r'<col min="(\d+)" max="\1" width="([\d.]+)"', xml)
    }
    assert widths[8] >= 60  # 错误说明: wide, wrapping
    assert widths[5] >= 11  # 出生日期: a date fits


def column_format(xml: str, styles: str, column: int) -> str | None:
    """The number format a whole column (1-based) has, from the sheet's and the styles' XML."""
    tag = re.search(rf'<col min="{column}" max="{column}"[^>]*/>', xml)
    assert tag, xml[:1500]
    found = re.search(r'style="(\d+)"', tag.group(0))
    if found is None:
        return None
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert xfs is not None
    xf = re.findall(r"<xf [^>]*>", xfs.group(1))[int(found.group(1))]
    number = re.search(r'numFmtId="(\d+)"', xf)
    assert number is not None
    if number.group(1) == "49":
        return "@"
    code = re.search(rf'<numFmt numFmtId="{number.group(1)}" formatCode="([^"]*)"', styles)
    return code.group(1) if code else number.group(1)


def test_it_imports_again_with_the_same_columns(tmp_path: Path) -> None:
    source = _roster(tmp_path / "人口台账.xlsx")
    table = _table(source)
    again = _table(write_error_book(source, table, PROBLEMS, now=NOW))
    assert again.unknown == []
    assert {column - 1: key for column, key in again.fields.items()} == table.fields
    assert [number for number, _cells in again.rows] == [2, 3]


def test_the_two_columns_are_ignored_on_purpose() -> None:
    for header in ("原行号", "错误说明", "Original row", "Problems"):
        assert field_for("residents", header) == ""
        assert field_for("places", header) == ""


def test_a_two_row_header_comes_back_as_the_names_the_import_read(tmp_path: Path) -> None:
    source = tmp_path / "台账.xlsx"
    workbook = xlsxwriter.Workbook(str(source))
    ws = workbook.add_worksheet()
    ws.write_string(0, 0, "姓名")
    ws.merge_range(0, 1, 0, 4, "居住地址")
    for column, text in enumerate(["小区", "楼栋", "单元", "门牌号"], start=1):
        ws.write_string(1, column, text)
    ws.write_row(2, 0, ["王五", "宏泰学府苑", "3", "2", "1001"])
    workbook.close()
    table = _table(source)
    assert table.header_rows == 2
    again = _table(write_error_book(source, table, {3: ["没有这栋楼"]}, now=NOW))
    assert {column - 1: key for column, key in again.fields.items()} == table.fields
    assert again.unknown == []


def test_never_over_an_earlier_one(tmp_path: Path) -> None:
    source = _roster(tmp_path / "人口台账.xlsx")
    table = _table(source)
    first = write_error_book(source, table, PROBLEMS, now=NOW)
    before = first.read_bytes()
    second = write_error_book(source, table, {5: ["另一次"]}, now=NOW)
    third = write_error_book(source, table, {5: ["再一次"]}, now=NOW)
    assert second.name == "人口台账-错误-20261202-1030-2.xlsx"
    assert third.name == "人口台账-错误-20261202-1030-3.xlsx"
    assert first.read_bytes() == before


def test_a_folder_that_cannot_be_written_sends_it_to_the_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _roster(tmp_path / "人口台账.xlsx")
    table = _table(source)
    blocked = tmp_path / "只读"
    blocked.write_text("a file where the folder would be")  # nothing can be made inside it
    exports = tmp_path / "exports"
    monkeypatch.setattr("frontdesk.audit.export.export_folder", lambda: exports)
    moved = blocked / "人口台账.xlsx"
    written = write_error_book(moved, table, PROBLEMS, now=NOW)
    assert written == exports / "人口台账-错误-20261202-1030.xlsx"
    message = error_book_message(moved, written, 2)
    assert str(blocked) in message and str(written) in message
    assert "不能写入" in message
    assert "不能写入" not in error_book_message(source, source.with_name("x.xlsx"), 2)


def test_nowhere_to_write_is_one_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _roster(tmp_path / "人口台账.xlsx")
    table = _table(source)
    blocked = tmp_path / "file"
    blocked.write_text("x")
    monkeypatch.setattr("frontdesk.audit.export.export_folder", lambda: blocked / "exports")
    with pytest.raises(UserError) as raised:
        write_error_book(blocked / "a.xlsx", table, PROBLEMS, now=NOW)
    assert raised.value.key == "roster.error_book_failed"
    assert sorted(tmp_path.iterdir()) == sorted([source, blocked])


def test_no_problem_no_book(tmp_path: Path) -> None:
    source = _roster(tmp_path / "人口台账.xlsx")
    with pytest.raises(ValueError):
        write_error_book(source, _table(source), {3: []}, now=NOW)


def test_english_desk(tmp_path: Path) -> None:
    i18n.set_language("en")
    source = _roster(tmp_path / "roster.xlsx")
    written = write_error_book(source, _table(source), PROBLEMS, now=NOW)
    assert written.name == "roster-problems-20261202-1030.xlsx"
    rows = read_book(written).sheets[0].rows
    assert rows[0][0] == "Original row" and rows[0][-1] == "Problems"
    assert rows[1][-1] == "证件号已被当成数字; 日期读不出"
    assert _table(written).unknown == []
