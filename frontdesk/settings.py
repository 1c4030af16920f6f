"""Configuration kept in the database (``Setting``: a key and a JSON value), with defaults."""

from __future__ import annotations

import json
from typing import Any

from frontdesk.db.models import Setting

DEFAULTS: dict[str, Any] = {
    # the working day, for due times: [[opens, closes], ...]
    "calendar.working_hours": [["08:30", "12:00"], ["14:00", "17:30"]],
    # a request from or about a special group gets this share of the usual time
    "requests.special_group_factor": 0.5,
    # working hours an overdue request waits at its level before it goes up by itself
    "requests.escalation_grace_hours": 4,
    # wrong passwords in a row before an account locks, and for how long
    "auth.lock_after": 5,
    "auth.lock_minutes": 15,
    # minutes without a key press before a desk locks its screen (0: never)
    "auth.idle_minutes": 10,
}


def get(key: str) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return DEFAULTS[key]
    return json.loads(row.value)


def put(key: str, value: Any) -> None:
    """Store ``value`` (inside the caller's transaction)."""
    encoded = json.dumps(value, ensure_ascii=False)
    if not Setting.update(value=encoded).where(Setting.key == key).execute():
        Setting.create(key=key, value=encoded)
