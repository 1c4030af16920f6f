"""The rooms screen's commands in the command palette (Ctrl+P): each works from the grid or
the list (the day, week, today and go-to-date commands leave the list for the grid first)."""

from __future__ import annotations

from collections.abc import Callable

from frontdesk.i18n import _
from frontdesk.screens.rooms.rooms_base import DAY, WEEK, RoomsBase


class RoomsPalette(RoomsBase):
    """``palette_commands`` for ``RoomsScreen``; the actions are its other parts'."""

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """This screen's commands for the palette: (title, help, callback)."""
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_("rooms.palette.book"), _("rooms.palette.book_help"), self.action_book),
            (_("rooms.palette.open"), _("rooms.palette.open_help"), self.action_open),
            (_("rooms.palette.day"), _("rooms.palette.day_help"), self._palette_day),
            (_("rooms.palette.week"), _("rooms.palette.week_help"), self._palette_week),
            (_("rooms.palette.list"), _("rooms.palette.list_help"), self.action_list_view),
            (_("rooms.palette.today"), _("rooms.palette.today_help"), self._palette_today),
            (_("rooms.palette.goto"), _("rooms.palette.goto_help"), self._palette_goto),
            (_("rooms.palette.prev"), _("rooms.palette.prev_help"), self._palette_prev),
            (_("rooms.palette.next"), _("rooms.palette.next_help"), self._palette_next),
            (_("rooms.palette.closure"), _("rooms.palette.closure_help"), self.action_closure),
            (_("rooms.palette.report"), _("rooms.palette.report_help"), self.action_report),
            (
                _("export.ui.palette_bookings"),
                _("export.ui.palette_bookings_help"),
                self.action_export_list,
            ),
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

    def _palette_goto(self) -> None:
        if self.list_mode:
            self.action_grid_view()
        self.action_goto()

    def _palette_prev(self) -> None:
        if not self.list_mode:
            self.action_step(-1)

    def _palette_next(self) -> None:
        if not self.list_mode:
            self.action_step(1)
