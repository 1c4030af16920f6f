"""The settings the desk can change: their kind, the numbers they may take, their labels."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from frontdesk.settings.store import GLOBAL


class Kind(StrEnum):
    INT = "int"  # a whole number (a count)
    FLOAT = "float"  # a number with decimals (a share)
    MINUTES = "minutes"  # whole minutes
    HOURS = "hours"  # whole (working) hours
    TIME_RANGES = "time_ranges"  # 08:30-12:00 14:00-17:30
    TABLE = "table"  # the due-time table: opened on its own screen, changed cell by cell


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
        return {"low": plain_number(self.low), "high": plain_number(self.high)}


# in the order the settings screen lists them
EDITABLE: tuple[SettingSpec, ...] = (
    SettingSpec("auth.idle_minutes", Kind.MINUTES, 1, 240, zero_allowed=True, unit="minutes"),
    SettingSpec("auth.lock_after", Kind.INT, 3, 20, unit="times"),
    SettingSpec("auth.lock_minutes", Kind.MINUTES, 1, 1440, unit="minutes"),
    SettingSpec("requests.special_group_factor", Kind.FLOAT, 0.1, 1.0),
    SettingSpec("requests.escalation_grace_hours", Kind.HOURS, 0, 72, unit="hours"),
    SettingSpec("calendar.working_hours", Kind.TIME_RANGES),
    # care visits (frontdesk.care.settings): the days between visits at each level
    SettingSpec("care.days_high", Kind.INT, 1, 31, unit="days"),
    SettingSpec("care.days_key", Kind.INT, 7, 92, unit="days"),
    SettingSpec("care.days_general", Kind.INT, 30, 366, unit="days"),
)
SPECS: dict[str, SettingSpec] = {spec.key: spec for spec in EDITABLE}


def spec_of(key: str) -> SettingSpec:
    """The description of an editable setting; ``ValueError`` for any other key."""
    spec = SPECS.get(key)
    if spec is None:
        raise ValueError(f"not an editable setting: {key!r}")
    return spec


def plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
