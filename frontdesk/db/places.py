"""Where people live: compound → building → unit → flat."""

from __future__ import annotations

from peewee import CharField, Check, ForeignKeyField, IntegerField

from frontdesk.db.base import BaseModel, one_of
from frontdesk.db.grids import GridL4
from frontdesk.db.org import Community
from frontdesk.vocabulary import BuildingKind


class Compound(BaseModel):
    """小区, e.g. 宏泰学府苑."""

    community = ForeignKeyField(Community, backref="compounds", on_delete="RESTRICT")
    name = CharField()
    street_address = CharField(default="")

    class Meta:
        indexes = ((("community", "name"), True),)


class Building(BaseModel):
    """楼. ``number`` is what people say: 3 for 3号楼."""

    compound = ForeignKeyField(Compound, backref="buildings", on_delete="RESTRICT")
    number = IntegerField(constraints=[Check("number > 0")])
    floors = IntegerField(constraints=[Check("floors > 0")])
    kind = CharField(max_length=8, constraints=[one_of("kind", BuildingKind)])

    class Meta:
        indexes = ((("compound", "number"), True),)


class Unit(BaseModel):
    """单元."""

    building = ForeignKeyField(Building, backref="units", on_delete="RESTRICT")
    number = IntegerField(constraints=[Check("number > 0")])
    flats_per_floor = IntegerField(constraints=[Check("flats_per_floor > 0")])

    class Meta:
        indexes = ((("building", "number"), True),)


def floor_and_position(number: int) -> tuple[int, int]:
    """1001 → (10, 1): the flat number carries the floor and the position on it."""
    if number < 101 or number % 100 == 0:
        raise ValueError(f"not a flat number: {number}")
    return number // 100, number % 100


class Flat(BaseModel):
    """室. ``floor`` and ``position`` are derived from ``number`` (a CHECK keeps them so)."""

    unit = ForeignKeyField(Unit, backref="flats", on_delete="RESTRICT")
    number = IntegerField()
    floor = IntegerField()
    position = IntegerField()
    grid_l4 = ForeignKeyField(GridL4, backref="flats", on_delete="RESTRICT")

    class Meta:
        indexes = (
            (("unit", "number"), True),
            (("unit", "floor", "position"), False),
        )
        constraints = [Check("floor >= 1 AND position >= 1 AND number = floor * 100 + position")]

    @classmethod
    def derived(cls, number: int) -> dict[str, int]:
        floor, position = floor_and_position(number)
        return {"number": number, "floor": floor, "position": position}
