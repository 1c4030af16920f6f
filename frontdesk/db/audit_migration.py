"""Schema version 2, "audit chain": the audit log gets communities, OS users and its chains.

The table is rebuilt (SQLite cannot add a unique or a computed column in place, and every
existing entry gets its ``uid`` and hash anyway): the old one is set aside, the new one created
from the model, every entry copied in id order with its community (derived from its record as
``audit.record`` derives it), its place in that community's chain and its hash; then the old
table goes and the guards (triggers, chain index) are created. Inside the migration's one
IMMEDIATE transaction: all of it or nothing.
"""

from __future__ import annotations

import json
from typing import Any

from peewee import SqliteDatabase

from frontdesk.db.audit import AUDIT_GUARDS, AUDIT_MODELS, new_uid
from frontdesk.db.audit_chain import GENESIS, chain_hash, chain_key, community_of, content

# The community of each old entry: its record's, or its actor's for entries about no record.
_OLD_ENTRIES = f"""
SELECT a.id, a.at, a.actor_id, a.action, a.entity, a.entity_id, a.reason, a.detail,
  {community_of("a.entity", "a.entity_id", "a.actor_id")}
FROM audit_entry_v1 a ORDER BY a.id
"""

V1_TRIGGERS = frozenset({"audit_entry_no_update", "audit_entry_no_delete"})

_INSERT = """INSERT INTO audit_entry (id, uid, community_id, seq, at, actor_id, os_user, action,
  entity, entity_id, entity_uid, reason, detail, prev_hash, hash)
  VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)"""


def add_audit_chain(db: SqliteDatabase) -> None:
    """Version 2: rebuild ``audit_entry`` chained, with ``audit_subject`` and ``audit_alert``."""
    old = db.execute_sql(
        "SELECT type, name FROM sqlite_master WHERE tbl_name = 'audit_entry'"
        " AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).fetchall()
    dropped = sorted(V1_TRIGGERS - {name for _kind, name in old})  # before the upgrade
    for kind, name in old:  # the new table's take the same names
        db.execute_sql(f'DROP {kind.upper()} "{name}"')
    db.execute_sql("ALTER TABLE audit_entry RENAME TO audit_entry_v1")
    db.create_tables(AUDIT_MODELS, safe=False)
    codes = dict(db.execute_sql("SELECT id, code FROM community").fetchall())
    users = dict(db.execute_sql("SELECT id, username FROM staff").fetchall())
    subjects: dict[tuple[str, int], str] = {}
    heads: dict[int, tuple[int, str]] = {}
    rows: list[tuple[Any, ...]] = []
    for entry_id, at, actor, action, entity, entity_id, reason, detail, community in db.execute_sql(
        _OLD_ENTRIES
    ).fetchall():
        entity_uid = ""
        if entity_id is not None:
            entity_uid = subjects.setdefault((entity, entity_id), new_uid())
        seq, prev = heads.get(chain_key(community), (0, GENESIS))
        seq += 1
        uid = new_uid()
        body = content(
            uid=uid,
            community=codes.get(community),
            seq=seq,
            at=at,
            actor=users.get(actor),
            os_user="",
            action=action,
            entity=entity,
            entity_uid=entity_uid,
            reason=reason or "",
            detail=detail or "",
        )
        digest = chain_hash(prev, body)
        heads[chain_key(community)] = (seq, digest)
        row = (entry_id, uid, community, seq, at, actor, action, entity, entity_id, entity_uid)
        rows.append((*row, reason or "", detail or "", prev, digest))
    cursor = db.cursor()
    cursor.executemany(_INSERT, rows)
    cursor.executemany(
        "INSERT INTO audit_subject (entity, entity_id, uid) VALUES (?, ?, ?)",
        [(entity, entity_id, uid) for (entity, entity_id), uid in subjects.items()],
    )
    db.execute_sql("DROP TABLE audit_entry_v1")
    for sql in AUDIT_GUARDS.values():
        db.execute_sql(sql)
    if dropped:  # made again, but not silently: an alert for the supervisor
        db.execute_sql(
            "INSERT INTO audit_alert (raised_at, community_id, kind, signature, detail, reason)"
            " VALUES (datetime('now'), NULL, 'guards', ?, ?, '')",
            (f"guards:{','.join(dropped)}:migration 2", json.dumps({"missing": dropped})),
        )


SUBJECT_GUARDS = ("audit_subject_no_update", "audit_subject_no_delete")


def guard_subjects(db: SqliteDatabase) -> None:
    """Version 5: ``audit_subject`` (which record each uid names) append-only like the log.
    A database that has the triggers already (made or upgraded from 1 since) keeps them."""
    for name in SUBJECT_GUARDS:
        db.execute_sql(AUDIT_GUARDS[name])
