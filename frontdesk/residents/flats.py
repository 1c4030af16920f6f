"""Choosing a flat by typing its address, as at the desk: ``3-2-1001`` or ``学府苑 3-2-1001``.

``find_flats`` reads the text with the search box's address parser and returns every flat of the
community that matches (one, usually; one per compound when the compound is left out), with
how many households live there now, so a second household (tenants) is registered knowingly.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN, fn

from frontdesk.db.models import Building, Compound, Flat, Household, Unit
from frontdesk.permissions import Can, require_in
from frontdesk.pinyin import normalise_name
from frontdesk.residents.addresses import FlatAddress
from frontdesk.residents.records import dict_rows
from frontdesk.search.query import normalise_query, parse_address
from frontdesk.vocabulary import HouseholdStatus

MAX_CHOICES = 20


@dataclass(frozen=True)
class FlatChoice:
    address: FlatAddress
    households: int  # households living there now

    @property
    def flat_id(self) -> int:
        return self.address.flat_id


def find_flats(
    text: str, community_id: int, *, actor_id: int | None, limit: int = MAX_CHOICES
) -> list[FlatChoice]:
    """The community's flats at the address typed (for registering a household: only in a
    community the operator works in)."""
    require_in(actor_id, Can.EDIT_RESIDENT, community_id)
    return flats_at(text, community_id, limit=limit)


def flats_at(text: str, community_id: int, *, limit: int = MAX_CHOICES) -> list[FlatChoice]:
    """The community's flats at the address typed; [] unless building, unit and flat are all
    given. Ordered by compound name. The caller has checked the operator's scope."""
    address = parse_address(normalise_query(text))
    if address is None or address.unit is None or address.flat is None:
        return []
    active = (
        Household.select(Household.flat, fn.COUNT(Household.id).alias("n"))
        .where(Household.status == HouseholdStatus.ACTIVE)
        .group_by(Household.flat)
        .alias("active")
    )
    query = (
        Flat.select(
            Flat.id,
            Flat.number,
            Flat.floor,
            Flat.position,
            Unit.number.alias("unit"),
            Building.number.alias("building"),
            Compound.name.alias("compound"),
            fn.COALESCE(active.c.n, 0).alias("households"),
        )
        .join(Unit)
        .join(Building)
        .join(Compound)
        .switch(Flat)
        .join(active, JOIN.LEFT_OUTER, on=(active.c.flat_id == Flat.id))
        .where(
            (Compound.community == community_id)
            & (Building.number == address.building)
            & (Unit.number == address.unit)
            & (Flat.number == address.flat)
        )
        .order_by(Compound.name, Flat.id)
    )
    wanted = normalise_name(address.compound) if address.compound else ""
    choices = []
    for row in dict_rows(query):
        if wanted and wanted not in normalise_name(row["compound"]):
            continue
        choices.append(
            FlatChoice(
                address=FlatAddress(
                    flat_id=row["id"],
                    compound=row["compound"],
                    building=row["building"],
                    unit=row["unit"],
                    number=row["number"],
                    floor=row["floor"],
                    position=row["position"],
                ),
                households=row["households"],
            )
        )
    return choices[:limit]
