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


def check_in_window(starts_at: datetime) -> tuple[datetime, datetime]:
    """When a booking starting at ``starts_at`` may be checked in: from 30 minutes before the
    start until it would become a no-show (15 minutes after the start), that moment excluded."""
    return starts_at - EARLY_CHECK_IN, starts_at + NO_SHOW_AFTER


def may_check_in(status: str, starts_at: datetime, now: datetime) -> bool:
    """Whether a booking in ``status`` starting at ``starts_at`` may be checked in at ``now``
    (what ``check_in`` accepts; the screens offer the key only then)."""
    opens, closes = check_in_window(starts_at)
    return status == BookingStatus.BOOKED and opens <= now < closes


def check_in(booking_id: int, *, actor_id: int | None, now: datetime) -> None:
    """The booker has arrived: from 30 minutes before the start until the booking would become
    a no-show (``mark_no_shows``), not for a future occurrence nor once the grace is over."""

    def run() -> None:
        require_in(actor_id, Can.BOOK, community_of_booking(booking_id))
        row: Any = Booking.get_or_none(Booking.id == booking_id)
        if row is None:
            raise UserError("booking.not_found", id=booking_id)
        if row.status == BookingStatus.CHECKED_IN:
            return
        if row.status != BookingStatus.BOOKED:
            raise UserError("booking.not_live", title=row.title)
        opens, closes = check_in_window(row.starts_at)
        if now < opens:
            day = "" if opens.date() == now.date() else f"{opens:%Y-%m-%d} "
            raise UserError("booking.too_early", time=f"{day}{opens:%H:%M}")
        if now >= row.ends_at:
            raise UserError("booking.already_over")
        if now >= closes:
            raise UserError(
                "booking.check_in_closed",
                grace=int(NO_SHOW_AFTER.total_seconds() // 60),
                time=f"{closes:%H:%M}",
            )
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
