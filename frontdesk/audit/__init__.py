"""The append-only audit log: who did what to which record, when and why — chained per
community so that tampering shows (see ``frontdesk.db.audit_chain`` and ``audit.chain``).

``from frontdesk import audit; audit.record(...)`` is how every service writes it. The parts:
``log`` (writing, one record's entries), ``names`` (actions, families, masking), ``labels``
and ``search`` (the supervisor's list, in scope), ``export`` (CSV), ``chain`` (verifying the
chains, anchors), ``alerts`` (a break kept until acknowledged).
"""

from __future__ import annotations

from frontdesk.audit.export import (
    ANCHOR_ACTION,
    EXPORT_CHUNK,
    EXPORT_COLUMNS,
    EXPORTS_ENV,
    export_anchor,
    export_entries,
    export_folder,
    export_path,
)
from frontdesk.audit.labels import LogRow, record_labels
from frontdesk.audit.log import (
    DERIVE,
    AuditRow,
    community_for,
    entries_for,
    last_change,
    os_user,
    record,
)
from frontdesk.audit.names import (
    ENTITIES,
    EXPORT_ACTION,
    FAMILIES,
    KNOWN_ACTIONS,
    action_key,
    action_label,
    entity_label,
    family_label,
    family_of,
    mask_text,
)
from frontdesk.audit.search import (
    COUNT_CAP,
    PERSON_LIMIT,
    RECENT_ACTIONS,
    AuditFilters,
    AuditPage,
    OperatorChoice,
    action_choices,
    operator_choices,
    scope_condition,
    search_entries,
)

__all__ = [
    "ANCHOR_ACTION",
    "COUNT_CAP",
    "DERIVE",
    "ENTITIES",
    "EXPORTS_ENV",
    "EXPORT_ACTION",
    "EXPORT_CHUNK",
    "EXPORT_COLUMNS",
    "FAMILIES",
    "KNOWN_ACTIONS",
    "PERSON_LIMIT",
    "RECENT_ACTIONS",
    "AuditFilters",
    "AuditPage",
    "AuditRow",
    "LogRow",
    "OperatorChoice",
    "action_choices",
    "action_key",
    "action_label",
    "community_for",
    "entity_label",
    "entries_for",
    "export_anchor",
    "export_entries",
    "export_folder",
    "export_path",
    "family_label",
    "family_of",
    "last_change",
    "mask_text",
    "operator_choices",
    "os_user",
    "record",
    "record_labels",
    "scope_condition",
    "search_entries",
]
