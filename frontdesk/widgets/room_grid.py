"""The rooms grid: 30-minute slots down, rooms (or the days of one room's week) across.

The grid draws a ``GridModel`` built from a ``views.Calendar`` and keeps a cursor cell; the
time column and the header row stay in place while the cells scroll under them, so the grid
reads at 80×24 and spreads out on a larger terminal. Free time, closed hours, closures, bookings
and the current time each have their own look (component classes, theme colours only).
Cancelled bookings and no-shows free the room, so they are not drawn over free time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from frontdesk.bookings.intervals import SLOT, inside, overlaps, slot_floor
from frontdesk.bookings.lookup import DaySpan
from frontdesk.bookings.rules import HOLDING
from frontdesk.bookings.views import BookingCell, Calendar, ClosureCell, RoomColumn
from frontdesk.i18n import _, has
from frontdesk.widgets.text import display

FREE, CLOSED, CLOSURE, BOOKED, CHECKED_IN = "free", "closed", "closure", "booked", "checked_in"
CLOSED_HATCH = "/ " * 40
TIME_WIDTH = 6  # " 08:30"
MIN_COLUMN = 10
MAX_COLUMN = 30


def room_label(room: RoomColumn) -> tuple[str, str]:
    """The room's name in the current language, and a short one for narrow columns."""
    full = _(f"room.{room.code}") if has(f"room.{room.code}") else room.name
    short = _(f"rooms.short.{room.code}") if has(f"rooms.short.{room.code}") else full
    return full, short


def day_label(day: date) -> tuple[str, str]:
    weekday = _(f"weekday.{day.weekday()}")
    return f"{day:%m-%d} {weekday}", f"{weekday} {day:%d}"


@dataclass(frozen=True)
class GridColumn:
    room: RoomColumn
    day: date
    label: str
    short: str
    today: bool


@dataclass(frozen=True)
class GridCell:
    kind: str  # FREE, CLOSED, CLOSURE, BOOKED, CHECKED_IN
    start: datetime
    end: datetime
    text: str = ""
    lead: bool = False  # the first slot of a booking or a closure
    past: bool = False
    booking: BookingCell | None = None
    closure: ClosureCell | None = None
    first_line: str = ""  # what the booking's or closure's first slot says (its title)

    @property
    def bookable(self) -> bool:
        return self.kind == FREE and not self.past


@dataclass(frozen=True)
class GridModel:
    mode: str  # "day": every room on one day; "week": one room, Monday to Sunday
    day: date  # the day shown, or the Monday of the week
    columns: tuple[GridColumn, ...]
    slots: tuple[time, ...]
    cells: tuple[tuple[GridCell, ...], ...]  # [column][row]
    now_row: int | None  # the slot holding the desk's clock, when today is shown
    calendar: Calendar

    def cell(self, column: int, row: int) -> GridCell:
        return self.cells[column][row]

    def free_run(self, column: int, row: int, slots: int) -> int:
        """How many free slots (up to ``slots``) follow on from ``row`` in ``column``."""
        found = 0
        while found < slots and row + found < len(self.slots):
            if self.cells[column][row + found].kind != FREE:
                break
            found += 1
        return found


def slots_of(span: DaySpan) -> tuple[time, ...]:
    start = slot_floor(datetime.combine(date.min, span.first))
    end = datetime.combine(date.min, span.last)
    found = []
    while start < end:
        found.append(start.time())
        start += SLOT
    return tuple(found)


def _column_cells(
    cal: Calendar, room: RoomColumn, day: date, slots: tuple[time, ...], now: datetime
) -> tuple[GridCell, ...]:
    windows = room.windows(day)
    live = [b for b in cal.bookings if b.room_id == room.id and b.status in HOLDING]
    closures = [c for c in cal.closures if c.room_id in (None, room.id)]
    floor = slot_floor(now)
    cells: list[GridCell] = []
    previous: int | None = None  # the booking or closure drawn in the slot above
    shown = 0  # how many of its slots are drawn so far
    for slot in slots:
        start = datetime.combine(day, slot)
        end = start + SLOT
        past = start < floor
        booking = next((b for b in live if overlaps(b.starts_at, b.ends_at, start, end)), None)
        closure = next((c for c in closures if overlaps(c.starts_at, c.ends_at, start, end)), None)
        if booking is not None:
            key = booking.id
            shown = shown + 1 if key == previous else 0
            lines = [
                display(booking.title),
                display(booking.booker_name),
                f"–{booking.ends_at:%H:%M}",
            ]
            kind = CHECKED_IN if booking.status == CHECKED_IN else BOOKED
            text = lines[shown] if shown < len(lines) else ""
            cells.append(
                GridCell(kind, start, end, text, shown == 0, past, booking, None, lines[0])
            )
            previous = key
        elif closure is not None:
            key = -closure.id
            shown = shown + 1 if key == previous else 0
            lines = [_("rooms.closure_cell"), display(closure.reason)]
            text = lines[shown] if shown < len(lines) else ""
            cells.append(
                GridCell(CLOSURE, start, end, text, shown == 0, past, None, closure, lines[0])
            )
            previous = key
        else:
            kind = FREE if inside(start, end, windows) else CLOSED
            cells.append(GridCell(kind, start, end, past=past))
            previous = None
    return tuple(cells)


def _now_row(slots: tuple[time, ...], now: datetime) -> int | None:
    floor = slot_floor(now).time()
    return slots.index(floor) if floor in slots else None


def day_model(cal: Calendar, day: date, span: DaySpan, now: datetime) -> GridModel:
    """Every room on ``day``."""
    slots = slots_of(span)
    columns = []
    cells = []
    for room in cal.rooms:
        full, short = room_label(room)
        columns.append(GridColumn(room, day, full, short, False))  # the title says "today"
        cells.append(_column_cells(cal, room, day, slots, now))
    now_row = _now_row(slots, now) if day == now.date() else None
    return GridModel("day", day, tuple(columns), slots, tuple(cells), now_row, cal)


def week_model(cal: Calendar, monday: date, span: DaySpan, now: datetime) -> GridModel:
    """One room (the calendar's only one), Monday to Sunday."""
    slots = slots_of(span)
    room = cal.rooms[0]
    columns = []
    cells = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        full, short = day_label(day)
        columns.append(GridColumn(room, day, full, short, day == now.date()))
        cells.append(_column_cells(cal, room, day, slots, now))
    in_week = monday <= now.date() < monday + timedelta(days=7)
    now_row = _now_row(slots, now) if in_week else None
    return GridModel("week", monday, tuple(columns), slots, tuple(cells), now_row, cal)


class RoomGrid(Widget, can_focus=True):
    """Arrows move the cursor cell; the screen decides what Enter does with it."""

    COMPONENT_CLASSES = {
        "room-grid--header",
        "room-grid--header-today",
        "room-grid--header-cursor",
        "room-grid--time",
        "room-grid--time-now",
        "room-grid--time-cursor",
        "room-grid--free",
        "room-grid--free-past",
        "room-grid--closed",
        "room-grid--closure",
        "room-grid--booked",
        "room-grid--checked_in",
        "room-grid--lead",
        "room-grid--past",
        "room-grid--now",
        "room-grid--cursor",
        "room-grid--cursor-blurred",
        "room-grid--scrollbar",
        "room-grid--scrollbar-thumb",
    }
    DEFAULT_CSS = """
    RoomGrid { height: 1fr; background: $surface; }
    RoomGrid > .room-grid--header { background: $panel; text-style: bold; }
    RoomGrid > .room-grid--header-today { background: $warning-muted; text-style: bold; }
    RoomGrid > .room-grid--header-cursor { text-style: bold underline; }
    RoomGrid > .room-grid--time { background: $panel; color: $text-muted; }
    RoomGrid > .room-grid--time-now { background: $warning; color: $text; text-style: bold; }
    RoomGrid > .room-grid--time-cursor { color: $text; text-style: bold; }
    RoomGrid > .room-grid--free { background: $surface; }
    RoomGrid > .room-grid--free-past { background: $background; }
    RoomGrid > .room-grid--closed { background: $panel; color: $text-disabled; }
    RoomGrid > .room-grid--closure { background: $error-muted; color: $text-error; }
    RoomGrid > .room-grid--booked { background: $primary-muted; color: $text; }
    RoomGrid > .room-grid--checked_in { background: $success-muted; color: $text; }
    RoomGrid > .room-grid--lead { text-style: bold; }
    RoomGrid > .room-grid--past { text-style: dim; }
    RoomGrid > .room-grid--now { text-style: underline; }
    RoomGrid > .room-grid--cursor { background: $block-cursor-background;
                                    color: $block-cursor-foreground; text-style: bold; }
    RoomGrid > .room-grid--cursor-blurred { background: $block-cursor-blurred-background; }
    RoomGrid > .room-grid--scrollbar { background: $scrollbar-background; }
    RoomGrid > .room-grid--scrollbar-thumb { background: $scrollbar; }
    """
    BINDINGS = [
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("home", "move(0, -999)", show=False),
        Binding("end", "move(0, 999)", show=False),
    ]

    class CursorMoved(Message):
        def __init__(self, column: int, row: int) -> None:
            super().__init__()
            self.column = column
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: GridModel | None = None
        self.column = 0
        self.row = 0
        self.top = 0
        self.left = 0

    # ------------------------------------------------------------------------------ state

    def show(self, model: GridModel, column: int, row: int, *, context: bool = False) -> None:
        """Draw ``model`` with the cursor at (``column``, ``row``); ``context`` scrolls so
        that a few slots above the cursor show too (on a new day)."""
        self.model = model
        self.column = max(0, min(column, len(model.columns) - 1))
        self.row = max(0, min(row, len(model.slots) - 1))
        if context:
            self.top = max(0, self.row - 2)
        self._follow_cursor()
        self.refresh()
        self.post_message(self.CursorMoved(self.column, self.row))

    @property
    def cursor_cell(self) -> GridCell | None:
        if self.model is None or not self.model.columns or not self.model.slots:
            return None
        return self.model.cell(self.column, self.row)

    def action_move(self, columns: int, rows: int) -> None:
        if self.model is None:
            return
        self.column = max(0, min(self.column + columns, len(self.model.columns) - 1))
        self.row = max(0, min(self.row + rows, len(self.model.slots) - 1))
        self._follow_cursor()
        self.refresh()
        self.post_message(self.CursorMoved(self.column, self.row))

    def _layout(self) -> tuple[int, int]:
        """(column width, how many columns fit)."""
        count = len(self.model.columns) if self.model else 1
        room = max(1, self.size.width - TIME_WIDTH - 1)
        width = max(MIN_COLUMN, min(MAX_COLUMN, room // max(1, count)))
        return width, max(1, min(count, room // width))

    def _body_height(self) -> int:
        return max(1, self.size.height - 1)

    def _follow_cursor(self) -> None:
        if self.model is None:
            return
        _width, visible = self._layout()
        if self.column < self.left:
            self.left = self.column
        elif self.column >= self.left + visible:
            self.left = self.column - visible + 1
        self.left = max(0, min(self.left, len(self.model.columns) - visible))
        height = self._body_height()
        if self.row < self.top:
            self.top = self.row
        elif self.row >= self.top + height:
            self.top = self.row - height + 1
        self.top = max(0, min(self.top, len(self.model.slots) - height))

    def on_resize(self, event: events.Resize) -> None:
        self._follow_cursor()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if self.model is None or event.y < 1 or event.x < TIME_WIDTH:
            return
        width, _visible = self._layout()
        column = self.left + (event.x - TIME_WIDTH) // width
        row = self.top + event.y - 1
        if column < len(self.model.columns) and row < len(self.model.slots):
            self.action_move(column - self.column, row - self.row)

    # ---------------------------------------------------------------------------- drawing

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"room-grid--{name}")

    def _partial(self, name: str) -> Style:
        return self.get_component_rich_style(f"room-grid--{name}", partial=True)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        model = self.model
        if model is None or not model.columns:
            return Strip.blank(width, base)
        column_width, visible = self._layout()
        shown = range(self.left, min(len(model.columns), self.left + visible))
        segments = self._header(model, shown, column_width) if y == 0 else []
        if y > 0:
            row = self.top + y - 1
            if row >= len(model.slots):
                return Strip.blank(width, base)
            segments = self._row(model, shown, column_width, row)
        used = sum(cell_len(s.text) for s in segments)
        fill = self._style("header") if y == 0 else base
        if used < width - 1:
            segments.append(Segment(" " * (width - 1 - used), fill))
        segments.append(self._scrollbar(y, len(model.slots)))
        return Strip(segments).adjust_cell_length(width, base)

    def _header(self, model: GridModel, shown: range, column_width: int) -> list[Segment]:
        header = self._style("header")
        more_left = "<" if self.left > 0 else ""
        segments = [Segment(set_cell_size(more_left, TIME_WIDTH), header)]
        short = any(cell_len(c.label) > column_width - 2 for c in model.columns)
        for index in shown:
            column = model.columns[index]
            style = self._style("header-today") if column.today else header
            if index == self.column:
                style += self._partial("header-cursor")
            label = column.short if short else column.label
            segments.append(Segment(set_cell_size(" " + label, column_width - 1), style))
            segments.append(Segment(" ", header))
        if shown.stop < len(model.columns):
            segments.append(Segment(">", header))
        return segments

    def _row(self, model: GridModel, shown: range, column_width: int, row: int) -> list[Segment]:
        slot = model.slots[row]
        if row == model.now_row:
            time_style = self._style("time-now")
        else:
            time_style = self._style("time")
            if row == self.row:
                time_style += self._partial("time-cursor")
        segments = [Segment(set_cell_size(f" {slot:%H:%M}", TIME_WIDTH), time_style)]
        cursor = self._partial("cursor" if self.has_focus else "cursor-blurred")
        for index in shown:
            cell = model.cell(index, row)
            style = self._style("free-past" if cell.kind == FREE and cell.past else cell.kind)
            if cell.lead and cell.kind != FREE:
                style += self._partial("lead")
            if cell.past:
                style += self._partial("past")
            if row == model.now_row and (model.mode == "day" or model.columns[index].today):
                style += self._partial("now")
            if index == self.column and row == self.row:
                style += cursor
            shown_text = cell.text
            if cell.kind == CLOSED:  # hatched, not just shaded: 16-colour terminals lose shades
                shown_text = CLOSED_HATCH[: column_width - 2]
            if row == self.top and not cell.lead and cell.first_line:
                shown_text = cell.first_line  # the start is scrolled away: say what it is
            text = set_cell_size(" " + shown_text, column_width - 1)
            segments.append(Segment(text, style))
            segments.append(Segment(" ", self.rich_style))
        return segments

    def _scrollbar(self, y: int, rows: int) -> Segment:
        height = self._body_height()
        if y == 0 or rows <= height:
            return Segment(" ", self.rich_style if y else self._style("header"))
        thumb = max(1, height * height // rows)
        start = self.top * (height - thumb) // max(1, rows - height)
        inside_thumb = start <= y - 1 < start + thumb
        return Segment(" ", self._style("scrollbar-thumb" if inside_thumb else "scrollbar"))
