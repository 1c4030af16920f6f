"""One weekly class in parts. "This and following" ends a series and starts another that takes
over (``BookingSeries.split_from``); the parts together are the class, and they never both hold
an occurrence on one date — an edit of one part that would reach a date another part holds is
refused, naming the date, not carried out twice over."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from frontdesk.db.models import Booking, BookingSeries
from frontdesk.errors import UserError
from frontdesk.vocabulary import BookingStatus


def parts(series_id: int) -> set[int]:
    """Every series of the class ``series_id`` belongs to: back to the first, and each part
    split off any of them."""
    root, seen = series_id, {series_id}
    while True:
        row: Any = BookingSeries.get_or_none(BookingSeries.id == root)
        parent = None if row is None else row.split_from_id
        if parent is None or parent in seen:
            break
        root = parent
        seen.add(parent)
    found, frontier = {root}, [root]
    while frontier:
        children = [
            row.id
            for row in BookingSeries.select(BookingSeries.id).where(
                BookingSeries.split_from.in_(frontier)
            )
            if row.id not in found
        ]
        found.update(children)
        frontier = children
    return found


def held_by_other_parts(series_id: int) -> set[date]:
    """The dates the class's other parts hold a live (not cancelled) occurrence on."""
    others = parts(series_id) - {series_id}
    if not others:
        return set()
    rows: Iterable[Any] = Booking.select(Booking.occurrence_date).where(
        Booking.series.in_(list(others)) & (Booking.status != BookingStatus.CANCELLED)
    )
    return {row.occurrence_date for row in rows if row.occurrence_date is not None}


def require_apart(series_id: int, dates: Iterable[date], *, from_day: date) -> None:
    """Refuse a schedule for ``series_id`` that would hold, from ``from_day`` on, a date another
    part of its class holds."""
    held = held_by_other_parts(series_id)
    clash = sorted(d for d in dates if d >= from_day and d in held)
    if clash:
        raise UserError("series.other_part", date=clash[0].isoformat(), count=len(clash))
