"""An export asked for at a desk (a list screen's key): the file goes to the operator's outbox
when the desk runs over SSH with one (readable by their SFTP account), else to the exports
folder; the answer says how to fetch it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk.audit.export import export_folder
from frontdesk.audit.search import AuditFilters
from frontdesk.exporting.activity import (
    BookingSelection,
    RequestSelection,
    export_bookings,
    export_requests,
)
from frontdesk.exporting.audit_log import export_audit
from frontdesk.exporting.common import ExportResult, default_path
from frontdesk.exporting.places import export_places
from frontdesk.exporting.residents import (
    ResidentSelection,
    export_households,
    export_residents,
)
from frontdesk.outbox import fetch_command, outbox_folder, share


@dataclass(frozen=True)
class Delivered:
    path: Path
    rows: int
    masked: bool
    fetch: str | None  # the command that copies it to the office PC (an SSH desk's outbox)


def export_at_desk(
    kind: str,
    selection: Any,
    *,
    actor_id: int | None,
    now: datetime,
    full: bool = False,
    reason: str = "",
) -> Delivered:
    """Export ``kind`` under ``selection`` (its kind's selection; the places: a community id)
    as the operator, into the outbox or the exports folder."""
    path = default_path(outbox_folder() or export_folder(), kind, now)
    result: ExportResult
    if kind == "residents" or kind == "households":
        assert isinstance(selection, ResidentSelection)
        service = export_residents if kind == "residents" else export_households
        result = service(selection, path, actor_id=actor_id, now=now, full=full, reason=reason)
    elif kind == "requests":
        assert isinstance(selection, RequestSelection)
        result = export_requests(selection, path, actor_id=actor_id, now=now)
    elif kind == "bookings":
        assert isinstance(selection, BookingSelection)
        result = export_bookings(selection, path, actor_id=actor_id, now=now)
    elif kind == "audit":
        assert isinstance(selection, AuditFilters)
        result = export_audit(selection, path, actor_id=actor_id, now=now)
    elif kind == "places":
        result = export_places(path, actor_id=actor_id, now=now, community_id=selection)
    else:
        raise ValueError(f"not a kind of export: {kind!r}")
    share(result.path)
    return Delivered(result.path, result.rows, result.masked, fetch_command(result.path))
