"""The texts of a booking or a series, checked before any rule that needs the database.

A title is at most 60 characters on one line, notes at most 2,000, a person booking follows the
name rule (an organisation's name is held to a title's limit: it may have digits and brackets) and
a phone is checked as a resident's is (``textrules``,
``residents.validation.phone_ok``). Nothing is cut: what does not fit is refused, saying why.
"""

from __future__ import annotations

from typing import Protocol

from frontdesk.bookings.rules import Booker, BookingRefused
from frontdesk.errors import UserError
from frontdesk.notices import Notice, msg
from frontdesk.residents.validation import normalise_phone, phone_ok
from frontdesk.textrules import NOTE, REASON, TITLE, name_problem, require_text, text_problem
from frontdesk.vocabulary import BookerKind


class BookingTexts(Protocol):
    """The texts a ``BookingInput`` and a ``SeriesInput`` share: a title, a booker, notes."""

    @property
    def title(self) -> str: ...

    @property
    def booker(self) -> Booker: ...

    @property
    def notes(self) -> str: ...


def field_problems(data: BookingTexts) -> list[Notice]:
    """What is wrong with the texts of ``data`` (empty when they may be stored)."""
    found: list[Notice] = []
    title = text_problem(data.title, TITLE)
    if title is not None:
        found.append(title)
    booker = data.booker
    if booker.kind == BookerKind.ORGANISATION:  # 吕梁市第一中学（高二3班）: a title, not a name
        name = text_problem(booker.name, TITLE)
    elif booker.resident_id is None and booker.name.strip():
        name = name_problem(booker.name)  # a resident's name comes from the register
    else:
        name = None
    if name is not None:
        found.append(name)
    if booker.phone.strip() and not phone_ok(normalise_phone(booker.phone)):
        found.append(msg("validation.phone_format"))
    notes = text_problem(data.notes, NOTE)
    if notes is not None:
        found.append(notes)
    return found


def refuse_bad_fields(data: BookingTexts) -> None:
    """``BookingRefused`` (without suggestions: another time would not help) when a text of
    ``data`` cannot be stored."""
    problems = field_problems(data)
    if problems:
        raise BookingRefused(problems)


def cancel_reason(reason: str) -> str:
    """A reason for cancelling, required and at most 200 characters on one line; stripped."""
    if not reason.strip():
        raise UserError("booking.reason_required")
    return require_text("reason", reason, REASON)
