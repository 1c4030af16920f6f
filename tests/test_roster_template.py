"""The empty workbooks to fill in (frontdesk.roster.template), read back as the import reads a
roster: the header found with every column known, the example row right, the ID and phone
columns text to the bottom, the lists offered, a 说明 sheet."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from frontdesk import idcards
from frontdesk.errors import UserError
from frontdesk.residents.validation import ResidentInput, check_fields, phone_ok
from frontdesk.roster.header import find_table
from frontdesk.roster.reading import read_book
from frontdesk.roster.template import (
    PLACE_COLUMNS,
    RESIDENT_COLUMNS,
    ROOM_COLUMNS,
    header_name,
    write_template,
)
from tests.test_roster_errorbook import column_format

LANGUAGES = ("zh", "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_residents_header_found_every_column_known(tmp_path: Path, language: str) -> None:
    path = write_template(tmp_path / "居民.xlsx", "residents", language=language)
    table = find_table(read_book(path), "residents")
    assert table.unknown == [] and table.duplicates == {}
    assert list(table.fields.values()) == list(RESIDENT_COLUMNS)
    assert table.headers == [header_name("residents", k, language) for k in RESIDENT_COLUMNS]
    assert len(table.rows) == 1


def test_chinese_headers_are_the_usual_names(tmp_path: Path) -> None:
    path = write_template(tmp_path / "居民.xlsx", "residents", language="zh")
    expected = "姓名 性别 民族 证件类型 公民身份号码 出生日期 联系电话 紧急联系人 "
    expected += "与户主关系 户号 户主姓名 小区 楼栋 单元 门牌号 人员类别 网格 特殊人群 备注"
    assert find_table(read_book(path), "residents").headers == expected.split(" ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_places_and_rooms(tmp_path: Path, language: str) -> None:
    book = read_book(write_template(tmp_path / "楼栋.xlsx", "places", language=language))
    places = find_table(book, "places")
    rooms = find_table(book, "rooms")
    assert places.unknown == [] and rooms.unknown == []
    assert list(places.fields.values()) == list(PLACE_COLUMNS)
    assert list(rooms.fields.values()) == list(ROOM_COLUMNS)
    assert places.sheet != rooms.sheet
    assert [sheet.name for sheet in book.sheets][1:] == (
        ["功能室", "说明"] if language == "zh" else ["Rooms", "Read me"]
    )
    [(_number, unit)] = places.rows
    assert unit[3:5] == [6, 2]  # floors and flats per floor as numbers


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_example_row_is_a_valid_made_up_person(tmp_path: Path, language: str) -> None:
    path = write_template(tmp_path / "居民.xlsx", "residents", language=language)
    table = find_table(read_book(path), "residents")
    [(_number, cells)] = table.rows
    row = {key: cells[column] for column, key in table.fields.items()}
    id_number = row["id_number"]
    assert isinstance(id_number, str) and idcards.is_valid(id_number)
    assert id_number.startswith("141102")
    assert row["birth_date"] == date(1985, 3, 2) == idcards.birth_date(id_number)
    assert idcards.is_male(id_number) and row["gender"] in ("男", "Male")
    assert isinstance(row["phone"], str) and phone_ok(row["phone"])
    assert "示例" in str(row["notes"]) or "Example" in str(row["notes"])
    person = ResidentInput(
        name=str(row["name"]),
        gender="M",
        birth_date=date(1985, 3, 2),
        id_number=id_number,
        phone=str(row["phone"]),
        relation="head",
        ethnicity=str(row["ethnicity"]),
        notes=str(row["notes"]),
    )
    result = check_fields(person, date(2026, 12, 2))
    assert not result.errors


def test_the_example_row_reads_as_the_import_reads_it(tmp_path: Path) -> None:
    people = pytest.importorskip("frontdesk.roster.people")
    path = write_template(tmp_path / "居民.xlsx", "residents", language="en")
    table = find_table(read_book(path), "residents")
    [(number, cells)] = table.rows
    person = people.read_person(table, number, cells, date(2026, 12, 2))
    assert person.errors == {}
    assert person.person.gender == "M" and person.person.relation == "head"


def test_id_phone_and_household_columns_are_text_to_the_bottom(tmp_path: Path) -> None:
    path = write_template(tmp_path / "居民.xlsx", "residents", language="zh")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        styles = archive.read("xl/styles.xml").decode("utf-8")
    for key in ("id_number", "phone", "household_number"):
        assert column_format(xml, styles, RESIDENT_COLUMNS.index(key) + 1) == "@", key
    assert column_format(xml, styles, RESIDENT_COLUMNS.index("birth_date") + 1) == "yyyy-mm-dd"
    assert "<f>" not in xml and "<f " not in xml
    lists = re.findall(r'<dataValidation type="list"[^>]*sqref="([A-Z]+)3:\1\d+"', xml)
    listed = ("gender", "document_type", "relation", "category")
    letters = {chr(65 + RESIDENT_COLUMNS.index(key)) for key in listed}
    assert set(lists) == letters
    assert '<formula1>"男,女"</formula1>' in xml


def test_the_help_sheet_explains_every_column(tmp_path: Path) -> None:
    book = read_book(write_template(tmp_path / "楼栋.xlsx", "places", language="zh"))
    [help_sheet] = [sheet for sheet in book.sheets if sheet.name == "说明"]
    named = {row[1] for row in help_sheet.rows[2:] if len(row) > 3 and row[3]}
    for key in PLACE_COLUMNS:
        assert header_name("places", key, "zh") in named
    book = read_book(write_template(tmp_path / "居民.xlsx", "residents", language="zh"))
    text = "\n".join(str(cell) for row in book.sheets[-1].rows for cell in row if cell)
    for accepted in ("1985-03-02", "1985.3.2", "1985年3月2日", "文本", "户号", "户主"):
        assert accepted in text


def test_never_over_a_file_and_only_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    path.write_bytes(b"the clerk's own")
    with pytest.raises(UserError):
        write_template(path, "residents", language="zh")
    assert path.read_bytes() == b"the clerk's own"
    with pytest.raises(UserError) as raised:
        write_template(tmp_path / "模板.xls", "residents", language="zh")
    assert raised.value.key == "roster.template_not_xlsx"
    with pytest.raises(ValueError):
        write_template(tmp_path / "x.xlsx", "rooms", language="zh")
