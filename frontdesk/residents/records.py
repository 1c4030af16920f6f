"""What every resident edit does inside its transaction: load with a version check, bump the
version, keep the search index in step. Peewee rows stay inside this package."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from frontdesk.audit import last_change
from frontdesk.db.models import Building, Community, Compound, Flat, Household, Resident, Unit
from frontdesk.errors import UserError
from frontdesk.vocabulary import ResidentStatus


def reindex(resident_ids: Iterable[int]) -> None:
    """Refresh the search index rows of these residents (inside the caller's transaction).

    ``frontdesk.db.search`` is imported when first needed: it belongs to the data layer.
    """
    from frontdesk.db.search import reindex_residents

    ids = sorted(set(resident_ids))
    if ids:
        reindex_residents(ids)


@dataclass(frozen=True)
class ResidentRow:
    """A resident row as the edits read it."""

    id: int
    household_id: int
    relation: str
    name: str
    gender: str
    birth_date: date
    id_number: str | None
    document_type: str
    category: str
    phone: str | None
    ethnicity: str
    status: str
    moved_in_on: date
    forwarding_contact: str
    emergency_contact: str
    notes: str
    version: int

    def value(self, field: str) -> Any:
        return getattr(self, field)


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    flat_id: int
    number: str
    status: str
    moved_in_on: date
    version: int


RESIDENT_COLUMNS = (
    Resident.id,
    Resident.household,
    Resident.relation,
    Resident.name,
    Resident.gender,
    Resident.birth_date,
    Resident.id_number,
    Resident.document_type,
    Resident.category,
    Resident.phone,
    Resident.ethnicity,
    Resident.status,
    Resident.moved_in_on,
    Resident.forwarding_contact,
    Resident.emergency_contact,
    Resident.notes,
    Resident.version,
)


def tuple_rows(query: Any) -> list[tuple[Any, ...]]:
    return list(query.tuples())


def dict_rows(query: Any) -> list[dict[str, Any]]:
    """The rows of a ``.dicts()`` query (the stubs type them as models)."""
    return cast(list[dict[str, Any]], list(query.dicts()))


def _resident(row: dict[str, Any]) -> ResidentRow:
    row = dict(row)
    row["household_id"] = row.pop("household")
    return ResidentRow(**row)


def _resident_changed(resident_id: int, name: str) -> UserError:
    who, at = last_change("resident", resident_id)
    return UserError("resident.changed_elsewhere", name=name, who=who, at=at)


def _household_changed(household_id: int, number: str) -> UserError:
    who, at = last_change("household", household_id)
    return UserError("resident.household_changed_elsewhere", number=number, who=who, at=at)


def load_resident(resident_id: int, version: int | None = None) -> ResidentRow:
    """The row, refusing a missing one and, with ``version``, one changed since it was loaded."""
    found = dict_rows(Resident.select(*RESIDENT_COLUMNS).where(Resident.id == resident_id))
    if not found:
        raise UserError("resident.not_found", id=resident_id)
    row = _resident(found[0])
    if version is not None and row.version != version:
        raise _resident_changed(resident_id, row.name)
    return row


def load_household(household_id: int, version: int | None = None) -> HouseholdRow:
    found = dict_rows(
        Household.select(
            Household.id,
            Household.flat.alias("flat_id"),
            Household.number,
            Household.status,
            Household.moved_in_on,
            Household.version,
        ).where(Household.id == household_id)
    )
    if not found:
        raise UserError("resident.household_not_found", id=household_id)
    row = HouseholdRow(**found[0])
    if version is not None and row.version != version:
        raise _household_changed(household_id, row.number)
    return row


def living_members(household_id: int) -> list[ResidentRow]:
    query = (
        Resident.select(*RESIDENT_COLUMNS)
        .where((Resident.household == household_id) & (Resident.status == ResidentStatus.LIVING))
        .order_by(Resident.id)
    )
    return [_resident(row) for row in dict_rows(query)]


def bump_resident(
    resident_id: int, version: int, *, actor_id: int | None, now: datetime, **values: object
) -> int:
    """Write ``values`` if the row is still at ``version``; return the new version."""
    changed = (
        Resident.update(**values, version=Resident.version + 1, updated_at=now, updated_by=actor_id)
        .where((Resident.id == resident_id) & (Resident.version == version))
        .execute()
    )
    if changed != 1:
        row = Resident.get_or_none(Resident.id == resident_id)
        raise _resident_changed(resident_id, row.name if row else "")
    return version + 1


def bump_household(household_id: int, version: int, *, now: datetime, **values: object) -> int:
    changed = (
        Household.update(**values, version=Household.version + 1, updated_at=now)
        .where((Household.id == household_id) & (Household.version == version))
        .execute()
    )
    if changed != 1:
        row = Household.get_or_none(Household.id == household_id)
        raise _household_changed(household_id, row.number if row else "")
    return version + 1


def next_household_number(flat_id: int) -> str:
    """The community's next 户号: ``LJ-003015`` after ``LJ-003014``."""
    code = (
        Community.select(Community.code)
        .join(Compound)
        .join(Building)
        .join(Unit)
        .join(Flat)
        .where(Flat.id == flat_id)
        .scalar()
    )
    last = last_household_number(code)
    number = last + 1 if last is not None else Household.select().count() + 1
    return f"{code}-{number:06d}"


def last_household_number(code: str) -> int | None:
    """The number of the community's last ``CODE-000123`` household (0 when it has none;
    ``None`` when the last one's tail is not a number)."""
    prefix = f"{code}-"
    last = (
        Household.select(Household.number)
        .where((Household.number > prefix) & (Household.number < f"{code}."))  # "." follows "-"
        .order_by(Household.number.desc())
        .scalar()
    )
    tail = last[len(prefix) :] if last else "0"
    return int(tail) if tail.isdigit() else None
