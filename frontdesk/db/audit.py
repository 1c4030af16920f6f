"""The append-only audit log, its chains and the alerts a broken chain raises.

Each entry belongs to its community's chain (``community`` NULL: the installation's own chain,
for accounts without a community and global settings): ``seq`` is its place in the chain,
``prev_hash`` the hash of the entry before it and ``hash`` its own (see ``audit_hash``). The
triggers and the unique chain index below (``AUDIT_GUARDS``) refuse UPDATE, DELETE and a second
entry at one place, and any change to ``audit_subject`` (which record each uid names); whoever
can write the file can drop or redefine them, which the desk and ``frontdesk audit verify``
notice (they compare each guard's definition, and refuse any other trigger on these tables).
"""

from __future__ import annotations

import secrets

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from frontdesk.db.base import BaseModel
from frontdesk.db.org import Community
from frontdesk.db.staff import Staff


def new_uid() -> str:
    """A random 128-bit identifier, 32 hex digits."""
    return secrets.token_hex(16)


class AuditEntry(BaseModel):
    uid = CharField(max_length=32, unique=True, default=new_uid)  # stable across databases
    community = ForeignKeyField(
        Community, null=True, on_delete="RESTRICT", backref="+", index=False
    )
    seq = IntegerField(default=0)  # place in the community's chain, from 1
    at = DateTimeField(index=True)
    actor = ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+", index=False)
    os_user = CharField(default="")  # the account the program ran under (SUDO_USER first)
    action = CharField(max_length=40)  # e.g. resident.reveal_id, booking.create
    entity = CharField(max_length=40)  # table name
    entity_id = IntegerField(null=True)
    entity_uid = CharField(default="")  # the record's stable identity (AuditSubject.uid)
    reason = TextField(default="")
    detail = TextField(default="")  # JSON
    prev_hash = CharField(max_length=64, default="")
    hash = CharField(max_length=64, default="")

    class Meta:
        indexes = (
            (("entity", "entity_id"), False),
            (("actor", "at"), False),
            (("community", "at"), False),
        )


class AuditSubject(BaseModel):
    """The stable identity of a record the log speaks about: the chain hashes ``uid``, not the
    row id, which a move to another database may renumber (the move rewrites ``entity_id``
    here and in ``audit_entry`` together; neither is hashed)."""

    entity = CharField(max_length=40)
    entity_id = IntegerField()
    uid = CharField(max_length=32, unique=True, default=new_uid)

    class Meta:
        indexes = ((("entity", "entity_id"), True),)


class AuditAlert(BaseModel):
    """A break in a chain or a missing guard, kept until a supervisor acknowledges it."""

    raised_at = DateTimeField()
    community = ForeignKeyField(Community, null=True, on_delete="RESTRICT", backref="+")
    kind = CharField(max_length=16)  # chain | guards
    signature = CharField(unique=True)  # the same break is raised once
    detail = TextField(default="")  # JSON: seq, uid, at, problem, names
    acknowledged_at = DateTimeField(null=True)
    acknowledged_by = ForeignKeyField(
        Staff, null=True, on_delete="RESTRICT", backref="+", index=False
    )
    reason = TextField(default="")


AUDIT_MODELS: list[type[BaseModel]] = [AuditEntry, AuditSubject, AuditAlert]

# What the ORM does not express (SQLite dialect). Named, so their absence can be seen.
AUDIT_GUARDS: dict[str, str] = {
    "audit_entry_no_update": """CREATE TRIGGER IF NOT EXISTS audit_entry_no_update
       BEFORE UPDATE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    "audit_entry_no_delete": """CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete
       BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    # one entry at each place of each chain (NULL community: the installation's chain, 0)
    "audit_entry_chain": """CREATE UNIQUE INDEX IF NOT EXISTS audit_entry_chain
       ON audit_entry (coalesce(community_id, 0), seq)""",
    # which record each uid names: re-pointing it would hand one record's history to another
    "audit_subject_no_update": """CREATE TRIGGER IF NOT EXISTS audit_subject_no_update
       BEFORE UPDATE ON audit_subject
       BEGIN SELECT RAISE(ABORT, 'the audit subjects are append-only'); END""",
    "audit_subject_no_delete": """CREATE TRIGGER IF NOT EXISTS audit_subject_no_delete
       BEFORE DELETE ON audit_subject
       BEGIN SELECT RAISE(ABORT, 'the audit subjects are append-only'); END""",
}
# The tables the guards protect: any other trigger on them is refused (it could drop or alter
# what is appended).
GUARDED_TABLES = ("audit_entry", "audit_subject")
