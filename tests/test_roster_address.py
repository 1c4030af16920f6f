"""A 现住址 cell read as compound, building, unit and flat (issue 13)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.roster.address import Address, parse_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("宏泰学府苑3号楼2单元1001", Address("宏泰学府苑", 3, 2, 1001)),
        ("宏泰学府苑3栋2单元1001室", Address("宏泰学府苑", 3, 2, 1001)),
        ("3-2-1001", Address("", 3, 2, 1001)),
        ("3号楼2单元1001", Address("", 3, 2, 1001)),
        ("宏泰学府苑 3-2-1001", Address("宏泰学府苑", 3, 2, 1001)),
        ("宏泰学府苑３号楼２单元１００１", Address("宏泰学府苑", 3, 2, 1001)),
        ("宏泰学府苑３－２－１００１", Address("宏泰学府苑", 3, 2, 1001)),
        ("宏泰学府苑3—2—1001室", Address("宏泰学府苑", 3, 2, 1001)),
        ("三号楼二单元1001", Address("", 3, 2, 1001)),
        ("十二栋十单元302", Address("", 12, 10, 302)),
        ("二十三幢一单元502", Address("", 23, 1, 502)),
        ("宏泰学府苑 3 号楼 2 单元 1001 室", Address("宏泰学府苑", 3, 2, 1001)),
        ("丽景小区5号楼301", Address("丽景小区", 5, None, 301)),
        ("丽景小区5#2单元301", Address("丽景小区", 5, 2, 301)),
        ("世纪88号院3号楼2单元1001室", Address("世纪88号院", 3, 2, 1001)),
        (
            "吕梁市离石区莲花池街道丽景街社区宏泰学府苑3号楼2单元1001",
            Address("宏泰学府苑", 3, 2, 1001),
        ),
        ("山西省吕梁市离石区丽景小区5号楼301", Address("丽景小区", 5, None, 301)),
        ("离石区丽景小区3-2-1001", Address("丽景小区", 3, 2, 1001)),
        ("宏泰学府苑3号楼2单元10层1001", Address("宏泰学府苑", 3, 2, 1001)),
        ("宏泰学府苑3号楼2单元1001室（租户）", Address("宏泰学府苑", 3, 2, 1001)),
        ("城市花园3-2-1001", Address("城市花园", 3, 2, 1001)),  # one 市 alone is kept
        ("高新园区锦绣苑3-2-1001", Address("高新园区锦绣苑", 3, 2, 1001)),  # 园区 is no district
    ],
)
def test_the_usual_ways_of_writing_an_address(text: str, expected: Address) -> None:
    assert parse_address(text) == expected


@pytest.mark.parametrize("text", ["丽景小区", "", "3号楼", "1001", "3-2", None, 3021001, "见备注"])
def test_what_is_not_an_address(text: object) -> None:
    assert parse_address(text) is None


CN = "零一二三四五六七八九"


def chinese(number: int) -> str:
    if number < 10:
        return CN[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


STYLES = [
    lambda c, b, u, f: f"{c}{b}号楼{u}单元{f}",
    lambda c, b, u, f: f"{c}{b}栋{u}单元{f}室",
    lambda c, b, u, f: f"{c}{b}幢{u}单元{f}号",
    lambda c, b, u, f: f"{c}{b}-{u}-{f}",
    lambda c, b, u, f: f"{c} {b}-{u}-{f}",
    lambda c, b, u, f: f"{c}{chinese(b)}号楼{chinese(u)}单元{f}",
    lambda c, b, u, f: fullwidth(f"{c}{b}号楼{u}单元{f}"),
    lambda c, b, u, f: fullwidth(f"{c}{b}-{u}-{f}"),
    lambda c, b, u, f: f"吕梁市离石区莲花池街道丽景街社区{c}{b}号楼{u}单元{f}",
]
# the characters compound names are made of (no digits, numerals or administrative words)
compounds = st.text(
    alphabet="宏泰学府苑丽景花园新锦绣名都御龙湖阳光华庭家佳和苑嘉盛世", min_size=1, max_size=8
)


@given(
    compounds,
    st.integers(1, 99),
    st.integers(1, 9),
    st.integers(101, 3404),
    st.sampled_from(range(len(STYLES))),
)
def test_any_compound_and_numbers_in_each_style_read_back(
    compound: str, building: int, unit: int, flat: int, style: int
) -> None:
    text = STYLES[style](compound, building, unit, flat)
    assert parse_address(text) == Address(compound, building, unit, flat), text
