"""The queue: open requests by due time with filters, counts per status, the home figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from peewee import JOIN, fn

from frontdesk.db.models import GridL4, Request, RequestCategory, Staff
from frontdesk.permissions import Can, require_in
from frontdesk.requests.lifecycle import OPEN
from frontdesk.vocabulary import Level, RequestStatus

PAGE = 50


@dataclass(frozen=True)
class QueueFilters:
    statuses: tuple[str, ...] = tuple(s.value for s in OPEN)
    level: str | None = None
    grid_l4_id: int | None = None
    holder_id: int | None = None  # "mine": the operator's own id
    category: str | None = None  # code
    overdue_only: bool = False


@dataclass(frozen=True)
class QueueRow:
    id: int
    number: str
    category: str  # code
    urgency: str
    level: str
    status: str
    description: str
    place: str
    grid: str
    holder_name: str
    due_at: datetime | None
    overdue: bool
    special_group: bool
    created_at: datetime


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    counts: dict[str, int]  # per status, under the other filters
    total: int


def _where(community_id: int, filters: QueueFilters, now: datetime, *, statuses: bool) -> Any:
    where = Request.community == community_id
    if statuses:
        where &= Request.status.in_(filters.statuses)
    if filters.level is not None:
        where &= Request.level == filters.level
    if filters.grid_l4_id is not None:
        where &= Request.grid_l4 == filters.grid_l4_id
    if filters.holder_id is not None:
        where &= Request.holder == filters.holder_id
    if filters.category is not None:
        where &= Request.category == (
            RequestCategory.select(RequestCategory.id).where(
                RequestCategory.code == filters.category
            )
        )
    if filters.overdue_only:
        where &= Request.status.in_(OPEN) & (Request.due_at < now)
    return where


def queue(
    community_id: int,
    filters: QueueFilters,
    now: datetime,
    *,
    actor_id: int | None,
    page: int = 0,
) -> QueuePage:
    """One page of the queue, soonest due first (overdue on top), with counts per status."""
    require_in(actor_id, Can.VIEW_REQUESTS, community_id)
    rows: Any = (
        Request.select(
            Request,
            RequestCategory.code.alias("category_code"),
            GridL4.code.alias("grid_code"),
            Staff.display_name.alias("holder_name"),
        )
        .join(RequestCategory, on=(RequestCategory.id == Request.category))
        .switch(Request)
        .join(GridL4, JOIN.LEFT_OUTER, on=(GridL4.id == Request.grid_l4))
        .switch(Request)
        .join(Staff, JOIN.LEFT_OUTER, on=(Staff.id == Request.holder))
        .where(_where(community_id, filters, now, statuses=True))
        .order_by(Request.due_at.asc(nulls="last"), Request.id)
        .limit(PAGE)
        .offset(page * PAGE)
        .dicts()
    )
    counted: Any = (
        Request.select(Request.status, fn.COUNT(Request.id))
        .where(_where(community_id, filters, now, statuses=False))
        .group_by(Request.status)
        .tuples()
    )
    counts = {status.value: 0 for status in RequestStatus}
    counts.update(dict(counted))
    found = tuple(
        QueueRow(
            id=r["id"],
            number=r["number"],
            category=r["category_code"],
            urgency=r["urgency"],
            level=r["level"],
            status=r["status"],
            description=r["description"],
            place=r["place_text"],
            grid=r["grid_code"] or "",
            holder_name=r["holder_name"] or "",
            due_at=r["due_at"],
            overdue=r["status"] in OPEN and r["due_at"] is not None and r["due_at"] < now,
            special_group=r["special_group"],
            created_at=r["created_at"],
        )
        for r in rows
    )
    total = sum(counts[s] for s in filters.statuses)
    return QueuePage(found, counts, total)


@dataclass(frozen=True)
class RequestFigures:
    open: int
    overdue: int
    due_today: int
    resolved_this_week: int
    settled_in_grid_share: float  # of those resolved this month, the share settled at grid level
    resolved_this_month: int


def figures(community_id: int, now: datetime) -> RequestFigures:
    """The home screen's request figures (小事不出网格: the share settled inside the grid)."""
    mine = Request.community == community_id
    today = datetime.combine(now.date(), time.min)
    week = today - timedelta(days=now.weekday())
    month = today.replace(day=1)
    open_ = Request.select().where(mine & Request.status.in_(OPEN))
    resolved = Request.select().where(mine & Request.resolved_at.is_null(False))
    this_month: Any = (
        Request.select(Request.resolved_level, fn.COUNT(Request.id))
        .where(mine & (Request.resolved_at >= month) & Request.resolved_at.is_null(False))
        .group_by(Request.resolved_level)
        .tuples()
    )
    levels = dict(this_month)
    month_total = sum(levels.values())
    return RequestFigures(
        open=open_.count(),
        overdue=open_.where(Request.due_at < now).count(),
        due_today=open_.where(
            (Request.due_at >= today) & (Request.due_at < today + timedelta(days=1))
        ).count(),
        resolved_this_week=resolved.where(Request.resolved_at >= week).count(),
        settled_in_grid_share=levels.get(Level.GRID.value, 0) / month_total if month_total else 0.0,
        resolved_this_month=month_total,
    )
