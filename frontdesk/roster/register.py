"""What the register already holds, read in bulk for an import's plan: the community's places,
its people (by document number, and by name, birth date and flat), the households a file's
户号 or 户主 name. A few queries for the whole file, not one per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from frontdesk.db.models import (
    Building,
    Compound,
    Flat,
    GridL4,
    Household,
    Resident,
    ResidentTag,
    Tag,
    Unit,
)
from frontdesk.residents.records import tuple_rows
from frontdesk.roster.cells import plain
from frontdesk.vocabulary import Relation, ResidentStatus

CHUNK = 500


@dataclass
class Places:
    compounds: dict[str, int]  # name (plain, without 小区) -> id
    buildings: set[tuple[str, int]]
    flats: dict[tuple[str, int, int, int], tuple[int, str]]  # -> (flat id, grid code)


@dataclass
class People:
    by_id_number: dict[str, dict[str, Any]]
    by_name_birth_flat: dict[tuple[str, dt.date, int], dict[str, Any]]
    elsewhere: set[str]  # document numbers of people living in another community
    living_names: dict[int, str]
    taken: set[int] = field(default_factory=set)  # matched by an earlier row


@dataclass
class Households:
    by_number: dict[str, tuple[int, int]]  # number -> (household id, community id)
    by_flat_head: dict[tuple[int, str], int]  # (flat id, living head's name) -> household id


def compound_key(name: str) -> str:
    return plain(name).removesuffix("小区")


def places(community_id: int) -> Places:
    rows = tuple_rows(
        Flat.select(Flat.id, Flat.number, Unit.number, Building.number, Compound.name, GridL4.code)
        .join(Unit)
        .join(Building)
        .join(Compound)
        .switch(Flat)
        .join(GridL4)
        .where(Compound.community == community_id)
    )
    flats: dict[tuple[str, int, int, int], tuple[int, str]] = {}
    buildings: set[tuple[str, int]] = set()
    for flat_id, flat, unit, building, compound, grid in rows:
        key = compound_key(compound)
        flats[(key, building, unit, flat)] = (flat_id, grid)
        buildings.add((key, building))
    compounds = {
        compound_key(name): cid
        for cid, name in tuple_rows(
            Compound.select(Compound.id, Compound.name).where(Compound.community == community_id)
        )
    }
    for number, name in tuple_rows(
        Building.select(Building.number, Compound.name)
        .join(Compound)
        .where(Compound.community == community_id)
    ):
        buildings.add((compound_key(name), number))
    return Places(compounds=compounds, buildings=buildings, flats=flats)


_COLUMNS = (
    Resident.id,
    Resident.name,
    Resident.gender,
    Resident.birth_date,
    Resident.id_number,
    Resident.phone,
    Resident.emergency_contact,
    Resident.ethnicity,
    Resident.relation,
    Resident.document_type,
    Resident.category,
    Resident.notes,
    Resident.status,
    Resident.household,
    Resident.version,
    Household.flat.alias("flat_id"),
    Compound.name.alias("compound"),
    Building.number.alias("building"),
    Unit.number.alias("unit"),
    Flat.number.alias("flat"),
    Compound.community.alias("community_id"),
)


def _query(*columns: Any) -> Any:
    return (
        Resident.select(*(columns or _COLUMNS))
        .join(Household)
        .join(Flat)
        .join(Unit)
        .join(Building)
        .join(Compound)
    )


def people(community_id: int, id_numbers: Iterable[str]) -> People:
    """The community's people, and which of ``id_numbers`` live in another community."""
    rows = list(_query().where(Compound.community == community_id).dicts())
    tags: dict[int, set[str]] = {}
    for resident_id, code in tuple_rows(
        ResidentTag.select(ResidentTag.resident, Tag.code)
        .join(Tag)
        .switch(ResidentTag)
        .join(Resident)
        .join(Household)
        .join(Flat)
        .join(Unit)
        .join(Building)
        .join(Compound)
        .where((Compound.community == community_id) & ResidentTag.ended_at.is_null())
    ):
        tags.setdefault(resident_id, set()).add(code)
    by_id: dict[str, dict[str, Any]] = {}
    by_name: dict[tuple[str, dt.date, int], dict[str, Any]] = {}
    living: dict[int, str] = {}
    order = {ResidentStatus.LIVING.value: 0, ResidentStatus.DECEASED.value: 1}
    for row in sorted(rows, key=lambda r: (order.get(r["status"], 2), -r["id"])):
        row["tags"] = tags.get(row["id"], set())
        row["phone"] = row["phone"] or ""
        row["emergency_contact"] = row["emergency_contact"] or ""
        row["id_number"] = row["id_number"] or ""
        row["address"] = f"{row['compound']}{row['building']}-{row['unit']}-{row['flat']}"
        if row["id_number"]:
            by_id.setdefault(row["id_number"], row)
        by_name.setdefault((row["name"], row["birth_date"], row["flat_id"]), row)
        if row["status"] == ResidentStatus.LIVING.value:
            living[row["id"]] = row["name"]
    wanted = sorted({n for n in id_numbers if n and n not in by_id})
    elsewhere: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for (number,) in tuple_rows(
            _query(Resident.id_number).where(
                Resident.id_number.in_(chunk)
                & (Compound.community != community_id)
                & (Resident.status != ResidentStatus.MOVED_OUT.value)
            )
        ):
            elsewhere.add(number)
    return People(
        by_id_number=by_id, by_name_birth_flat=by_name, elsewhere=elsewhere, living_names=living
    )


def households(*, numbers: list[str], flats: set[int]) -> Households:
    """The households the file's 户号 name (in any community: a number is the file's claim),
    and the living heads of the flats it names."""
    by_number: dict[str, tuple[int, int]] = {}
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        for household_id, number, community in tuple_rows(
            Household.select(Household.id, Household.number, Compound.community)
            .join(Flat)
            .join(Unit)
            .join(Building)
            .join(Compound)
            .where(Household.number.in_(chunk))
        ):
            by_number[number] = (household_id, community)
    by_flat_head: dict[tuple[int, str], int] = {}
    flat_ids = sorted(flats)
    for start in range(0, len(flat_ids), CHUNK):
        ids = flat_ids[start : start + CHUNK]
        for household_id, flat_id, name in tuple_rows(
            Household.select(Household.id, Household.flat, Resident.name)
            .join(Resident)
            .where(
                Household.flat.in_(ids)
                & (Resident.relation == Relation.HEAD.value)
                & (Resident.status == ResidentStatus.LIVING.value)
            )
        ):
            by_flat_head.setdefault((flat_id, name), household_id)
    return Households(by_number=by_number, by_flat_head=by_flat_head)
