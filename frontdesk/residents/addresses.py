"""Flat addresses as people write and say them: ``宏泰学府苑 3号楼 2单元 1001室`` and ``3-2-1001``.

An address is data, like a postal address: it is written in Chinese whatever the interface
language; the parts are there for a caller that wants another layout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from frontdesk.db.models import Building, Compound, Flat, Unit
from frontdesk.residents.records import dict_rows


@dataclass(frozen=True)
class FlatAddress:
    flat_id: int
    compound: str
    building: int
    unit: int
    number: int  # 1001
    floor: int
    position: int

    @property
    def text(self) -> str:
        """``宏泰学府苑 3号楼 2单元 1001室``."""
        return f"{self.compound} {self.building}号楼 {self.unit}单元 {self.number}室"

    @property
    def short(self) -> str:
        """``3-2-1001``, as said at the desk."""
        return f"{self.building}-{self.unit}-{self.number}"


def addresses(flat_ids: Iterable[int]) -> dict[int, FlatAddress]:
    """The address of each flat, in one query (missing ids are left out)."""
    wanted = sorted(set(flat_ids))
    if not wanted:
        return {}
    query = (
        Flat.select(
            Flat.id,
            Flat.number,
            Flat.floor,
            Flat.position,
            Unit.number.alias("unit"),
            Building.number.alias("building"),
            Compound.name.alias("compound"),
        )
        .join(Unit)
        .join(Building)
        .join(Compound)
        .where(Flat.id.in_(wanted))
    )
    return {
        row["id"]: FlatAddress(
            flat_id=row["id"],
            compound=row["compound"],
            building=row["building"],
            unit=row["unit"],
            number=row["number"],
            floor=row["floor"],
            position=row["position"],
        )
        for row in dict_rows(query)
    }


def address_text(flat_id: int) -> str:
    """``宏泰学府苑 3号楼 2单元 1001室`` ("" for an unknown flat)."""
    found = addresses([flat_id]).get(flat_id)
    return found.text if found else ""
