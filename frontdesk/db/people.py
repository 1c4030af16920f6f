"""Households, residents, their special-group tags and their moves (visits: ``db.care``)."""

from __future__ import annotations

from peewee import (
    SQL,
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)
from playhouse.sqlite_ext import AutoIncrementField

from frontdesk.db.base import BaseModel, one_of
from frontdesk.db.places import Flat
from frontdesk.db.staff import Staff
from frontdesk.vocabulary import (
    DocumentType,
    Gender,
    HouseholdStatus,
    MoveKind,
    Relation,
    ResidentCategory,
    ResidentStatus,
)


class Household(BaseModel):
    """户. Lives in one flat (a flat may hold several households) and has exactly one head.

    Ids are never reused (AUTOINCREMENT, schema 8): an import taken back removes the records it
    made, and the audit log's subjects must never name a later record by an old one's id."""

    id = AutoIncrementField()

    flat = ForeignKeyField(Flat, backref="households", on_delete="RESTRICT")
    number = CharField(unique=True)  # 户号
    status = CharField(
        max_length=12, default="active", constraints=[one_of("status", HouseholdStatus)]
    )
    moved_in_on = DateField()
    moved_out_on = DateField(null=True)
    notes = TextField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)


class Resident(BaseModel):
    """居民. Never deleted: moving out or dying changes ``status`` and keeps the household link
    (only an import taken back removes the records it made; ids are never reused, as above)."""

    id = AutoIncrementField()

    household = ForeignKeyField(Household, backref="members", on_delete="RESTRICT")
    relation = CharField(max_length=12, constraints=[one_of("relation", Relation)])
    name = CharField()
    gender = CharField(max_length=1, constraints=[one_of("gender", Gender)])
    birth_date = DateField()
    id_number = CharField(max_length=18, null=True, index=False)  # unique: see below
    # what id_number holds (schema 8): a passport's number is not checked as an ID number
    document_type = CharField(
        max_length=24,
        default=DocumentType.ID_CARD.value,
        constraints=[SQL("DEFAULT 'id_card'"), one_of("document_type", DocumentType)],
    )
    category = CharField(  # 户籍 / 流动 / 寄住 (schema 8)
        max_length=12,
        default=ResidentCategory.REGISTERED.value,
        constraints=[SQL("DEFAULT 'registered'"), one_of("category", ResidentCategory)],
    )
    phone = CharField(max_length=20, null=True, index=True)
    ethnicity = CharField(default="汉族")
    status = CharField(
        max_length=12, default="living", constraints=[one_of("status", ResidentStatus)]
    )
    moved_in_on = DateField()
    moved_out_on = DateField(null=True)
    forwarding_contact = CharField(default="")  # where a moved-out resident can be reached
    # whom to call for them (schema 9): one line, "李明（儿子）138 0000 0000"; masked, revealed
    emergency_contact = CharField(default="", constraints=[SQL("DEFAULT ''")])
    died_on = DateField(null=True)
    notes = TextField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    updated_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", index=False)
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("status", "household"), False),
            (("name", "birth_date"), False),  # the same-person warning on registration
        )
        constraints = [
            Check("status != 'moved_out' OR moved_out_on IS NOT NULL"),
            Check("status != 'deceased' OR died_on IS NOT NULL"),
        ]


# At most one living head per household; the services keep "at least one" for active households.
Resident.add_index(
    Resident.index(
        Resident.household,
        unique=True,
        where=(Resident.relation == "head") & (Resident.status == "living"),
        name="resident_one_living_head",
    )
)


# One ID number, one person on the register — but a person who moved out of one community and
# into another has a record in each (the old one, moved out, stays as history).
Resident.add_index(
    Resident.index(
        Resident.id_number,
        unique=True,
        where=(Resident.status != "moved_out"),
        name="resident_id_number_current",
    )
)
Resident.add_index(Resident.index(Resident.id_number, name="resident_id_number"))


class Tag(BaseModel):
    """特殊群体. ``sensitive`` tags are masked in lists until revealed."""

    code = CharField(unique=True)
    sensitive = BooleanField(default=True)
    sort = IntegerField(default=0)


class ResidentTag(BaseModel):
    """A resident carries a tag from ``since``; removing it sets ``ended_at`` (history kept)."""

    resident = ForeignKeyField(Resident, backref="tags", on_delete="RESTRICT")
    tag = ForeignKeyField(Tag, backref="residents", on_delete="RESTRICT")
    since = DateField()
    note = CharField(default="")
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", index=False)
    ended_at = DateTimeField(null=True)
    ended_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)

    class Meta:
        indexes = ((("tag", "resident"), False),)


ResidentTag.add_index(
    ResidentTag.index(
        ResidentTag.resident,
        ResidentTag.tag,
        unique=True,
        where=ResidentTag.ended_at.is_null(True),
        name="resident_tag_one_open",
    )
)


class Move(BaseModel):
    """One move in, move out, relocation or death: the resident's history."""

    resident = ForeignKeyField(Resident, backref="moves", on_delete="RESTRICT")
    household = ForeignKeyField(Household, backref="moves", on_delete="RESTRICT")
    kind = CharField(max_length=12, constraints=[one_of("kind", MoveKind)])
    on_date = DateField()
    from_flat = ForeignKeyField(Flat, null=True, on_delete="RESTRICT", backref="+", index=False)
    to_flat = ForeignKeyField(Flat, null=True, on_delete="RESTRICT", backref="+", index=False)
    note = CharField(default="")
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
