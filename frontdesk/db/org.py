"""Administrative hierarchy: district → subdistrict → community."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField

from frontdesk.db.base import BaseModel


class District(BaseModel):
    """区, e.g. 离石区."""

    name = CharField()
    region_code = CharField(max_length=6)  # GB/T 2260, the first six digits of an ID number


class Subdistrict(BaseModel):
    """街道, e.g. 莲花池街道."""

    district = ForeignKeyField(District, backref="subdistricts", on_delete="RESTRICT")
    name = CharField()


class Community(BaseModel):
    """社区, e.g. 丽景街社区. ``code`` prefixes request numbers (``LJ-20261129-0007``)."""

    subdistrict = ForeignKeyField(Subdistrict, backref="communities", on_delete="RESTRICT")
    name = CharField()
    code = CharField(max_length=8, unique=True)
    address = CharField(default="")
    phone = CharField(default="")
