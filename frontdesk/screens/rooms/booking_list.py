"""The rooms screen's list (``l``): the coming bookings, filtered by room, booker and status;
Enter opens one. Escape or ``l`` goes back to the grid."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static

from frontdesk.bookings import views
from frontdesk.bookings.views import ListedBooking, RoomColumn
from frontdesk.exporting import BookingSelection, Period
from frontdesk.i18n import _
from frontdesk.screens.base.export import export_binding, start_export
from frontdesk.screens.rooms.rooms_base import ListFilters, RoomsBase
from frontdesk.vocabulary import BookingStatus
from frontdesk.widgets.input import DeskInput
from frontdesk.widgets.room_grid import day_label, room_label
from frontdesk.widgets.tables import empty, fit_columns
from frontdesk.widgets.text import display

STATUSES = [s.value for s in BookingStatus]
WIDE_LIST = 100  # below this many columns the list uses the rooms' short names
COLUMNS = ("date", "time", "room", "status", "title", "booker")
LIST_DAYS = 14  # the days views.upcoming lists (its default)


def list_view(rooms: tuple[RoomColumn, ...], filters: ListFilters) -> ComposeResult:
    """The filters over the list, and the list."""
    with Vertical(id="rooms-list"):
        with Horizontal(id="list-filters"):
            yield Select(
                [(room_label(r)[0], r.id) for r in rooms],
                prompt=_("rooms.filter_room"),
                value=filters.room_id if filters.room_id else Select.NULL,
                id="list-room",
                compact=True,
            )
            yield DeskInput(
                filters.booker,
                placeholder=_("rooms.filter_booker"),
                id="list-booker",
                compact=True,
            )
            yield Select(
                [(_(f"enum.booking_status.{s}"), s) for s in STATUSES],
                prompt=_("rooms.filter_status"),
                value=filters.status or Select.NULL,
                id="list-status",
                compact=True,
            )
        yield DataTable(id="list-table", cursor_type="row", zebra_stripes=True)


class BookingList(RoomsBase):
    """The list part of ``RoomsScreen``."""

    BINDINGS = [export_binding()]  # merged with the screen's own: the list's bookings, anywhere

    def _columns(self) -> None:
        table = self.query_one("#list-table", DataTable)
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(_(f"rooms.col.{column}"), key=column)

    # ----------------------------------------------------------------------- to and from

    def action_list_view(self) -> None:
        self.list_mode = True
        self._show_mode()
        self.query_one("#rooms-info", Static).update("")
        self.reload()

    def action_grid_view(self) -> None:
        self.list_mode = False
        self._show_mode()
        self.reload()

    def action_focus_booker(self) -> None:
        self.query_one("#list-booker", Input).focus()

    # --------------------------------------------------------------------------- filters

    def _fill_room_filter(self) -> None:
        select = self.query_one("#list-room", Select)
        select.set_options([(room_label(r)[0], r.id) for r in self.rooms])
        if self.filters.room_id is not None:
            select.value = self.filters.room_id

    @on(Select.Changed, "#list-room, #list-status")
    def _filter_changed(self, event: Select.Changed) -> None:
        value: Any = None if event.value is Select.NULL else event.value
        if event.select.id == "list-room":
            self.filters = ListFilters(value, self.filters.booker, self.filters.status)
        else:
            self.filters = ListFilters(self.filters.room_id, self.filters.booker, value)
        if self.list_mode:
            self.reload()

    @on(Input.Changed, "#list-booker")
    def _booker_changed(self, event: Input.Changed) -> None:
        self.filters = ListFilters(self.filters.room_id, event.value, self.filters.status)
        if self.list_mode:
            self.reload()

    @on(Input.Submitted, "#list-booker")
    def _booker_submitted(self) -> None:
        self.query_one("#list-table", DataTable).focus()

    # --------------------------------------------------------------------------- the list

    def _load_list(self, filters: ListFilters) -> None:
        desk = self.desk
        assert desk.community is not None
        self.call(
            partial(
                views.upcoming,
                desk.community.id,
                desk.clock.now(),
                actor_id=desk.operator_id,
                room_id=filters.room_id,
                booker=filters.booker,
                status=filters.status,
            ),
            partial(self._listed, filters),
            group="rooms-list",
            latest=True,
        )

    def _listed(self, filters: ListFilters, found: list[ListedBooking]) -> None:
        if filters != self.filters:
            return
        self.listed = found
        self._fill_list(found)

    def _fill_list(self, found: list[ListedBooking]) -> None:
        table = self.query_one("#list-table", DataTable)
        empty(table)
        label = 1 if self.size.width < WIDE_LIST else 0  # short room names when narrow
        names = {r.name: room_label(r)[label] for r in self.rooms}
        for b in found:
            gone = b.status == BookingStatus.CANCELLED
            style = "strike" if gone else ""
            table.add_row(
                day_label(b.starts_at.date())[0],
                f"{b.starts_at:%H:%M}–{b.ends_at:%H:%M}",
                names.get(b.room_name, b.room_name),
                _(f"enum.booking_status.{b.status}"),
                Text(display(b.title), style=style),
                Text(display(b.booker_name), style=style),
                key=str(b.id),
            )
        fit_columns(table)  # sized before it is drawn (widgets.tables)
        info = self.query_one("#rooms-info", Static)
        info.update(_("rooms.list_count", count=len(found)) if found else _("rooms.list_none"))

    @on(DataTable.RowSelected, "#list-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is not None:
            self.open_booking(int(key))

    def action_export_list(self) -> None:
        """Ctrl+E: the bookings the list holds (today and the coming days, its filters)."""
        desk = self.desk
        today = desk.clock.today()
        selection = BookingSelection(
            period=Period(today, today + timedelta(days=LIST_DAYS - 1)),
            community_id=desk.community.id if desk.community else None,
            room_id=self.filters.room_id,
            booker=self.filters.booker,
            status=self.filters.status,
        )
        start_export(self, "bookings", selection, _("export.what.bookings"))
