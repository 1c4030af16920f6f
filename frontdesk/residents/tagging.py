"""Special-group tags (特殊群体) on residents: added with a start date, removed by closing them.

Removing sets ``ended_at`` / ``ended_by`` and keeps the row, so a tag's history stays. Some tags
follow from age: 高龄老人 (``elderly_80``) needs 80 years, 留守儿童 (``left_behind_child``) a minor.
Tags live in their own rows: they do not change the resident's version.
"""

from __future__ import annotations

from datetime import date, datetime

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import ResidentTag, Tag
from frontdesk.errors import UserError
from frontdesk.permissions import Can, grid_of_resident, require_grid
from frontdesk.residents.detail import age
from frontdesk.residents.records import load_resident
from frontdesk.residents.validation import refuse, refuse_text
from frontdesk.textrules import LINE, REASON
from frontdesk.vocabulary import ResidentStatus

ELDERLY_80 = "elderly_80"
LEFT_BEHIND_CHILD = "left_behind_child"
ADULT_AGE = 18


def age_rule(code: str, birth: date, today: date) -> UserError | None:
    """The refusal for a tag this resident's age rules out, or None."""
    years = age(birth, today)
    if code == ELDERLY_80 and years < 80:
        return UserError("resident.tag_needs_80", age=years)
    if code == LEFT_BEHIND_CHILD and years >= ADULT_AGE:
        return UserError("resident.tag_needs_minor", age=years)
    return None


def add_tag(
    resident_id: int,
    code: str,
    *,
    since: date | None = None,
    note: str = "",
    actor_id: int | None,
    now: datetime,
) -> None:
    """A living resident starts carrying tag ``code`` (from ``since``, default today)."""
    today = now.date()
    start = since or today
    note = refuse_text("note", note, LINE)

    def run() -> None:
        require_grid(actor_id, Can.EDIT_RESIDENT, grid_of_resident(resident_id))
        row = load_resident(resident_id)
        if row.status != ResidentStatus.LIVING:
            raise UserError("resident.not_living", name=row.name)
        tag = Tag.get_or_none(Tag.code == code)
        if tag is None:
            raise UserError("resident.tag_unknown", code=code)
        problem = age_rule(code, row.birth_date, today)
        if problem is not None:
            raise problem
        if start > today:
            raise refuse("since", "validation.date_in_future")
        if start < row.birth_date:
            raise refuse("since", "validation.before_birth")
        carried = ResidentTag.select().where(
            (ResidentTag.resident == resident_id)
            & (ResidentTag.tag == tag.id)
            & ResidentTag.ended_at.is_null()
        )
        if carried.exists():
            raise UserError("resident.tag_already")
        ResidentTag.insert(
            resident=resident_id,
            tag=tag.id,
            since=start,
            note=note.strip(),
            created_at=now,
            created_by=actor_id,
        ).execute()
        audit.record(
            "resident.tag_add",
            "resident",
            resident_id,
            actor_id=actor_id,
            at=now,
            detail={"tag": code, "since": start},
        )

    write(run)


def remove_tag(
    resident_id: int,
    code: str,
    *,
    reason: str = "",
    actor_id: int | None,
    now: datetime,
) -> None:
    """The resident no longer carries ``code``: the open row is closed, never deleted."""
    reason = refuse_text("note", reason, REASON)  # the form's one line of text

    def run() -> None:
        require_grid(actor_id, Can.EDIT_RESIDENT, grid_of_resident(resident_id))
        load_resident(resident_id)
        open_row = (
            ResidentTag.select(ResidentTag.id)
            .join(Tag)
            .where(
                (ResidentTag.resident == resident_id)
                & (Tag.code == code)
                & ResidentTag.ended_at.is_null()
            )
            .first()
        )
        if open_row is None:
            raise UserError("resident.tag_not_carried")
        ResidentTag.update(ended_at=now, ended_by=actor_id).where(
            ResidentTag.id == open_row.id
        ).execute()
        audit.record(
            "resident.tag_remove",
            "resident",
            resident_id,
            actor_id=actor_id,
            at=now,
            reason=reason.strip(),
            detail={"tag": code},
        )

    write(run)
