"""The people who use the program."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from frontdesk.db.base import BaseModel, one_of
from frontdesk.db.org import Community, Subdistrict
from frontdesk.vocabulary import Role


class Staff(BaseModel):
    """工作人员. Never deleted: the audit log points at them; ``active`` disables."""

    username = CharField(unique=True)
    display_name = CharField()
    role = CharField(max_length=16, constraints=[one_of("role", Role)])
    phone = CharField(default="")
    community = ForeignKeyField(Community, null=True, backref="staff", on_delete="RESTRICT")
    subdistrict = ForeignKeyField(Subdistrict, null=True, backref="staff", on_delete="RESTRICT")
    password_hash = CharField()
    must_change_password = BooleanField(default=False)
    active = BooleanField(default=True)
    away = BooleanField(default=False)  # a grid manager marked away: requests go to the L3 leader
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)
    # waiting for the leadership's confirmation (``frontdesk.staff.confirm``): what made it wait
    # ("created", "enabled", "role", "reset"; None: nothing waits), who made it, since when
    pending_change = CharField(max_length=16, null=True)
    pending_by = ForeignKeyField("self", null=True, backref="+", on_delete="RESTRICT")
    pending_since = DateTimeField(null=True)
