"""Writing and reading the append-only audit log: who did what to which record, when and why.

``record`` only inserts; it runs inside the caller's transaction (``connection.write``), so a
change and its audit entry are committed together or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from peewee import JOIN

from frontdesk.db.models import AuditEntry, Staff


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str  # "" when no staff member was signed in
    action: str  # e.g. resident.reveal_phone
    entity: str  # e.g. resident
    entity_id: int | None
    reason: str
    detail: dict[str, Any]


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def record(
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    actor_id: int | None,
    at: datetime,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry. ``detail`` is stored as JSON (Chinese kept readable, dates as ISO)."""
    text = ""
    if detail:
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=_json_default)
    AuditEntry.insert(
        at=at,
        actor=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        reason=reason,
        detail=text,
    ).execute()


def entries_for(entity: str, entity_id: int | None) -> list[AuditRow]:
    """Every entry about one record, oldest first (one query)."""
    query = (
        AuditEntry.select(AuditEntry, Staff.display_name.alias("actor_name"))
        .join(Staff, join_type=JOIN.LEFT_OUTER, on=(AuditEntry.actor == Staff.id))
        .where(
            (AuditEntry.entity == entity)
            & (
                AuditEntry.entity_id.is_null()
                if entity_id is None
                else AuditEntry.entity_id == entity_id
            )
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [
        AuditRow(
            id=row["id"],
            at=row["at"],
            actor_id=row["actor"],
            actor_name=row["actor_name"] or "",
            action=row["action"],
            entity=row["entity"],
            entity_id=row["entity_id"],
            reason=row["reason"],
            detail=json.loads(row["detail"]) if row["detail"] else {},
        )
        for row in cast(list[dict[str, Any]], list(query.dicts()))
    ]
