"""Exports as Excel workbooks (.xlsx): the residents, the households with their members, the
requests and the bookings of a period, the audit log, the places.

Every export is masked unless it is a full one (a supervisor, with a reason), stays inside the
asker's communities, and writes one audit entry. ``book`` writes the workbooks; ``common``
holds who asks, where the file goes and the audit entry; the others each export one kind.
"""

from __future__ import annotations

from frontdesk.exporting.activity import (
    BookingSelection,
    Period,
    RequestSelection,
    export_bookings,
    export_requests,
)
from frontdesk.exporting.audit_log import export_audit
from frontdesk.exporting.common import ExportResult, community_by_code, default_path
from frontdesk.exporting.desk import Delivered, export_at_desk
from frontdesk.exporting.places import export_places
from frontdesk.exporting.residents import (
    ResidentSelection,
    export_households,
    export_residents,
)

KINDS = ("residents", "households", "requests", "bookings", "audit", "places")

__all__ = [
    "KINDS",
    "BookingSelection",
    "Delivered",
    "ExportResult",
    "Period",
    "RequestSelection",
    "ResidentSelection",
    "community_by_code",
    "default_path",
    "export_at_desk",
    "export_audit",
    "export_bookings",
    "export_households",
    "export_places",
    "export_requests",
    "export_residents",
]
