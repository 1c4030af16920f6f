"""The audit chain as stored: what an entry's hash covers, appending one, reading a chain back.

An entry's hash is SHA-256 over the previous entry's hash (64 hex digits; 64 zeros for the
first), a line break, and the entry's canonical content: JSON with sorted keys, no spaces,
Chinese as is, of stable identifiers only — the entry's ``uid``, the community's ``code``, the
actor's ``username``, the record's ``entity_uid`` (``AuditSubject``), the time in ISO form, the
action, the reason and the details (themselves re-serialised canonically). Row ids are not
hashed: a move to another database may renumber them. Nothing sealed is hashed either: details
never hold ID numbers or phones, so re-keying a sealed field rewrites nothing here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from peewee import JOIN, SQL, SqliteDatabase, fn

from frontdesk.db.audit import AUDIT_GUARDS, AuditEntry, AuditSubject, new_uid
from frontdesk.db.org import Community
from frontdesk.db.staff import Staff

GENESIS = "0" * 64
CONTENT_VERSION = 1
INSTALLATION = 0  # the chain key of entries without a community


def at_text(value: object) -> str:
    """A time as the chain hashes it: ISO 8601, ``T`` between date and time."""
    if isinstance(value, datetime):
        return value.isoformat()
    try:
        return datetime.fromisoformat(str(value)).isoformat()
    except ValueError:
        return str(value)


def detail_text(text: str) -> str:
    """The details as canonical JSON (sorted keys, no spaces): the same whatever wrote them."""
    if not text:
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content(
    *,
    uid: str,
    community: str | None,
    seq: int,
    at: object,
    actor: str | None,
    os_user: str,
    action: str,
    entity: str,
    entity_uid: str,
    reason: str,
    detail: str,
) -> bytes:
    """An entry's canonical content (``community``: its code; ``actor``: a username)."""
    value = {
        "v": CONTENT_VERSION,
        "uid": uid,
        "community": community,
        "seq": seq,
        "at": at_text(at),
        "actor": actor,
        "os_user": os_user,
        "action": action,
        "entity": entity,
        "entity_uid": entity_uid,
        "reason": reason,
        "detail": detail_text(detail),
    }
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()


def chain_key(community_id: int | None) -> int:
    return INSTALLATION if community_id is None else community_id


def _key() -> Any:
    """The expression of the ``audit_entry_chain`` index (a literal 0, so the planner uses it)."""
    return fn.COALESCE(AuditEntry.community, SQL("0"))


def _chain(key: int) -> Any:
    return _key() == key


def chain_head(community_id: int | None) -> tuple[int, str] | None:
    """The last place and hash of a chain (one read of the chain index). Inside the write
    transaction, so no other desk appends meanwhile."""
    row = (
        AuditEntry.select(AuditEntry.seq, AuditEntry.hash)
        .where(_chain(chain_key(community_id)))
        .order_by(AuditEntry.seq.desc())
        .tuples()
        .first()
    )
    return None if row is None else (int(row[0]), str(row[1]))


def subject_uid(entity: str, entity_id: int | None) -> str:
    """The stable identity of a record (made on its first entry); "" for no record."""
    if entity_id is None:
        return ""
    row = (
        AuditSubject.select(AuditSubject.uid)
        .where((AuditSubject.entity == entity) & (AuditSubject.entity_id == entity_id))
        .tuples()
        .first()
    )
    if row is not None:
        return str(row[0])
    return str(AuditSubject.create(entity=entity, entity_id=entity_id).uid)


def names(community_id: int | None, actor_id: int | None) -> tuple[str | None, str | None]:
    """The community's code and the actor's username (one query)."""
    row = AuditEntry._meta.database.execute_sql(
        "SELECT (SELECT code FROM community WHERE id = ?),"
        " (SELECT username FROM staff WHERE id = ?)",
        (community_id, actor_id),
    ).fetchone()
    return row[0], row[1]


def append(
    *,
    community_id: int | None,
    at: datetime,
    actor_id: int | None,
    os_user: str,
    action: str,
    entity: str,
    entity_id: int | None,
    reason: str,
    detail: str,
) -> None:
    """Append one entry at the head of its community's chain (inside the caller's write
    transaction: ``BEGIN IMMEDIATE`` means no other desk appends between the read and the
    insert, and the unique chain index refuses a fork if one ever tried)."""
    head = chain_head(community_id)
    seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
    code, username = names(community_id, actor_id)
    entity_uid = subject_uid(entity, entity_id)
    uid = new_uid()
    body = content(
        uid=uid,
        community=code,
        seq=seq,
        at=at,
        actor=username,
        os_user=os_user,
        action=action,
        entity=entity,
        entity_uid=entity_uid,
        reason=reason,
        detail=detail,
    )
    AuditEntry.insert(
        uid=uid,
        community=community_id,
        seq=seq,
        at=at,
        actor=actor_id,
        os_user=os_user,
        action=action,
        entity=entity,
        entity_id=entity_id,
        entity_uid=entity_uid,
        reason=reason,
        detail=detail,
        prev_hash=prev,
        hash=chain_hash(prev, body),
    ).execute()


# ------------------------------------------------------------------------------ reading back


def chains() -> list[tuple[int, str | None]]:
    """Every chain in the file: (key, community code), the installation's (0) first; one
    look at the chain index per community."""
    rows = Community.select(Community.id, Community.code).order_by(Community.id).tuples()
    codes: dict[int, str] = {int(i): str(c) for i, c in cast(list[tuple[int, str]], list(rows))}
    keys = [INSTALLATION, *codes]
    return [(k, codes.get(k)) for k in keys if chain_head(None if k == INSTALLATION else k)]


def chain_rows(key: int, *, last: int | None = None) -> Iterator[dict[str, Any]]:
    """A chain's entries in order of place (and of id, for two at one place), each with what
    its hash covers; ``last``: only the last ``last`` of them (and the one before, to link)."""
    query = (
        AuditEntry.select(
            AuditEntry.id,
            AuditEntry.uid,
            AuditEntry.seq,
            AuditEntry.at,
            AuditEntry.os_user,
            AuditEntry.action,
            AuditEntry.entity,
            AuditEntry.entity_id,
            AuditEntry.entity_uid,
            AuditEntry.reason,
            AuditEntry.detail,
            AuditEntry.prev_hash,
            AuditEntry.hash,
            Community.code.alias("community_code"),
            Staff.username.alias("actor_username"),
            AuditSubject.uid.alias("subject_uid"),
        )
        .join(Community, JOIN.LEFT_OUTER, on=(AuditEntry.community == Community.id))
        .switch(AuditEntry)
        .join(Staff, JOIN.LEFT_OUTER, on=(AuditEntry.actor == Staff.id))
        .switch(AuditEntry)
        .join(
            AuditSubject,
            JOIN.LEFT_OUTER,
            on=(AuditSubject.entity == AuditEntry.entity)
            & (AuditSubject.entity_id == AuditEntry.entity_id),
        )
        .where(_chain(key))
    )
    if last is not None:
        head = chain_head(None if key == INSTALLATION else key)
        if head is not None:
            query = query.where(AuditEntry.seq >= head[0] - last)
    ordered = query.order_by(AuditEntry.seq, AuditEntry.id).dicts()
    yield from ordered.iterator()


def row_content(row: dict[str, Any]) -> bytes:
    """The canonical content of an entry read by ``chain_rows``."""
    return content(
        uid=row["uid"],
        community=row["community_code"],
        seq=row["seq"],
        at=row["at"],
        actor=row["actor_username"],
        os_user=row["os_user"],
        action=row["action"],
        entity=row["entity"],
        entity_uid=row["entity_uid"],
        reason=row["reason"],
        detail=row["detail"],
    )


# ---------------------------------------------------------------------------------- guards


def missing_guards(db: SqliteDatabase) -> list[str]:
    """The append-only triggers and the chain index that are not in the file."""
    found = {
        name
        for (name,) in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index')"
            " AND tbl_name = 'audit_entry'"
        ).fetchall()
    }
    return [name for name in AUDIT_GUARDS if name not in found]


def restore_guards(db: SqliteDatabase, names: list[str]) -> None:
    for name in names:
        db.execute_sql(AUDIT_GUARDS[name])


def entry_at(key: int, seq: int) -> dict[str, Any] | None:
    """The entry at one place of a chain (the first, if a forged one shares it)."""
    rows = AuditEntry.select(AuditEntry.uid, AuditEntry.seq, AuditEntry.at, AuditEntry.hash).where(
        _chain(key) & (AuditEntry.seq == seq)
    )
    return rows.order_by(AuditEntry.id).dicts().first()


def head_entry(key: int) -> dict[str, Any] | None:
    """The last entry of a chain: its place, uid, time and hash."""
    rows = AuditEntry.select(AuditEntry.uid, AuditEntry.seq, AuditEntry.at, AuditEntry.hash)
    return rows.where(_chain(key)).order_by(AuditEntry.seq.desc()).dicts().first()


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[SqliteDatabase]:
    """The database at ``path`` opened without writing (``connection.read_only_uri``: ``mode=ro``,
    or a snapshot where SQLite cannot do that), every model bound to it meanwhile."""
    from frontdesk.db.connection import read_header, read_only_uri
    from frontdesk.db.models import ALL_MODELS

    uri, _snapshot = read_only_uri(path, read_header(path))
    db = SqliteDatabase(uri, uri=True, pragmas={"query_only": 1})
    db.connect()
    try:
        with db.bind_ctx(ALL_MODELS, bind_refs=False, bind_backrefs=False):
            yield db
    finally:
        db.close()


def schema_version(db: SqliteDatabase) -> int:
    row = db.execute_sql("SELECT max(version) FROM schema_migration").fetchone()
    return int(row[0] or 0)
