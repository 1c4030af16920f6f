"""The audit log as a workbook: the entries the supervisor's list finds under the same filters
(``frontdesk.audit.search``), in its scope, newest first, masked as on screen. The CSV export
(``frontdesk.audit.export``) stays as it is."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk.audit.labels import _rows
from frontdesk.audit.names import action_label, entity_label
from frontdesk.audit.search import PERSON_LIMIT, AuditFilters, _base, _People, _people
from frontdesk.db.models import Resident
from frontdesk.exporting.book import Column, Kind
from frontdesk.exporting.common import (
    ExportResult,
    Progress,
    asker,
    new_book,
    record_export,
    title,
)
from frontdesk.i18n import _
from frontdesk.permissions import Can
from frontdesk.search.finder import search_everywhere
from frontdesk.search.query import SearchFilters

CHUNK = 500
COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("time", Kind.DATETIME),
    ("operator", Kind.TEXT),
    ("action", Kind.TEXT),
    ("action_code", Kind.TEXT),
    ("record", Kind.TEXT),
    ("entity", Kind.TEXT),
    ("entity_id", Kind.NUMBER),
    ("reason", Kind.TEXT),
    ("detail", Kind.TEXT),
    ("community", Kind.TEXT),
    ("os_user", Kind.TEXT),
)


def _everyone(text: str, today: Any) -> _People:
    """The person filter for the command line: the residents ``text`` finds anywhere."""
    found = search_everywhere(text, SearchFilters(status=None), today=today, limit=PERSON_LIMIT)
    residents = [hit.id for hit in found.hits]
    rows = Resident.select(Resident.household).where(Resident.id.in_(residents or [0]))
    found_rows: Any = rows.distinct().tuples()
    households = sorted({h for (h,) in found_rows})
    return _People(residents, households, found.total)


def _words(filters: AuditFilters) -> list[str]:
    words = []
    if filters.person.strip():
        words.append(_("export.filter.person", person=filters.person.strip()))
    if filters.action:
        words.append(filters.action)
    if filters.operator_id is not None:
        words.append(_("export.filter.operator", id=filters.operator_id))
    if filters.since or filters.until:
        since = f"{filters.since:%Y-%m-%d}" if filters.since else "…"
        until = f"{filters.until:%Y-%m-%d}" if filters.until else "…"
        words.append(_("export.filter.period", since=since, until=until))
    return words


def export_audit(
    filters: AuditFilters,
    path: Path,
    *,
    actor_id: int | None,
    now: datetime,
    command_line: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Every entry matching ``filters`` that the operator may read (the command line: all)."""
    who = asker(actor_id, Can.VIEW_AUDIT, command_line=command_line)
    people = None
    if filters.person.strip():
        if who.operator is None:
            people = _everyone(filters.person, now.date())
        else:
            people = _people(filters.person, who.operator.id, now.date())
    heading = title(_("export.what.audit"), who.communities, _words(filters), now, False)
    rows = 0
    with new_book(path) as book:
        columns = [Column(_(f"audit.col.{name}"), kind) for name, kind in COLUMNS]
        sheet = book.sheet(_("export.what.audit"), columns, heading)
        if people is None or people.residents:
            chunk: list[dict[str, Any]] = []
            for row in _base(filters, people, who.operator).dicts().iterator():
                chunk.append(row)
                if len(chunk) == CHUNK:
                    rows += _write(sheet, chunk)
                    chunk = []
            rows += _write(sheet, chunk)
        sheet.finish()
    result = ExportResult(path=path, rows=rows, masked=True)
    described = filters.described()
    record_export(who, "audit", communities=None, filters=described, result=result, now=now)
    if progress is not None:
        progress(1.0)
    return result


def _write(sheet: Any, raw: list[dict[str, Any]]) -> int:
    for row in _rows(raw):
        sheet.row(
            [
                row.at,
                row.operator,
                action_label(row.action),
                row.action,
                row.record,
                entity_label(row.entity),
                row.entity_id,
                row.reason,
                row.detail,
                row.community,
                row.os_user,
            ]
        )
    return len(raw)
