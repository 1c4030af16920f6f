"""The booking form's side: what is wrong with what was typed, why the rules refused, the
dates of a series that clash — and the choices the clerk has then (the nearest free slots,
which Enter copies into the form; skip the clashing dates or stop).

On a wide terminal (``-wide``) the side stands beside the fields, otherwise above them.
"""

from __future__ import annotations

from datetime import datetime

from rich.markup import escape
from textual import on
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from frontdesk.bookings.rules import FreeSlot
from frontdesk.bookings.series import SeriesPreview
from frontdesk.bookings.views import RoomColumn
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.screens.base.screen import DeskModal
from frontdesk.screens.rooms.booking_values import BookingEntry, BookingSaved
from frontdesk.widgets.room_grid import day_label, room_label
from frontdesk.widgets.text import display


class ProblemsSide(DeskModal[BookingSaved | None]):
    """The part of ``BookingFormScreen`` that shows problems and choices, and its status line."""

    rooms: tuple[RoomColumn, ...]
    suggestions: list[FreeSlot]
    pending: BookingEntry | None  # waiting for skip / stop
    saving: bool

    def _start_saving(self, entry: BookingEntry, skip: bool | None) -> None:
        raise NotImplementedError

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#bf-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    # ------------------------------------------------------------------- refusals, choices

    def _show_side(self, text: str, options: list[Option]) -> None:
        side = self.query_one("#bf-side")
        side.display = True
        self.query_one("#bf-problems", Static).update(text)
        choices = self.query_one("#bf-choices", OptionList)
        choices.clear_options()
        choices.add_options(options)
        choices.display = bool(options)
        self.query_one("#bf-main", VerticalScroll).scroll_home(animate=False)
        if options:
            choices.highlighted = 0
            choices.focus()

    def _hide_side(self) -> None:
        self.query_one("#bf-side").display = False
        self.suggestions = []
        self.pending = None

    def _show_problems(self, problems: list[str]) -> None:
        self.suggestions = []
        text = "\n".join(f"- {escape(display(str(p)))}" for p in problems)
        self._show_side(f"[b]{_('booking_form.problems')}[/b]\n{text}", [])
        self._status(_("booking_form.fix_and_save"), error=True)

    def _refused(
        self, entry: BookingEntry, problems: list[Notice], suggestions: list[FreeSlot]
    ) -> None:
        self.saving = False
        lines = "\n".join(f"- {escape(display(p.text()))}" for p in problems)
        text = f"[b]{_('booking.refused')}[/b]\n{lines}"
        options: list[Option] = []
        if problems and problems[0].key == "series.conflicts" and entry.repeat is not None:
            self.pending = entry
            options = [
                Option(_("booking_form.skip_conflicts"), id="skip"),
                Option(_("booking_form.stop"), id="stop"),
            ]
        else:
            asked = (entry.room_id, datetime.combine(entry.day, entry.start))
            if any((s.room_id, s.starts_at) == asked for s in suggestions):
                suggestions = []  # the slot itself is free: the problem is not the time
            self.suggestions = list(suggestions)
            if suggestions:
                text += "\n" + _("booking_form.suggestions")
            options = [
                Option(self._slot_text(s, entry), id=f"s{i}") for i, s in enumerate(suggestions)
            ]
        self._show_side(text, options)
        self._status(_("booking_form.refused_hint") if options else "", error=not options)

    def _slot_text(self, slot: FreeSlot, entry: BookingEntry) -> str:
        day = day_label(slot.starts_at.date())[0]
        when = f"{day} {slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}"
        if slot.room_id == entry.room_id:
            return _("booking_form.suggest_same", when=when)
        room = next((r for r in self.rooms if r.id == slot.room_id), None)
        name = room_label(room)[0] if room else slot.room_name
        return _("booking_form.suggest_room", room=name, when=when)

    def _conflicts(self, entry: BookingEntry, found: SeriesPreview) -> None:
        self.saving = False
        self.pending = entry
        lines = [_("booking_form.conflicts", total=len(found.dates), count=len(found.conflicts))]
        for conflict in found.conflicts[:12]:
            why = conflict.problems[0].text() if conflict.problems else ""
            lines.append(f"- {day_label(conflict.day)[0]}  {escape(display(why))}")
        if len(found.conflicts) > 12:
            lines.append(_("booking_form.more", count=len(found.conflicts) - 12))
        options = []
        if found.free:
            options.append(
                Option(_("booking_form.skip_and_book", count=len(found.free)), id="skip")
            )
        options.append(Option(_("booking_form.stop"), id="stop"))
        self._show_side("\n".join(lines), options)
        self._status(_("booking_form.conflicts_hint"))

    @on(OptionList.OptionSelected, "#bf-choices")
    def _choice(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice == "skip" and self.pending is not None:
            self._start_saving(self.pending, True)
        elif choice == "stop":
            self._hide_side()
            self._status("")
            self.query_one("#f-date", Input).focus()
        elif choice.startswith("s") and choice[1:].isdigit():
            index = int(choice[1:])
            if index < len(self.suggestions):
                self._apply(self.suggestions[index])

    def _apply(self, slot: FreeSlot) -> None:
        """Copy a suggested slot into the form; the clerk saves it with Ctrl+S."""
        self.query_one("#f-room", Select).value = slot.room_id
        self.query_one("#f-date", Input).value = f"{slot.starts_at:%Y-%m-%d}"
        self.query_one("#f-start", Input).value = f"{slot.starts_at:%H:%M}"
        self.query_one("#f-end", Input).value = f"{slot.ends_at:%H:%M}"
        self._hide_side()
        self._status(_("booking_form.suggestion_applied"))
        self.query_one("#f-title", Input).focus()
