"""The line under the rooms grid: what the cell under the cursor holds (a booking, a closure,
closed hours, the past or a free slot), with the cancelled and no-show bookings that were there
struck out."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from frontdesk.bookings.views import BookingCell, RoomColumn
from frontdesk.i18n import _, join
from frontdesk.vocabulary import BookingStatus
from frontdesk.widgets.room_grid import CLOSED, GridCell, day_label, room_label
from frontdesk.widgets.text import display

GONE = (BookingStatus.CANCELLED, BookingStatus.NO_SHOW)


def hours_text(room: RoomColumn, day: date) -> str:
    return join(f"{a:%H:%M}–{b:%H:%M}" for a, b in room.hours.get(day.weekday(), ()))


def cell_text(cell: GridCell, room: RoomColumn) -> str:
    """What the cell holds."""
    if cell.booking is not None:
        b = cell.booking
        text = _(
            "rooms.info_booking",
            title=display(b.title),
            booker=display(b.booker_name),
            start=f"{b.starts_at:%H:%M}",
            end=f"{b.ends_at:%H:%M}",
            status=_(f"enum.booking_status.{b.status}"),
            attendees=b.attendees,
        )
        if b.series_id is not None:
            text += " " + _("rooms.info_series")
        return text
    if cell.closure is not None:
        c = cell.closure
        return _(
            "rooms.info_closure",
            reason=display(c.reason),
            start=f"{c.starts_at:%m-%d %H:%M}",
            end=f"{c.ends_at:%m-%d %H:%M}",
        )
    if cell.kind == CLOSED:
        hours = hours_text(room, cell.start.date())
        return _("rooms.info_closed", hours=hours) if hours else _("rooms.info_closed_day")
    if cell.past:
        return _("rooms.info_past")
    return _("rooms.info_free")


def cell_info(
    cell: GridCell, room: RoomColumn, week: bool, bookings: tuple[BookingCell, ...]
) -> Text:
    """Where the cell is (the day in the week view, the room in the day view), what it holds,
    and up to two bookings cancelled or not come there."""
    slot = f"{cell.start:%H:%M}–{cell.end:%H:%M}"
    where = day_label(cell.start.date())[0] if week else room_label(room)[0]
    line = Text(f"{where} {slot} · {cell_text(cell, room)}")
    gone = [
        b
        for b in bookings
        if b.room_id == room.id
        and b.status in GONE
        and b.starts_at < cell.end
        and b.ends_at > cell.start
    ]
    for b in gone[:2]:
        line.append(" · ")
        line.append(display(b.title), style="strike")
        line.append(f"（{_(f'enum.booking_status.{b.status}')}）")
    return line
