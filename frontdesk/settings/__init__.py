"""Configuration kept in the database (``Setting``: a key and a JSON value), with defaults.

Two kinds of setting. The installation's (``GLOBAL``: the idle lock and the sign-in lock) hold
for every desk; only the administrator changes them. A community's (the working hours, the
special-group share of due times, the escalation grace) hold for that community's records; only
its supervisor changes them. A community's value is stored under its own key, ``<key>@<id>``
(``calendar.working_hours@3``), beside the installation's: the table's primary key keeps one
value per setting and community (a nullable community column in a unique index would not: SQLite
holds NULLs distinct), reading one is one primary-key lookup, and no table changes. ``get(key,
community_id)`` reads the community's value, else the installation's (a value set before
settings were per community goes on counting for every community until it sets its own), else
the default.

``get`` and ``put`` are the plain store. The settings a supervisor or the administrator may
change at the desk are described in ``EDITABLE`` (kind, allowed range, catalog label and help);
``list_settings``, ``change_setting`` and ``reset_setting`` read and write them from typed text:
each checks the operator's permission, and a change is written with its audit entry
(``settings.changed`` / ``settings.reset``, from and to as text) in one transaction. A value
typed again unchanged writes nothing.

The parts: ``store`` (``get``, ``put``, the defaults), ``specs`` (what may be changed, and
within which limits), ``text`` (a value formatted as typed, a typed one parsed and checked),
``changes`` (the screen's list, change and reset, with their audit), ``duetimes`` (each
community's category × urgency due-time table: its cells kept as ``requests.due_hours.<category>.
<urgency>@<id>`` over the installation's ``DueRule``, changed cell by cell with the same checks
and audit).
"""

from __future__ import annotations

from frontdesk.settings.changes import SettingRow, change_setting, list_settings, reset_setting
from frontdesk.settings.duetimes import (
    DUE_KEY,
    DueCell,
    DueTable,
    change_due_hours,
    due_hours,
    due_table,
    reset_due_hours,
)
from frontdesk.settings.specs import (
    EDITABLE,
    FIELD,
    MAX_RANGES,
    SPECS,
    Kind,
    SettingSpec,
    spec_of,
)
from frontdesk.settings.store import DEFAULTS, GLOBAL, get, put, stored_key
from frontdesk.settings.text import format_value, parse_value

__all__ = [
    "DEFAULTS",
    "DUE_KEY",
    "EDITABLE",
    "FIELD",
    "GLOBAL",
    "MAX_RANGES",
    "SPECS",
    "DueCell",
    "DueTable",
    "Kind",
    "SettingRow",
    "SettingSpec",
    "change_due_hours",
    "change_setting",
    "due_hours",
    "due_table",
    "format_value",
    "get",
    "list_settings",
    "parse_value",
    "put",
    "reset_due_hours",
    "reset_setting",
    "spec_of",
    "stored_key",
]
