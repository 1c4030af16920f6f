"""The week's use of each room: hours booked of the hours open, the share, the no-show rate
and the most frequent bookers. ``[`` / ``]`` change the week."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from frontdesk.bookings.reports import RoomUse, utilisation
from frontdesk.bookings.views import RoomColumn
from frontdesk.i18n import _, join
from frontdesk.screens.base.screen import DeskModal
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.room_grid import room_label
from frontdesk.widgets.tables import empty, fit_columns
from frontdesk.widgets.text import display

COLUMNS = ("room", "hours", "share", "no_shows", "bookers")


class RoomReportScreen(DeskModal[None]):
    CSS_PATH = "room_report.tcss"
    BINDINGS = [
        Binding("escape", "close", "key.close"),
        Binding("left_square_bracket", "week(-1)", "report.key_prev"),
        Binding("right_square_bracket", "week(1)", "report.key_next"),
    ]

    def __init__(self, community_id: int, rooms: tuple[RoomColumn, ...], monday: date) -> None:
        super().__init__()
        self.community_id = community_id
        self.rooms = rooms
        self.monday = monday
        self.uses: list[RoomUse] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="rr-box"):
            yield Static("", id="rr-title")
            yield DataTable(id="rr-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="rr-bookers")
            yield Static("", id="rr-total")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._columns()
        self.query_one(DataTable).focus()
        self.load()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._columns()
        if self.uses is not None:
            self._show(self.monday, self.uses)

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(_(f"report.col.{column}"), key=column)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_week(self, step: int) -> None:
        self.monday += timedelta(days=7 * step)
        self.load()

    def load(self) -> None:
        monday = self.monday
        self.call(
            partial(utilisation, self.community_id, monday, actor_id=self.desk.operator_id),
            partial(self._show, monday),
            group="room-report",
            latest=True,
        )

    def _show(self, monday: date, uses: list[RoomUse]) -> None:
        if monday != self.monday:
            return
        self.uses = uses
        self.query_one("#rr-title", Static).update(
            _("report.title", start=f"{monday:%Y-%m-%d}", end=f"{monday + timedelta(days=6):%m-%d}")
        )
        table = self.query_one(DataTable)
        empty(table)
        for use in uses:
            top = use.top_bookers[0] if use.top_bookers else None
            table.add_row(
                self._room_name(use),
                f"{use.hours_booked:.1f} / {use.hours_open:.1f}",
                f"{use.share:.0%}",
                f"{use.no_show_rate:.0%} ({use.no_shows}/{use.bookings})",
                f"{display(top[0])} ×{top[1]}" if top else "—",
                key=str(use.room_id),
            )
        fit_columns(table)  # sized before it is drawn (widgets.tables)
        self._show_bookers()
        booked = sum(u.hours_booked for u in uses)
        opened = sum(u.hours_open for u in uses)
        share = booked / opened if opened else 0.0
        self.query_one("#rr-total", Static).update(
            _("report.total", booked=f"{booked:.1f}", open=f"{opened:.1f}", share=f"{share:.0%}")
        )

    @on(DataTable.RowHighlighted)
    def _show_bookers(self) -> None:
        """The five most frequent bookers of the room under the cursor."""
        table = self.query_one(DataTable)
        if not self.uses or not table.row_count:
            return
        use = self.uses[min(table.cursor_row, len(self.uses) - 1)]
        bookers = join(f"{display(name)} ×{n}" for name, n in use.top_bookers) or "—"
        self.query_one("#rr-bookers", Static).update(
            _("report.top_bookers", room=self._room_name(use), bookers=bookers)
        )

    def _room_name(self, use: RoomUse) -> str:
        room = next((r for r in self.rooms if r.id == use.room_id), None)
        return room_label(room)[0] if room else display(use.room_name)
