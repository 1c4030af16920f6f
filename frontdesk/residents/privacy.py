"""Seeing a resident's ID number, phone, forwarding or emergency contact in full: a reason, and
a record.

The detail view shows them masked. ``reveal`` returns the full value and writes one audit entry
with the reason in the same transaction; how long the value stays on screen is the UI's
business (only while the detail is open).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import Resident
from frontdesk.errors import UserError
from frontdesk.permissions import Can, require_in
from frontdesk.scope import community_of_resident
from frontdesk.textrules import REASON, require_text

RevealField = Literal["id_number", "phone", "forwarding_contact", "emergency_contact"]
REVEAL_FIELDS: tuple[RevealField, ...] = (
    "id_number",
    "phone",
    "forwarding_contact",
    "emergency_contact",
)

# The quick choices offered before the free text, as catalog keys.
REVEAL_REASONS: tuple[str, ...] = (
    "reveal.reason.contact_neighbour",  # 联系邻居（如楼上漏水）
    "reveal.reason.police",  # 派出所查询
    "reveal.reason.certificate",  # 开具证明
    "reveal.reason.family",  # 家属联系
    "reveal.reason.other",  # 其他（须填写说明）
)
OTHER = "reveal.reason.other"


def reveal(
    resident_id: int,
    field: RevealField,
    reason: str,
    *,
    actor_id: int | None,
    now: datetime,
    choice: str | None = None,
) -> str:
    """The full value of ``field``, after recording who saw it, when and why.

    ``reason`` is the free text; ``choice`` one of ``REVEAL_REASONS``. A reason is required:
    the free text alone, or a quick choice (``other`` needs the free text too). The audit entry
    keeps the free text (or, without one, the choice key) as its reason and both in its detail.
    """
    if field not in REVEAL_FIELDS:
        raise ValueError(f"not a field that can be revealed: {field!r}")
    text = require_text("reason", reason, REASON)
    if choice is not None and choice not in REVEAL_REASONS:
        raise ValueError(f"not a reveal reason: {choice!r}")
    if not text and (choice is None or choice == OTHER):
        raise UserError("reveal.reason_required")

    def run() -> str:
        require_in(actor_id, Can.REVEAL, community_of_resident(resident_id))
        row = (
            Resident.select(Resident.id, getattr(Resident, field).alias("value"))
            .where(Resident.id == resident_id)
            .dicts()
            .first()
        )
        if row is None:
            raise UserError("resident.not_found", id=resident_id)
        value = row["value"] or ""
        if not value:
            raise UserError("reveal.nothing_to_reveal")
        audit.record(
            f"resident.reveal_{field}",
            "resident",
            resident_id,
            actor_id=actor_id,
            at=now,
            reason=text or choice or "",
            detail={"field": field, "choice": choice or "", "text": text},
        )
        return str(value)

    return write(run)
