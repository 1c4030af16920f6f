"""Alerts: a broken chain or a missing guard, kept in the file until a supervisor acknowledges it.

A desk checks at start and on its rounds (``check``): the triggers and the chain index are
there as defined, no other trigger sits on the log's tables, and the last ``chain.TAIL``
entries of each chain hold. A missing, altered or unknown guard is an alert (then made again,
or dropped: the log goes on being append-only); a break is an alert naming the entry.
The same break is raised once (its signature is unique), so an acknowledged one does not come
back at the next round. The desk keeps working meanwhile; the alert stays on the home screen
of whoever may read the log of its community — a guard affects every community, the
installation's own chain is the administrator's — until one of them acknowledges it with a
reason, itself an audited act.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontdesk.audit.chain import Break, describe, describe_guards, verify_tail
from frontdesk.audit.log import record
from frontdesk.db.audit_chain import guard_problems, restore_guards
from frontdesk.db.connection import write
from frontdesk.db.models import AuditAlert, Community
from frontdesk.errors import UserError
from frontdesk.permissions import Can, Operator, require
from frontdesk.textrules import REASON, require_text
from frontdesk.vocabulary import Role

CHAIN = "chain"
GUARDS = "guards"
ACK_ACTION = "audit.alert_acknowledged"


@dataclass(frozen=True)
class Alert:
    id: int
    raised_at: datetime
    kind: str  # chain | guards
    community_id: int | None
    text: str  # one line, in the current language


def check(now: datetime) -> list[str]:
    """The desk's check: guards and each chain's tail. Raises (records) what is new; returns
    the signatures of the alerts raised now."""
    db = AuditAlert._meta.database
    verdict = verify_tail()
    guards = guard_problems(db)
    if not verdict.breaks and not guards:
        return []
    return write(lambda: _raise(verdict.breaks, now))


def _raise(breaks: list[Break], now: datetime) -> list[str]:
    db = AuditAlert._meta.database
    raised = []
    guards = guard_problems(db)  # again, under the lock: another desk may have seen to it
    if guards:
        restore_guards(db, guards)
        names = [name for kind in guards.values() for name in kind]
        signature = f"guards:{','.join(names)}:{now.isoformat()}"
        _insert(signature, GUARDS, None, guards, now)
        raised.append(signature)
    rows: Any = Community.select(Community.code, Community.id).tuples()
    codes: dict[str, int] = {str(code): int(cid) for code, cid in rows}
    for broken in breaks:
        signature = broken.signature()
        community = None if broken.community is None else codes.get(broken.community)
        if _insert(signature, CHAIN, community, _break_detail(broken), now):
            raised.append(signature)
    return raised


def _break_detail(broken: Break) -> dict[str, Any]:
    return {
        "community": broken.community,
        "seq": broken.seq,
        "uid": broken.uid,
        "at": broken.at,
        "problem": broken.problem,
        "other": broken.other,
    }


def _insert(
    signature: str, kind: str, community: int | None, detail: dict[str, Any], now: datetime
) -> bool:
    if AuditAlert.select().where(AuditAlert.signature == signature).exists():
        return False
    AuditAlert.create(
        raised_at=now,
        community=community,
        kind=kind,
        signature=signature,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
    )
    return True


def _visible(operator: Operator, kind: str, community: int | None) -> bool:
    if kind == GUARDS:
        return True  # every community's log
    if community is None:
        return operator.role == Role.ADMIN
    return operator.covers(community)


def _text(kind: str, detail: dict[str, Any]) -> str:
    if kind == GUARDS:
        return " ".join(describe_guards(detail))
    return describe(
        Break(
            detail["community"],
            detail["seq"],
            detail["uid"],
            detail["at"],
            detail["problem"],
            detail.get("other", {}),
        )
    )


def open_alerts(*, actor_id: int | None) -> list[Alert]:
    """The alerts not yet acknowledged that ``actor_id`` may see (none for who may not read
    the log), oldest first."""
    operator = require(actor_id, Can.VIEW_AUDIT)
    rows: Any = (
        AuditAlert.select()
        .where(AuditAlert.acknowledged_at.is_null())
        .order_by(AuditAlert.raised_at, AuditAlert.id)
    )
    return [
        Alert(
            row.id,
            row.raised_at,
            row.kind,
            row.community_id,
            _text(row.kind, json.loads(row.detail)),
        )
        for row in rows
        if _visible(operator, row.kind, row.community_id)
    ]


def acknowledge(alert_id: int, reason: str, *, actor_id: int | None, now: datetime) -> None:
    """Acknowledge an alert with a reason (recorded in the log of its community)."""
    reason = require_text("reason", reason, REASON)  # refused over its limit, never cut
    if not reason:
        raise UserError("audit_chain.reason_required")

    def run() -> None:
        operator = require(actor_id, Can.VIEW_AUDIT)
        row: Any = AuditAlert.get_or_none(AuditAlert.id == alert_id)
        if row is None or not _visible(operator, row.kind, row.community_id):
            raise UserError("audit_chain.alert_not_found")
        if row.acknowledged_at is not None:
            raise UserError("audit_chain.alert_already_acknowledged")
        AuditAlert.update(acknowledged_at=now, acknowledged_by=operator.id, reason=reason).where(
            AuditAlert.id == alert_id
        ).execute()
        community = row.community_id if row.kind == CHAIN else operator.community_id
        record(
            ACK_ACTION,
            "audit_alert",
            alert_id,
            actor_id=operator.id,
            at=now,
            reason=reason,
            detail={"kind": row.kind, "signature": row.signature},
            community_id=community,
        )

    write(run)
