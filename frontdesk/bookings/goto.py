"""The day a typed line names, for the rooms screen's go-to-date (``g``): no Textual, no database.

Understood, relative to ``today`` (the desk's clock), full-width characters as well:

- a date: ``2027-03-02`` (also ``/`` or ``.``, or ``20270302``), ``2027年3月2日``;
- a day without a year: ``3-2``, ``3/2``, ``3月2日`` (or ``号``) — the one of that name nearest to
  today, a later one when two are as near (from December, ``3-2`` is next March);
- a number of days: ``+7``, ``-1``, ``+7天``; of weeks: ``+2周``, ``+2w``;
- words: 今天 明天 后天 昨天 前天, and ``today``, ``tomorrow``, ``yesterday``;
- a day of the week: ``周五`` / ``星期五`` / ``friday`` — the coming one (today when it is that
  day); ``本周五`` / ``这周五`` / ``this friday`` — the one of this week (Monday to Sunday), past or
  not; ``下周一`` / ``下星期一`` / ``next monday`` — the one of next week.

Both languages' words are understood whatever the desk's language. What cannot be read raises
``UserError("rooms.goto.unreadable")``; a date that does not exist (``2026-02-30``)
``UserError("rooms.goto.no_such_day")`` (or ``no_such_month``); a day beyond a hundred years
``UserError("rooms.goto.too_far")``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta

from frontdesk.errors import UserError

MAX_DAYS = 36_600  # about a hundred years either way: further is a typing slip

WORDS = {
    "今天": 0,
    "今日": 0,
    "today": 0,
    "明天": 1,
    "明日": 1,
    "tomorrow": 1,
    "后天": 2,
    "後天": 2,
    "昨天": -1,
    "昨日": -1,
    "yesterday": -1,
    "前天": -2,
}

ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
EN_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}

FULL = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
MONTH_DAY = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
OFFSET = re.compile(r"([+-])\s*(\d{1,6})\s*(天|日|d|days?|周|星期|w|weeks?)?")
ZH_WEEKDAY = re.compile(
    r"(下|本|这|這)?\s*(?:个|個)?\s*(?:周|星期|礼拜|禮拜)\s*([一二三四五六日天七])"
)
EN_WEEKDAY = re.compile(r"(next|this)?\s*([a-z]+)")


def parse_day(text: str, today: date) -> date:
    """The day ``text`` names, seen from ``today`` (see the module's note for what is read)."""
    line = unicodedata.normalize("NFKC", text).strip().lower()
    line = line.replace("－", "-").replace("—", "-").replace("–", "-")
    if not line:
        raise UserError("rooms.goto.unreadable", text=text.strip())
    if line in WORDS:
        return _shift(today, WORDS[line])
    if match := FULL.fullmatch(line) or COMPACT.fullmatch(line):
        year, month, day = (int(part) for part in match.groups())
        return _exact(year, month, day, text)
    if match := MONTH_DAY.fullmatch(line):
        return _nearest(int(match[1]), int(match[2]), today, text)
    if match := OFFSET.fullmatch(line):
        count = int(match[2]) * (-1 if match[1] == "-" else 1)
        unit = match[3] or ""
        weeks = unit in ("周", "星期", "w", "week", "weeks")
        return _shift(today, count * 7 if weeks else count)
    if match := ZH_WEEKDAY.fullmatch(line):
        return _weekday(ZH_WEEKDAYS[match[2]], match[1], today)
    if (match := EN_WEEKDAY.fullmatch(line)) and match[2] in EN_WEEKDAYS:
        which = {"next": "下", "this": "本"}.get(match[1] or "")
        return _weekday(EN_WEEKDAYS[match[2]], which, today)
    raise UserError("rooms.goto.unreadable", text=text.strip())


def _exact(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _no_such_day(year, month, day, text) from None


def _no_such_day(year: int | None, month: int, day: int, text: str) -> UserError:
    if not 1 <= month <= 12:
        return UserError("rooms.goto.no_such_month", text=text.strip(), month=month)
    if year is None:
        return UserError("rooms.goto.no_such_day_any_year", text=text.strip(), month=month, day=day)
    if not 1 <= year <= 9999:
        return UserError("rooms.goto.unreadable", text=text.strip())
    days = calendar.monthrange(year, month)[1]
    return UserError(
        "rooms.goto.no_such_day", text=text.strip(), year=year, month=month, day=day, days=days
    )


def _nearest(month: int, day: int, today: date, text: str) -> date:
    """The day ``month``-``day`` nearest to ``today``; the later one of two as near (29
    February looks as far as the leap years on either side)."""
    found: list[date] = []
    for year in range(today.year - 4, today.year + 5):
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    if not found:
        raise _no_such_day(None, month, day, text)
    return min(found, key=lambda d: (abs((d - today).days), d < today))


def _weekday(weekday: int, which: str | None, today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    if which == "下":
        return monday + timedelta(days=7 + weekday)
    if which in ("本", "这", "這"):
        return monday + timedelta(days=weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _shift(today: date, days: int) -> date:
    if abs(days) > MAX_DAYS:
        raise UserError("rooms.goto.too_far", days=abs(days))
    try:
        return today + timedelta(days=days)
    except OverflowError:
        raise UserError("rooms.goto.too_far", days=abs(days)) from None
