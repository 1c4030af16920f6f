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
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import Setting
from frontdesk.errors import UserError
from frontdesk.permissions import Can, Operator, PermissionDenied, require
from frontdesk.residents.validation import Validation, check_text
from frontdesk.textrules import LINE
from frontdesk.vocabulary import Role

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


# ----------------------------------------------------------------------- editable settings


class Kind(StrEnum):
    INT = "int"  # a whole number (a count)
    FLOAT = "float"  # a number with decimals (a share)
    MINUTES = "minutes"  # whole minutes
    HOURS = "hours"  # whole (working) hours
    TIME_RANGES = "time_ranges"  # 08:30-12:00 14:00-17:30


FIELD = "value"  # the one field of the edit form: where validation messages go
MAX_RANGES = 6


@dataclass(frozen=True)
class SettingSpec:
    """A setting the desk can change: its kind and the numbers it may take (inclusive)."""

    key: str
    kind: Kind
    low: float = 0
    high: float = 0
    zero_allowed: bool = False  # 0 also allowed, outside [low, high] (idle lock: never)
    unit: str = ""  # shown after the number: minutes, hours, times (``settings.unit.<unit>``)

    @property
    def per_community(self) -> bool:
        return self.key not in GLOBAL

    @property
    def label_key(self) -> str:
        return "settings.label." + self.key.replace(".", "_")

    @property
    def help_key(self) -> str:
        return "settings.help." + self.key.replace(".", "_")

    def limits(self) -> dict[str, str]:
        """The range as text, for messages and help: ``{"low": "1", "high": "240"}``."""
        return {"low": _number(self.low), "high": _number(self.high)}


# in the order the settings screen lists them
EDITABLE: tuple[SettingSpec, ...] = (
    SettingSpec("auth.idle_minutes", Kind.MINUTES, 1, 240, zero_allowed=True, unit="minutes"),
    SettingSpec("auth.lock_after", Kind.INT, 3, 20, unit="times"),
    SettingSpec("auth.lock_minutes", Kind.MINUTES, 1, 1440, unit="minutes"),
    SettingSpec("requests.special_group_factor", Kind.FLOAT, 0.1, 1.0),
    SettingSpec("requests.escalation_grace_hours", Kind.HOURS, 0, 72, unit="hours"),
    SettingSpec("calendar.working_hours", Kind.TIME_RANGES),
)
SPECS: dict[str, SettingSpec] = {spec.key: spec for spec in EDITABLE}


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


def spec_of(key: str) -> SettingSpec:
    """The description of an editable setting; ``ValueError`` for any other key."""
    spec = SPECS.get(key)
    if spec is None:
        raise ValueError(f"not an editable setting: {key!r}")
    return spec


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def format_value(spec: SettingSpec, value: Any) -> str:
    """A stored value as one would type it."""
    if spec.kind == Kind.TIME_RANGES:
        return " ".join(f"{opens}-{closes}" for opens, closes in value)
    if spec.kind == Kind.FLOAT:
        return f"{float(value):g}"
    return _number(value)


def _normal(spec: SettingSpec, value: Any) -> Any:
    """A stored value in the one form to compare by (JSON loses tuples, 4 == 4.0)."""
    if spec.kind == Kind.TIME_RANGES:
        return [[str(opens), str(closes)] for opens, closes in value]
    return float(value)


# the characters typed between two times, and between two ranges
_DASHES = re.compile(r"\s*[-–—~至到]\s*")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})", re.ASCII)


def _clean(text: str) -> str:
    """Full-width digits, colons and tildes (as a Chinese input method types them) as ASCII."""
    return unicodedata.normalize("NFKC", text).strip()


def _parse_time(text: str) -> time | None:
    found = _TIME.fullmatch(text)
    if found is None:
        return None
    hour, minute = int(found[1]), int(found[2])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _parse_ranges(text: str, v: Validation) -> list[list[str]]:
    ranges: list[tuple[time, time]] = []
    compact = _DASHES.sub("-", text)
    parts = [p for p in re.split(r"[\s,;、，；]+", compact) if p]
    if not parts:
        v.error(FIELD, "validation.required")
        return []
    if len(parts) > MAX_RANGES:
        v.error(FIELD, "settings.too_many_ranges", max=MAX_RANGES)
        return []
    for part in parts:
        pieces = part.split("-")
        if len(pieces) != 2:
            v.error(FIELD, "settings.range_format", text=part)
            return []
        opens, closes = (_parse_time(piece) for piece in pieces)
        if opens is None or closes is None:
            bad = pieces[0] if opens is None else pieces[1]
            v.error(FIELD, "settings.bad_time", text=bad)
            return []
        if closes <= opens:
            v.error(FIELD, "settings.range_backwards", range=f"{opens:%H:%M}-{closes:%H:%M}")
            return []
        if ranges and opens < ranges[-1][1]:
            before = f"{ranges[-1][0]:%H:%M}-{ranges[-1][1]:%H:%M}"
            v.error(
                FIELD,
                "settings.ranges_overlap",
                first=before,
                second=f"{opens:%H:%M}-{closes:%H:%M}",
            )
            return []
        ranges.append((opens, closes))
    return [[f"{opens:%H:%M}", f"{closes:%H:%M}"] for opens, closes in ranges]


def _parse_number(spec: SettingSpec, text: str, v: Validation) -> float | int | None:
    if not text:
        v.error(FIELD, "validation.required")
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        v.error(FIELD, "settings.not_a_number")
        return None
    whole = spec.kind != Kind.FLOAT
    if whole and not number.is_integer():
        v.error(FIELD, "settings.not_whole")
        return None
    allowed = spec.low <= number <= spec.high or (spec.zero_allowed and number == 0)
    if not allowed:
        if spec.zero_allowed:
            v.error(FIELD, "settings.out_of_range_or_zero", **spec.limits())
        else:
            v.error(FIELD, "settings.out_of_range", **spec.limits())
        return None
    return int(number) if whole else number


def parse_value(key: str, text: str) -> Any:
    """The value typed for ``key``, checked: ``ValidationFailed`` (field ``value``) when it is
    not a number, out of range, or not a list of time ranges in order without overlaps."""
    spec = spec_of(key)
    v = Validation()
    check_text(v, FIELD, text, LINE)  # bounded: one line of at most 200 characters
    v.raise_if_refused(confirm_warnings=False)
    typed = _clean(text)
    value: Any
    if spec.kind == Kind.TIME_RANGES:
        value = _parse_ranges(typed, v)
    else:
        value = _parse_number(spec, typed, v)
    v.raise_if_refused(confirm_warnings=False)
    return value


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
        changed=_normal(spec, current) != _normal(spec, default),
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


def list_settings(*, actor_id: int | None) -> list[SettingRow]:
    """The settings the operator changes, each with its value now and its default: a
    supervisor their community's, the administrator the installation's."""
    operator = require(actor_id, Can.CONFIGURE)
    return [_row(spec, _place(operator)) for spec in EDITABLE if _mine(operator, spec)]


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
        if _normal(spec, current) != _normal(spec, value):
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
