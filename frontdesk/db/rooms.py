"""The center's rooms (功能室), their hours, closures, bookings and recurring series."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    TimeField,
)

from frontdesk.db.base import BaseModel, one_of
from frontdesk.db.org import Community
from frontdesk.db.people import Resident
from frontdesk.db.staff import Staff
from frontdesk.vocabulary import BookerKind, BookingStatus, SeriesExceptionKind


class Room(BaseModel):
    """功能室 with its capacity and per-room booking limits."""

    community = ForeignKeyField(Community, backref="rooms", on_delete="RESTRICT")
    code = CharField(max_length=24)  # catalog key of its name: room.<code>
    name = CharField()  # 妇女之家 — the name on the door
    purpose = CharField(default="")
    capacity = IntegerField(constraints=[Check("capacity > 0")])
    max_booking_minutes = IntegerField(default=240)
    max_days_ahead = IntegerField(default=60)
    weekly_quota_minutes = IntegerField(null=True)  # per booker and week; NULL: no quota
    active = BooleanField(default=True)
    sort = IntegerField(default=0)

    class Meta:
        indexes = ((("community", "code"), True),)


class OpeningHours(BaseModel):
    """One opening interval of a room on a weekday (0 = Monday); a day may have several."""

    room = ForeignKeyField(Room, backref="opening_hours", on_delete="RESTRICT")
    weekday = IntegerField(constraints=[Check("weekday BETWEEN 0 AND 6")])
    opens = TimeField()
    closes = TimeField()

    class Meta:
        indexes = ((("room", "weekday"), False),)
        constraints = [Check("opens < closes")]


class Closure(BaseModel):
    """A closure of one room, or of the whole center when ``room`` is NULL."""

    community = ForeignKeyField(Community, backref="closures", on_delete="RESTRICT")
    room = ForeignKeyField(Room, null=True, backref="closures", on_delete="RESTRICT")
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    reason = CharField()
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    lifted_at = DateTimeField(null=True)  # closures are lifted, never deleted
    lifted_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)

    class Meta:
        indexes = ((("community", "starts_at"), False),)
        constraints = [Check("starts_at < ends_at")]


class BookingSeries(BaseModel):
    """A weekly series: on ``weekdays`` (digits 0–6) from ``starts_on`` until a date or N times."""

    room = ForeignKeyField(Room, backref="series", on_delete="RESTRICT")
    title = CharField()
    weekdays = CharField(max_length=7)
    start_time = TimeField()
    end_time = TimeField()
    starts_on = DateField()
    until_on = DateField(null=True)
    occurrences = IntegerField(null=True)
    booker_kind = CharField(max_length=16, constraints=[one_of("booker_kind", BookerKind)])
    resident = ForeignKeyField(Resident, null=True, on_delete="RESTRICT", backref="+")
    booker_name = CharField()
    booker_phone = CharField(default="")
    attendees = IntegerField(default=1)
    notes = TextField(default="")
    cancelled_at = DateTimeField(null=True)
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    version = IntegerField(default=1)
    # the series this one took over from ("this and following"): one weekly class, in parts
    split_from = ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="+")

    class Meta:
        constraints = [
            Check("start_time < end_time"),
            Check("until_on IS NOT NULL OR occurrences IS NOT NULL"),
        ]


class Booking(BaseModel):
    """预约: one booked interval of one room. Cancelling keeps the row (shown struck out)."""

    room = ForeignKeyField(Room, backref="bookings", on_delete="RESTRICT")
    series = ForeignKeyField(BookingSeries, null=True, backref="bookings", on_delete="RESTRICT")
    occurrence_date = DateField(null=True)  # the series date this booking was generated for
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    title = CharField()
    booker_kind = CharField(max_length=16, constraints=[one_of("booker_kind", BookerKind)])
    resident = ForeignKeyField(Resident, null=True, on_delete="RESTRICT", backref="bookings")
    booker_name = CharField()
    booker_phone = CharField(default="")
    attendees = IntegerField(default=1)
    notes = TextField(default="")
    status = CharField(
        max_length=12, default="booked", constraints=[one_of("status", BookingStatus)]
    )
    checked_in_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    cancelled_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    cancel_reason = CharField(default="")
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    updated_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("room", "starts_at"), False),
            (("starts_at",), False),
            (("status", "starts_at"), False),  # the no-show sweep
            (("series", "occurrence_date"), False),
        )
        constraints = [Check("starts_at < ends_at"), Check("attendees > 0")]


class SeriesException(BaseModel):
    """An occurrence of a series that was cancelled, moved or changed on its own.

    Regenerating a series never touches the occurrence dates listed here.
    """

    series = ForeignKeyField(BookingSeries, backref="exceptions", on_delete="RESTRICT")
    occurrence_date = DateField()
    kind = CharField(max_length=12, constraints=[one_of("kind", SeriesExceptionKind)])
    booking = ForeignKeyField(Booking, null=True, on_delete="RESTRICT", backref="+")
    note = CharField(default="")
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)

    class Meta:
        indexes = ((("series", "occurrence_date"), True),)
