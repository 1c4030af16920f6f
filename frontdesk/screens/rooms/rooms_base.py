"""What the parts of the rooms screen (F3) share: where it stands (the day or week shown, the
cursor, the list's filters) and the cell and room under the cursor.

``RoomsScreen`` (calendar.py) is made of its parts: the day / week grid (grid_view.py), the
list of bookings (booking_list.py), booking, closing and the report (room_actions.py) and its
commands in the palette (palette.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from frontdesk.bookings.lookup import DaySpan
from frontdesk.bookings.views import ListedBooking, RoomColumn
from frontdesk.permissions import Can
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.widgets.room_grid import GridCell, GridModel, RoomGrid

DAY, WEEK = "day", "week"
NEEDS = {"book": Can.BOOK, "closure": Can.CLOSE_ROOM, "report": Can.REPORTS}


@dataclass(frozen=True)
class ListFilters:
    """The list view's filters: a room, part of the booker's name, a status."""

    room_id: int | None = None
    booker: str = ""
    status: str | None = None


class RoomsBase(DeskScreen):
    """The rooms screen's state; the parts add what they show and do."""

    def __init__(self) -> None:
        super().__init__(id="screen-rooms")
        self.mode = DAY
        self.list_mode = False
        self.day: date | None = None  # set from the desk's clock on the first show
        self.column = 0  # day view: the room; week view: the day of the week
        self.row: int | None = None  # None: the slot of the current time
        self.week_room_id: int | None = None
        self.rooms: tuple[RoomColumn, ...] = ()
        self.span: DaySpan | None = None
        self.model: GridModel | None = None
        self.filters = ListFilters()
        self.listed: list[ListedBooking] = []

    @property
    def grid(self) -> RoomGrid:
        return self.query_one("#rooms-grid", RoomGrid)

    @property
    def cell(self) -> GridCell | None:
        return None if self.list_mode else self.grid.cursor_cell

    def _cursor_room(self) -> RoomColumn | None:
        if self.model is None or not self.model.columns:
            return None
        return self.model.columns[min(self.column, len(self.model.columns) - 1)].room

    # What each part does for the others (defined here, the last in the screen's MRO, so
    # that the part doing it comes first whatever their order).

    def reload(self) -> None:
        """Load what is shown (the grid or the list) again (calendar.py)."""
        raise NotImplementedError

    def _show_mode(self) -> None:
        """Show the grid or the list, as ``list_mode`` says (calendar.py)."""
        raise NotImplementedError

    def _title(self) -> None:
        """Name what is shown in the title line (grid_view.py)."""
        raise NotImplementedError

    def _fill_room_filter(self) -> None:
        """The list's room filter offers the rooms loaded (booking_list.py)."""
        raise NotImplementedError

    def open_booking(self, booking_id: int) -> None:
        """Show one booking (room_actions.py)."""
        raise NotImplementedError

    # the actions the palette runs (grid_view.py, booking_list.py, room_actions.py)

    def action_book(self) -> None:
        raise NotImplementedError

    def action_open(self) -> None:
        raise NotImplementedError

    def action_list_view(self) -> None:
        raise NotImplementedError

    def action_grid_view(self) -> None:
        raise NotImplementedError

    def action_day_view(self) -> None:
        raise NotImplementedError

    def action_week_view(self) -> None:
        raise NotImplementedError

    def action_today(self) -> None:
        raise NotImplementedError

    def action_step(self, direction: int) -> None:
        raise NotImplementedError

    def action_goto(self) -> None:
        raise NotImplementedError

    def action_closure(self) -> None:
        raise NotImplementedError

    def action_report(self) -> None:
        raise NotImplementedError

    def action_export_list(self) -> None:
        """Ctrl+E: the list's bookings as a workbook (booking_list.py)."""
        raise NotImplementedError
