"""An import as the desk keeps it: begun, written in short transactions, finished — or taken
back whole (issue 13, "An import is all-or-nothing from the user's side").

Every record an import creates or changes is listed (``roster_import_row``) in the transaction
that writes it, with the version it left the record at and, for a change, what the record held
before. Taking it back (``undo``) is refused while a later change touches one of those records
(its version moved on, or a record the import did not make refers to one it made); otherwise
the changed records get their old values back and the made ones are removed, children first,
in short transactions too. An import that stopped midway (the program killed, the machine
down) is found by its silence (``STOPPED_AFTER``) and taken back the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from peewee import JOIN

from frontdesk import audit
from frontdesk.audit.log import os_user, record_many
from frontdesk.db import imports as store
from frontdesk.db.connection import write
from frontdesk.db.models import RosterImport, RosterImportRow, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import Can, require
from frontdesk.vocabulary import ImportKind, ImportStatus

STOPPED_AFTER = timedelta(seconds=90)  # no batch written for this long: the import has stopped
UNDO_CHUNK = 400
AUDITED = frozenset({"resident", "household"})  # records with a trail of their own


@dataclass(frozen=True)
class ImportSummary:
    id: int
    kind: str
    file_name: str
    sha256: str
    status: str
    counts: dict[str, int]
    started_at: datetime
    finished_at: datetime | None
    by: str
    undone_at: datetime | None
    undo_reason: str
    community_id: int | None


@dataclass(frozen=True)
class Undone:
    import_id: int
    removed: int
    restored: int


def _json(value: object) -> str:
    def default(item: object) -> str:
        if isinstance(item, date | datetime):
            return item.isoformat()
        raise TypeError(type(item).__name__)

    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=default)


# -- beginning, writing, finishing ----------------------------------------------------------


def begin(
    kind: ImportKind,
    *,
    community_id: int | None,
    file_name: str,
    sha256: str,
    counts: dict[str, int],
    actor_id: int | None,
    now: datetime,
) -> int:
    """A new import, writing (its own short transaction); its id."""

    def run() -> int:
        new_id: int = RosterImport.insert(
            community=community_id,
            kind=kind.value,
            file_name=file_name,
            sha256=sha256,
            status=ImportStatus.WRITING.value,
            counts=_json(counts),
            started_at=now,
            heartbeat_at=now,
            created_by=actor_id,
            os_user=os_user(),
        ).execute()
        return new_id

    return write(run)


def note(
    import_id: int,
    entity: str,
    ids: Iterable[int],
    *,
    version: int | None = None,
    before: dict[int, dict[str, Any]] | None = None,
    now: datetime,
) -> None:
    """Inside the caller's write: these records were made (or, with ``before``, changed) by the
    import, and it is alive."""
    rows = [
        {
            "roster_import_id": import_id,
            "entity": entity,
            "entity_id": entity_id,
            "before": _json(before[entity_id]) if before and entity_id in before else "",
            "version": version,
        }
        for entity_id in ids
    ]
    store.insert_rows("roster_import_row", rows)
    RosterImport.update(heartbeat_at=now).where(RosterImport.id == import_id).execute()


def finish(
    import_id: int,
    counts: dict[str, int],
    *,
    actor_id: int | None,
    now: datetime,
    detail: dict[str, Any],
) -> None:
    """Done: the one audit entry for the whole import (file, SHA-256, counts, who)."""

    def run() -> None:
        row: Any = RosterImport.get_by_id(import_id)
        RosterImport.update(
            status=ImportStatus.DONE.value, counts=_json(counts), finished_at=now, heartbeat_at=now
        ).where(RosterImport.id == import_id).execute()
        audit.record(
            f"roster.import_{row.kind}",
            "roster_import",
            import_id,
            actor_id=actor_id,
            at=now,
            detail={
                "file": row.file_name,
                "sha256": row.sha256,
                "counts": counts,
                **detail,
            },
            community_id=row.community_id,
        )

    write(run)


def trail(
    import_id: int,
    community_id: int | None,
    entries: list[tuple[str, str, int | None, dict[str, Any]]],
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Inside the caller's write: the per-record audit entries of one batch."""
    for _, _, _, detail in entries:
        detail.setdefault("import", import_id)
    record_many(entries, actor_id=actor_id, at=now, community_id=community_id)


# -- reading ---------------------------------------------------------------------------------


def _summary(row: Any, by: str) -> ImportSummary:
    return ImportSummary(
        id=row.id,
        kind=row.kind,
        file_name=row.file_name,
        sha256=row.sha256,
        status=row.status,
        counts=json.loads(row.counts) if row.counts else {},
        started_at=row.started_at,
        finished_at=row.finished_at,
        by=by,
        undone_at=row.undone_at,
        undo_reason=row.undo_reason,
        community_id=row.community_id,
    )


def imports(*, actor_id: int | None, limit: int = 50) -> list[ImportSummary]:
    """The latest imports of the operator's communities, newest first."""
    operator = require(actor_id, Can.IMPORT) if actor_id is not None else None  # None: the file
    query = (
        RosterImport.select(RosterImport, Staff.display_name.alias("by_name"))
        .join(Staff, on=(RosterImport.created_by == Staff.id), join_type=JOIN.LEFT_OUTER)
        .order_by(RosterImport.id.desc())
        .limit(limit)
    )
    found = []
    for row in query.objects():
        if operator is not None and not operator.covers(row.community_id):
            continue
        found.append(_summary(row, row.by_name or row.os_user))
    return found


def summary(import_id: int) -> ImportSummary:
    row: Any = RosterImport.get_or_none(RosterImport.id == import_id)
    if row is None:
        raise UserError("roster.no_such_import", id=import_id)
    return _summary(row, row.os_user)


# -- taking back -----------------------------------------------------------------------------


def community_of(import_id: int) -> int | None:
    """The community an import is about: the one it is filed under, else the one it made (an
    import that makes its community is filed under none: its undo removes that community)."""
    row: Any = RosterImport.get_or_none(RosterImport.id == import_id)
    if row is None:
        raise UserError("roster.no_such_import", id=import_id)
    if row.community_id is not None:
        return int(row.community_id)
    made: Any = (
        RosterImportRow.select(RosterImportRow.entity_id)
        .where(
            (RosterImportRow.roster_import == import_id)
            & (RosterImportRow.entity == "community")
            & (RosterImportRow.before == "")
        )
        .first()
    )
    return int(made.entity_id) if made is not None else None


def may_take_back(actor_id: int | None, import_id: int) -> None:
    """Who may take an import back: the supervisor of its community, signed in; the command line
    (``actor_id`` None) only while that community has no staff yet — a center being set up
    before ``frontdesk account add``, where whoever can write the file can do as much anyway
    (the audit keeps the OS user)."""
    community_id = community_of(import_id)
    if actor_id is None:
        staffed = Staff.select().where(
            (Staff.community == community_id) & (Staff.active == True)  # noqa: E712
        )
        if community_id is not None and staffed.exists():
            raise UserError("roster.undo_needs_user")
        return
    operator = require(actor_id, Can.IMPORT)
    if not operator.covers(community_id):
        raise UserError("roster.no_such_import", id=import_id)


def undo(
    import_id: int,
    *,
    actor_id: int | None,
    now: datetime,
    reason: str = "asked",
    progress: Callable[[float], None] | None = None,
    checked: bool = False,
) -> Undone:
    """Take an import back whole: refused (``roster.undo_blocked``, naming what) while a later
    change touches its records; an import already taken back is refused too. ``checked``: the
    caller is the import itself (a cancel, a failure) or the desk taking back one that stopped,
    not a person asking — no permission to check."""
    found = summary(import_id)
    if not checked:
        may_take_back(actor_id, import_id)
    if found.status == ImportStatus.UNDONE:
        raise UserError("roster.already_undone", id=import_id)
    blocked = store.later_changes(import_id)
    if blocked:
        raise UserError("roster.undo_blocked", id=import_id, count=len(blocked), first=blocked[0])
    steps = store.undo_steps(import_id)
    total = sum(len(ids) for _, _, ids in steps) or 1
    done = removed = restored = 0
    for entity, action, ids in steps:
        for start in range(0, len(ids), UNDO_CHUNK):
            chunk = ids[start : start + UNDO_CHUNK]

            def run(entity: str = entity, action: str = action, chunk: list[int] = chunk) -> int:
                count = store.take_back(import_id, entity, action, chunk, now=now)
                if entity in AUDITED:  # each record's own trail says it was taken back
                    record_many(
                        [
                            (f"{entity}.import_{action}", entity, entity_id, {"import": import_id})
                            for entity_id in chunk
                        ],
                        actor_id=actor_id,
                        at=now,
                        community_id=found.community_id,
                    )
                return count

            count = write(run)
            if action == "removed":
                removed += count
            else:
                restored += count
            done += len(chunk)
            if progress is not None:
                progress(done / total)

    def close() -> None:
        RosterImport.update(
            status=ImportStatus.UNDONE.value,
            undone_at=now,
            undone_by=actor_id,
            undo_reason=reason,
        ).where(RosterImport.id == import_id).execute()
        audit.record(
            "roster.undo",
            "roster_import",
            import_id,
            actor_id=actor_id,
            at=now,
            detail={
                "file": found.file_name,
                "removed": removed,
                "restored": restored,
                "why": reason,
            },
            community_id=found.community_id,
        )

    write(close)
    return Undone(import_id=import_id, removed=removed, restored=restored)


def take_back_stopped(now: datetime) -> list[int]:
    """Imports that stopped midway (silent for ``STOPPED_AFTER``): taken back; their ids."""
    stale = [
        row.id
        for row in RosterImport.select(RosterImport.id).where(
            (RosterImport.status == ImportStatus.WRITING.value)
            & (RosterImport.heartbeat_at < now - STOPPED_AFTER)
        )
    ]
    taken = []
    for import_id in stale:
        try:
            undo(import_id, actor_id=None, now=now, reason="stopped", checked=True)
        except UserError:  # changed since: left for a supervisor to see (frontdesk import list)
            continue
        taken.append(import_id)
    return taken
