"""Masking personal data for lists and detail views (PIPL): ID numbers, phones, sensitive tags.

Masks keep the length and the layout of the value and show only a few characters:
``141102********123X``, ``E1*****78`` (a passport) and ``138****5678``. Anything that does not
look like an ID number or a phone is masked all the more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

STAR = "*"
ID_LENGTH = 18  # GB 11643: an ID card, a residence permit
MOBILE = re.compile(r"1\d{10}", re.ASCII)
# Area code (3 digits for 010 and 02X, else 4), an optional dash, a 7- or 8-digit local number.
LANDLINE = re.compile(r"(0[12]\d|0[3-9]\d{2})(-?)(\d{7,8})", re.ASCII)
MIN_HIDDEN = 4  # a phone mask hides at least this many characters
# A run of digits (and dashes, and single spaces between digits: "138 0000 1234") long enough to
# be a phone or an ID number, inside free text.
NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[0-9](?:[0-9-]| (?=[0-9])){5,}[0-9Xx]", re.ASCII)


def mask_id(id_number: str | None) -> str:
    """``141102********123X``: the first 6 and last 4 of an 18-character number (an ID card,
    a residence permit); ``E1*****78``: the first 2 and last 2 of any other document number of
    8 or more (a passport, a travel permit); all stars below 8.

    The 6 of an ID number are its division (a place, not the person); the first 6 of a
    9-character passport number would leave 2 of its characters hidden.
    """
    if not id_number:
        return ""
    n = len(id_number)
    if n < 8:
        return STAR * n
    head, tail = (6, 4) if n == ID_LENGTH else (2, 2)
    return id_number[:head] + STAR * (n - head - tail) + id_number[n - tail :]


def _keep_tail(text: str) -> str:
    """Stars but for the last characters, hiding at least ``MIN_HIDDEN`` and showing at most 4."""
    tail = min(4, max(0, len(text) - MIN_HIDDEN))
    return STAR * (len(text) - tail) + text[len(text) - tail :]


def mask_phone(phone: str | None) -> str:
    """``138****5678`` for a mobile, ``0358-****567`` for a landline (the area code stays)."""
    if not phone:
        return ""
    if MOBILE.fullmatch(phone):
        return phone[:3] + STAR * 4 + phone[7:]
    landline = LANDLINE.fullmatch(phone)
    if landline:
        area, dash, local = landline.groups()
        return area + dash + _keep_tail(local)
    return _keep_tail(phone)


def mask_numbers_in(text: str) -> str:
    """Free text (a forwarding contact: "迁往柳林县，电话 19278803791") with its numbers masked;
    a number written with spaces ("李明（儿子）138 0000 1234") is masked as the number it is
    and keeps its spaces ("138 **** 1234")."""
    return NUMBER_IN_TEXT.sub(lambda match: _mask_spaced(match.group()), text)


def _mask_spaced(number: str) -> str:
    compact = number.replace(" ", "")
    masked = iter(mask_phone(compact))
    return "".join(char if char == " " else next(masked, STAR) for char in number)


class HasSensitivity(Protocol):
    @property
    def sensitive(self) -> bool: ...


T = TypeVar("T", bound=HasSensitivity)


@dataclass(frozen=True)
class VisibleTags(Generic[T]):
    shown: tuple[T, ...]
    hidden: int  # how many sensitive tags the mask holds back ("+2 敏感")


def visible_tags(tags: Iterable[T], *, revealed: bool = False) -> VisibleTags[T]:
    """The tags a list row may show; sensitive ones only once revealed, else counted."""
    shown: list[T] = []
    hidden = 0
    for tag in tags:
        if tag.sensitive and not revealed:
            hidden += 1
        else:
            shown.append(tag)
    return VisibleTags(shown=tuple(shown), hidden=hidden)
