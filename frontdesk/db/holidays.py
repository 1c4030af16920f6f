"""China's public holidays and make-up working days (调休), as the State Council announced them.

Shipped with the program: every new database gets these years as ``CalendarDay`` rows (see
``reference``); later years are added in the configuration.
"""

from __future__ import annotations

import datetime as dt

from frontdesk.vocabulary import CalendarDayKind

HOLIDAY = CalendarDayKind.HOLIDAY.value
WORKDAY = CalendarDayKind.WORKDAY.value

# year -> [(first day, last day, name)] of holidays, and [(day, name)] of make-up workdays
HOLIDAYS: dict[int, list[tuple[dt.date, dt.date, str]]] = {
    2025: [
        (dt.date(2025, 1, 1), dt.date(2025, 1, 1), "元旦"),
        (dt.date(2025, 1, 28), dt.date(2025, 2, 4), "春节"),
        (dt.date(2025, 4, 4), dt.date(2025, 4, 6), "清明节"),
        (dt.date(2025, 5, 1), dt.date(2025, 5, 5), "劳动节"),
        (dt.date(2025, 5, 31), dt.date(2025, 6, 2), "端午节"),
        (dt.date(2025, 10, 1), dt.date(2025, 10, 8), "国庆节、中秋节"),
    ],
    2026: [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 3), "元旦"),
        (dt.date(2026, 2, 15), dt.date(2026, 2, 23), "春节"),
        (dt.date(2026, 4, 4), dt.date(2026, 4, 6), "清明节"),
        (dt.date(2026, 5, 1), dt.date(2026, 5, 5), "劳动节"),
        (dt.date(2026, 6, 19), dt.date(2026, 6, 21), "端午节"),
        (dt.date(2026, 9, 25), dt.date(2026, 9, 27), "中秋节"),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 7), "国庆节"),
    ],
}
WORKDAYS: dict[int, list[tuple[dt.date, str]]] = {
    2025: [
        (dt.date(2025, 1, 26), "春节调休"),
        (dt.date(2025, 2, 8), "春节调休"),
        (dt.date(2025, 4, 27), "劳动节调休"),
        (dt.date(2025, 9, 28), "国庆节调休"),
        (dt.date(2025, 10, 11), "国庆节调休"),
    ],
    2026: [
        (dt.date(2026, 1, 4), "元旦调休"),
        (dt.date(2026, 2, 14), "春节调休"),
        (dt.date(2026, 2, 28), "春节调休"),
        (dt.date(2026, 5, 9), "劳动节调休"),
        (dt.date(2026, 9, 20), "国庆节调休"),
        (dt.date(2026, 10, 10), "国庆节调休"),
    ],
}


def days(year: int) -> list[tuple[dt.date, str, str]]:
    """``(day, kind, name)`` for every exception to the Monday–Friday week of ``year``, by day."""
    rows: list[tuple[dt.date, str, str]] = []
    for first, last, name in HOLIDAYS.get(year, []):
        day = first
        while day <= last:
            rows.append((day, HOLIDAY, name))
            day += dt.timedelta(days=1)
    rows.extend((day, WORKDAY, name) for day, name in WORKDAYS.get(year, []))
    rows.sort()
    return rows


def holidays(years: list[int]) -> dict[dt.date, str]:
    """Holiday dates of ``years`` with their names."""
    return {day: name for year in years for day, kind, name in days(year) if kind == HOLIDAY}
