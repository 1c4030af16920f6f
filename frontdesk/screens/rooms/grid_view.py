"""The rooms screen's grid: a day of every room side by side, or a week of one room.

Loads the rooms and the day's (or week's) bookings and closures, draws them, names them in the
title line, says what the cell under the cursor holds, lists the bookings under the grid on a
tall terminal, and moves: ``[`` / ``]`` a day or week, ``t`` today, ``g`` a date typed
(goto_date.py), ``w`` day / week, ``,`` / ``.`` the week view's room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from rich.text import Text
from textual import on
from textual.widgets import DataTable, Static

from frontdesk.bookings import views
from frontdesk.bookings.intervals import week_start
from frontdesk.bookings.lookup import day_span
from frontdesk.bookings.views import Calendar, RoomColumn
from frontdesk.i18n import _
from frontdesk.screens.rooms.cell_info import cell_info
from frontdesk.screens.rooms.goto_date import GoToDateScreen
from frontdesk.screens.rooms.rooms_base import DAY, WEEK, RoomsBase
from frontdesk.vocabulary import BookingStatus
from frontdesk.widgets.room_grid import (
    CLOSED,
    GridModel,
    RoomGrid,
    day_label,
    day_model,
    room_label,
    week_model,
)
from frontdesk.widgets.text import display

DAY_LIST_MIN = 5  # lines to spare under the grid before the day's bookings are listed there
LIST_COLUMNS = ("date", "time", "room", "status", "title", "booker")


@dataclass(frozen=True)
class ViewRequest:
    mode: str
    day: date  # the day shown, or any day of the week shown
    room_id: int | None  # the week view's room


def load_view(
    community_id: int, request: ViewRequest, *, actor_id: int | None
) -> tuple[tuple[RoomColumn, ...], Calendar]:
    """The community's rooms, and the calendar of the day or of the week of one room (the
    first when the room asked for is not there)."""
    rooms = views.rooms(community_id, actor_id=actor_id)
    if request.mode == WEEK and rooms:
        room_id = request.room_id
        if room_id is None or room_id not in {r.id for r in rooms}:
            room_id = rooms[0].id
        cal = views.week(community_id, room_id, week_start(request.day), actor_id=actor_id)
    else:
        cal = views.day(community_id, request.day, actor_id=actor_id)
    return rooms, cal


class GridView(RoomsBase):
    """The grid part of ``RoomsScreen``."""

    # ----------------------------------------------------------------------------- loading

    def _request(self) -> ViewRequest:
        today = self.desk.clock.today()
        return ViewRequest(self.mode, self.day or today, self.week_room_id)

    def _load(self, request: ViewRequest) -> None:
        community = self.desk.community
        assert community is not None
        self.call(
            partial(load_view, community.id, request, actor_id=self.desk.operator_id),
            partial(self._loaded, request),
            group="rooms-load",
            latest=True,
        )

    def _loaded(
        self, request: ViewRequest, loaded: tuple[tuple[RoomColumn, ...], Calendar]
    ) -> None:
        if request != self._request():
            return  # an older answer arriving late
        rooms, cal = loaded
        self.rooms = rooms
        self.span = day_span(rooms)
        if self.day is None:
            self.day = request.day
        if not rooms:
            self.query_one("#rooms-info", Static).update(_("rooms.no_rooms"))
            return
        self._fill_room_filter()
        self._draw(cal, self.desk.clock.now())

    # ----------------------------------------------------------------------------- drawing

    def _draw(self, cal: Calendar, now: datetime) -> None:
        assert self.span is not None and self.day is not None
        first = self.model is None or self.model.mode != self.mode
        if self.mode == WEEK and cal.rooms:
            self.week_room_id = cal.rooms[0].id
            model = week_model(cal, week_start(self.day), self.span, now)
        else:
            model = day_model(cal, self.day, self.span, now)
        self.model = model
        if self.row is None:
            self.row = self._start_row(model, now)
            first = True
        self._fit()
        self.grid.show(model, self.column, self.row, context=first)
        self._fill_day_list(cal)
        self._title()

    def _fill_day_list(self, cal: Calendar) -> None:
        listing = self.query_one("#rooms-day-list", DataTable)
        listing.clear(columns=True)
        for column in LIST_COLUMNS:
            listing.add_column(_(f"rooms.col.{column}"), key=column)
        names = {r.id: room_label(r)[0] for r in cal.rooms}
        for b in cal.bookings:
            style = "strike" if b.status == BookingStatus.CANCELLED else ""
            listing.add_row(
                day_label(b.starts_at.date())[0],
                f"{b.starts_at:%H:%M}–{b.ends_at:%H:%M}",
                names.get(b.room_id, ""),
                _(f"enum.booking_status.{b.status}"),
                Text(display(b.title), style=style),
                Text(display(b.booker_name), style=style),
            )

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """On a tall terminal the grid takes the lines it needs and the bookings of the day
        (or week) are listed under it, cancelled ones struck out."""
        listing = self.query_one("#rooms-day-list", DataTable)
        room = self.size.height - 4  # header, title line, info line, footer
        need = len(self.model.slots) + 1 if self.model else room
        spare = room - need
        listing.display = not self.list_mode and spare >= DAY_LIST_MIN
        self.grid.styles.height = need if listing.display else "1fr"

    def _start_row(self, model: GridModel, now: datetime) -> int:
        """The current time's slot on today, else the first slot any room is open."""
        if model.now_row is not None:
            return model.now_row
        for row in range(len(model.slots)):
            if any(column[row].kind != CLOSED for column in model.cells):
                return row
        return 0

    def _title(self) -> None:
        if self.day is None:
            return
        today = self.desk.clock.today()
        if self.list_mode:
            text = _("rooms.title_list")
        elif self.mode == WEEK:
            monday = week_start(self.day)
            room = next((r for r in self.rooms if r.id == self.week_room_id), None)
            name = room_label(room)[0] if room else ""
            sunday = monday + timedelta(days=6)
            text = _(
                "rooms.title_week",
                room=name,
                start=f"{monday:%Y-%m-%d}" if monday.year != today.year else f"{monday:%m-%d}",
                end=f"{sunday:%Y-%m-%d}" if sunday.year != monday.year else f"{sunday:%m-%d}",
            )
            if monday <= today < monday + timedelta(days=7):
                text = _("rooms.mark_this_week", title=text)
        else:
            text = f"{self.day:%Y-%m-%d} {_(f'weekday.{self.day.weekday()}')}"
            if self.day == today:
                text = _("rooms.mark_today", title=text)
            elif self.day == today + timedelta(days=1):
                text = _("rooms.mark_tomorrow", title=text)
        self.query_one("#rooms-title", Static).update(text)

    # ------------------------------------------------------------------------ the cursor

    @on(RoomGrid.CursorMoved)
    def _cursor_moved(self, event: RoomGrid.CursorMoved) -> None:
        self.column = event.column
        self.row = event.row
        self._describe()
        self.refresh_bindings()

    def _describe(self) -> None:
        info = self.query_one("#rooms-info", Static)
        cell = self.cell
        room = self._cursor_room()
        if cell is None or room is None or self.model is None:
            info.update("")
            return
        info.update(cell_info(cell, room, self.mode == WEEK, self.model.calendar.bookings))

    # ---------------------------------------------------------------------- moving around

    def action_step(self, direction: int) -> None:
        if self.day is None:
            return
        days = 7 if self.mode == WEEK else 1
        self.day += timedelta(days=days * direction)
        self.reload()  # the title changes with the grid it names, when the day is drawn

    def action_today(self) -> None:
        self.day = self.desk.clock.today()
        self.row = None
        if self.mode == WEEK:
            self.column = self.day.weekday()
        self.reload()  # the title changes with the grid it names

    def action_goto(self) -> None:
        """Ask for a day and show it, in the view shown (the week view: the week holding it,
        the cursor on that day)."""

        def chosen(day: date | None) -> None:
            if day is not None:
                self.go_to(day)

        self.app.push_screen(GoToDateScreen(self.desk.clock.today()), chosen)

    def go_to(self, day: date) -> None:
        if day == self.desk.clock.today():
            self.row = None  # today: the current time's slot, as t does
        self.day = day
        if self.mode == WEEK:
            self.column = day.weekday()
        self.reload()  # the title changes with the grid it names

    def action_week_view(self) -> None:
        room = self._cursor_room()
        if room is None or self.day is None:
            return
        cell = self.cell
        if cell is not None:
            self.day = cell.start.date()
        self.week_room_id = room.id
        self.mode = WEEK
        self.column = self.day.weekday()
        self._title()
        self.refresh_bindings()
        self.reload()

    def action_day_view(self) -> None:
        cell = self.cell
        if cell is not None:
            self.day = cell.start.date()
        self.column = next((i for i, r in enumerate(self.rooms) if r.id == self.week_room_id), 0)
        self.mode = DAY
        self._title()
        self.refresh_bindings()
        self.reload()

    def action_other_room(self, step: int) -> None:
        if not self.rooms:
            return
        ids = [r.id for r in self.rooms]
        index = ids.index(self.week_room_id) if self.week_room_id in ids else 0
        self.week_room_id = ids[(index + step) % len(ids)]
        self._title()
        self.reload()
