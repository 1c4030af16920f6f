"""Moving out, death and the head of household: every change one transaction with one audit
entry; the person's record stays (status, dates, where to reach them), nothing is deleted.
"""

from __future__ import annotations

from datetime import date, datetime

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import Move
from frontdesk.errors import UserError
from frontdesk.permissions import Can, grid_of_household, grid_of_resident, require_grid
from frontdesk.residents.records import (
    bump_household,
    bump_resident,
    living_members,
    load_household,
    load_resident,
    reindex,
)
from frontdesk.residents.validation import refuse, refuse_text
from frontdesk.textrules import LINE
from frontdesk.vocabulary import HouseholdStatus, MoveKind, Relation, ResidentStatus

HEAD = Relation.HEAD.value


# -- leaving -------------------------------------------------------------------------------------


def _destination(contact: str) -> str:
    """The note of a move-out: "迁往太原市" out of "迁往太原市，电话 138…"."""
    return contact.split("，")[0] if "，" in contact else ""


def _check_leaving_date(on: date, since: date, today: date) -> None:
    if on > today:
        raise refuse("on", "validation.date_in_future")
    if on < since:
        raise refuse("on", "validation.before_move_in", moved_in_on=since.isoformat())


def move_out_household(
    household_id: int,
    on: date,
    forwarding_contact: str,
    *,
    version: int,
    actor_id: int | None,
    now: datetime,
) -> None:
    """The whole household leaves: every living member moves out, the household closes."""
    refuse_text("forwarding_contact", forwarding_contact, LINE)

    def run() -> None:
        require_grid(actor_id, Can.EDIT_RESIDENT, grid_of_household(household_id))
        household = load_household(household_id, version)
        if household.status != HouseholdStatus.ACTIVE:
            raise UserError("resident.household_inactive", number=household.number)
        members = living_members(household_id)
        latest = max([household.moved_in_on, *(m.moved_in_on for m in members)])
        _check_leaving_date(on, latest, now.date())
        contact = forwarding_contact.strip()
        for member in members:
            bump_resident(
                member.id,
                member.version,
                actor_id=actor_id,
                now=now,
                status=ResidentStatus.MOVED_OUT.value,
                moved_out_on=on,
                forwarding_contact=contact or member.forwarding_contact,
            )
            _move(
                member.id,
                household_id,
                MoveKind.MOVE_OUT,
                on,
                household.flat_id,
                actor_id,
                now,
                _destination(contact),
            )
        bump_household(
            household_id,
            version,
            now=now,
            status=HouseholdStatus.MOVED_OUT.value,
            moved_out_on=on,
        )
        audit.record(
            "household.move_out",
            "household",
            household_id,
            actor_id=actor_id,
            at=now,
            detail={"on": on, "residents": [m.id for m in members]},
        )
        reindex(m.id for m in members)

    write(run)


def _move(
    resident_id: int,
    household_id: int,
    kind: MoveKind,
    on: date,
    from_flat: int,
    actor_id: int | None,
    now: datetime,
    note: str = "",
) -> None:
    Move.insert(
        resident=resident_id,
        household=household_id,
        kind=kind.value,
        on_date=on,
        from_flat=from_flat,
        note=note,
        created_at=now,
        created_by=actor_id,
    ).execute()


def _leave(
    resident_id: int,
    version: int,
    kind: MoveKind,
    on: date,
    *,
    new_head_id: int | None,
    actor_id: int | None,
    now: datetime,
    values: dict[str, object],
    note: str = "",
) -> None:
    """One member leaves (moves out or dies); a leaving head hands over to ``new_head_id``.

    The leaver's status changes before the successor becomes head, so the unique index of
    living heads never sees two. The last member leaving closes the household.
    """
    require_grid(actor_id, Can.EDIT_RESIDENT, grid_of_resident(resident_id))
    row = load_resident(resident_id, version)
    if row.status != ResidentStatus.LIVING:
        raise UserError("resident.not_living", name=row.name)
    household = load_household(row.household_id)
    _check_leaving_date(on, row.moved_in_on, now.date())
    others = {m.id: m for m in living_members(row.household_id) if m.id != resident_id}
    is_head = row.relation == HEAD
    successor = None
    if new_head_id is not None:
        if not is_head or not others:
            raise refuse("new_head_id", "validation.new_head_unneeded")
        successor = others.get(new_head_id)
        if successor is None:
            raise refuse("new_head_id", "validation.new_head_not_member")
    elif is_head and others:
        raise refuse("new_head_id", "validation.new_head_required")
    bump_resident(resident_id, version, actor_id=actor_id, now=now, **values)
    _move(resident_id, household.id, kind, on, household.flat_id, actor_id, now, note)
    if successor is not None:
        bump_resident(successor.id, successor.version, actor_id=actor_id, now=now, relation=HEAD)
        bump_household(household.id, household.version, now=now)
    elif not others:
        bump_household(
            household.id,
            household.version,
            now=now,
            status=HouseholdStatus.MOVED_OUT.value,
            moved_out_on=on,
        )
    audit.record(
        "resident.death" if kind == MoveKind.DEATH else "resident.move_out",
        "resident",
        resident_id,
        actor_id=actor_id,
        at=now,
        detail={
            "on": on,
            "household_id": household.id,
            "new_head_id": new_head_id,
            "new_head_was": successor.relation if successor else None,
            "household_closed": not others,
        },
    )
    reindex([resident_id, *([successor.id] if successor else [])])


def move_out_resident(
    resident_id: int,
    on: date,
    forwarding_contact: str,
    *,
    version: int,
    new_head_id: int | None = None,
    actor_id: int | None,
    now: datetime,
) -> None:
    """One member moves away. The head of a household others still live in needs a successor."""
    contact = refuse_text("forwarding_contact", forwarding_contact, LINE)
    values: dict[str, object] = {
        "status": ResidentStatus.MOVED_OUT.value,
        "moved_out_on": on,
        "forwarding_contact": contact,
    }
    note = _destination(contact)
    write(
        lambda: _leave(
            resident_id,
            version,
            MoveKind.MOVE_OUT,
            on,
            new_head_id=new_head_id,
            actor_id=actor_id,
            now=now,
            values=values,
            note=note,
        )
    )


def record_death(
    resident_id: int,
    on: date,
    *,
    version: int,
    new_head_id: int | None = None,
    note: str = "",
    actor_id: int | None,
    now: datetime,
) -> None:
    """A resident has died (``died_on``); the same rule for a head as moving out."""
    values: dict[str, object] = {"status": ResidentStatus.DECEASED.value, "died_on": on}
    note = refuse_text("note", note, LINE)
    write(
        lambda: _leave(
            resident_id,
            version,
            MoveKind.DEATH,
            on,
            new_head_id=new_head_id,
            actor_id=actor_id,
            now=now,
            values=values,
            note=note.strip(),
        )
    )


# -- the head ------------------------------------------------------------------------------------


def change_head(
    household_id: int,
    new_head_id: int,
    *,
    version: int,
    old_head_relation: str = Relation.OTHER.value,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Make a living member the head; the old head takes ``old_head_relation``.

    Other members' relations are to the head and are the caller's to correct afterwards.
    """
    if old_head_relation == HEAD or old_head_relation not in {r.value for r in Relation}:
        raise ValueError(f"not a relation for the former head: {old_head_relation!r}")

    def run() -> None:
        require_grid(actor_id, Can.EDIT_RESIDENT, grid_of_household(household_id))
        household = load_household(household_id, version)
        if household.status != HouseholdStatus.ACTIVE:
            raise UserError("resident.household_inactive", number=household.number)
        members = {m.id: m for m in living_members(household_id)}
        new_head = members.get(new_head_id)
        if new_head is None:
            raise refuse("new_head_id", "validation.new_head_not_member")
        if new_head.relation == HEAD:
            raise refuse("new_head_id", "validation.already_head")
        old_heads = [m for m in members.values() if m.relation == HEAD]
        for old in old_heads:  # first, so the unique index never sees two living heads
            bump_resident(
                old.id, old.version, actor_id=actor_id, now=now, relation=old_head_relation
            )
        bump_resident(new_head.id, new_head.version, actor_id=actor_id, now=now, relation=HEAD)
        bump_household(household_id, version, now=now)
        audit.record(
            "household.change_head",
            "household",
            household_id,
            actor_id=actor_id,
            at=now,
            detail={
                "old_head_id": old_heads[0].id if old_heads else None,
                "old_head_relation": old_head_relation,
                "new_head_id": new_head_id,
                "new_head_was": new_head.relation,
            },
        )
        reindex([new_head_id, *(old.id for old in old_heads)])

    write(run)
