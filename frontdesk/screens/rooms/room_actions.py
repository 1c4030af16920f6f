"""What the rooms screen does from a cell: book a free slot (Enter), open a booking or a
closure (Enter; the leadership may lift a closure), close a room or the center (``z``), and
the week's use of the rooms (``u``)."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from frontdesk.bookings.closures import lift_closure
from frontdesk.bookings.intervals import SLOT, week_start
from frontdesk.i18n import _
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.rooms.booking_detail import BookingDetailScreen
from frontdesk.screens.rooms.booking_form import BookingFormScreen
from frontdesk.screens.rooms.booking_values import BookingSaved, FormStart
from frontdesk.screens.rooms.closure_form import ClosureFormScreen
from frontdesk.screens.rooms.room_report import RoomReportScreen
from frontdesk.screens.rooms.rooms_base import NEEDS, RoomsBase
from frontdesk.widgets.room_grid import GridCell, room_label
from frontdesk.widgets.text import display


class RoomActions(RoomsBase):
    """Booking, opening, closing and the report, for ``RoomsScreen``."""

    # ------------------------------------------------------------------------ booking

    def action_book(self) -> None:
        cell = self.cell
        room = self._cursor_room()
        if cell is None or room is None or not cell.bookable or self.model is None:
            return
        run = max(1, self.model.free_run(self.column, self.row or 0, 2))
        start = FormStart(
            room.id, cell.start.date(), cell.start.time(), (cell.start + SLOT * run).time()
        )
        self._open_form(start)

    def _open_form(self, start: FormStart) -> None:
        today = self.desk.clock.today()

        def saved(result: BookingSaved | None) -> None:
            if result is not None:
                self.notify(result.text)
                self.reload()

        self.app.push_screen(BookingFormScreen(self.rooms, start, today=today), saved)

    def action_open(self) -> None:
        cell = self.cell
        if cell is None:
            return
        if cell.booking is not None:
            self.open_booking(cell.booking.id)
        elif cell.closure is not None and permitted(self, NEEDS, "closure"):
            self._offer_lift(cell)
        elif cell.closure is not None:  # only the leadership lifts a closure: say what it is
            self.notify(display(cell.closure.reason), title=_("rooms.closure_cell"))

    def open_booking(self, booking_id: int) -> None:
        def closed(changed: bool | None) -> None:
            if changed:
                self.reload()

        self.app.push_screen(BookingDetailScreen(booking_id, self.rooms), closed)

    # ----------------------------------------------------------------------- closures

    def _offer_lift(self, cell: GridCell) -> None:
        closure = cell.closure
        assert closure is not None
        room = next((r for r in self.rooms if r.id == closure.room_id), None)
        body = _(
            "rooms.lift_body",
            where=room_label(room)[0] if room else _("rooms.whole_center"),
            reason=display(closure.reason),
            start=f"{closure.starts_at:%Y-%m-%d %H:%M}",
            end=f"{closure.ends_at:%Y-%m-%d %H:%M}",
        )
        options = [("lift", _("rooms.lift_yes")), ("keep", _("rooms.lift_no"))]

        def chosen(answer: str | None) -> None:
            if answer == "lift":
                self._lift(closure.id)

        self.app.push_screen(ChoiceScreen(_("rooms.lift_title"), body, options), chosen)

    def _lift(self, closure_id: int) -> None:
        desk = self.desk
        self.call(
            partial(lift_closure, closure_id, actor_id=desk.operator_id, now=desk.clock.now()),
            self._lifted,
            group="rooms-write",
        )

    def _lifted(self, _answer: object) -> None:
        self.notify(_("rooms.lifted"))
        self.reload()

    def action_closure(self) -> None:
        desk = self.desk
        if desk.community is None or self.day is None or self.span is None:
            return
        cell = self.cell
        room = self._cursor_room()
        day = cell.start.date() if cell is not None else self.day
        start = cell.start if cell is not None else datetime.combine(day, self.span.first)
        end = datetime.combine(day, self.span.last)
        if end <= start:
            end = start + SLOT

        def saved(text: str | None) -> None:
            if text:
                self.notify(text)
                self.reload()

        form = ClosureFormScreen(
            desk.community.id, self.rooms, room.id if room else None, start, end
        )
        self.app.push_screen(form, saved)

    # ------------------------------------------------------------------------- report

    def action_report(self) -> None:
        desk = self.desk
        if desk.community is None:
            return
        monday = week_start(self.day or desk.clock.today())
        self.app.push_screen(RoomReportScreen(desk.community.id, self.rooms, monday))
