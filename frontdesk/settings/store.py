"""The plain store: a setting's value for a community, else the installation's, else the default.

A community's value is kept under ``<key>@<id>`` beside the installation's (see the package's
notes); ``get`` reads, ``put`` writes inside the caller's transaction.
"""

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
    # care visits: the days between visits at each level (frontdesk.care.settings)
    "care.days_high": 7,
    "care.days_key": 30,
    "care.days_general": 90,
    # which special-group tags put a person in care, and at which level (others: not care tags)
    "care.tag_levels": {
        "elderly_alone_no_kin": "high",
        "elderly_alone": "high",
        "attention": "high",
        "extreme_poverty": "key",
        "left_behind_child": "key",
        "disabled": "key",
        "subsistence": "key",
        "elderly_80": "general",
    },
}


# the installation's settings; every other one is a community's
GLOBAL = frozenset({"auth.idle_minutes", "auth.lock_after", "auth.lock_minutes"})


def stored_key(key: str, community_id: int | None) -> str:
    """Where a value is kept: the key itself (the installation's), ``<key>@<id>`` (a
    community's)."""
    if community_id is None or key in GLOBAL:
        return key
    return f"{key}@{community_id}"


def get(key: str, community_id: int | None = None) -> Any:
    """The value for a record of ``community_id`` (the installation's settings whatever it is):
    the community's own, else the installation's, else the default."""
    wanted = stored_key(key, community_id)
    keys = [wanted] if wanted == key else [wanted, key]
    rows = {row.key: row.value for row in Setting.select().where(Setting.key.in_(keys))}
    for candidate in keys:
        if candidate in rows:
            return json.loads(rows[candidate])
    return DEFAULTS[key]


def put(key: str, value: Any, community_id: int | None = None) -> None:
    """Store ``value`` (inside the caller's transaction)."""
    encoded = json.dumps(value, ensure_ascii=False)
    where = stored_key(key, community_id)
    if not Setting.update(value=encoded).where(Setting.key == where).execute():
        Setting.create(key=where, value=encoded)
