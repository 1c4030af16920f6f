"""A setting's value as one types it: a stored value formatted, a typed one parsed and checked."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import time
from typing import Any

from frontdesk.residents.validation import Validation, check_text
from frontdesk.settings.specs import FIELD, MAX_RANGES, Kind, SettingSpec, plain_number, spec_of
from frontdesk.textrules import LINE


def format_value(spec: SettingSpec, value: Any) -> str:
    """A stored value as one would type it."""
    if spec.kind == Kind.TIME_RANGES:
        return " ".join(f"{opens}-{closes}" for opens, closes in value)
    if spec.kind == Kind.FLOAT:
        return f"{float(value):g}"
    return plain_number(value)


def normal(spec: SettingSpec, value: Any) -> Any:
    """A stored value in the one form to compare by (JSON loses tuples, 4 == 4.0)."""
    if spec.kind == Kind.TIME_RANGES:
        return [[str(opens), str(closes)] for opens, closes in value]
    return float(value)


# the characters typed between two times, and between two ranges
_DASHES = re.compile(r"\s*[-–—~至到]\s*")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})", re.ASCII)


def clean(text: str) -> str:
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


def parse_number(spec: SettingSpec, text: str, v: Validation) -> float | int | None:
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
    typed = clean(text)
    value: Any
    if spec.kind == Kind.TIME_RANGES:
        value = _parse_ranges(typed, v)
    else:
        value = parse_number(spec, typed, v)
    v.raise_if_refused(confirm_warnings=False)
    return value
