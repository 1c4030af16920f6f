"""新建 → 已派单 → 处理中 → 已办结 → 已关闭, with reopening, notes, reassigning and escalating.

Each change is one transaction, one timeline event (who, when, what changed) and a new version;
a change made from a stale copy is refused ("changed by someone else").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from frontdesk.db.connection import write
from frontdesk.db.models import Staff
from frontdesk.errors import UserError
from frontdesk.permissions import ROLE_CAN, Can, communities_of, require_for_request
from frontdesk.requests.due import due_at
from frontdesk.requests.routing import NEXT_LEVEL, holder_for
from frontdesk.requests.timeline import add_event, check_version, current, update
from frontdesk.textrules import NOTE, REASON, require_text
from frontdesk.vocabulary import Level, RequestEventKind, RequestStatus, Role
from frontdesk.workcalendar import WorkCalendar
from frontdesk.workcalendar import load as load_calendar

OPEN = (RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)
DONE = (RequestStatus.RESOLVED, RequestStatus.CLOSED)


def _require(row: Any, allowed: tuple[str, ...]) -> None:
    if row.status not in allowed:
        raise UserError("request.wrong_status", number=row.number, status=row.status)


def _load(request_id: int, version: int | None, actor_id: int | None, what: Can) -> Any:
    """The request, if this operator may act on it and it is still at ``version``."""
    row = current(request_id)
    require_for_request(actor_id, what, row)
    check_version(row, version)
    return row


def _reason(text: str) -> str:
    if not text.strip():
        raise UserError("request.reason_required")
    return require_text("reason", text, REASON)


def start(request_id: int, version: int, *, actor_id: int | None, now: datetime) -> int:
    """The holder is on it: 已派单 → 处理中."""

    def run() -> int:
        row = _load(request_id, version, actor_id, Can.HANDLE_REQUEST)
        _require(row, (RequestStatus.NEW, RequestStatus.ASSIGNED))
        add_event(
            row.id,
            RequestEventKind.STATUS,
            actor_id=actor_id,
            at=now,
            from_status=row.status,
            to_status=RequestStatus.IN_PROGRESS,
        )
        return update(row, now, status=RequestStatus.IN_PROGRESS)

    return write(run)


def add_note(request_id: int, note: str, *, actor_id: int | None, now: datetime) -> None:
    """An internal note on the timeline."""
    if not note.strip():
        raise UserError("request.note_required")
    require_text("note", note, NOTE)

    def run() -> None:
        row = _load(request_id, None, actor_id, Can.UPDATE_REQUEST)
        add_event(row.id, RequestEventKind.NOTE, actor_id=actor_id, at=now, note=note.strip())
        update(row, now)

    write(run)


def reassign(
    request_id: int,
    version: int,
    to_staff_id: int,
    reason: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> int:
    """The desk hands the request to someone else, saying why."""
    why = _reason(reason)

    def run() -> int:
        row = _load(request_id, version, actor_id, Can.UPDATE_REQUEST)
        _require(row, tuple(OPEN))
        staff: Any = Staff.get_or_none((Staff.id == to_staff_id) & (Staff.active == True))  # noqa: E712
        if staff is None or row.community_id not in communities_of(
            staff.role, staff.community_id, staff.subdistrict_id
        ):  # a holder works where the request is; nobody elsewhere is named
            raise UserError("request.holder_elsewhere")
        if Can.HANDLE_REQUEST not in ROLE_CAN.get(staff.role, frozenset()):
            raise UserError("request.cannot_hold", name=staff.display_name)
        if staff.role == Role.SUBDISTRICT and row.level != Level.SUBDISTRICT:
            raise UserError("request.not_at_subdistrict", name=staff.display_name)
        if staff.pending_change:  # waits for the leadership's confirmation: cannot sign in
            raise UserError("request.holder_waiting", name=staff.display_name)
        add_event(
            row.id,
            RequestEventKind.REASSIGNED,
            actor_id=actor_id,
            at=now,
            note=why,
            from_holder=row.holder_id,
            to_holder=staff.id,
        )
        status = RequestStatus.ASSIGNED if row.status == RequestStatus.NEW else row.status
        return update(row, now, holder=staff.id, status=status)

    return write(run)


def _fresh_due(row: Any, now: datetime, calendar: WorkCalendar | None = None) -> datetime:
    """A new due time from ``now`` by the request's own rule (escalated or reopened)."""
    return due_at(
        row.category_id,
        row.urgency,
        now,
        calendar or load_calendar(row.community_id),
        special_group=row.special_group,
        community_id=row.community_id,
    )


def escalate_row(
    row: Any,
    reason: str,
    *,
    actor_id: int | None,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> int:
    """Move ``row`` one level up inside the caller's transaction: the new level's holder takes
    it, with a fresh due time by the same rule."""
    level = NEXT_LEVEL.get(row.level)
    if level is None:
        raise UserError("request.top_level", number=row.number)
    holder = holder_for(row.grid_l4_id, level)
    due = _fresh_due(row, now, calendar)
    add_event(
        row.id,
        RequestEventKind.ESCALATED,
        actor_id=actor_id,
        at=now,
        note=reason,
        from_level=row.level,
        to_level=level,
        from_holder=row.holder_id,
        to_holder=holder.staff_id,
    )
    status = RequestStatus.ASSIGNED if row.status == RequestStatus.NEW else row.status
    return update(
        row, now, level=level, holder=holder.staff_id, due_at=due, overdue_since=None, status=status
    )


def escalate(
    request_id: int, version: int, reason: str, *, actor_id: int | None, now: datetime
) -> int:
    """What the grid cannot settle goes up: 网格 → 社区 → 街道, by hand with a reason."""
    why = _reason(reason)

    def run() -> int:
        row = _load(request_id, version, actor_id, Can.UPDATE_REQUEST)
        _require(row, tuple(OPEN))
        return escalate_row(row, why, actor_id=actor_id, now=now)

    return write(run)


def resolve(
    request_id: int,
    version: int,
    how: str,
    level: str,
    *,
    actor_id: int | None,
    now: datetime,
) -> int:
    """办结: how it was resolved and at which level (网格 / 社区 / 街道)."""
    if not how.strip():
        raise UserError("request.resolution_required")
    require_text("how", how, NOTE)
    if level not in {lv.value for lv in Level}:
        raise UserError("request.no_level", level=level)

    def run() -> int:
        row = _load(request_id, version, actor_id, Can.HANDLE_REQUEST)
        _require(row, tuple(OPEN))
        add_event(
            row.id,
            RequestEventKind.RESOLVED,
            actor_id=actor_id,
            at=now,
            note=how.strip(),
            from_status=row.status,
            to_status=RequestStatus.RESOLVED,
        )
        return update(
            row,
            now,
            status=RequestStatus.RESOLVED,
            resolution=how.strip(),
            resolved_level=level,
            resolved_at=now,
        )

    return write(run)


def close(request_id: int, version: int, *, actor_id: int | None, now: datetime) -> int:
    """关闭: the reporter is satisfied (or could not be reached after resolving)."""

    def run() -> int:
        row = _load(request_id, version, actor_id, Can.HANDLE_REQUEST)
        _require(row, (RequestStatus.RESOLVED,))
        add_event(
            row.id,
            RequestEventKind.CLOSED,
            actor_id=actor_id,
            at=now,
            from_status=row.status,
            to_status=RequestStatus.CLOSED,
        )
        return update(row, now, status=RequestStatus.CLOSED, closed_at=now)

    return write(run)


def reopen(
    request_id: int, version: int, reason: str, *, actor_id: int | None, now: datetime
) -> int:
    """退回/重新打开: back to its holder with a fresh due time; the resolution stays on the
    timeline."""
    why = _reason(reason)

    def run() -> int:
        row = _load(request_id, version, actor_id, Can.UPDATE_REQUEST)
        _require(row, tuple(DONE))
        due = _fresh_due(row, now)
        add_event(
            row.id,
            RequestEventKind.REOPENED,
            actor_id=actor_id,
            at=now,
            note=why,
            from_status=row.status,
            to_status=RequestStatus.ASSIGNED,
        )
        return update(
            row,
            now,
            status=RequestStatus.ASSIGNED,
            due_at=due,
            resolved_at=None,
            closed_at=None,
            overdue_since=None,
            resolved_level=None,
        )

    return write(run)
