"""The timeline: every change to a request is an event with who and when. Nothing is deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from frontdesk import audit
from frontdesk.audit import last_change
from frontdesk.db.models import Request, RequestEvent
from frontdesk.errors import UserError


def add_event(
    request_id: int,
    kind: str,
    *,
    actor_id: int | None,
    at: datetime,
    note: str = "",
    **changes: object,
) -> None:
    """One timeline line, and the audit entry every write leaves."""
    RequestEvent.create(request=request_id, at=at, actor=actor_id, kind=kind, note=note, **changes)
    detail = {k: v for k, v in changes.items() if v is not None}
    audit.record(
        f"request.{kind}",
        "request",
        request_id,
        actor_id=actor_id,
        at=at,
        reason=note,
        detail=detail,
    )


def current(request_id: int, version: int | None = None) -> Any:
    """The request row, refusing a stale ``version`` (someone else changed it meanwhile)."""
    row: Any = Request.get_or_none(Request.id == request_id)
    if row is None:
        raise UserError("request.not_found", id=request_id)
    check_version(row, version)
    return row


def check_version(row: Any, version: int | None) -> None:
    """Refuse a change made from a stale copy, saying who changed the request and when."""
    if version is not None and row.version != version:
        who, at = last_change("request", row.id)
        raise UserError("request.changed_elsewhere", number=row.number, who=who, at=at)


def update(row: Any, now: datetime, **values: object) -> int:
    """Write ``values`` and bump the version; returns the new version."""
    Request.update(**values, updated_at=now, version=Request.version + 1).where(
        Request.id == row.id
    ).execute()
    return int(row.version) + 1
