"""Writing the append-only audit log, and reading one record's entries back.

``record`` only inserts; it runs inside the caller's transaction (``connection.write``), so a
change and its audit entry are committed together or not at all, and the entry takes its
place at the head of its community's chain under the same write lock (``db.audit_chain``).

Each entry carries its community: the one the caller names, else the record's (a resident's or
a household's through their flat; a booking's, a series' or a closure's room; a request's; a
staff member's own), else the actor's. Entries without one (accounts without a community,
global settings) are the installation's. It also carries the OS account the program ran under:
``SUDO_USER`` first (an SSH desk runs under the service account through ``sudo``, so that is
the SSH account), else the login name.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, cast

from peewee import JOIN

from frontdesk.db import audit_chain as chain
from frontdesk.db.audit_chain import append, append_many
from frontdesk.db.models import AuditEntry, Staff


class _Derive:
    """``community_id`` left to ``record``: derived from the record, else the actor."""

    def __repr__(self) -> str:
        return "DERIVE"


DERIVE: Final = _Derive()


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
    community_id: int | None = None
    os_user: str = ""


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def os_user() -> str:
    """Who ran the program, as the operating system knows them (the SSH account on an SSH desk,
    which runs under the service account through ``sudo``)."""
    sudo = os.environ.get("SUDO_USER", "").strip()
    if sudo:
        return sudo
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no name for this uid (a container)
        return ""


def community_for(entity: str, entity_id: int | None, actor_id: int | None) -> int | None:
    """The community an entry about ``entity`` ``entity_id`` by ``actor_id`` belongs to: none
    for a global setting; the record's (a resident's or a household's flat, a booking's or a
    series' room, a closure's, a request's, a staff member's own); else the actor's."""
    return chain.community_for(entity, entity_id, actor_id)


def record(
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    actor_id: int | None,
    at: datetime,
    reason: str = "",
    detail: dict[str, Any] | None = None,
    community_id: int | _Derive | None = DERIVE,
) -> None:
    """Append one entry. ``detail`` is stored as JSON (Chinese kept readable, dates as ISO);
    ``community_id``: the entry's community when the caller knows it (``None``: the
    installation's), else derived (see the module)."""
    text = ""
    if detail:
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=_json_default)
    if isinstance(community_id, _Derive):
        community_id = community_for(entity, entity_id, actor_id)
    append(
        community_id=community_id,
        at=at,
        actor_id=actor_id,
        os_user=os_user(),
        action=action,
        entity=entity,
        entity_id=entity_id,
        reason=reason,
        detail=text,
    )


def record_many(
    entries: list[tuple[str, str, int | None, dict[str, Any]]],
    *,
    actor_id: int | None,
    at: datetime,
    community_id: int | None,
) -> None:
    """Append many entries (action, entity, entity_id, detail) of one community at once, in
    order: an import's per-record trail, inside its short transactions."""
    append_many(
        community_id=community_id,
        at=at,
        actor_id=actor_id,
        os_user=os_user(),
        entries=[
            (
                action,
                entity,
                entity_id,
                json.dumps(detail, ensure_ascii=False, sort_keys=True, default=_json_default)
                if detail
                else "",
            )
            for action, entity, entity_id, detail in entries
        ],
    )


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
            community_id=row["community"],
            os_user=row["os_user"],
        )
        for row in cast(list[dict[str, Any]], list(query.dicts()))
    ]


def last_change(
    entity: str, entity_id: int | None, *, mentioning: str | None = None
) -> tuple[str, str]:
    """Who last wrote this record and when (`` at 11-30 10:42``, empty when unknown), for
    "changed by X at T" when a save from a stale copy is refused. ``mentioning``: only entries
    whose detail holds this text (a setting's key: settings have no ids)."""
    from frontdesk.i18n import _

    which = (
        AuditEntry.entity_id.is_null() if entity_id is None else AuditEntry.entity_id == entity_id
    )
    if mentioning is not None:
        which &= AuditEntry.detail.contains(mentioning)
    row: Any = (
        AuditEntry.select(AuditEntry.at, Staff.display_name.alias("actor_name"))
        .join(Staff, join_type=JOIN.LEFT_OUTER, on=(AuditEntry.actor == Staff.id))
        .where((AuditEntry.entity == entity) & which & ~AuditEntry.action.contains("reveal"))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .dicts()
        .first()
    )
    if row is None:
        return _("audit.someone"), ""
    return row["actor_name"] or _("audit.system"), _("audit.at", time=f"{row['at']:%m-%d %H:%M}")
