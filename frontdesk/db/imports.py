"""Imports from a center's spreadsheets (issue 13): one row per import, and one per record it
wrote, so that the import can be taken back whole.

An import writes in short transactions (``frontdesk.roster.writing``); each record it creates
or changes is listed in ``roster_import_row`` in the same transaction, with what it held before
(``before``, JSON; empty for a record created) and the ``version`` the import left it at, so
that an undo can tell a record nobody touched since from one changed later.
"""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from frontdesk.db.base import BaseModel, one_of
from frontdesk.db.org import Community
from frontdesk.db.staff import Staff
from frontdesk.vocabulary import ImportKind, ImportStatus


class RosterImport(BaseModel):
    community = ForeignKeyField(Community, null=True, backref="+", on_delete="RESTRICT")
    kind = CharField(max_length=12, constraints=[one_of("kind", ImportKind)])
    file_name = CharField()
    sha256 = CharField(max_length=64)
    status = CharField(max_length=12, constraints=[one_of("status", ImportStatus)])
    counts = TextField(default="")  # JSON: new, updated, unchanged, refused ...
    started_at = DateTimeField()
    heartbeat_at = DateTimeField()  # last batch written: an import long silent has stopped
    finished_at = DateTimeField(null=True)
    created_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT")
    os_user = CharField(default="")
    undone_at = DateTimeField(null=True)
    undone_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT", index=False)
    undo_reason = CharField(default="")  # asked | cancelled | stopped


class RosterImportRow(BaseModel):
    """A record an import created (``before`` empty) or changed."""

    roster_import = ForeignKeyField(RosterImport, backref="rows", on_delete="RESTRICT")
    entity = CharField(max_length=24)  # table name: resident, household, move, flat ...
    entity_id = IntegerField()
    before = TextField(default="")  # JSON of the changed columns' old values
    version = IntegerField(null=True)  # the record's version after the import wrote it

    class Meta:
        indexes = (
            (("roster_import", "entity"), False),
            (("entity", "entity_id"), False),
        )
