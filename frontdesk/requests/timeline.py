"""The timeline: every change to a request is an event with who and when. Nothing is deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
    RequestEvent.create(request=request_id, at=at, actor=actor_id, kind=kind, note=note, **changes)


def current(request_id: int, version: int | None = None) -> Any:
    """The request row, refusing a stale ``version`` (someone else changed it meanwhile)."""
    row: Any = Request.get_or_none(Request.id == request_id)
    if row is None:
        raise UserError("request.not_found", id=request_id)
    if version is not None and row.version != version:
        raise UserError("request.changed_elsewhere", number=row.number)
    return row


def update(row: Any, now: datetime, **values: object) -> int:
    """Write ``values`` and bump the version; returns the new version."""
    Request.update(**values, updated_at=now, version=Request.version + 1).where(
        Request.id == row.id
    ).execute()
    return int(row.version) + 1
