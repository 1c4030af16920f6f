"""Walk-in requests (来访诉求 / 工单): categories, due rules, the working calendar, the timeline."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from frontdesk.db.base import BaseModel, one_of
from frontdesk.db.grids import GridL4
from frontdesk.db.org import Community
from frontdesk.db.people import Resident
from frontdesk.db.places import Building, Compound, Flat
from frontdesk.db.staff import Staff
from frontdesk.vocabulary import (
    CalendarDayKind,
    Level,
    ReporterKind,
    RequestEventKind,
    RequestStatus,
    Urgency,
)


class RequestCategory(BaseModel):
    """照明维修, 水电维修 ... — ``code`` is the catalog key of the name (category.<code>)."""

    code = CharField(unique=True)
    active = BooleanField(default=True)
    sort = IntegerField(default=0)


class DueRule(BaseModel):
    """How many working hours a request of this category and urgency may take."""

    category = ForeignKeyField(RequestCategory, backref="due_rules", on_delete="RESTRICT")
    urgency = CharField(max_length=10, constraints=[one_of("urgency", Urgency)])
    hours = DecimalField(max_digits=6, decimal_places=1)

    class Meta:
        indexes = ((("category", "urgency"), True),)


class CalendarDay(BaseModel):
    """An exception to the Monday–Friday week: a public holiday or a make-up working day (调休)."""

    day = DateField(unique=True)
    kind = CharField(max_length=8, constraints=[one_of("kind", CalendarDayKind)])
    name = CharField(default="")


class Request(BaseModel):
    """One request. Never deleted; every change is a ``RequestEvent``."""

    number = CharField(unique=True)  # LJ-20261129-0007
    community = ForeignKeyField(Community, backref="requests", on_delete="RESTRICT")
    category = ForeignKeyField(RequestCategory, backref="requests", on_delete="RESTRICT")
    urgency = CharField(max_length=10, constraints=[one_of("urgency", Urgency)])
    level = CharField(max_length=12, default="grid", constraints=[one_of("level", Level)])
    status = CharField(max_length=12, default="new", constraints=[one_of("status", RequestStatus)])
    reporter_kind = CharField(max_length=10, constraints=[one_of("reporter_kind", ReporterKind)])
    reporter = ForeignKeyField(Resident, null=True, backref="reported", on_delete="RESTRICT")
    reporter_name = CharField()
    reporter_phone = CharField(default="")
    flat = ForeignKeyField(Flat, null=True, on_delete="RESTRICT", backref="requests")
    building = ForeignKeyField(Building, null=True, on_delete="RESTRICT", backref="requests")
    compound = ForeignKeyField(Compound, null=True, on_delete="RESTRICT", backref="requests")
    grid_l4 = ForeignKeyField(GridL4, null=True, on_delete="RESTRICT", backref="requests")
    place_text = CharField(default="")  # a public place, or details of where
    description = TextField()
    holder = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="held_requests")
    due_at = DateTimeField(null=True)
    special_group = BooleanField(default=False)
    duplicate_of = ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="duplicates")
    overdue_since = DateTimeField(null=True)
    resolution = TextField(default="")
    resolved_level = CharField(
        max_length=12, null=True, constraints=[one_of("resolved_level", Level, nullable=True)]
    )
    resolved_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    updated_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("status", "due_at"), False),
            (("holder", "status"), False),
            (("grid_l4", "status"), False),
            (("level", "status"), False),
            (("community", "created_at"), False),
        )


class RequestReporter(BaseModel):
    """A further reporter of the same trouble, attached instead of opening a duplicate."""

    request = ForeignKeyField(Request, backref="extra_reporters", on_delete="RESTRICT")
    resident = ForeignKeyField(Resident, null=True, on_delete="RESTRICT", backref="+")
    name = CharField()
    phone = CharField(default="")
    note = TextField(default="")
    attached_at = DateTimeField()
    attached_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)


class RequestEvent(BaseModel):
    """One line of a request's timeline: who did what, when."""

    request = ForeignKeyField(Request, backref="events", on_delete="RESTRICT")
    at = DateTimeField()
    actor = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    kind = CharField(max_length=20, constraints=[one_of("kind", RequestEventKind)])
    from_status = CharField(max_length=12, null=True)
    to_status = CharField(max_length=12, null=True)
    from_holder = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    to_holder = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    from_level = CharField(max_length=12, null=True)
    to_level = CharField(max_length=12, null=True)
    note = TextField(default="")

    class Meta:
        indexes = ((("request", "at"), False),)
