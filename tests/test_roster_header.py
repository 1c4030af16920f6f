"""The header found wherever it is, and each column mapped to its field (issue 13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from frontdesk.errors import UserError
from frontdesk.roster.columns import FIELDS, building_kind, field_for, header_key
from frontdesk.roster.header import find_table
from frontdesk.roster.reading import Book, Sheet, read_book
from frontdesk.vocabulary import BuildingKind


def book_of(*sheets: tuple[str, list[list[object]]]) -> Book:
    return Book(Path("人口.xlsx"), "0" * 64, [Sheet(name, rows) for name, rows in sheets])


def test_a_real_layout_title_rows_a_notes_sheet_and_a_two_row_header(tmp_path: Path) -> None:
    """Row 1 a title merged across, row 2 填报单位, rows 3–4 a header whose 居住地址 spans
    小区 / 楼栋 / 单元 / 门牌号 and whose other cells are merged down; a 说明 sheet first."""
    path = tmp_path / "丽景街社区实有人口.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    notes = workbook.add_worksheet("说明")
    notes.write(0, 0, "填表说明：姓名必填；身份证号请设为文本格式")
    notes.write(1, 0, "姓名")  # one known word alone is no header
    sheet = workbook.add_worksheet("实有人口")
    sheet.merge_range("A1:I1", "丽景街社区实有人口信息表")
    sheet.merge_range("A2:I2", "填报单位：丽景街社区居委会    日期：2026年11月")
    for column, text in enumerate(["序号", "姓名", "公民身份\n号码*"]):
        sheet.merge_range(2, column, 3, column, text)
    sheet.merge_range("D3:G3", "居住地址")
    sheet.write_row(3, 3, ["小区", "楼栋", "单元", "门牌号"])
    sheet.merge_range("H3:H4", "联系电话（必填）")
    sheet.merge_range("I3:I4", "政治面貌")
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(4, 0, [1, "张三", "141102198503021234", "宏泰学府苑", 3, 2, 1001, 13812345678])
    sheet.write_row(5, 0, [2, "李四", "141102199001011235", "宏泰学府苑", 3, 2, 1001])
    sheet.write_datetime(5, 8, dt.datetime(2020, 1, 1), dates)
    sheet.write(7, 0, "合计")
    sheet.write(7, 1, "2人")
    sheet.write(8, 0, "填表人：王五")
    sheet.write(20, 0, "")  # a trailing empty row
    workbook.close()

    table = find_table(read_book(path), "residents")
    assert table.sheet == "实有人口"
    assert table.header_row == 3 and table.header_rows == 2
    assert table.headers[:8] == [
        "序号",
        "姓名",
        "公民身份\n号码*",
        "小区",
        "楼栋",
        "单元",
        "门牌号",
        "联系电话（必填）",
    ]
    assert table.fields == {
        1: "name",
        2: "id_number",
        3: "compound",
        4: "building",
        5: "unit",
        6: "flat",
        7: "phone",
    }
    assert table.unknown == ["政治面貌"]  # listed, not dropped; 序号 left out on purpose
    assert [number for number, _ in table.rows] == [5, 6]
    first = table.rows[0][1]
    assert first[1] == "张三" and first[4] == 3 and first[7] == 13812345678
    assert len(first) == len(table.headers)  # padded: every mapped column can be indexed
    assert table.skipped == [(8, "合计 2人"), (9, "填表人：王五")]


def test_a_one_row_header_under_a_title_with_english_and_marked_headers() -> None:
    rows: list[list[object]] = [
        ["Residents of 丽景街"],
        [],
        ["Name *", "ID number", "Date of birth", "Phone", "Household No.", "Relation to head"],
        ["Zhang San", "141102198503021234", dt.date(1985, 3, 2), "13812345678", "H-1", "户主"],
    ]
    table = find_table(book_of(("Sheet1", rows)), "residents")
    assert table.header_row == 3 and table.header_rows == 1
    assert table.fields == {
        0: "name",
        1: "id_number",
        2: "birth_date",
        3: "phone",
        4: "household_number",
        5: "relation",
    }
    assert table.rows == [(4, rows[3])]


def test_the_first_row_of_data_is_not_taken_for_a_second_header_row() -> None:
    """A data row whose cells happen to name fields (户主, 小区) stays data."""
    rows: list[list[object]] = [
        ["姓名", "与户主关系", "小区", "备注"],
        ["张三", "户主", "小区", "网格"],
        ["李四", "配偶", "宏泰学府苑", None],
    ]
    table = find_table(book_of(("人口", rows)), "residents")
    assert table.header_rows == 1
    assert [number for number, _ in table.rows] == [2, 3]


def test_the_best_sheet_wins_and_a_named_sheet_is_used() -> None:
    people: list[list[object]] = [["姓名", "性别", "身份证号"], ["张三", "男", "x"]]
    few: list[list[object]] = [["姓名", "电话"], ["李四", "1"]]
    book = book_of(("说明", [["本表说明"]]), ("草稿", few), ("人口", people))
    assert find_table(book, "residents").sheet == "人口"
    assert find_table(book, "residents").other_sheets == ["草稿"]  # said, not dropped
    assert find_table(book, "residents", sheet="人口").other_sheets == []
    assert find_table(book, "residents", sheet="草稿").sheet == "草稿"
    with pytest.raises(UserError) as caught:
        find_table(book, "residents", sheet="Sheet9")
    assert caught.value.key == "roster.sheet_unknown"
    assert "说明、草稿、人口" in str(caught.value)


def test_a_notes_sheet_showing_the_header_and_an_example_loses_to_the_data() -> None:
    header: list[object] = ["姓名", "性别", "公民身份号码"]
    notes: list[list[object]] = [["填写示例："], header, ["张三（示例）", "男", "1411..."]]
    people: list[list[object]] = [header]
    people += [[f"居民{n}", "女", None] for n in range(5)]
    table = find_table(book_of(("说明", notes), ("人口", people)), "residents")
    assert table.sheet == "人口" and len(table.rows) == 5
    assert table.other_sheets == ["说明"]


def test_no_recognisable_header_says_what_it_expects() -> None:
    cases: list[list[list[object]]] = [
        [["编号", "品名", "数量"], [1, "苹果", 3]],
        [["性别", "民族", "电话"], ["男", "汉族", "1"]],  # fields, but no 姓名
        [["姓名"], ["张三"]],  # 姓名 alone
    ]
    for rows in cases:
        with pytest.raises(UserError) as caught:
            find_table(book_of(("Sheet1", rows)), "residents")
        assert caught.value.key == "roster.no_header"
        assert "姓名" in str(caught.value) and "公民身份号码" in str(caught.value)


def test_two_columns_for_one_field_the_first_wins_and_the_other_is_listed() -> None:
    rows: list[list[object]] = [
        ["姓名", "联系电话", "手机号码"],
        ["张三", "0358-1234567", "13812345678"],
    ]
    table = find_table(book_of(("人口", rows)), "residents")
    assert table.fields == {0: "name", 1: "phone"}
    assert table.duplicates == {"手机号码": "phone"}
    assert table.unknown == ["手机号码"]


def test_a_mapping_goes_before_the_automatic_one() -> None:
    rows: list[list[object]] = [
        ["姓名", "联系电话", "手机号码", "所在楼", "政治面貌"],
        ["张三", "0358-1234567", "13812345678", "3", "群众"],
    ]
    mapping = {"联系电话": "", "所在楼": "building", "政治面貌": "notes"}
    table = find_table(book_of(("人口", rows)), "residents", mapping=mapping)
    assert table.fields == {0: "name", 2: "phone", 3: "building", 4: "notes"}
    assert table.unknown == [] and table.duplicates == {}


def test_a_mapping_finds_a_header_of_unusual_names() -> None:
    rows: list[list[object]] = [["居民", "证件"], ["张三", "141102198503021234"]]
    with pytest.raises(UserError):
        find_table(book_of(("人口", rows)), "residents")
    table = find_table(
        book_of(("人口", rows)), "residents", mapping={"居民": "name", "证件": "id_number"}
    )
    assert table.fields == {0: "name", 1: "id_number"}


def test_empty_rows_a_repeated_header_and_a_row_of_column_numbers_are_skipped() -> None:
    rows: list[list[object]] = [
        ["姓名", "性别", "民族"],
        [1, 2, 3],
        ["张三", "男", "汉族"],
        [],
        ["姓名", "性别", "民族"],
        ["李四", "女", "回族"],
    ]
    table = find_table(book_of(("人口", rows)), "residents")
    assert [number for number, _ in table.rows] == [3, 6]


def test_a_column_with_data_but_no_header_is_listed_by_its_letter() -> None:
    rows: list[list[object]] = [["姓名", "性别"], ["张三", "男", None, "见附件"]]
    table = find_table(book_of(("人口", rows)), "residents")
    assert table.unknown == ["(D)"]
    assert table.rows[0][1] == ["张三", "男", None, "见附件"]


def test_places_and_rooms_have_their_headers() -> None:
    places: list[list[object]] = [
        ["丽景街社区楼栋台账"],
        ["小区", "楼栋", "单元数", "层数", "每层户数", "网格", "楼型"],
        ["宏泰学府苑", 3, 2, 18, 4, "8-1", "电梯"],
    ]
    table = find_table(book_of(("楼栋", places)), "places")
    assert set(table.fields.values()) == {
        "compound",
        "building",
        "units",
        "floors",
        "flats_per_floor",
        "grid",
        "kind",
    }
    rooms: list[list[object]] = [["功能室", "容纳人数", "用途"], ["妇女之家", 20, "培训"]]
    assert find_table(book_of(("功能室", rooms)), "rooms").fields == {
        0: "name",
        1: "capacity",
        2: "purpose",
    }
    assert (
        building_kind("电梯") == BuildingKind.TOWER
        and building_kind(" 步梯 ") == BuildingKind.WALKUP
    )
    assert building_kind("平房") is None


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("公民身份号码", "id_number"),
        (" 身份证号\n码 ", "id_number"),
        ("＊身份证号（必填）", "id_number"),
        ("联系电话(手机)", "phone"),
        ("出生日期（yyyy-mm-dd）", "birth_date"),
        ("ＩＤ Ｎｕｍｂｅｒ", "id_number"),
        ("id number", "id_number"),
        ("与户主关系", "relation"),
        ("现居住地址", "address"),
        ("人口类型", "category"),
        ("重点人群", "tags"),
        ("迁入日期", "moved_in_on"),
        ("联系电话/手机", "phone"),
        ("小区、院落", "compound"),
        ("小区/楼栋", None),  # two fields in one column: not guessed
        ("身份证件号码", "id_number"),
        ("来现住地时间", "moved_in_on"),
        ("Relation to head", "relation"),
        ("Special groups", "tags"),
        ("序号", ""),
        ("政治面貌", None),
        ("", None),
    ],
)
def test_header_names_and_their_forms(header: str, field: str | None) -> None:
    assert field_for("residents", header) == field


def test_every_synonym_of_a_kind_names_one_field() -> None:
    for kind, fields in FIELDS.items():
        seen: dict[str, str] = {}
        for field in fields:
            for name in field.headers:
                key = header_key(name)
                assert seen.setdefault(key, field.key) == field.key, (kind, name)
