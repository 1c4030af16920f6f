"""The grid (网格) system: level-3 grids made of level-4 grids, each with its manager."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField

from frontdesk.db.base import BaseModel
from frontdesk.db.org import Community
from frontdesk.db.staff import Staff


class GridL3(BaseModel):
    """三级网格. ``leader`` takes the requests of an away grid manager."""

    community = ForeignKeyField(Community, backref="grids_l3", on_delete="RESTRICT")
    code = CharField(max_length=8)  # "2"
    name = CharField()  # "第2网格"
    leader = ForeignKeyField(Staff, null=True, backref="led_grids", on_delete="RESTRICT")

    class Meta:
        indexes = ((("community", "code"), True),)


class GridL4(BaseModel):
    """四级网格 with its one grid manager (网格员)."""

    grid_l3 = ForeignKeyField(GridL3, backref="grids_l4", on_delete="RESTRICT")
    code = CharField(max_length=8)  # "2-3"
    name = CharField()  # "2-3网格"
    manager = ForeignKeyField(Staff, null=True, backref="managed_grids", on_delete="RESTRICT")

    class Meta:
        indexes = ((("grid_l3", "code"), True),)
