"""Small read-only look-ups the rooms screens need beside the booking services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from frontdesk.bookings.rules import Booker
from frontdesk.bookings.views import RoomColumn
from frontdesk.db.models import Resident
from frontdesk.errors import UserError
from frontdesk.masking import mask_phone
from frontdesk.permissions import Can, require_in
from frontdesk.scope import community_of_resident
from frontdesk.vocabulary import BookerKind


def resident_booker(resident_id: int, *, actor_id: int | None) -> Booker:
    """The booker for a resident chosen in the form: name, phone on record, id.

    The phone goes onto the booking so the desk can reach the booker (a closure, a change);
    screens show it masked.
    """
    require_in(actor_id, Can.BOOK, community_of_resident(resident_id))
    row: Any = Resident.get_or_none(Resident.id == resident_id)
    if row is None:
        raise UserError("resident.not_found", id=resident_id)
    return Booker(BookerKind.RESIDENT.value, row.name, row.phone or "", row.id)


def require_booker(actor_id: int | None, booker: Booker) -> None:
    """A resident booking must be one of the operator's communities (a guessed or another
    community's resident is refused like any record out of scope)."""
    if booker.resident_id is not None:
        require_in(actor_id, Can.BOOK, community_of_resident(booker.resident_id))


def shown_phone(booker: Booker) -> str:
    """A resident's phone comes from the register and is shown masked; an organisation's or an
    outside person's was given for the booking and is shown as given."""
    if booker.kind == BookerKind.RESIDENT.value:
        return mask_phone(booker.phone)
    return booker.phone


@dataclass(frozen=True)
class DaySpan:
    """The hours the rooms screens draw: from the earliest opening to the latest closing."""

    first: time
    last: time


def day_span(rooms: tuple[RoomColumn, ...]) -> DaySpan:
    """Earliest opening and latest closing over every room and weekday: a frame that stays
    put while the days change (bookings keep to opening hours, so they all fall inside)."""
    opens = [o for r in rooms for hours in r.hours.values() for o, _c in hours]
    closes = [c for r in rooms for hours in r.hours.values() for _o, c in hours]
    return DaySpan(min(opens, default=time(8, 0)), max(closes, default=time(21, 0)))
