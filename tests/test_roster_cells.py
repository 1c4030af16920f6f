"""Roster cells as a clerk wrote them, or as Excel left them (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.i18n import _
from frontdesk.idcards import is_valid, make_id
from frontdesk.roster.cells import EXCEL_EPOCH, read_date, read_id_number

LISHI = "141102"  # 离石区
births = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2026, 11, 29))
numbers = st.builds(make_id, st.just(LISHI), births, st.integers(0, 999))


@given(numbers)
def test_an_id_number_written_as_text_reads_as_it_is(number: str) -> None:
    assert read_id_number(number).value == number
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in number)  # typed with a Chinese IME
    assert read_id_number(f" {fullwidth[:6]} {fullwidth[6:]} ").value == number
    assert read_id_number(number.lower()).value == number  # a small x


@given(numbers)
def test_an_id_number_excel_made_a_number_is_refused_with_the_way_out(number: str) -> None:
    """A number cell is refused whatever it holds; the text Excel shows for one keeps 15
    significant digits (141102198503021000) or goes to an exponent (1.41102E+17)."""
    if not number.isdigit():
        return  # ends in X: Excel keeps it as text
    as_float = float(number)
    shown = number[:15] + "000"
    for cell in (as_float, int(number), f"{as_float:.5E}", shown):
        read = read_id_number(cell)
        if cell == shown and read.ok:  # a valid number ending in 000: one cell cannot tell
            assert read.value == shown  # (the import looks at the whole column for that)
            continue
        assert read.problem == "roster.id_was_a_number", (cell, read)
    said = _("roster.id_was_a_number", value="1.41102E+17")
    assert "文本" in said and read_id_number("1.41102E+17").problem == "roster.id_was_a_number"


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)), st.integers(0, 999)
)
def test_a_15_digit_number_becomes_its_18_digit_form(born: dt.date, seq: int) -> None:
    full = make_id(LISHI, born, seq)
    old = full[:6] + full[8:17]  # before 1999: no century, no check character
    read = read_id_number(old)
    assert read.value == full and is_valid(full)


def test_a_wrong_number_says_so() -> None:
    number = make_id(LISHI, dt.date(1985, 3, 2), 123)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert read_id_number(wrong).problem == "roster.id_invalid"
    assert read_id_number("").value is None and read_id_number(None).ok


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2099, 12, 31)))
def test_dates_in_every_way_a_roster_writes_them(day: dt.date) -> None:
    serial = (day - EXCEL_EPOCH).days
    for cell in (
        serial,
        float(serial),
        day,
        dt.datetime.combine(day, dt.time(8, 0)),
        day.isoformat(),
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
    ):
        assert read_date(cell).value == day, cell


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("1985-02-30", "date.no_such_day"),
        ("1985-13-01", "roster.date_unreadable"),
        ("去年", "roster.date_unreadable"),
        (3.5, "roster.date_unreadable"),
        (10, "roster.date_unreadable"),  # 1900-01-10: Excel's broken early serials
    ],
)
def test_dates_that_are_not_dates(cell: object, problem: str) -> None:
    assert read_date(cell).problem == problem
