"""F3 rooms: a day of every room side by side, a week of one room, and a list of bookings.

Arrows move the cursor cell; Enter books a free slot or opens a booking; ``[`` / ``]`` (or
PgUp / PgDn) change the day or week, ``t`` goes back to today, ``w`` toggles the day and the
week view, ``l`` the list. ``z`` closes a room or the center, ``u`` shows the week's use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Select, Static
from textual.worker import get_current_worker

from frontdesk.bookings import views
from frontdesk.bookings.closures import lift_closure
from frontdesk.bookings.intervals import SLOT, week_start
from frontdesk.bookings.lookup import DaySpan, day_span
from frontdesk.bookings.views import Calendar, ListedBooking, RoomColumn
from frontdesk.db.connection import connection
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Can
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.localized import LocalizedScreen
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.rooms.booking_detail import BookingDetailScreen
from frontdesk.screens.rooms.booking_form import BookingFormScreen, BookingSaved, FormStart
from frontdesk.screens.rooms.closure_form import ClosureFormScreen
from frontdesk.screens.rooms.room_report import RoomReportScreen
from frontdesk.vocabulary import BookingStatus, Changes
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.room_grid import (
    BOOKED,
    CHECKED_IN,
    CLOSED,
    CLOSURE,
    GridCell,
    GridModel,
    RoomGrid,
    day_label,
    day_model,
    room_label,
    week_model,
)
from frontdesk.widgets.text import display

if TYPE_CHECKING:
    from frontdesk.app import FrontdeskApp

DAY, WEEK = "day", "week"
STATUSES = [s.value for s in BookingStatus]
REFRESH_SECONDS = 60
NEEDS = {"book": Can.BOOK, "closure": Can.CLOSE_ROOM, "report": Can.REPORTS}
DAY_LIST_MIN = 5  # lines to spare under the grid before the day's bookings are listed there
WIDE_LIST = 100  # below this many columns the list uses the rooms' short names


@dataclass(frozen=True)
class ViewRequest:
    mode: str
    day: date  # the day shown, or any day of the week shown
    room_id: int | None  # the week view's room


@dataclass(frozen=True)
class ListFilters:
    room_id: int | None = None
    booker: str = ""
    status: str | None = None


def hours_text(room: RoomColumn, day: date) -> str:
    return "、".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in room.hours.get(day.weekday(), ()))


class RoomsScreen(LocalizedScreen):
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
        Binding("comma", "other_room(-1)", "rooms.key_prev_room", show=False),
        Binding("full_stop", "other_room(1)", "rooms.key_next_room", show=False),
        Binding("z", "closure", "rooms.key_closure", show=False),
        Binding("u", "report", "rooms.key_report", show=False),
        Binding("ctrl+f", "focus_booker", "rooms.key_filter", show=False),
    ]

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
    def desk_app(self) -> FrontdeskApp:
        return self.app  # type: ignore[return-value]

    @property
    def grid(self) -> RoomGrid:
        return self.query_one("#rooms-grid", RoomGrid)

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
        with Vertical(id="rooms-list"):
            with Horizontal(id="list-filters"):
                yield Select(
                    [(room_label(r)[0], r.id) for r in self.rooms],
                    prompt=_("rooms.filter_room"),
                    value=self.filters.room_id if self.filters.room_id else Select.NULL,
                    id="list-room",
                    compact=True,
                )
                yield Input(
                    self.filters.booker,
                    placeholder=_("rooms.filter_booker"),
                    id="list-booker",
                    compact=True,
                )
                yield Select(
                    [(_(f"enum.booking_status.{s}"), s) for s in STATUSES],
                    prompt=_("rooms.filter_status"),
                    value=self.filters.status or Select.NULL,
                    id="list-status",
                    compact=True,
                )
            yield DataTable(id="list-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="rooms-info")
        yield Footer(compact=True, show_command_palette=False)

    def _hint(self) -> str:
        """The keys above the grid, as far as the operator's role may use them."""
        parts = [_("rooms.hint")]
        if permitted(self, NEEDS, "closure"):
            parts.append(_("rooms.hint_closure"))
        if permitted(self, NEEDS, "report"):
            parts.append(_("rooms.hint_report"))
        return " · ".join(parts)

    def on_mount(self) -> None:
        super().on_mount()
        self._columns()
        self._show_mode()
        self.set_interval(REFRESH_SECONDS, self._new_slot)
        self.desk_app.data_changed.subscribe(self, self._data_changed)
        self._slot = self._current_slot()

    def _current_slot(self) -> datetime:
        now = self.desk_app.desk.clock.now()
        return now.replace(minute=now.minute - now.minute % 30, second=0, microsecond=0)

    def _new_slot(self) -> None:
        """The "now" line and what is past move every half hour: only then a reload."""
        slot = self._current_slot()
        if slot != self._slot:
            self._slot = slot
            self.reload()

    def _data_changed(self, changes: Changes) -> None:
        """Another desk booked, changed or closed something: the view follows by itself."""
        if changes.touches("booking", "booking_series", "closure") and self.is_current:
            self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._columns()
        self._show_mode()
        if self.model is not None:
            self._draw(self.model.calendar, self.desk_app.desk.clock.now())
        if self.list_mode:
            self._fill_list(self.listed)

    def _fill_day_list(self, cal: Calendar) -> None:
        listing = self.query_one("#rooms-day-list", DataTable)
        listing.clear(columns=True)
        for column in ("date", "time", "room", "status", "title", "booker"):
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

    def _columns(self) -> None:
        table = self.query_one("#list-table", DataTable)
        table.clear(columns=True)
        for column in ("date", "time", "room", "status", "title", "booker"):
            table.add_column(_(f"rooms.col.{column}"), key=column)

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

    # ----------------------------------------------------------------------------- loading

    def _request(self) -> ViewRequest:
        today = self.desk_app.desk.clock.today()
        return ViewRequest(self.mode, self.day or today, self.week_room_id)

    def reload(self) -> None:
        if self.desk_app.desk.community is None:
            self.query_one("#rooms-info", Static).update(_("header.no_community"))
            return
        if self.list_mode:
            self._load_list(self.filters)
        else:
            self._load(self._request())

    @work(thread=True, exclusive=True, group="rooms-load", exit_on_error=False)
    def _load(self, request: ViewRequest) -> None:
        desk = self.desk_app.desk
        assert desk.community is not None
        community = desk.community.id
        with connection():
            rooms = views.rooms(community, actor_id=desk.operator_id)
            if request.mode == WEEK and rooms:
                room_id = request.room_id
                if room_id is None or room_id not in {r.id for r in rooms}:
                    room_id = rooms[0].id
                cal = views.week(
                    community, room_id, week_start(request.day), actor_id=desk.operator_id
                )
            else:
                cal = views.day(community, request.day, actor_id=desk.operator_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, request, rooms, cal, desk.clock.now())

    def _loaded(
        self, request: ViewRequest, rooms: tuple[RoomColumn, ...], cal: Calendar, now: datetime
    ) -> None:
        if request != self._request():
            return  # an older answer arriving late
        self.rooms = rooms
        self.span = day_span(rooms)
        if self.day is None:
            self.day = request.day
        if not rooms:
            self.query_one("#rooms-info", Static).update(_("rooms.no_rooms"))
            return
        self._fill_room_filter()
        self._draw(cal, now)

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
        today = self.desk_app.desk.clock.today()
        if self.list_mode:
            text = _("rooms.title_list")
        elif self.mode == WEEK:
            monday = week_start(self.day)
            room = next((r for r in self.rooms if r.id == self.week_room_id), None)
            name = room_label(room)[0] if room else ""
            text = _(
                "rooms.title_week",
                room=name,
                start=f"{monday:%m-%d}",
                end=f"{monday + timedelta(days=6):%m-%d}",
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

    @property
    def cell(self) -> GridCell | None:
        return None if self.list_mode else self.grid.cursor_cell

    def _cursor_room(self) -> RoomColumn | None:
        if self.model is None or not self.model.columns:
            return None
        return self.model.columns[min(self.column, len(self.model.columns) - 1)].room

    def _describe(self) -> None:
        info = self.query_one("#rooms-info", Static)
        cell = self.cell
        room = self._cursor_room()
        if cell is None or room is None:
            info.update("")
            return
        slot = f"{cell.start:%H:%M}–{cell.end:%H:%M}"
        if self.mode == WEEK:
            where = f"{day_label(cell.start.date())[0]} {slot}"
        else:
            where = f"{room_label(room)[0]} {slot}"
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
        elif cell.closure is not None:
            c = cell.closure
            text = _(
                "rooms.info_closure",
                reason=display(c.reason),
                start=f"{c.starts_at:%m-%d %H:%M}",
                end=f"{c.ends_at:%m-%d %H:%M}",
            )
        elif cell.kind == CLOSED:
            hours = hours_text(room, cell.start.date())
            text = _("rooms.info_closed", hours=hours) if hours else _("rooms.info_closed_day")
        elif cell.past:
            text = _("rooms.info_past")
        else:
            text = _("rooms.info_free")
        line = Text(f"{where} · {text}")
        gone = [
            b
            for b in self.model.calendar.bookings  # type: ignore[union-attr]
            if b.room_id == room.id
            and b.status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW)
            and b.starts_at < cell.end
            and b.ends_at > cell.start
        ]
        for b in gone[:2]:
            line.append(" · ")
            line.append(display(b.title), style="strike")
            line.append(f"（{_(f'enum.booking_status.{b.status}')}）")
        info.update(line)

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
            case "grid_view" | "focus_booker":
                return self.list_mode
            case "step" | "today":
                return not self.list_mode
            case "other_room":
                return not self.list_mode and self.mode == WEEK
        return True

    # ---------------------------------------------------------------------- moving around

    def action_step(self, direction: int) -> None:
        if self.day is None:
            return
        days = 7 if self.mode == WEEK else 1
        self.day += timedelta(days=days * direction)
        self.reload()  # the title changes with the grid it names, when the day is drawn

    def action_today(self) -> None:
        self.day = self.desk_app.desk.clock.today()
        self.row = None
        if self.mode == WEEK:
            self.column = self.day.weekday()
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
        today = self.desk_app.desk.clock.today()

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

    @work(thread=True, group="rooms-write", exit_on_error=False)
    def _lift(self, closure_id: int) -> None:
        desk = self.desk_app.desk
        try:
            with connection():
                lift_closure(closure_id, actor_id=desk.operator_id, now=desk.clock.now())
        except UserError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, _("rooms.lifted"))
        self.app.call_from_thread(self.reload)

    def action_closure(self) -> None:
        desk = self.desk_app.desk
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

    def action_report(self) -> None:
        desk = self.desk_app.desk
        if desk.community is None:
            return
        monday = week_start(self.day or desk.clock.today())
        self.app.push_screen(RoomReportScreen(desk.community.id, self.rooms, monday))

    # ----------------------------------------------------------------------------- the list

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

    @work(thread=True, exclusive=True, group="rooms-list", exit_on_error=False)
    def _load_list(self, filters: ListFilters) -> None:
        desk = self.desk_app.desk
        assert desk.community is not None
        with connection():
            found = views.upcoming(
                desk.community.id,
                desk.clock.now(),
                actor_id=desk.operator_id,
                room_id=filters.room_id,
                booker=filters.booker,
                status=filters.status,
            )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._listed, filters, found)

    def _listed(self, filters: ListFilters, found: list[ListedBooking]) -> None:
        if filters != self.filters:
            return
        self.listed = found
        self._fill_list(found)

    def _fill_list(self, found: list[ListedBooking]) -> None:
        table = self.query_one("#list-table", DataTable)
        table.clear()
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
        info = self.query_one("#rooms-info", Static)
        info.update(_("rooms.list_count", count=len(found)) if found else _("rooms.list_none"))

    @on(DataTable.RowSelected, "#list-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is not None:
            self.open_booking(int(key))

    # -------------------------------------------------------------------------- the palette

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """This screen's commands for the palette: (title, help, callback)."""
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_("rooms.palette.book"), _("rooms.palette.book_help"), self.action_book),
            (_("rooms.palette.open"), _("rooms.palette.open_help"), self.action_open),
            (_("rooms.palette.day"), _("rooms.palette.day_help"), self._palette_day),
            (_("rooms.palette.week"), _("rooms.palette.week_help"), self._palette_week),
            (_("rooms.palette.list"), _("rooms.palette.list_help"), self.action_list_view),
            (_("rooms.palette.today"), _("rooms.palette.today_help"), self._palette_today),
            (_("rooms.palette.prev"), _("rooms.palette.prev_help"), self._palette_prev),
            (_("rooms.palette.next"), _("rooms.palette.next_help"), self._palette_next),
            (_("rooms.palette.closure"), _("rooms.palette.closure_help"), self.action_closure),
            (_("rooms.palette.report"), _("rooms.palette.report_help"), self.action_report),
        ]
        return commands

    def _palette_day(self) -> None:
        if self.list_mode:
            self.action_grid_view()
        if self.mode == WEEK:
            self.action_day_view()

    def _palette_week(self) -> None:
        if self.list_mode:
            self.action_grid_view()
        if self.mode == DAY:
            self.action_week_view()

    def _palette_today(self) -> None:
        if self.list_mode:
            self.action_grid_view()
        self.action_today()

    def _palette_prev(self) -> None:
        if not self.list_mode:
            self.action_step(-1)

    def _palette_next(self) -> None:
        if not self.list_mode:
            self.action_step(1)
