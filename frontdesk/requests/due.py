"""Due times: the category × urgency table (the request's community's, see
``frontdesk.settings.duetimes``), counted in working time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from frontdesk import settings
from frontdesk.db.models import RequestCategory
from frontdesk.errors import UserError
from frontdesk.vocabulary import Urgency
from frontdesk.workcalendar import WorkCalendar


def allowed_hours(
    category_id: int, urgency: str, *, special_group: bool, community_id: int | None = None
) -> float:
    """The hours allowed: the community's cell of the table (else the installation's rule),
    times the community's share for special groups."""
    hours = settings.due_hours(category_id, urgency, community_id)
    if hours is None:
        category: Any = RequestCategory.get_or_none(RequestCategory.id == category_id)
        raise UserError("request.no_due_rule", category=category.code if category else category_id)
    if special_group:
        hours *= float(settings.get("requests.special_group_factor", community_id))
    return hours


def due_at(
    category_id: int,
    urgency: str,
    start: datetime,
    calendar: WorkCalendar,
    *,
    special_group: bool,
    community_id: int | None = None,
) -> datetime:
    """特急 counts round the clock; 一般 and 紧急 count working hours only (``calendar``: that of
    the request's community, whose share for special groups counts)."""
    hours = allowed_hours(
        category_id, urgency, special_group=special_group, community_id=community_id
    )
    if urgency == Urgency.CRITICAL:
        return start + timedelta(hours=hours)
    return calendar.add_working_hours(start, hours)
