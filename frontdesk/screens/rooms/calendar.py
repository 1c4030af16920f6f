"""F3 rooms: a day of every room side by side, a week of one room, and a list of bookings.

Arrows move the cursor cell; Enter books a free slot or opens a booking; ``[`` / ``]`` (or
PgUp / PgDn) change the day or week, ``t`` goes back to today, ``g`` goes to a date typed
(goto_date.py), ``w`` toggles the day and the week view, ``l`` the list. ``z`` closes a room
or the center, ``u`` shows the week's use.

The screen is made of its parts, each in its own module: the grid (grid_view.py, with the
line under it in cell_info.py), the list (booking_list.py), what is done from a cell
(room_actions.py) and the palette's commands (palette.py); rooms_base.py holds their state.
Here: what it is made of on screen, keeping up with time and other desks, and which keys apply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from frontdesk.i18n import _
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.rooms.booking_list import BookingList, list_view
from frontdesk.screens.rooms.grid_view import GridView
from frontdesk.screens.rooms.palette import RoomsPalette
from frontdesk.screens.rooms.room_actions import RoomActions
from frontdesk.screens.rooms.rooms_base import DAY, NEEDS, WEEK
from frontdesk.vocabulary import Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.room_grid import BOOKED, CHECKED_IN, CLOSURE, RoomGrid

REFRESH_SECONDS = 60


class RoomsScreen(GridView, BookingList, RoomActions, RoomsPalette):
    CSS_PATH = "calendar.tcss"
    BINDINGS = [
        Binding("enter", "book", "rooms.key_book"),
        Binding("enter", "open", "rooms.key_open"),
        Binding("w", "week_view", "rooms.key_week"),
        Binding("w", "day_view", "rooms.key_day"),
        Binding("l", "list_view", "rooms.key_list"),
        Binding("l", "grid_view", "rooms.key_grid"),
        Binding("escape", "grid_view", "rooms.key_grid", show=False),
        Binding("left_square_bracket", "step(-1)", "rooms.key_prev", show=False),
        Binding("right_square_bracket", "step(1)", "rooms.key_next", show=False),
        Binding("pageup", "step(-1)", "rooms.key_prev", show=False),
        Binding("pagedown", "step(1)", "rooms.key_next", show=False),
        Binding("t", "today", "rooms.key_today", show=False),
        Binding("g", "goto", "rooms.key_goto"),
        Binding("comma", "other_room(-1)", "rooms.key_prev_room", show=False),
        Binding("full_stop", "other_room(1)", "rooms.key_next_room", show=False),
        Binding("z", "closure", "rooms.key_closure", show=False),
        Binding("u", "report", "rooms.key_report", show=False),
        Binding("ctrl+f", "focus_booker", "rooms.key_filter", show=False),
    ]

    # --------------------------------------------------------------------------- composing

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.rooms")
        with Horizontal(id="rooms-nav"):
            yield Static("", id="rooms-title")
            yield Static(self._hint(), id="rooms-hint")
        yield RoomGrid(id="rooms-grid")
        listing: DataTable[Any] = DataTable(id="rooms-day-list", cursor_type="none")
        listing.can_focus = False  # to read only; the list view (l) is the one to work in
        yield listing
        yield from list_view(self.rooms, self.filters)
        yield Static("", id="rooms-info")
        yield DeskFooter()

    def _hint(self) -> str:
        """The keys above the grid, as far as the operator's role may use them."""
        parts = [_("rooms.hint")]
        if permitted(self, NEEDS, "closure"):
            parts.append(_("rooms.hint_closure"))
        if permitted(self, NEEDS, "report"):
            parts.append(_("rooms.hint_report"))
        return " · ".join(parts)

    def on_mount(self) -> None:
        self._columns()
        self._show_mode()
        self.set_interval(REFRESH_SECONDS, self._new_slot)
        self._slot = self._current_slot()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._columns()
        self._show_mode()
        if self.model is not None:
            self._draw(self.model.calendar, self.desk.clock.now())
        if self.list_mode:
            self._fill_list(self.listed)

    def _show_mode(self) -> None:
        self.grid.display = not self.list_mode
        self._fit()
        self.query_one("#rooms-list").display = self.list_mode
        self.query_one("#rooms-hint").display = not self.list_mode
        if self.list_mode:
            self.query_one("#list-table", DataTable).focus()
        else:
            self.grid.focus()
        self._title()
        self.refresh_bindings()

    # ----------------------------------------------------------------- keeping up to date

    def _current_slot(self) -> datetime:
        now = self.desk.clock.now()
        return now.replace(minute=now.minute - now.minute % 30, second=0, microsecond=0)

    def _new_slot(self) -> None:
        """The "now" line and what is past move every half hour: only then a reload."""
        slot = self._current_slot()
        if slot != self._slot:
            self._slot = slot
            self.reload()

    def shows(self, changes: Changes) -> bool:
        """Another desk booked, changed or closed something: the view follows by itself."""
        return changes.touches("booking", "booking_series", "closure")

    def refresh_data(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        """Shown again (also the first time): load what is shown, changed meanwhile or not."""
        self._missed_changes = False  # this load covers them
        self.reload()

    def reload(self) -> None:
        if self.desk.community is None:
            self.query_one("#rooms-info", Static).update(_("header.no_community"))
            return
        if self.list_mode:
            self._load_list(self.filters)
        else:
            self._load(self._request())

    # ------------------------------------------------------------------------- key checks

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not permitted(self, NEEDS, action):
            return False
        cell = self.cell
        match action:
            case "book":
                return cell is not None and cell.bookable
            case "open":
                return cell is not None and cell.kind in (BOOKED, CHECKED_IN, CLOSURE)
            case "week_view":
                return not self.list_mode and self.mode == DAY
            case "day_view":
                return not self.list_mode and self.mode == WEEK
            case "list_view":
                return not self.list_mode
            case "grid_view" | "focus_booker" | "export_list":  # Ctrl+E: the list's bookings
                return self.list_mode
            case "step" | "today" | "goto":
                return not self.list_mode
            case "other_room":
                return not self.list_mode and self.mode == WEEK
        return True
