"""The settings screen's services: list the operator's settings, change one from typed text,
reset one to its default. Each checks the operator's permission; a change is written with its
audit entry (``settings.changed`` / ``settings.reset``, from and to as text) in one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.errors import UserError
from frontdesk.permissions import Can, Operator, PermissionDenied, require
from frontdesk.settings.duetimes import DUE_KEY, table_of
from frontdesk.settings.specs import EDITABLE, Kind, SettingSpec, spec_of
from frontdesk.settings.store import DEFAULTS, get, put, stored_key
from frontdesk.settings.text import format_value, normal, parse_value
from frontdesk.vocabulary import Role


@dataclass(frozen=True)
class SettingRow:
    """One setting as the settings screen lists it; values as they would be typed."""

    key: str
    kind: Kind
    label_key: str
    help_key: str
    value: str  # the current value, e.g. "10" or "08:30-12:00 14:00-17:30"
    default: str
    changed: bool  # differs from the default
    community_id: int | None = None  # whose value it is (None: the installation's)


def _row(spec: SettingSpec, community_id: int | None) -> SettingRow:
    current = get(spec.key, community_id)
    default = DEFAULTS[spec.key]
    return SettingRow(
        key=spec.key,
        kind=spec.kind,
        label_key=spec.label_key,
        help_key=spec.help_key,
        value=format_value(spec, current),
        default=format_value(spec, default),
        changed=normal(spec, current) != normal(spec, default),
        community_id=community_id if spec.per_community else None,
    )


def _place(operator: Operator) -> int | None:
    """The community whose settings ``operator`` changes (None: the installation's)."""
    return None if operator.role == Role.ADMIN else operator.community_id


def _mine(operator: Operator, spec: SettingSpec) -> bool:
    """A supervisor changes their community's settings; the administrator the installation's."""
    if operator.role == Role.ADMIN:
        return not spec.per_community
    return spec.per_community and operator.community_id is not None


def _table_row(community_id: int) -> SettingRow:
    """The due-time table as one line of the list: the value is the number of cells changed
    from the default (0: none); Enter opens the table itself."""
    table = table_of(community_id)
    return SettingRow(
        key=DUE_KEY,
        kind=Kind.TABLE,
        label_key="settings.label.requests_due_hours",
        help_key="settings.help.requests_due_hours",
        value=str(table.changed),
        default="0",
        changed=bool(table.changed),
        community_id=community_id,
    )


def list_settings(*, actor_id: int | None) -> list[SettingRow]:
    """The settings the operator changes, each with its value now and its default: a
    supervisor their community's (and the line of its due-time table), the administrator the
    installation's."""
    operator = require(actor_id, Can.CONFIGURE)
    rows = [_row(spec, _place(operator)) for spec in EDITABLE if _mine(operator, spec)]
    community = _place(operator)
    if community is not None:
        rows.append(_table_row(community))
    return rows


def _store(
    spec: SettingSpec,
    value: Any,
    *,
    reset: bool,
    actor_id: int | None,
    now: datetime,
    loaded: str | None = None,
) -> SettingRow:
    """Inside one transaction: the permission, the value unless it is the same, the audit.
    ``loaded``: the value (as shown) the person started from; changed meanwhile, refused."""
    action = "settings.reset" if reset else "settings.changed"

    def run() -> SettingRow:
        operator = require(actor_id, Can.CONFIGURE)
        if not _mine(operator, spec):
            kind = "community" if spec.per_community else "installation"
            scope = f"perm.scope.{kind}_settings"
            raise PermissionDenied(operator, Can.CONFIGURE, scope=scope)
        community_id = _place(operator) if spec.per_community else None
        current = get(spec.key, community_id)
        if loaded is not None and format_value(spec, current) != loaded:
            # who changed this value: a community's is known by where it is kept (key@id)
            if community_id is None:
                mark = json.dumps({"key": spec.key}, ensure_ascii=False)[1:-1]  # '"key": "auth…"'
            else:
                place = stored_key(spec.key, community_id)
                mark = json.dumps({"stored": place}, ensure_ascii=False)[1:-1]
            who, at = audit.last_change("setting", None, mentioning=mark)
            raise UserError("settings.changed_elsewhere", who=who, at=at)
        if normal(spec, current) != normal(spec, value):
            put(spec.key, value, community_id)
            detail: dict[str, Any] = {
                "key": spec.key,
                "from": format_value(spec, current),
                "to": format_value(spec, value),
            }
            if community_id is not None:
                detail["community_id"] = community_id
                detail["stored"] = stored_key(spec.key, community_id)
            audit.record(
                action,
                "setting",
                None,
                actor_id=actor_id,
                at=now,
                detail=detail,
                community_id=community_id,
            )
        return _row(spec, community_id)

    return write(run)


def change_setting(
    key: str, text: str, *, actor_id: int | None, now: datetime, loaded: str | None = None
) -> SettingRow:
    """Set ``key`` to the value typed in ``text``; the setting as it now is. With ``loaded``
    (the value the form showed) a change made meanwhile at another desk is not overwritten."""
    spec = spec_of(key)
    value = parse_value(key, text)
    return _store(spec, value, reset=False, actor_id=actor_id, now=now, loaded=loaded)


def reset_setting(key: str, *, actor_id: int | None, now: datetime) -> SettingRow:
    """Set ``key`` back to its default; the setting as it now is."""
    spec = spec_of(key)
    return _store(spec, DEFAULTS[key], reset=True, actor_id=actor_id, now=now)
