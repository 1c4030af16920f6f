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
from frontdesk.db.models import Flat, Household, Move, Resident
from frontdesk.errors import UserError
from frontdesk.masking import mask_id, mask_numbers_in, mask_phone
from frontdesk.notices import Notice
from frontdesk.permissions import (
    Can,
    grid_of_household,
    grid_of_resident,
    require,
    require_grid,
)
from frontdesk.residents.moving import (
    change_head,
    move_out_household,
    move_out_resident,
    record_death,
)
from frontdesk.residents.records import (
    bump_resident,
    load_household,
    load_resident,
    next_household_number,
    reindex,
)
from frontdesk.residents.tagging import add_tag, remove_tag
from frontdesk.residents.validation import (
    HouseholdInput,
    ResidentInput,
    Validation,
    ValidationFailed,
    check_fields,
    check_register,
    check_text,
    normalise_id,
    normalise_phone,
    validate,
)
from frontdesk.textrules import NOTE
from frontdesk.vocabulary import HouseholdStatus, MoveKind, Relation, ResidentStatus

__all__ = [
    "EDITABLE",
    "HouseholdInput",
    "Notice",
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
    {
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "relation",
        "ethnicity",
        "notes",
        "document_type",
        "category",
        "emergency_contact",
    }
)
INDEXED = frozenset({"name", "phone", "id_number"})  # what the search index holds
# checked against each other
ID_BOUND = frozenset({"id_number", "birth_date", "gender", "document_type"})


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
        document_type=data.document_type,
        category=data.category,
        phone=normalise_phone(data.phone) or None,
        ethnicity=data.ethnicity.strip() or "汉族",
        status=ResidentStatus.LIVING.value,
        moved_in_on=moved_in,
        notes=data.notes.strip(),
        emergency_contact=data.emergency_contact.strip(),
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
    """Old and new values as the audit log keeps them: ID numbers and phones masked, and the
    numbers in an emergency contact."""
    if name == "id_number":
        return mask_id(value)
    if name == "phone":
        return mask_phone(value)
    if name == "emergency_contact":
        return mask_numbers_in(value or "")
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
            document_type=merged["document_type"],
            category=merged["category"],
            emergency_contact=merged["emergency_contact"],
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
