"""Imports from a center's spreadsheets (issue 13): one row per import, and one per record it
wrote, so that the import can be taken back whole.

An import writes in short transactions (``frontdesk.roster.writing``); each record it creates
or changes is listed in ``roster_import_row`` in the same transaction, with what it held before
(``before``, JSON; empty for a record created) and the ``version`` the import left it at, so
that an undo can tell a record nobody touched since from one changed later.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from frontdesk.db.base import BaseModel, one_of
from frontdesk.db.org import Community
from frontdesk.db.search import reindex_residents
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


# -- taking an import back (``frontdesk.roster.runs.undo``) ----------------------------------

# children before parents: the order in which made records are removed
REMOVAL_ORDER = (
    "resident_tag",
    "move",
    "resident",
    "household",
    "opening_hours",
    "room",
    "flat",
    "unit",
    "building",
    "compound",
    "grid_l4",
    "grid_l3",
    "community",
    "subdistrict",
    "district",
)
VERSIONED = frozenset({"resident", "household"})


def _db() -> Any:
    return RosterImport._meta.database


def _made(import_id: int) -> dict[str, list[int]]:
    made: dict[str, list[int]] = {}
    rows = _db().execute_sql(
        "SELECT entity, entity_id FROM roster_import_row WHERE roster_import_id = ?"
        " AND before = '' ORDER BY entity_id",
        (import_id,),
    )
    for entity, entity_id in rows.fetchall():
        made.setdefault(str(entity), []).append(int(entity_id))
    return made


def _label(entity: str, entity_id: int) -> str:
    if entity == "resident":
        row = _db().execute_sql("SELECT name FROM resident WHERE id = ?", (entity_id,)).fetchone()
        return f"{row[0]} (resident {entity_id})" if row else f"resident {entity_id}"
    if entity == "household":
        row = (
            _db().execute_sql("SELECT number FROM household WHERE id = ?", (entity_id,)).fetchone()
        )
        return f"{row[0]} (household {entity_id})" if row else f"household {entity_id}"
    return f"{entity} {entity_id}"


def later_changes(import_id: int) -> list[str]:
    """The records of an import that a later change touches (edited since, or referred to by
    a record the import did not make), named; empty when it can be taken back."""
    db = _db()
    found: list[str] = []
    for entity in sorted(VERSIONED):
        rows = db.execute_sql(
            f'SELECT t.id FROM roster_import_row r JOIN "{entity}" t ON t.id = r.entity_id'
            " WHERE r.roster_import_id = ? AND r.entity = ? AND r.version IS NOT NULL"
            " AND t.version != r.version LIMIT 20",
            (import_id, entity),
        ).fetchall()
        found += [_label(entity, int(entity_id)) for (entity_id,) in rows]
    made = _made(import_id)
    tables = [t for (t,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        for key in db.execute_sql(f'PRAGMA foreign_key_list("{table}")').fetchall():
            parent, column = str(key[2]), str(key[3])
            if parent not in made:
                continue
            rows = db.execute_sql(
                f'SELECT t."{column}" FROM "{table}" t'
                " JOIN roster_import_row p ON p.roster_import_id = ? AND p.entity = ?"
                f" AND p.before = '' AND p.entity_id = t.\"{column}\""
                " WHERE NOT EXISTS (SELECT 1 FROM roster_import_row o"
                " WHERE o.roster_import_id = ? AND o.entity = ? AND o.before = ''"
                " AND o.entity_id = t.id) LIMIT 20",
                (import_id, parent, import_id, table),
            ).fetchall()
            found += [f"{_label(parent, int(v))} ← {table}" for (v,) in rows]
    return found


def undo_steps(import_id: int) -> list[tuple[str, str, list[int]]]:
    """(entity, "restored" | "removed", ids) in the order to take them back: changed records
    get their old values first, then the made ones go, children first."""
    db = _db()
    steps: list[tuple[str, str, list[int]]] = []
    changed: dict[str, list[int]] = {}
    for entity, entity_id in db.execute_sql(
        "SELECT entity, entity_id FROM roster_import_row WHERE roster_import_id = ?"
        " AND before != '' ORDER BY id DESC",
        (import_id,),
    ).fetchall():
        changed.setdefault(str(entity), []).append(int(entity_id))
    steps += [(entity, "restored", ids) for entity, ids in changed.items()]
    made = _made(import_id)
    unknown = set(made) - set(REMOVAL_ORDER)
    if unknown:
        raise RuntimeError(f"an import made records of {sorted(unknown)}: no order to remove them")
    steps += [(entity, "removed", made[entity]) for entity in REMOVAL_ORDER if entity in made]
    return steps


def take_back(import_id: int, entity: str, action: str, ids: list[int], *, now: Any) -> int:
    """Inside the caller's write: one chunk of ``undo_steps``; the number of records."""
    db = _db()
    if entity not in REMOVAL_ORDER:
        raise ValueError(entity)
    marks = ", ".join("?" * len(ids))
    if action == "removed":
        cursor = db.execute_sql(f'DELETE FROM "{entity}" WHERE id IN ({marks})', ids)
        if entity == "resident":
            reindex_residents(ids)  # their keys go
        return int(cursor.rowcount)
    rows = db.execute_sql(
        "SELECT entity_id, before FROM roster_import_row WHERE roster_import_id = ?"
        f" AND entity = ? AND before != '' AND entity_id IN ({marks}) ORDER BY id DESC",
        (import_id, entity, *ids),
    ).fetchall()
    for entity_id, before in rows:
        values: dict[str, Any] = json.loads(before)
        sets = ", ".join(f'"{column}" = ?' for column in values)
        bump = ', "version" = "version" + 1, "updated_at" = ?' if entity in VERSIONED else ""
        params = [*values.values(), *([str(now)] if entity in VERSIONED else []), entity_id]
        db.execute_sql(f'UPDATE "{entity}" SET {sets}{bump} WHERE id = ?', params)
    if entity == "resident":
        reindex_residents(ids)
    return len(rows)


def next_ids(table: str, count: int) -> list[int]:
    """Inside the caller's write: ``count`` ids for new rows of ``table``, above every id it
    ever held (``sqlite_sequence`` for an AUTOINCREMENT table), for a bulk insert that must
    know its rows' ids."""
    if count <= 0:
        return []
    if table not in REMOVAL_ORDER:
        raise ValueError(table)
    db = _db()
    (top,) = db.execute_sql(f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()
    sequence = (
        db.execute_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
        if _has_sequence(db)
        else None
    )
    start = max(int(top), int(sequence[0]) if sequence else 0) + 1
    return list(range(start, start + count))


def _has_sequence(db: Any) -> bool:
    return bool(
        db.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
        ).fetchone()
    )


def _value(value: Any) -> Any:
    """A value as the models store it (dates and times as ISO text, as peewee writes them)."""
    if isinstance(value, datetime):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_rows(table: str, rows: list[dict[str, Any]]) -> None:
    """Inside the caller's write: rows of one shape (column name → value) into ``table``, in one
    ``executemany`` — the ORM's statement building costs more than SQLite's insert at an
    import's scale. Only the tables an import writes."""
    if not rows:
        return
    if table not in REMOVAL_ORDER and table != "roster_import_row":
        raise ValueError(table)
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    _db().cursor().executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        [tuple(_value(row[c]) for c in columns) for row in rows],
    )


@contextlib.contextmanager
def checkpoints_between() -> Iterator[Callable[[], None]]:
    """For a long run of write transactions: SQLite's automatic checkpoint would copy the log
    into the database inside a commit, while this process holds the desks' turn to write (a
    commit of 20 ms became 700); off for this connection meanwhile, and the callable given runs
    a PASSIVE checkpoint, which waits for no one and blocks no writer, between transactions."""
    db = _db()
    (before,) = db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")

    def checkpoint() -> None:
        db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")

    try:
        yield checkpoint
    finally:
        db.execute_sql(f"PRAGMA wal_autocheckpoint = {int(before)}")
