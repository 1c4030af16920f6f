"""Overdue requests, flagged and then escalated by the running program itself (no cron job)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontdesk import settings
from frontdesk.db.connection import write
from frontdesk.db.models import Request
from frontdesk.i18n import _
from frontdesk.requests.lifecycle import OPEN, escalate_row
from frontdesk.requests.timeline import add_event
from frontdesk.vocabulary import Level, RequestEventKind
from frontdesk.workcalendar import WorkCalendar
from frontdesk.workcalendar import load as load_calendar


@dataclass(frozen=True)
class Sweep:
    flagged: int
    escalated: int


def sweep(now: datetime) -> Sweep:
    """Flag every open request past its due time (once, on its timeline); escalate those that
    stayed overdue for their community's grace (its working hours) at the grid or community
    level.
    Safe to run from every open desk at once."""

    def run() -> Sweep:
        calendars: dict[int | None, WorkCalendar] = {}  # each community's working hours

        def calendar_of(community_id: int | None) -> WorkCalendar:
            if community_id not in calendars:
                calendars[community_id] = load_calendar(community_id)
            return calendars[community_id]

        still_to_act = Request.overdue_since.is_null(True) | (Request.level != Level.SUBDISTRICT)
        overdue: list[Any] = list(
            Request.select().where(Request.status.in_(OPEN) & (Request.due_at < now) & still_to_act)
        )
        flagged = escalated = 0
        for row in overdue:
            if row.overdue_since is None:
                add_event(row.id, RequestEventKind.OVERDUE, actor_id=None, at=now)
                Request.update(overdue_since=row.due_at).where(Request.id == row.id).execute()
                flagged += 1
            if row.level == Level.SUBDISTRICT:
                continue
            calendar = calendar_of(row.community_id)
            grace = float(settings.get("requests.escalation_grace_hours", row.community_id))
            if calendar.working_hours_between(row.due_at, now) >= grace:
                escalate_row(
                    row,
                    _("request.auto_escalated", hours=grace),
                    actor_id=None,
                    now=now,
                    calendar=calendar,
                )
                escalated += 1
        return Sweep(flagged, escalated)

    return write(run)
