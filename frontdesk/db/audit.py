"""The append-only audit log (triggers refuse UPDATE and DELETE, see ``migrations``)."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from frontdesk.db.base import BaseModel
from frontdesk.db.staff import Staff


class AuditEntry(BaseModel):
    at = DateTimeField(index=True)
    actor = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    action = CharField(max_length=40)  # e.g. resident.reveal_id, booking.create
    entity = CharField(max_length=40)  # table name
    entity_id = IntegerField(null=True)
    reason = TextField(default="")
    detail = TextField(default="")  # JSON

    class Meta:
        indexes = ((("entity", "entity_id"), False), (("actor", "at"), False))
