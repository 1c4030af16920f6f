"""Saving what the booking form holds, and what to tell the clerk afterwards.

``save_entry`` runs in the form's service call (a worker thread, inside a connection): a new
booking or a change to one, a new weekly series or a change to the following / all of its
occurrences. A new series with clashing dates comes back as the ``SeriesPreview`` the clerk
chooses from (skip them or stop) unless the clerk already chose (``skip``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from frontdesk.bookings.booking import BookingView, change_booking, create_booking
from frontdesk.bookings.lookup import resident_booker
from frontdesk.bookings.occurrences import SeriesSaved
from frontdesk.bookings.rules import Booker
from frontdesk.bookings.series import (
    SeriesPreview,
    SeriesView,
    change_series,
    create_series,
    preview,
)
from frontdesk.bookings.views import RoomColumn
from frontdesk.i18n import _
from frontdesk.screens.rooms.booking_values import BookingEntry
from frontdesk.widgets.room_grid import day_label, room_label
from frontdesk.widgets.text import display


@dataclass(frozen=True)
class Editing:
    """What the form changes: a booking (None: a new one) and, for a series, which occurrences
    (``scope``: "this", "following" or "all") of the series as it was loaded."""

    booking: BookingView | None = None
    scope: str = "this"
    series: SeriesView | None = None


def save_entry(
    entry: BookingEntry,
    editing: Editing,
    skip: bool | None,
    *,
    actor_id: int | None,
    now: datetime,
) -> int | SeriesSaved | SeriesPreview:
    """The booking written (its id), the series written, or the clashes to choose about."""
    booker = (
        resident_booker(entry.resident_id, actor_id=actor_id)
        if entry.resident_id is not None
        else Booker(entry.kind, entry.name, entry.phone)
    )
    booking = editing.booking
    if entry.repeat is None and booking is None:
        return create_booking(entry.booking(booker), actor_id=actor_id, now=now)
    if entry.repeat is None:
        assert booking is not None
        change_booking(
            booking.id, booking.version, entry.booking(booker), actor_id=actor_id, now=now
        )
        return booking.id
    if booking is None:
        data = entry.series(booker)
        if skip is None:
            found = preview(data, now=now, actor_id=actor_id)
            if found.conflicts:
                return found
        return create_series(data, skip_conflicts=bool(skip), actor_id=actor_id, now=now)
    assert editing.series is not None
    return change_series(
        booking.id,
        "all" if editing.scope == "all" else "following",
        entry.series(booker),
        series_id=editing.series.id,
        version=editing.series.version,
        skip_conflicts=bool(skip),
        actor_id=actor_id,
        now=now,
    )


def saved_text(
    entry: BookingEntry, editing: Editing, written: int | SeriesSaved, rooms: tuple[RoomColumn, ...]
) -> str:
    """What to tell the clerk once ``written``."""
    if isinstance(written, SeriesSaved):
        counts = {"count": len(written.booked), "skipped": len(written.skipped)}
        if editing.booking is None:
            return _("booking_form.saved_series", **counts)
        text = _("booking_form.changed_series", **counts)
        if written.summary is not None:  # from when, and what it kept
            text += "\n" + written.summary.text()
        return text
    if editing.booking is not None:
        return _("booking_form.changed")
    room = next((r for r in rooms if r.id == entry.room_id), None)
    return _(
        "booking_form.saved",
        title=display(entry.title),
        room=room_label(room)[0] if room else "",
        day=day_label(entry.day)[0],
        start=f"{entry.start:%H:%M}",
        end=f"{entry.end:%H:%M}",
    )
