"""The supervisor's export of the log: every entry under the filters, as CSV, itself recorded."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk import textrules
from frontdesk.audit.labels import _rows
from frontdesk.audit.log import record
from frontdesk.audit.names import EXPORT_ACTION, action_label, entity_label
from frontdesk.audit.search import AuditFilters, _base, _people, _scope
from frontdesk.db.connection import write
from frontdesk.i18n import _
from frontdesk.outbox import share
from frontdesk.paths import output_folder

EXPORT_CHUNK = 500
EXPORTS_ENV = "FRONTDESK_EXPORTS"


def export_folder() -> Path:
    """Where exports are written: ``FRONTDESK_EXPORTS``, else ``exports`` in the user's data
    folder, else the current folder."""
    return output_folder(EXPORTS_ENV, "exports")


def export_path(folder: Path, now: datetime) -> Path:
    """``audit-20261129-103000.csv`` in ``folder``, not overwriting an earlier export."""
    stem = f"audit-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{stem}.csv"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.csv"
        n += 1
    return path


EXPORT_COLUMNS = (
    "time",
    "operator",
    "action",
    "action_code",
    "record",
    "entity",
    "entity_id",
    "reason",
    "detail",
    "community",
    "os_user",
)


def export_entries(
    filters: AuditFilters, path: Path, *, actor_id: int | None, now: datetime
) -> int:
    """Write every entry matching ``filters`` to a CSV file at ``path`` (UTF-8 with a BOM, so
    that Excel reads the Chinese; the header in the current language; masked as on screen),
    then record the export itself. Returns the number of entries written."""
    within = _scope(actor_id)
    people = _people(filters.person, actor_id, now.date()) if filters.person.strip() else None
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)  # personal data
    with open(fd, "w", encoding="utf-8-sig", newline="") as out:
        writer = textrules.csv_writer(out)  # no cell read as a formula
        writer.writerow([_(f"audit.col.{column}") for column in EXPORT_COLUMNS])
        if people is None or people.residents:
            chunk: list[dict[str, Any]] = []
            for row in _base(filters, people, within).dicts().iterator():
                chunk.append(row)
                if len(chunk) == EXPORT_CHUNK:
                    count += _write_rows(writer, chunk)
                    chunk = []
            count += _write_rows(writer, chunk)
    share(path)  # in an SSH desk's outbox: readable by the member's SFTP account
    detail = {"file": path.name, "rows": count, "filters": filters.described()}
    write(
        lambda: record(EXPORT_ACTION, "audit_entry", None, actor_id=actor_id, at=now, detail=detail)
    )
    return count


def _write_rows(writer: Any, raw: list[dict[str, Any]]) -> int:
    for row in _rows(raw):
        writer.writerow(
            [
                f"{row.at:%Y-%m-%d %H:%M:%S}",
                row.operator,
                action_label(row.action),
                row.action,
                row.record,
                entity_label(row.entity),
                "" if row.entity_id is None else row.entity_id,
                row.reason,
                row.detail,
                row.community,
                row.os_user,
            ]
        )
    return len(raw)


ANCHOR_ACTION = "audit.anchor"


def export_anchor(
    folder: Path, *, actor_id: int | None, database: str, now: datetime
) -> tuple[Path, int]:
    """Write the chains' anchor (``audit-anchor-<time>.json``) into ``folder`` for the
    supervisor to keep outside the database, and record that it was taken. Returns the file
    and the number of chains."""
    from frontdesk.audit.chain import write_anchor

    _scope(actor_id)  # who may read the log
    folder.mkdir(parents=True, exist_ok=True)
    path = export_path(folder, now).with_name(f"audit-anchor-{now:%Y%m%d-%H%M%S}.json")
    document = write_anchor(path, now, database)
    detail = {"file": path.name, "chains": len(document["chains"])}
    write(
        lambda: record(ANCHOR_ACTION, "audit_entry", None, actor_id=actor_id, at=now, detail=detail)
    )
    return path, len(document["chains"])
