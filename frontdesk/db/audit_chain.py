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

from frontdesk.db.audit import (
    AUDIT_GUARDS,
    GUARDED_TABLES,
    AuditEntry,
    AuditSubject,
    new_uid,
)
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


_FLAT_UP = """JOIN flat f ON h.flat_id = f.id JOIN unit u ON f.unit_id = u.id
    JOIN building b ON u.building_id = b.id JOIN compound c ON b.compound_id = c.id"""


def community_of(entity: str, entity_id: str, actor: str) -> str:
    """The SQL expression of an entry's community, over three SQL expressions: a global setting
    has none; a resident's or household's is their flat's, a booking's or series' their room's,
    a closure's, request's or staff member's their own; an entry about no such record takes the
    actor's. (``audit.record`` derives it so, and so did the upgrade for older entries.)"""
    return f"""CASE
    WHEN {entity} = 'setting' THEN NULL
    WHEN {entity_id} IS NOT NULL AND {entity} IN ('resident', 'household', 'booking',
      'booking_series', 'closure', 'request', 'staff') THEN CASE {entity}
      WHEN 'resident' THEN (SELECT c.community_id FROM resident r
        JOIN household h ON r.household_id = h.id {_FLAT_UP} WHERE r.id = {entity_id})
      WHEN 'household' THEN (SELECT c.community_id FROM household h {_FLAT_UP}
        WHERE h.id = {entity_id})
      WHEN 'booking' THEN (SELECT m.community_id FROM booking k
        JOIN room m ON k.room_id = m.id WHERE k.id = {entity_id})
      WHEN 'booking_series' THEN (SELECT m.community_id FROM booking_series k
        JOIN room m ON k.room_id = m.id WHERE k.id = {entity_id})
      WHEN 'closure' THEN (SELECT community_id FROM closure WHERE id = {entity_id})
      WHEN 'request' THEN (SELECT community_id FROM request WHERE id = {entity_id})
      ELSE (SELECT community_id FROM staff WHERE id = {entity_id}) END
    ELSE (SELECT community_id FROM staff WHERE id = {actor})
  END"""


_COMMUNITY_FOR = f"SELECT {community_of(':entity', ':entity_id', ':actor')}"


def community_for(entity: str, entity_id: int | None, actor_id: int | None) -> int | None:
    """The community an entry about ``entity`` ``entity_id`` by ``actor_id`` belongs to (one
    query along the record's keys)."""
    params = {"entity": entity, "entity_id": entity_id, "actor": actor_id}
    row = AuditEntry._meta.database.execute_sql(_COMMUNITY_FOR, params).fetchone()
    return None if row[0] is None else int(row[0])


_BEFORE_APPEND = """SELECT
  (SELECT seq || ' ' || hash FROM audit_entry WHERE coalesce(community_id, 0) = ?
     ORDER BY seq DESC LIMIT 1),
  (SELECT code FROM community WHERE id = ?),
  (SELECT username FROM staff WHERE id = ?),
  (SELECT uid FROM audit_subject WHERE entity = ? AND entity_id = ?)"""

_APPEND = """INSERT INTO audit_entry (uid, community_id, seq, at, actor_id, os_user, action, entity,
  entity_id, entity_uid, reason, detail, prev_hash, hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


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
    insert, and the unique chain index refuses a fork if one ever tried). One read (the chain
    head by its index, the community's code, the actor's username, the record's uid), one hash,
    one insert (two for a record's first entry)."""
    db = AuditEntry._meta.database
    head, code, username, entity_uid = db.execute_sql(
        _BEFORE_APPEND, (chain_key(community_id), community_id, actor_id, entity, entity_id)
    ).fetchone()
    seq, prev = (1, GENESIS)
    if head:
        last, prev = head.split(" ")
        seq = int(last) + 1
    if entity_uid is None:
        entity_uid = ""
        if entity_id is not None:
            entity_uid = new_uid()
            db.execute_sql(
                "INSERT INTO audit_subject (entity, entity_id, uid) VALUES (?, ?, ?)",
                (entity, entity_id, entity_uid),
            )
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
    row = (uid, community_id, seq, str(at), actor_id, os_user, action, entity, entity_id)
    db.execute_sql(_APPEND, (*row, entity_uid, reason, detail, prev, chain_hash(prev, body)))


def append_many(
    *,
    community_id: int | None,
    at: datetime,
    actor_id: int | None,
    os_user: str,
    entries: list[tuple[str, str, int | None, str]],
) -> None:
    """Append ``entries`` (action, entity, entity_id, detail), in order, at the head of one
    community's chain, inside the caller's write transaction: what ``append`` does for each,
    with one read of the head and one insert per table for all of them (an import's trail:
    thousands of entries in a transaction that must stay short)."""
    if not entries:
        return
    db = AuditEntry._meta.database
    head, code, username = db.execute_sql(
        "SELECT (SELECT seq || ' ' || hash FROM audit_entry WHERE coalesce(community_id, 0) = ?"
        " ORDER BY seq DESC LIMIT 1), (SELECT code FROM community WHERE id = ?),"
        " (SELECT username FROM staff WHERE id = ?)",
        (chain_key(community_id), community_id, actor_id),
    ).fetchone()
    seq, prev = (0, GENESIS)
    if head:
        last, prev = head.split(" ")
        seq = int(last)
    uids: dict[tuple[str, int], str] = {}
    wanted: dict[str, set[int]] = {}
    for _, entity, entity_id, _ in entries:
        if entity_id is not None:
            wanted.setdefault(entity, set()).add(entity_id)
    for entity, ids in wanted.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for entity_id, uid in db.execute_sql(
                f"SELECT entity_id, uid FROM audit_subject WHERE entity = ?"
                f" AND entity_id IN ({marks})",
                (entity, *chunk),
            ).fetchall():
                uids[(entity, int(entity_id))] = str(uid)
    subjects: list[tuple[str, int, str]] = []
    rows: list[tuple[object, ...]] = []
    for action, entity, entity_id, detail in entries:
        entity_uid = ""
        if entity_id is not None:
            entity_uid = uids.get((entity, entity_id), "")
            if not entity_uid:
                entity_uid = uids[(entity, entity_id)] = new_uid()
                subjects.append((entity, entity_id, entity_uid))
        seq += 1
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
            reason="",
            detail=detail,
        )
        digest = chain_hash(prev, body)
        who = (uid, community_id, seq, str(at), actor_id, os_user)
        rows.append((*who, action, entity, entity_id, entity_uid, "", detail, prev, digest))
        prev = digest
    cursor = db.cursor()
    if subjects:
        cursor.executemany(
            "INSERT INTO audit_subject (entity, entity_id, uid) VALUES (?, ?, ?)", subjects
        )
    cursor.executemany(_APPEND, rows)


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


def _normal(sql: str) -> str:
    """A definition as SQLite keeps it in ``sqlite_master``: without ``IF NOT EXISTS``, and
    whitespace-normalised for comparing."""
    return " ".join(sql.split()).replace(" IF NOT EXISTS ", " ", 1)


def guard_problems(db: SqliteDatabase) -> dict[str, list[str]]:
    """What is wrong with the guards, by kind (only the kinds that have names): ``missing``
    (not in the file), ``altered`` (there under the name, defined otherwise: e.g. ``WHEN 0``,
    or the chain index not unique), ``unknown`` (another trigger on a guarded table: it could
    drop or change what is appended). Empty: the guards are as this program makes them."""
    tables = ", ".join(f"'{t}'" for t in GUARDED_TABLES)
    names = ", ".join(f"'{n}'" for n in AUDIT_GUARDS)
    rows = db.execute_sql(
        "SELECT name, type, sql FROM sqlite_master WHERE type IN ('trigger', 'index')"
        f" AND (name IN ({names}) OR (type = 'trigger' AND tbl_name IN ({tables})))"
    ).fetchall()
    found = {str(name): (str(kind), str(sql or "")) for name, kind, sql in rows}
    problems: dict[str, list[str]] = {
        "missing": [n for n in AUDIT_GUARDS if n not in found],
        "altered": [
            n
            for n, sql in AUDIT_GUARDS.items()
            if n in found and _normal(found[n][1]) != _normal(sql)
        ],
        "unknown": sorted(n for n in found if n not in AUDIT_GUARDS),
    }
    return {kind: names for kind, names in problems.items() if names}


def missing_guards(db: SqliteDatabase) -> list[str]:
    """Every guard name ``guard_problems`` finds wrong, whatever the kind."""
    return [name for names in guard_problems(db).values() for name in names]


def restore_guards(db: SqliteDatabase, problems: dict[str, list[str]]) -> None:
    """Make the guards as they should be again: drop what is altered or unknown, create what
    is missing or was altered (inside the caller's write transaction)."""
    kinds = dict(
        db.execute_sql("SELECT name, type FROM sqlite_master WHERE type IN ('trigger', 'index')")
    )
    for name in [*problems.get("altered", []), *problems.get("unknown", [])]:
        kind = "INDEX" if kinds.get(name) == "index" else "TRIGGER"
        db.execute_sql(f'DROP {kind} IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')
    for name in [*problems.get("missing", []), *problems.get("altered", [])]:
        db.execute_sql(AUDIT_GUARDS[name])


def subjects(upto: int | None = None) -> list[tuple[int, str, int, str]]:
    """Which record each subject uid names: (id, entity, entity_id, uid) in id order;
    ``upto``: only those with an id up to it (the ones an anchor saw)."""
    query = AuditSubject.select(
        AuditSubject.id, AuditSubject.entity, AuditSubject.entity_id, AuditSubject.uid
    )
    if upto is not None:
        query = query.where(AuditSubject.id <= upto)
    rows = cast(list[tuple[int, str, int, str]], list(query.order_by(AuditSubject.id).tuples()))
    return [(int(i), str(e), int(n), str(u)) for i, e, n, u in rows]


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
def read_only(path: Path, *, own: bool = False) -> Iterator[SqliteDatabase]:
    """The database at ``path`` opened without writing (``filecheck.read_only_uri``: ``mode=ro``,
    or a snapshot where SQLite cannot do that), every model bound to it meanwhile. ``own``: a
    file this process just made (a backup copy), opened plainly but ``query_only``, so that
    closing it leaves no -wal and -shm beside it."""
    from frontdesk.db.filecheck import read_header, read_only_uri
    from frontdesk.db.models import ALL_MODELS

    if own:
        db = SqliteDatabase(str(path), pragmas={"query_only": 1})
    else:
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
