"""The booking form: one booking, or a weekly series, new or changed.

Room, date and times come filled in from the slot the cursor was on. The booker is an
organisation, an outside person (name and phone) or a resident found with the residents search.
Ctrl+R makes it a weekly series (weekdays, until a date or N times): before saving, the dates
that clash are listed and the clerk chooses to skip them or stop. When the rules refuse, every
problem shows beside the form with the nearest free slots, which Enter copies into the form.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from frontdesk.bookings.booking import BookingView
from frontdesk.bookings.occurrences import SeriesSaved
from frontdesk.bookings.rules import BookingRefused, FreeSlot
from frontdesk.bookings.series import SeriesPreview, SeriesView
from frontdesk.bookings.views import RoomColumn
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.residents.search import ResidentHit, SearchResult
from frontdesk.screens.base.discard import AsksBeforeDiscarding
from frontdesk.screens.rooms.booking_fields import booking_fields, repeat_fields
from frontdesk.screens.rooms.booking_problems import ProblemsSide
from frontdesk.screens.rooms.booking_save import Editing, save_entry, saved_text
from frontdesk.screens.rooms.booking_values import (
    BookingEntry,
    BookingSaved,
    FormStart,
    Repeat,
    Unreadable,
    parse_clock,
    parse_count,
    parse_day,
)
from frontdesk.vocabulary import BookerKind
from frontdesk.widgets.people import person_lines
from frontdesk.widgets.picker import PickList, StepInput, focus_next_empty, people_search
from frontdesk.widgets.text import display

__all__ = ["BookingFormScreen", "BookingSaved", "FormStart", "Unreadable", "parse_day"]

RESIDENTS = 8  # residents offered under the resident box
# the field to correct when the rules refuse a booking for this reason
FIELD_AT_FAULT = {
    "booking.title_required": "f-title",
    "booking.booker_required": "f-name",
    "booking.end_before_start": "f-end",
    "booking.too_long": "f-end",
    "booking.in_past": "f-date",
    "booking.too_far": "f-date",
    "booking.date_range": "f-date",
    "booking.closed_that_day": "f-date",
    "booking.outside_hours": "f-start",
    "booking.too_early": "f-start",
    "booking.conflict": "f-start",
    "booking.attendees_positive": "f-attendees",
    "booking.over_capacity": "f-attendees",
    "booking.no_room_big_enough": "f-attendees",
    "booking.big_rooms_taken": "f-attendees",
}

WIDE = 110  # from this many columns the problems stand beside the fields, not above them


class BookingFormScreen(AsksBeforeDiscarding, ProblemsSide):
    CSS_PATH = "booking_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "booking_form.key_save", priority=True),
        Binding("ctrl+r", "toggle_repeat", "booking_form.key_repeat"),
        Binding("escape", "cancel", "booking_form.key_cancel"),
    ]

    def __init__(
        self,
        rooms: tuple[RoomColumn, ...],
        start: FormStart,
        *,
        today: date,
        booking: BookingView | None = None,
        scope: str = "this",
        series: SeriesView | None = None,
    ) -> None:
        super().__init__()
        self.rooms = rooms
        self.start = start
        self.today = today
        self.booking = booking  # None: a new booking
        self.scope = scope  # for a booking of a series: "this", "following" or "all"
        self.series = series  # the series being changed (following / all), as loaded
        self.resident: tuple[int, str] | None = None  # (id, what the form shows)
        if booking is not None and booking.booker.resident_id is not None:
            self.resident = (booking.booker.resident_id, display(booking.booker.name))
        self.hits: list[ResidentHit] = []
        self.bad_field: str | None = None  # the first field that did not read, at the last save
        self.suggestions: list[FreeSlot] = []
        self.pending: BookingEntry | None = None  # waiting for skip / stop
        self.saving = False

    @property
    def series_edit(self) -> bool:
        return self.booking is not None and self.scope in ("following", "all")

    # ---------------------------------------------------------------------------- composing

    def _title_text(self) -> str:
        if self.booking is None:
            return _("booking_form.title_new")
        title = display(self.booking.title)
        return _(f"booking_form.title_edit_{self.scope}", title=title)

    def compose(self) -> ComposeResult:
        series = self.series.data if self.series is not None else None
        with Vertical(id="bf-box"):
            yield Static(self._title_text(), id="bf-title")
            with VerticalScroll(id="bf-main"):
                with Vertical(id="bf-side"):
                    yield Static("", id="bf-problems")
                    yield OptionList(id="bf-choices")
                with Vertical(id="bf-fields"):
                    yield from booking_fields(
                        self.rooms, self.start, self.booking, series, self._resident_text()
                    )
                    yield from repeat_fields(self.start, series, self.series_edit)
            with Vertical(id="bf-foot"):
                yield Static("", id="bf-status")
                yield Static(_("booking_form.help"), id="bf-help")

    def on_mount(self) -> None:
        self._arrange()
        self.query_one("#f-title", Input).focus()
        self.call_after_refresh(self.remember_typed)  # as filled in: Escape closes it at once

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    def _arrange(self) -> None:
        """Show the rows that apply to what is chosen now."""
        self.set_class(self.size.width >= WIDE, "-wide")
        kind = self.query_one("#f-kind", Select).value
        resident = kind == BookerKind.RESIDENT.value
        self.query_one("#row-name").display = not resident
        self.query_one("#row-phone").display = not resident
        self.query_one("#row-resident").display = resident
        self.query_one("#f-resident-results").display = resident and bool(self.hits)
        repeat = self.query_one("#f-repeat", Checkbox)
        repeat.display = self.booking is None or self.series_edit
        repeat.disabled = self.series_edit
        self.query_one("#row-repeat").display = repeat.value and repeat.display

    def _resident_text(self) -> str:
        if self.resident is None:
            return _("booking_form.resident_none")
        return _("booking_form.resident_chosen", who=self.resident[1])

    async def _language_changed(self, language: str) -> None:
        values = self._values()
        await super()._language_changed(language)
        self._restore(values)
        self._arrange()

    def _values(self) -> dict[str, Any]:
        return {
            w.id: w.value
            for w in self.query("Input, Select, Checkbox")
            if w.id and isinstance(w, Input | Select | Checkbox)
        }

    def _restore(self, values: dict[str, Any]) -> None:
        for widget_id, value in values.items():
            for widget in self.query(f"#{widget_id}"):
                if isinstance(widget, Input | Select | Checkbox):
                    widget.value = value

    # ------------------------------------------------------------------------- moving along

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "f-resident":  # Enter takes the highlighted one (widgets.picker)
            chosen = self.query_one("#f-resident-results", PickList).chosen_id()
            if chosen is not None:
                self._take_resident(chosen)
            return
        self.focus_next()

    @on(StepInput.Step)
    def _step_residents(self, event: StepInput.Step) -> None:
        self.query_one("#f-resident-results", PickList).step(event.step)

    @on(Select.Changed, "#f-kind")
    def _kind_changed(self) -> None:
        self._arrange()

    @on(Checkbox.Changed, "#f-repeat")
    def _repeat_changed(self, event: Checkbox.Changed) -> None:
        self._arrange()
        if event.value and not self.series_edit:
            self.query_one("#f-count", Input).focus()

    def action_toggle_repeat(self) -> None:
        repeat = self.query_one("#f-repeat", Checkbox)
        if repeat.display and not repeat.disabled:
            repeat.value = not repeat.value

    def action_cancel(self) -> None:
        self.close_or_ask()

    # ---------------------------------------------------------------------- the resident

    @on(Input.Changed, "#f-resident")
    def _resident_query(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, query: str) -> None:
        if not query.strip():
            self._found(query, [])  # an answer to an older query arriving later is dropped
            return
        self.call(
            people_search(self.desk, query, RESIDENTS),
            partial(self._searched, query),
            group="booking-resident",
            latest=True,
        )

    def _searched(self, query: str, result: SearchResult) -> None:
        self._found(query, result.hits)

    def _found(self, query: str, hits: list[ResidentHit]) -> None:
        if query != self.query_one("#f-resident", Input).value:
            return
        self.hits = hits
        results = self.query_one("#f-resident-results", PickList)
        results.clear_options()
        results.add_options(  # name, age, flat, phone, why found, namesakes' ID ends
            Option(line, id=str(h.id))
            for h, line in zip(hits, person_lines(hits, query), strict=True)
        )
        results.display = bool(hits)
        results.show_first()

    @on(OptionList.OptionSelected, "#f-resident-results")
    def _resident_clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._take_resident(event.option.id)

    def _take_resident(self, option_id: str) -> None:
        hit = next((h for h in self.hits if str(h.id) == option_id), None)
        if hit is None:
            return
        self.resident = (hit.id, f"{display(hit.name)}（{display(hit.address)}）")
        self.query_one("#f-resident-chosen", Static).update(self._resident_text())
        focus_next_empty(self, self.query_one("#f-resident", Input))

    # --------------------------------------------------------------------------- reading

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _read(self) -> tuple[BookingEntry | None, list[str]]:
        """The entry values, or what cannot be read (nothing is sent to the services then; the
        first field that does not read is in ``self.bad_field``)."""
        problems: list[str] = []
        self.bad_field = None

        def read(widget_id: str, parse: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return parse(self._text(widget_id), *args, **kwargs)
            except Unreadable as exc:
                said = _(exc.key, **exc.params)
                if said not in problems:
                    problems.append(said)
                self.bad_field = self.bad_field or widget_id
                return None

        day = read("f-date", parse_day, self.today)
        start = read("f-start", parse_clock)
        end = read("f-end", parse_clock)
        attendees = read("f-attendees", parse_count, default=1)
        kind = str(self.query_one("#f-kind", Select).value)
        resident_id = None
        if kind == BookerKind.RESIDENT.value:
            if self.resident is None:
                problems.append(_("booking_form.resident_required"))
                self.bad_field = self.bad_field or "f-resident"
            else:
                resident_id = self.resident[0]
        repeat = None
        if self.query_one("#f-repeat", Checkbox).value:
            weekdays = tuple(n for n in range(7) if self.query_one(f"#f-wd-{n}", Checkbox).value)
            until = self._text("f-until")
            repeat = Repeat(
                weekdays,
                read("f-until", parse_day, self.today) if until else None,
                read("f-count", parse_count, default=None),
            )
        if problems:
            return None, problems
        room = self.query_one("#f-room", Select).value
        entry = BookingEntry(
            room_id=int(room),  # type: ignore[arg-type]
            day=day,
            start=start,
            end=end,
            title=self._text("f-title"),
            kind=kind,
            name=self._text("f-name"),
            phone=self._text("f-phone"),
            resident_id=resident_id,
            attendees=attendees,
            notes=self._text("f-notes"),
            repeat=repeat,
        )
        return entry, []

    # ---------------------------------------------------------------------------- saving

    def action_save(self) -> None:
        if self.saving:
            return
        entry, problems = self._read()
        if entry is None:
            self._show_problems(problems)
            self._focus_bad(self.bad_field)
            return
        self._start_saving(entry, None)

    def _start_saving(self, entry: BookingEntry, skip: bool | None) -> None:
        self.saving = True
        self.pending = None
        self._status(_("booking_form.saving"))
        desk = self.desk
        editing = Editing(self.booking, self.scope, self.series)
        self.call(
            partial(
                save_entry, entry, editing, skip, actor_id=desk.operator_id, now=desk.clock.now()
            ),
            partial(self._written, entry, editing),
            group="booking-save",
            latest=True,
            refused=partial(self._not_saved, entry),
            failed=self._crashed,
        )

    def _written(
        self, entry: BookingEntry, editing: Editing, written: int | SeriesSaved | SeriesPreview
    ) -> None:
        if isinstance(written, SeriesPreview):  # dates that clash: skip them or stop
            self._conflicts(entry, written)
            return
        booking_id = written if isinstance(written, int) else None
        if self.booking is not None:
            booking_id = self.booking.id
        self.saving = False
        self.dismiss(BookingSaved(booking_id, saved_text(entry, editing, written, self.rooms)))

    def _not_saved(self, entry: BookingEntry, error: UserError) -> None:
        if isinstance(error, BookingRefused):
            self._refused(entry, error.problems, error.suggestions)
            choices = self.query_one("#bf-choices", OptionList)
            if not (choices.display and choices.option_count):  # no choices: to the field
                self._focus_bad(next((FIELD_AT_FAULT.get(p.key) for p in error.problems), None))
        else:
            self._failed(str(error))

    def _focus_bad(self, widget_id: str | None) -> None:
        """After a refused save the focus goes to the field to correct, as on every form."""
        if widget_id is None:
            return
        for widget in self.query(f"#{widget_id}"):
            if widget.display and widget.focusable:
                widget.focus()
                return

    def _failed(self, text: str) -> None:
        self.saving = False
        self._status(text, error=True)

    def _crashed(self) -> None:
        """Something unexpected (shown and logged by the base): the form can be saved again."""
        self.saving = False
        self._status("")
