"""Registering, editing, moving out and the head of household: every change one transaction with
one audit entry; nothing is ever deleted.

Edits take the ``version`` the form was loaded with and refuse (``resident.changed_elsewhere``)
when someone else saved in between; each successful edit bumps the version and stamps
``updated_at`` / ``updated_by``. A household that is lived in has exactly one living head at
every commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.enums import HouseholdStatus, MoveKind, Relation, ResidentStatus
from frontdesk.db.models import Flat, Household, Move, Resident
from frontdesk.errors import UserError
from frontdesk.masking import mask_id, mask_phone
from frontdesk.permissions import (
    Can,
    grid_of_household,
    grid_of_resident,
    require,
    require_grid,
)
from frontdesk.residents.records import (
    bump_household,
    bump_resident,
    living_members,
    load_household,
    load_resident,
    next_household_number,
    reindex,
)
from frontdesk.residents.tagging import add_tag, remove_tag
from frontdesk.residents.validation import (
    HouseholdInput,
    Message,
    ResidentInput,
    Validation,
    ValidationFailed,
    check_fields,
    check_register,
    check_text,
    normalise_id,
    normalise_phone,
    refuse,
    refuse_text,
    validate,
)
from frontdesk.textrules import LINE, NOTE

__all__ = [
    "EDITABLE",
    "HouseholdInput",
    "Message",
    "Registered",
    "ResidentInput",
    "Validation",
    "ValidationFailed",
    "add_tag",
    "change_head",
    "move_out_household",
    "move_out_resident",
    "record_death",
    "register_household",
    "register_resident",
    "remove_tag",
    "update_resident",
    "validate",
]

HEAD = Relation.HEAD.value
# Fields ``update_resident`` may change; status changes go through moving out and death.
EDITABLE = frozenset(
    {"name", "gender", "birth_date", "id_number", "phone", "relation", "ethnicity", "notes"}
)
INDEXED = frozenset({"name", "phone", "id_number"})  # what the search index holds
ID_BOUND = frozenset({"id_number", "birth_date", "gender"})  # checked against each other


@dataclass(frozen=True)
class Registered:
    household_id: int
    resident_ids: tuple[int, ...]  # in the order given: the head first


# -- registering ---------------------------------------------------------------------------------


def _insert_resident(
    household_id: int, flat_id: int, data: ResidentInput, *, actor_id: int | None, now: datetime
) -> int:
    moved_in = data.moved_in_on or now.date()
    resident_id: int = Resident.insert(
        household=household_id,
        relation=data.relation,
        name=data.name.strip(),
        gender=data.gender,
        birth_date=data.birth_date,
        id_number=normalise_id(data.id_number) or None,
        phone=normalise_phone(data.phone) or None,
        ethnicity=data.ethnicity.strip() or "汉族",
        status=ResidentStatus.LIVING.value,
        moved_in_on=moved_in,
        notes=data.notes.strip(),
        created_at=now,
        updated_at=now,
        updated_by=actor_id,
        version=1,
    ).execute()
    Move.insert(
        resident=resident_id,
        household=household_id,
        kind=MoveKind.MOVE_IN.value,
        on_date=moved_in,
        to_flat=flat_id,
        created_at=now,
        created_by=actor_id,
    ).execute()
    return resident_id


def _check_people(
    people: list[tuple[str, ResidentInput]], today: date, communities: frozenset[int]
) -> Validation:
    """Each person alone, against the register, and against the others on the same form."""
    v = Validation()
    seen: dict[str, str] = {}
    for prefix, person in people:
        v.merge(check_fields(person, today), prefix)
        v.merge(check_register(person, communities=communities), prefix)
        id_number = normalise_id(person.id_number)
        if id_number and id_number in seen:
            v.error(f"{prefix}id_number", "validation.id_repeated", other=seen[id_number])
        elif id_number:
            seen[id_number] = person.name.strip()
    return v


def _arriving(person: ResidentInput, household_moved_in: date) -> ResidentInput:
    """With the household's move-in date, or the birth date of a child born since."""
    if person.moved_in_on is not None:
        return person
    born = person.birth_date
    return replace(person, moved_in_on=max(household_moved_in, born or household_moved_in))


def register_household(
    data: HouseholdInput,
    *,
    actor_id: int | None,
    now: datetime,
    confirm_warnings: bool = False,
) -> Registered:
    """A new household moving into a flat, with its head and members (each a move-in)."""
    today = now.date()

    def run() -> Registered:
        v = Validation()
        flat: Any = Flat.get_or_none(Flat.id == data.flat_id)
        if flat is None:
            operator = require(actor_id, Can.EDIT_RESIDENT)
            v.error("flat_id", "validation.flat_missing")
        else:
            operator = require_grid(actor_id, Can.EDIT_RESIDENT, int(flat.grid_l4_id))
        if data.moved_in_on > today:
            v.error("moved_in_on", "validation.date_in_future")
        check_text(v, "notes", data.notes, NOTE)
        people = [("head.", replace(_arriving(data.head, data.moved_in_on), relation=HEAD))]
        for index, member in enumerate(data.members):
            prefix = f"members.{index}."
            if member.relation == HEAD:
                v.error(f"{prefix}relation", "validation.second_head")
            people.append((prefix, _arriving(member, data.moved_in_on)))
        v.merge(_check_people(people, today, operator.communities), "")
        v.raise_if_refused(confirm_warnings=confirm_warnings)
        household_id: int = Household.insert(
            flat=data.flat_id,
            number=next_household_number(data.flat_id),
            status=HouseholdStatus.ACTIVE.value,
            moved_in_on=data.moved_in_on,
            notes=data.notes.strip(),
            created_at=now,
            updated_at=now,
            version=1,
        ).execute()
        ids = tuple(
            _insert_resident(household_id, data.flat_id, person, actor_id=actor_id, now=now)
            for _, person in people
        )
        audit.record(
            "household.register",
            "household",
            household_id,
            actor_id=actor_id,
            at=now,
            detail={
                "flat_id": data.flat_id,
                "residents": list(ids),
                "moved_in_on": data.moved_in_on,
            },
        )
        reindex(ids)
        return Registered(household_id=household_id, resident_ids=ids)

    return write(run)


def register_resident(
    household_id: int,
    data: ResidentInput,
    *,
    actor_id: int | None,
    now: datetime,
    confirm_warnings: bool = False,
) -> int:
    """A new member of a household that is lived in (born, married in, moved in); their id."""

    def run() -> int:
        operator = require_grid(actor_id, Can.EDIT_RESIDENT, grid_of_household(household_id))
        household = load_household(household_id)
        if household.status != HouseholdStatus.ACTIVE:
            raise UserError("resident.household_inactive", number=household.number)
        person = replace(data, moved_in_on=data.moved_in_on or now.date())
        v = validate(person, now.date(), communities=operator.communities)
        if person.relation == HEAD:
            v.error("relation", "validation.head_exists")
        v.raise_if_refused(confirm_warnings=confirm_warnings)
        resident_id = _insert_resident(
            household_id, household.flat_id, person, actor_id=actor_id, now=now
        )
        audit.record(
            "resident.register",
            "resident",
            resident_id,
            actor_id=actor_id,
            at=now,
            detail={"household_id": household_id},
        )
        reindex([resident_id])
        return resident_id

    return write(run)


# -- editing -------------------------------------------------------------------------------------


def _normalised(name: str, value: Any) -> Any:
    if name == "id_number":
        return normalise_id(value or "") or None
    if name == "phone":
        return normalise_phone(value or "") or None
    if isinstance(value, str):
        return value.strip()
    return value


def _for_audit(name: str, value: Any) -> Any:
    """Old and new values as the audit log keeps them: ID numbers and phones masked."""
    if name == "id_number":
        return mask_id(value)
    if name == "phone":
        return mask_phone(value)
    return value


def update_resident(
    resident_id: int,
    version: int,
    changes: Mapping[str, Any],
    *,
    actor_id: int | None,
    now: datetime,
    confirm_warnings: bool = False,
) -> int:
    """Change some of ``EDITABLE``; the new version (the same one when nothing changed)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")

    def run() -> int:
        operator = require_grid(actor_id, Can.EDIT_RESIDENT, grid_of_resident(resident_id))
        row = load_resident(resident_id, version)
        diff = {
            name: (row.value(name), new)
            for name, value in changes.items()
            if (new := _normalised(name, value)) != row.value(name)
        }
        if not diff:
            return version
        merged: dict[str, Any] = {name: row.value(name) or "" for name in EDITABLE}
        merged.update({name: new or "" for name, (_, new) in diff.items()})
        person = ResidentInput(
            name=merged["name"],
            gender=merged["gender"],
            birth_date=merged["birth_date"] or None,
            id_number=merged["id_number"],
            phone=merged["phone"],
            relation=merged["relation"],
            ethnicity=merged["ethnicity"],
            notes=merged["notes"],
        )
        v = validate(
            person,
            now.date(),
            resident_id=resident_id,
            check_duplicate_person=bool({"name", "birth_date"} & set(diff)),
            communities=operator.communities,
        )
        # Only what this edit touches: an old flaw elsewhere must not block a correction.
        touched = set(diff) | (ID_BOUND if ID_BOUND & set(diff) else set())
        v.errors = {name: message for name, message in v.errors.items() if name in touched}
        if "relation" in diff and HEAD in diff["relation"]:
            v.error("relation", "validation.use_change_head")
        v.raise_if_refused(confirm_warnings=confirm_warnings)
        new_version = bump_resident(
            resident_id,
            version,
            actor_id=actor_id,
            now=now,
            **{name: new for name, (_, new) in diff.items()},
        )
        audit.record(
            "resident.update",
            "resident",
            resident_id,
            actor_id=actor_id,
            at=now,
            detail={
                "changes": {
                    name: [_for_audit(name, old), _for_audit(name, new)]
                    for name, (old, new) in sorted(diff.items())
                }
            },
        )
        if INDEXED & set(diff):
            reindex([resident_id])
        return new_version

    return write(run)


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
