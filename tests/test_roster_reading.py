"""Roster files read into rows whatever they are called, and one plain message for a file that
is not a roster (issue 13, "Formats" and "Bad files")."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import odf.opendocument
import odf.table
import odf.text
import pytest
import xlsxwriter
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.roster.reading import Book, read_book

HEADER: list[object] = ["姓名", "性别", "公民身份号码", "出生日期", "联系电话"]
ROW: list[object] = ["张三", "男", "141102198503021234", dt.date(1985, 3, 2), 13812345678]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dates)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path


def raises_key(path: Path, key: str) -> UserError:
    with pytest.raises(UserError) as caught:
        read_book(path)
    assert caught.value.key == key
    assert str(caught.value) != key  # the catalog has it
    return caught.value


def test_an_xlsx_keeps_row_numbers_types_and_drops_trailing_empties(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        {
            "说明": [["请按模板填写"]],
            "人口": [[], ["实有人口信息表"], HEADER, ROW, [], [None, None]],
        },
    )
    book = read_book(path)
    assert book.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert book.path == path
    assert [sheet.name for sheet in book.sheets] == ["说明", "人口"]
    rows = book.sheets[1].rows
    assert rows[0] == [None] * 5  # an empty row keeps its place: row 2 is rows[1]
    assert rows[1] == ["实有人口信息表", None, None, None, None]  # as wide as the sheet
    assert rows[2] == HEADER
    assert rows[3] == ROW  # a whole number is an int, a date a date
    assert isinstance(rows[3][4], int)
    assert len(rows) == 4  # trailing empty rows dropped


def test_a_merged_title_is_its_value_in_the_first_cell(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("表")
    sheet.merge_range("A1:E1", "丽景街社区实有人口信息表")
    sheet.write_row(2, 0, HEADER)
    book.close()
    rows = read_book(path).sheets[0].rows
    assert rows[0] == ["丽景街社区实有人口信息表", None, None, None, None]


def test_a_table_that_starts_further_right_and_down_keeps_its_places(tmp_path: Path) -> None:
    """calamine's rows start at row 1 but at the first column used: put back where they are."""
    path = write_xlsx(
        tmp_path / "offset.xlsx",
        {"人口": [[], [], [None, None, "姓名", "性别"], [None, None, "张三"]]},
    )
    assert read_book(path).sheets[0].rows == [
        [None] * 4,
        [None] * 4,
        [None, None, "姓名", "性别"],
        [None, None, "张三", None],
    ]
    xls = tmp_path / "offset.xls"
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("人口")
    sheet.write(3, 2, "姓名")
    sheet.write(4, 3, 1.5)
    workbook.save(str(xls))
    assert read_book(xls).sheets[0].rows[3:] == [
        [None, None, "姓名", None],
        [None, None, None, 1.5],
    ]


def test_an_xls_and_an_ods_read_like_an_xlsx(tmp_path: Path) -> None:
    xls = tmp_path / "old.xls"
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("人口")
    for c, value in enumerate(HEADER):
        sheet.write(1, c, value)
    sheet.write(2, 0, "张三")
    sheet.write(2, 4, 13812345678)
    sheet.write(2, 3, dt.datetime(1985, 3, 2), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    workbook.save(str(xls))
    rows = read_book(xls).sheets[0].rows
    assert rows[1] == HEADER
    assert rows[2][0] == "张三" and rows[2][4] == 13812345678
    assert rows[2][3] in (dt.date(1985, 3, 2), dt.datetime(1985, 3, 2))

    ods = tmp_path / "calc.ods"
    document = odf.opendocument.OpenDocumentSpreadsheet()
    table = odf.table.Table(name="人口")
    for values in (HEADER, ["李四", "女"]):
        row = odf.table.TableRow()
        for value in values:
            cell = odf.table.TableCell(valuetype="string")
            cell.addElement(odf.text.P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(ods))
    book = read_book(ods)
    assert book.sheets[0].name == "人口"
    assert book.sheets[0].rows == [HEADER, ["李四", "女", None, None, None]]


CSV_TEXT = "丽景街社区人口表\n姓名,性别,公民身份号码\n张三,男,141102198503021234\n李四,女,\n\n"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("gbk", ","),
        ("gb18030", "\t"),
        ("utf-8", ";"),
        ("gbk", "\t"),
    ],
)
def test_a_csv_in_each_encoding_and_delimiter(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(CSV_TEXT.replace(",", delimiter).encode(encoding))
    rows = read_book(path).sheets[0].rows
    assert rows == [
        ["丽景街社区人口表", None, None],
        ["姓名", "性别", "公民身份号码"],
        ["张三", "男", "141102198503021234"],  # text stays text: the ID keeps its digits
        ["李四", "女", None],
    ]


def test_a_quoted_csv_cell_with_commas_and_a_line_break(tmp_path: Path) -> None:
    path = tmp_path / "roster.txt"
    path.write_text('姓名,备注\n张三,"腿脚不便,\n需上门"\n', encoding="utf-8")
    assert read_book(path).sheets[0].rows[1] == ["张三", "腿脚不便,\n需上门"]


def test_the_content_decides_not_the_name(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "real.xlsx", {"人口": [HEADER, ROW]})
    renamed = tmp_path / "named.xls"
    renamed.write_bytes(xlsx.read_bytes())
    assert read_book(renamed).sheets[0].rows == [HEADER, ROW]
    csv_as_xls = tmp_path / "export.xls"
    csv_as_xls.write_bytes(CSV_TEXT.encode("gbk"))
    assert read_book(csv_as_xls).sheets[0].rows[1] == ["姓名", "性别", "公民身份号码"]


def test_an_html_table_named_xls_is_read(tmp_path: Path) -> None:
    """What some grid platforms export as .xls: an HTML table (a colspan keeps its text in its
    first column)."""
    html = (
        '<html><head><meta charset="gbk"></head><body><table>'
        '<tr><td colspan="3">实有人口信息表</td></tr>'
        "<tr><th>姓名</th><th>性别</th><th>公民身份号码</th></tr>"
        "<tr><td>张三</td><td>男</td><td>141102198503021234</td></tr>"
        "<tr><td>李&nbsp;四</td><td></td><td>&#49;4</td></tr>"
        "</table></body></html>"
    )
    path = tmp_path / "platform.xls"
    path.write_bytes(html.encode("gbk"))
    assert read_book(path).sheets[0].rows == [
        ["实有人口信息表", None, None],
        ["姓名", "性别", "公民身份号码"],
        ["张三", "男", "141102198503021234"],
        ["李 四", None, "14"],
    ]


def test_utf16_text_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(CSV_TEXT.replace(",", "\t").encode("utf-16"))  # with its BOM
    assert read_book(path).sheets[0].rows[2] == ["张三", "男", "141102198503021234"]


def test_an_excel_2003_xml_workbook_named_xls_is_read(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" encoding="gb2312"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">见下页</Data></Cell>'
        "</Row></Table></Worksheet>"
        '<Worksheet ss:Name="人口"><Table>'
        '<Row><Cell ss:MergeAcross="2"><Data ss:Type="String">实有人口</Data></Cell>'
        '<Cell><Data ss:Type="String">备注</Data></Cell></Row>'
        '<Row ss:Index="3"><Cell ss:Index="2"><Data ss:Type="String">姓名</Data></Cell>'
        '<Cell><Data ss:Type="Number">12</Data></Cell>'
        '<Cell><Data ss:Type="DateTime">1985-03-02T00:00:00.000</Data></Cell></Row>'
        "</Table></Worksheet></Workbook>"
    )
    path = tmp_path / "platform.xls"
    path.write_bytes(xml.encode("gb2312"))
    book = read_book(path)
    assert [sheet.name for sheet in book.sheets] == ["说明", "人口"]
    assert book.sheets[1].rows == [
        ["实有人口", None, None, "备注"],
        [None, None, None, None],
        [None, "姓名", 12, dt.date(1985, 3, 2)],
    ]
    entities = tmp_path / "entities.xls"
    entities.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Workbook '
        'xmlns="urn:schemas-microsoft-com:office:spreadsheet">&a;</Workbook>',
        encoding="utf-8",
    )
    raises_key(entities, "roster.not_a_spreadsheet")


def test_a_text_starting_with_pk_is_text_and_a_word_file_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "pk.csv"
    path.write_text("PKU校友,性别\n张三,男\n", encoding="utf-8")
    assert read_book(path).sheets[0].rows[0] == ["PKU校友", "性别"]
    doc = tmp_path / "letter.xls"
    doc.write_bytes(_ole_with("WordDocument"))
    raises_key(doc, "roster.not_a_spreadsheet")


# 64 bytes that, written into the Workbook stream of the .xls below, make calamine ask for 90 TB
# of memory and Rust abort its process (found by fuzzing; it would take the desk with it)
ABORTS_CALAMINE = bytes.fromhex(
    "ab0201390b58f23e85e6955af7abb4cc8a49919b50f3ba9fd5316a263e8e9fba"
    "e26912a8a82d2ebd3b3bc71dec331b2a752b9719e132f6331d608973f71eb2dd"
)


def test_a_file_that_makes_calamine_abort_is_only_a_damaged_file(tmp_path: Path) -> None:
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("人口")
    for r in range(30):
        sheet.write(r, 0, "张三")
        sheet.write(r, 1, r)
    good = tmp_path / "good.xls"
    workbook.save(str(good))
    data = bytearray(good.read_bytes())
    assert read_book(good).sheets[0].rows[29] == ["张三", 29]
    data[1550:1614] = ABORTS_CALAMINE
    bad = tmp_path / "bad.xls"
    bad.write_bytes(bytes(data))
    raises_key(bad, "roster.damaged")


def test_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    error = raises_key(tmp_path / "nothing.xlsx", "roster.file_not_found")
    assert "nothing.xlsx" in str(error)
    raises_key(tmp_path, "roster.file_unreadable")


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "0" in str(raises_key(path, "roster.file_empty"))


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    png = tmp_path / "photo.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    raises_key(png, "roster.not_a_spreadsheet")
    docx = tmp_path / "letter.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    docx.write_bytes(buffer.getvalue())
    raises_key(docx, "roster.not_a_spreadsheet")
    page = tmp_path / "page.xls"
    page.write_text("<html><body><p>登录已过期</p></body></html>", encoding="utf-8")
    raises_key(page, "roster.not_a_spreadsheet")


def test_a_damaged_workbook(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "whole.xlsx", {"人口": [HEADER, ROW]})
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(xlsx.read_bytes()[:700])  # a download that stopped
    raises_key(cut, "roster.damaged")


def _ole_with(stream_name: str) -> bytes:
    """An OLE compound file's first sectors: the header and a directory entry named so."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = stream_name.encode("utf-16-le") + b"\x00\x00"
    return header + entry.ljust(128, b"\x00") + b"\x00" * 1024


def test_a_password_protected_workbook_says_to_remove_the_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(_ole_with("EncryptedPackage"))
    assert "密码" in str(raises_key(path, "roster.password"))


def test_an_xls_with_a_password_says_to_remove_it(tmp_path: Path) -> None:
    """xlwt writes no password: its record after BOF (INTERFACEHDR) is made a FILEPASS."""
    workbook = xlwt.Workbook()
    workbook.add_sheet("人口").write(0, 0, "姓名")
    path = tmp_path / "locked.xls"
    workbook.save(str(path))
    data = bytearray(path.read_bytes())
    at = data.index(bytes.fromhex("0908100000060500")) + 20
    assert data[at : at + 2] == b"\xe1\x00"
    data[at : at + 2] = b"\x2f\x00"
    path.write_bytes(bytes(data))
    raises_key(path, "roster.password")


def test_an_ods_with_a_password_says_to_remove_it(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:file-entry manifest:full-path="content.xml">'
            '<manifest:encryption-data manifest:checksum-type="SHA1"/></manifest:file-entry>',
        )
        archive.writestr("content.xml", bytes(range(256)))
    path = tmp_path / "locked.ods"
    path.write_bytes(buffer.getvalue())
    raises_key(path, "roster.password")


def test_a_wps_et_file_says_to_save_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "台账.et"
    path.write_bytes(_ole_with("WpsContent"))
    assert "另存为" in str(raises_key(path, "roster.wps_et"))
    text_et = tmp_path / "text.et"
    text_et.write_text("姓名,性别\n", encoding="utf-8")
    raises_key(text_et, "roster.wps_et")


def test_a_workbook_without_any_cell(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "blank.xlsx", {"Sheet1": [], "Sheet2": [[None]]})
    raises_key(path, "roster.workbook_empty")
    blank = tmp_path / "blank.csv"
    blank.write_text("\n , \n\n", encoding="utf-8")
    raises_key(blank, "roster.workbook_empty")


def test_the_messages_exist_in_english_too(tmp_path: Path) -> None:
    from frontdesk import i18n

    i18n.set_language("en")
    path = tmp_path / "locked.xlsx"
    path.write_bytes(_ole_with("EncryptedPackage"))
    assert "password" in str(raises_key(path, "roster.password"))
    assert _("roster.wps_et", name="a.et").startswith("a.et is in WPS")


SUFFIXES = [".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".et", ""]
GARBAGE_STARTS = [
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"<html><table>",
    b"\xef\xbb\xbf",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(SUFFIXES), st.sampled_from(GARBAGE_STARTS), st.binary(max_size=2000))
def test_any_bytes_give_a_book_or_a_message(
    tmp_path: Path, suffix: str, start: bytes, data: bytes
) -> None:
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(start + data)
    try:
        book = read_book(path)
    except UserError as error:
        assert str(error)
    else:
        assert isinstance(book, Book)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from([".xlsx", ".xls"]), st.integers(0, 10_000), st.binary(min_size=1, max_size=64)
)
def test_a_real_workbook_with_bytes_overwritten_gives_a_book_or_a_message(
    tmp_path: Path, suffix: str, at: int, junk: bytes
) -> None:
    path = write_xlsx(tmp_path / "good.xlsx", {"人口": [HEADER, ROW, ROW]})
    data = bytearray(path.read_bytes())
    at %= len(data)
    data[at : at + len(junk)] = junk
    damaged = tmp_path / f"damaged{suffix}"
    damaged.write_bytes(bytes(data))
    try:
        read_book(damaged)
    except UserError as error:
        assert str(error)
