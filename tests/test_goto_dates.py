"""The rooms screen's go-to-date: what a typed line names, seen from a given today (no Textual)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk import i18n
from frontdesk.bookings.goto import parse_day
from frontdesk.errors import UserError

TODAY = date(2026, 12, 2)  # a Wednesday
days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
ZH_DAYS = "一二三四五六日"


@contextmanager
def use_language(language: str) -> Iterator[None]:
    before = i18n.language()
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(before)


EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-02", date(2027, 3, 2)),
        ("2027/3/2", date(2027, 3, 2)),
        ("2027.03.02", date(2027, 3, 2)),
        ("20270302", date(2027, 3, 2)),
        ("2027年3月2日", date(2027, 3, 2)),
        ("２０２７－０３－０２", date(2027, 3, 2)),  # typed with the IME in full width
        ("3-2", date(2027, 3, 2)),  # from December, March is the coming one
        ("3月2日", date(2027, 3, 2)),
        ("3月2号", date(2027, 3, 2)),
        ("11-28", date(2026, 11, 28)),  # a few days ago, not next year
        ("12-2", TODAY),
        ("+7", date(2026, 12, 9)),
        ("-1", date(2026, 12, 1)),
        ("+7天", date(2026, 12, 9)),
        ("+2周", date(2026, 12, 16)),
        ("今天", TODAY),
        ("明天", date(2026, 12, 3)),
        ("后天", date(2026, 12, 4)),
        ("昨天", date(2026, 12, 1)),
        ("下周一", date(2026, 12, 7)),
        ("下周日", date(2026, 12, 13)),
        ("下星期三", date(2026, 12, 9)),
        ("本周五", date(2026, 12, 4)),
        ("本周一", date(2026, 11, 30)),  # this week's, though past
        ("周三", TODAY),  # the coming Wednesday is today
        ("周二", date(2026, 12, 8)),
        ("星期天", date(2026, 12, 6)),
        (" today ", TODAY),
        ("Tomorrow", date(2026, 12, 3)),
        ("next monday", date(2026, 12, 7)),
        ("next friday", date(2026, 12, 11)),
        ("this friday", date(2026, 12, 4)),
        ("fri", date(2026, 12, 4)),
    ],
)
def test_what_the_desk_types(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


def test_a_day_that_does_not_exist_says_so() -> None:
    with use_language("zh"):
        with pytest.raises(UserError) as refused:
            parse_day("2026-02-30", TODAY)
        assert refused.value.key == "rooms.goto.no_such_day"
        assert str(refused.value) == "没有这一天：2026年2月只有 28 天"
        with pytest.raises(UserError, match="没有这一天"):
            parse_day("2月30日", TODAY)
        with pytest.raises(UserError, match="月份"):
            parse_day("2026-13-01", TODAY)
    with (
        use_language("en"),
        pytest.raises(UserError, match="no such day: month 2 of 2026 has only 28 days"),
    ):
        parse_day("2026-02-30", TODAY)


@pytest.mark.parametrize("text", ["", "  ", "下下周", "abc", "3-", "+", "2026-02", "monday next"])
def test_what_cannot_be_read_is_refused_with_examples(text: str) -> None:
    with use_language("zh"), pytest.raises(UserError) as refused:
        parse_day(text, TODAY)
    assert refused.value.key == "rooms.goto.unreadable"
    assert "2027-03-02" in str(refused.value)


def test_too_far_is_refused_not_crashed() -> None:
    with pytest.raises(UserError) as refused:
        parse_day("+999999", TODAY)
    assert refused.value.key == "rooms.goto.too_far"


def test_29_february_without_a_year_finds_the_nearest_leap_year() -> None:
    assert parse_day("2-29", TODAY) == date(2028, 2, 29)
    assert parse_day("2024-02-29", TODAY) == date(2024, 2, 29)


# ------------------------------------------------------------------------------- the rules


@given(days, days)
def test_an_iso_date_is_itself_from_any_today(day: date, today: date) -> None:
    assert parse_day(day.isoformat(), today) == day
    assert parse_day(f"{day.year}年{day.month}月{day.day}日", today) == day
    assert parse_day(f"{day:%Y%m%d}", today) == day


@given(days, st.integers(-1000, 1000))
def test_a_number_of_days_moves_that_many(today: date, count: int) -> None:
    assert parse_day(f"{count:+d}", today) == today + timedelta(days=count)
    assert parse_day(f"{count:+d}天", today) == today + timedelta(days=count)


@given(days, st.integers(0, 6))
def test_weekdays_land_on_their_weekday(today: date, weekday: int) -> None:
    coming = parse_day(f"周{ZH_DAYS[weekday]}", today)
    assert coming.weekday() == weekday and 0 <= (coming - today).days < 7
    assert parse_day(EN_DAYS[weekday], today) == coming
    following = parse_day(f"下周{ZH_DAYS[weekday]}", today)
    assert following.weekday() == weekday and following > today
    monday = today - timedelta(days=today.weekday())
    assert monday + timedelta(days=7) <= following < monday + timedelta(days=14)
    assert parse_day(f"next {EN_DAYS[weekday]}", today) == following
    this_week = parse_day(f"本周{ZH_DAYS[weekday]}", today)
    assert this_week.weekday() == weekday and monday <= this_week < monday + timedelta(days=7)


@given(days, days)
def test_a_day_without_its_year_is_the_nearest_of_that_name(day: date, today: date) -> None:
    found = parse_day(f"{day.month}-{day.day}", today)
    assert (found.month, found.day) == (day.month, day.day)
    if (day.month, day.day) != (2, 29):
        assert abs((found - today).days) <= 183
    assert parse_day(f"{day.month}月{day.day}日", today) == found
