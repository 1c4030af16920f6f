"""Reference data every database starts with: special-group tags, request categories with
their due times, and the working calendar of the years shipped. Installed by the first
migration (and again, for what is missing, by ``install``); the demo builds on it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from frontdesk.db.holidays import days
from frontdesk.db.models import CalendarDay, DueRule, RequestCategory, Tag

# (code, sensitive), in display order. Names are in the catalogs (tag.<code>).
TAGS: tuple[tuple[str, bool], ...] = (
    ("elderly_alone_no_kin", True),  # 孤寡老人
    ("elderly_alone", True),  # 独居老人
    ("elderly_80", True),  # 高龄老人
    ("left_behind_child", True),  # 留守儿童
    ("disabled", True),  # 残疾人
    ("subsistence", True),  # 低保户
    ("extreme_poverty", True),  # 特困人员
    ("veteran", False),  # 退役军人
    ("party_member", False),  # 党员
    ("floating", True),  # 流动人口
    ("attention", True),  # 重点关注
)

URGENCIES = ("normal", "urgent", "critical")  # 一般, 紧急, 特急

# (code, working hours allowed by urgency: normal, urgent, critical), in display order.
CATEGORIES: tuple[tuple[str, tuple[int, int, int]], ...] = (
    ("lighting", (72, 24, 8)),
    ("plumbing", (48, 12, 4)),
    ("locksmith", (24, 4, 2)),
    ("dispute", (120, 48, 12)),
    ("find_person", (72, 24, 4)),
    ("certificate", (72, 24, 8)),
    ("sanitation", (72, 24, 8)),
    ("safety", (48, 12, 4)),
    ("hardship", (72, 24, 8)),
    ("complaint", (168, 72, 24)),
    ("other", (120, 48, 24)),
)
DUE_HOURS: dict[str, tuple[int, int, int]] = dict(CATEGORIES)

SHIPPED_YEARS = (2025, 2026)


def install() -> None:
    """Insert whatever reference rows are missing (inside the caller's transaction)."""
    tags: Any = Tag.select(Tag.code).tuples()
    have_tags = {code for (code,) in tags}
    for sort, (code, sensitive) in enumerate(TAGS, start=1):
        if code not in have_tags:
            Tag.create(code=code, sensitive=sensitive, sort=sort)
    have_categories = {c.code: c.id for c in RequestCategory.select()}
    for sort, (code, hours) in enumerate(CATEGORIES, start=1):
        if code in have_categories:
            continue
        category = RequestCategory.create(code=code, sort=sort)
        for urgency, limit in zip(URGENCIES, hours, strict=True):
            DueRule.create(category=category, urgency=urgency, hours=Decimal(limit))
    calendar: Any = CalendarDay.select(CalendarDay.day).tuples()
    have_days = {d for (d,) in calendar}
    for year in SHIPPED_YEARS:
        for day, kind, name in days(year):
            if day not in have_days:
                CalendarDay.create(day=day, kind=kind, name=name)


def tag_ids() -> dict[str, int]:
    rows: Any = Tag.select(Tag.code, Tag.id).tuples()
    return dict(rows)


def category_ids() -> dict[str, int]:
    rows: Any = RequestCategory.select(RequestCategory.code, RequestCategory.id).tuples()
    return dict(rows)
