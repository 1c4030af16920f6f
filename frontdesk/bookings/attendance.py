"""Check-in at the desk, and no-shows marked by the running program itself (no cron job)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import Booking
from frontdesk.errors import UserError
from frontdesk.permissions import Can, require_in
from frontdesk.scope import community_of_booking
from frontdesk.vocabulary import BookingStatus

NO_SHOW_AFTER = timedelta(minutes=15)
EARLY_CHECK_IN = timedelta(minutes=30)


def check_in(booking_id: int, *, actor_id: int | None, now: datetime) -> None:
    """The booker has arrived: from 30 minutes before the start until the end."""

    def run() -> None:
        require_in(actor_id, Can.BOOK, community_of_booking(booking_id))
        row: Any = Booking.get_or_none(Booking.id == booking_id)
        if row is None:
            raise UserError("booking.not_found", id=booking_id)
        if row.status == BookingStatus.CHECKED_IN:
            return
        if row.status != BookingStatus.BOOKED:
            raise UserError("booking.not_live", title=row.title)
        if now < row.starts_at - EARLY_CHECK_IN:
            raise UserError("booking.too_early", time=f"{row.starts_at - EARLY_CHECK_IN:%H:%M}")
        if now >= row.ends_at:
            raise UserError("booking.already_over")
        Booking.update(
            status=BookingStatus.CHECKED_IN,
            checked_in_at=now,
            updated_at=now,
            version=Booking.version + 1,
        ).where(Booking.id == booking_id).execute()
        audit.record("booking.check_in", "booking", booking_id, actor_id=actor_id, at=now)

    write(run)


def mark_no_shows(now: datetime) -> int:
    """Bookings not checked in 15 minutes after their start become no-shows (the room is free
    again). Safe to run from every open desk at once; returns how many were marked."""

    def run() -> int:
        due: list[Any] = list(
            Booking.select(Booking.id).where(
                (Booking.status == BookingStatus.BOOKED)
                & (Booking.starts_at <= now - NO_SHOW_AFTER)
            )
        )
        if not due:
            return 0
        ids = [row.id for row in due]
        Booking.update(
            status=BookingStatus.NO_SHOW, updated_at=now, version=Booking.version + 1
        ).where(Booking.id.in_(ids) & (Booking.status == BookingStatus.BOOKED)).execute()
        for booking_id in ids:
            audit.record("booking.no_show", "booking", booking_id, actor_id=None, at=now)
        return len(ids)

    return write(run)
