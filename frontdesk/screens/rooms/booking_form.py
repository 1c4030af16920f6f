"""The booking form: one booking, or a weekly series, new or changed.

Room, date and times come filled in from the slot the cursor was on. The booker is an
organisation, an outside person (name and phone) or a resident found with the residents search.
Ctrl+R makes it a weekly series (weekdays, until a date or N times): before saving, the dates
that clash are listed and the clerk chooses to skip them or stop. When the rules refuse, every
problem shows beside the form with the nearest free slots, which Enter copies into the form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from frontdesk.bookings.booking import BookingView, change_booking, create_booking
from frontdesk.bookings.lookup import resident_booker
from frontdesk.bookings.rules import Booker, BookingInput, BookingRefused, FreeSlot
from frontdesk.bookings.series import (
    SeriesInput,
    SeriesPreview,
    SeriesView,
    change_series,
    create_series,
    preview,
)
from frontdesk.bookings.views import RoomColumn
from frontdesk.db.connection import connection
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.residents.search import ResidentHit, search
from frontdesk.screens.base.localized import LocalizedMixin
from frontdesk.vocabulary import BookerKind
from frontdesk.widgets.room_grid import day_label, room_label
from frontdesk.widgets.text import display

if TYPE_CHECKING:
    from frontdesk.app import FrontdeskApp

KINDS = [BookerKind.ORGANISATION.value, BookerKind.PERSON.value, BookerKind.RESIDENT.value]
WIDE = 110  # from this many columns the problems stand beside the fields, not above them
_DAY = re.compile(r"^(?:(\d{4})[-/.年]?)?(\d{1,2})[-/.月]?(\d{1,2})日?$")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:：.]?(\d{2}))?$")


class Unreadable(ValueError):
    """A field that does not read as what it should hold; ``key`` says what."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_day(text: str, today: date) -> date:
    """``2026-11-30``, ``2026/11/30``, ``20261130``, or ``11-30`` (this year)."""
    found = _DAY.match(text.strip())
    if found is None:
        raise Unreadable("booking_form.bad_date")
    try:
        return date(int(found[1] or today.year), int(found[2]), int(found[3]))
    except ValueError as exc:
        raise Unreadable("booking_form.bad_date") from exc


def parse_clock(text: str) -> time:
    """``9:30``, ``09:30``, ``0930``, ``9``."""
    found = _CLOCK.match(text.strip())
    if found is None:
        raise Unreadable("booking_form.bad_time")
    try:
        return time(int(found[1]), int(found[2] or 0))
    except ValueError as exc:
        raise Unreadable("booking_form.bad_time") from exc


def parse_count(text: str, *, default: int | None) -> int | None:
    text = text.strip()
    if not text:
        return default
    if not text.isdigit():
        raise Unreadable("booking_form.bad_number")
    return int(text)


@dataclass(frozen=True)
class FormStart:
    """Where the form starts: the room and the slot the cursor was on."""

    room_id: int
    day: date
    start: time
    end: time


@dataclass(frozen=True)
class BookingSaved:
    booking_id: int | None
    text: str  # what to tell the clerk


@dataclass(frozen=True)
class Repeat:
    weekdays: tuple[int, ...]
    until_on: date | None
    occurrences: int | None


@dataclass(frozen=True)
class Typed:
    """What the form holds, read on the UI thread."""

    room_id: int
    day: date
    start: time
    end: time
    title: str
    kind: str
    name: str
    phone: str
    resident_id: int | None
    attendees: int
    notes: str
    repeat: Repeat | None

    def booking(self, booker: Booker) -> BookingInput:
        return BookingInput(
            room_id=self.room_id,
            starts_at=datetime.combine(self.day, self.start),
            ends_at=datetime.combine(self.day, self.end),
            title=self.title,
            booker=booker,
            attendees=self.attendees,
            notes=self.notes,
        )

    def series(self, booker: Booker) -> SeriesInput:
        assert self.repeat is not None
        return SeriesInput(
            room_id=self.room_id,
            title=self.title,
            weekdays=self.repeat.weekdays,
            start_time=self.start,
            end_time=self.end,
            starts_on=self.day,
            booker=booker,
            until_on=self.repeat.until_on,
            occurrences=self.repeat.occurrences,
            attendees=self.attendees,
            notes=self.notes,
        )


def line(label_key: str, *widgets: Widget, row_id: str | None = None) -> Horizontal:
    return Horizontal(
        Label(_(label_key), classes="bf-label"), *widgets, classes="bf-line", id=row_id
    )


class BookingFormScreen(LocalizedMixin, ModalScreen[BookingSaved | None]):
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
        self.suggestions: list[FreeSlot] = []
        self.pending: Typed | None = None  # waiting for skip / stop
        self.saving = False

    @property
    def desk_app(self) -> FrontdeskApp:
        return self.app  # type: ignore[return-value]

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
        b = self.booking
        s = self.series.data if self.series is not None else None
        kind = b.booker.kind if b else BookerKind.ORGANISATION.value
        with Vertical(id="bf-box"):
            yield Static(self._title_text(), id="bf-title")
            with VerticalScroll(id="bf-main"):
                with Vertical(id="bf-side"):
                    yield Static("", id="bf-problems")
                    yield OptionList(id="bf-choices")
                with Vertical(id="bf-fields"):
                    yield line(
                        "booking_form.field.room",
                        Select(
                            [(room_label(r)[0], r.id) for r in self.rooms],
                            value=self.start.room_id,
                            allow_blank=False,
                            id="f-room",
                            compact=True,
                        ),
                    )
                    yield line(
                        "booking_form.field.date",
                        Input(
                            f"{self.start.day:%Y-%m-%d}",
                            id="f-date",
                            compact=True,
                            placeholder=_("booking_form.date_placeholder"),
                        ),
                    )
                    yield line(
                        "booking_form.field.time",
                        Input(f"{self.start.start:%H:%M}", id="f-start", compact=True),
                        Static("–", classes="bf-dash"),
                        Input(f"{self.start.end:%H:%M}", id="f-end", compact=True),
                    )
                    yield line(
                        "booking_form.field.title",
                        Input(
                            b.title if b else (s.title if s else ""),
                            id="f-title",
                            compact=True,
                            placeholder=_("booking_form.title_placeholder"),
                        ),
                    )
                    yield line(
                        "booking_form.field.kind",
                        Select(
                            [(_(f"booking_form.kind.{k}"), k) for k in KINDS],
                            value=kind,
                            allow_blank=False,
                            id="f-kind",
                            compact=True,
                        ),
                    )
                    named = b is not None and b.booker.resident_id is None
                    yield line(
                        "booking_form.field.name",
                        Input(
                            b.booker.name if named and b else "",
                            id="f-name",
                            compact=True,
                            placeholder=_("booking_form.name_placeholder"),
                        ),
                        row_id="row-name",
                    )
                    yield line(
                        "booking_form.field.phone",
                        Input(
                            b.booker.phone if named and b else "",
                            id="f-phone",
                            compact=True,
                            placeholder=_("booking_form.phone_placeholder"),
                        ),
                        row_id="row-phone",
                    )
                    with Vertical(id="row-resident"):
                        yield line(
                            "booking_form.field.resident",
                            Input(
                                id="f-resident",
                                compact=True,
                                placeholder=_("booking_form.resident_placeholder"),
                            ),
                        )
                        yield OptionList(id="f-resident-results")
                        yield Static(self._resident_text(), id="f-resident-chosen")
                    yield line(
                        "booking_form.field.attendees",
                        Input(
                            str(b.attendees) if b else "",
                            id="f-attendees",
                            compact=True,
                            placeholder="1",
                            restrict=r"\d*",
                        ),
                    )
                    yield line(
                        "booking_form.field.notes",
                        Input(b.notes if b else "", id="f-notes", compact=True),
                    )
                    yield Checkbox(
                        _("booking_form.repeat"), self.series_edit, id="f-repeat", compact=True
                    )
                    with Vertical(id="row-repeat"):
                        weekdays = set(s.weekdays) if s else {self.start.day.weekday()}
                        yield line(
                            "booking_form.field.weekdays",
                            *[
                                Checkbox(
                                    _(f"booking_form.wd.{n}"),
                                    n in weekdays,
                                    id=f"f-wd-{n}",
                                    compact=True,
                                    classes="bf-weekday",
                                )
                                for n in range(7)
                            ],
                        )
                        until = f"{s.until_on:%Y-%m-%d}" if s and s.until_on else ""
                        count = str(s.occurrences) if s and s.occurrences else ""
                        yield line(
                            "booking_form.field.until",
                            Input(
                                until,
                                id="f-until",
                                compact=True,
                                placeholder=_("booking_form.date_placeholder"),
                            ),
                            Label(_("booking_form.or_times"), classes="bf-between"),
                            Input(count, id="f-count", compact=True, restrict=r"\d*"),
                            Label(_("booking_form.times"), classes="bf-between"),
                        )
            with Vertical(id="bf-foot"):
                yield Static("", id="bf-status")
                yield Static(_("booking_form.help"), id="bf-help")

    def on_mount(self) -> None:
        self._localize()
        self._arrange()
        self.query_one("#f-title", Input).focus()

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
        if event.input.id == "f-resident":
            results = self.query_one("#f-resident-results", OptionList)
            if results.option_count:
                results.highlighted = 0
                results.focus()
            return
        self.focus_next()

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
        self.dismiss(None)

    # ---------------------------------------------------------------------- the resident

    @on(Input.Changed, "#f-resident")
    def _resident_query(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, group="booking-resident", exit_on_error=False)
    def _search(self, query: str) -> None:
        if not query.strip():
            self.app.call_from_thread(self._found, query, [])
            return
        with connection():
            result = search(
                query,
                self.desk_app.desk.in_view(),
                actor_id=self.desk_app.desk.operator_id,
                today=self.desk_app.desk.clock.today(),
                limit=8,
            )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found, query, result.hits)

    def _found(self, query: str, hits: list[ResidentHit]) -> None:
        if query != self.query_one("#f-resident", Input).value:
            return
        self.hits = hits
        results = self.query_one("#f-resident-results", OptionList)
        results.clear_options()
        results.add_options(
            Option(
                f"{display(h.name)}  {_(f'enum.gender.{h.gender}')} {h.age}  "
                f"{display(h.address)}  {h.phone}",
                id=str(h.id),
            )
            for h in hits
        )
        results.display = bool(hits)

    @on(OptionList.OptionSelected, "#f-resident-results")
    def _resident_chosen(self, event: OptionList.OptionSelected) -> None:
        hit = next((h for h in self.hits if str(h.id) == event.option.id), None)
        if hit is None:
            return
        self.resident = (hit.id, f"{display(hit.name)}（{display(hit.address)}）")
        self.query_one("#f-resident-chosen", Static).update(self._resident_text())
        self.query_one("#f-attendees", Input).focus()

    # --------------------------------------------------------------------------- reading

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _read(self) -> tuple[Typed | None, list[str]]:
        """The typed values, or what cannot be read (nothing is sent to the services then)."""
        problems: list[str] = []

        def read(parse: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return parse(*args, **kwargs)
            except Unreadable as exc:
                if _(exc.key) not in problems:
                    problems.append(_(exc.key))
                return None

        day = read(parse_day, self._text("f-date"), self.today)
        start = read(parse_clock, self._text("f-start"))
        end = read(parse_clock, self._text("f-end"))
        attendees = read(parse_count, self._text("f-attendees"), default=1)
        kind = str(self.query_one("#f-kind", Select).value)
        resident_id = None
        if kind == BookerKind.RESIDENT.value:
            if self.resident is None:
                problems.append(_("booking_form.resident_required"))
            else:
                resident_id = self.resident[0]
        repeat = None
        if self.query_one("#f-repeat", Checkbox).value:
            weekdays = tuple(n for n in range(7) if self.query_one(f"#f-wd-{n}", Checkbox).value)
            until = self._text("f-until")
            repeat = Repeat(
                weekdays,
                read(parse_day, until, self.today) if until else None,
                read(parse_count, self._text("f-count"), default=None),
            )
        if problems:
            return None, problems
        room = self.query_one("#f-room", Select).value
        typed = Typed(
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
        return typed, []

    # ---------------------------------------------------------------------------- saving

    def action_save(self) -> None:
        if self.saving:
            return
        typed, problems = self._read()
        if typed is None:
            self._show_problems(problems)
            return
        self._start_saving(typed, None)

    def _start_saving(self, typed: Typed, skip: bool | None) -> None:
        self.saving = True
        self.pending = None
        self._status(_("booking_form.saving"))
        self._save(typed, skip)

    @work(thread=True, exclusive=True, group="booking-save", exit_on_error=False)
    def _save(self, typed: Typed, skip: bool | None) -> None:
        desk = self.desk_app.desk
        now = desk.clock.now()
        actor = desk.operator_id
        call = self.app.call_from_thread
        try:
            with connection():
                booker = (
                    resident_booker(typed.resident_id, actor_id=self.desk_app.desk.operator_id)
                    if typed.resident_id is not None
                    else Booker(typed.kind, typed.name, typed.phone)
                )
                if typed.repeat is None and self.booking is None:
                    booking_id = create_booking(typed.booking(booker), actor_id=actor, now=now)
                    call(self._done, BookingSaved(booking_id, self._saved_text(typed)))
                elif typed.repeat is None:
                    assert self.booking is not None
                    change_booking(
                        self.booking.id,
                        self.booking.version,
                        typed.booking(booker),
                        actor_id=actor,
                        now=now,
                    )
                    call(self._done, BookingSaved(self.booking.id, _("booking_form.changed")))
                elif self.booking is None:
                    data = typed.series(booker)
                    if skip is None:
                        found = preview(data, now=now, actor_id=actor)
                        if found.conflicts:
                            call(self._conflicts, typed, found)
                            return
                    saved = create_series(data, skip_conflicts=bool(skip), actor_id=actor, now=now)
                    text = _(
                        "booking_form.saved_series",
                        count=len(saved.booked),
                        skipped=len(saved.skipped),
                    )
                    call(self._done, BookingSaved(None, text))
                else:
                    assert self.series is not None
                    saved = change_series(
                        self.booking.id,
                        "all" if self.scope == "all" else "following",
                        typed.series(booker),
                        series_id=self.series.id,
                        version=self.series.version,
                        skip_conflicts=bool(skip),
                        actor_id=actor,
                        now=now,
                    )
                    text = _(
                        "booking_form.changed_series",
                        count=len(saved.booked),
                        skipped=len(saved.skipped),
                    )
                    if saved.summary is not None:  # from when, and what it kept
                        text += "\n" + saved.summary.text()
                    call(self._done, BookingSaved(self.booking.id, text))
        except BookingRefused as exc:
            call(self._refused, typed, exc.problems, exc.suggestions)
        except UserError as exc:
            call(self._failed, str(exc))

    def _saved_text(self, typed: Typed) -> str:
        room = next((r for r in self.rooms if r.id == typed.room_id), None)
        return _(
            "booking_form.saved",
            title=display(typed.title),
            room=room_label(room)[0] if room else "",
            day=day_label(typed.day)[0],
            start=f"{typed.start:%H:%M}",
            end=f"{typed.end:%H:%M}",
        )

    def _done(self, saved: BookingSaved) -> None:
        self.saving = False
        self.dismiss(saved)

    def _failed(self, text: str) -> None:
        self.saving = False
        self._status(text, error=True)

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

    def _refused(self, typed: Typed, problems: list[Notice], suggestions: list[FreeSlot]) -> None:
        self.saving = False
        lines = "\n".join(f"- {escape(display(p.text()))}" for p in problems)
        text = f"[b]{_('booking.refused')}[/b]\n{lines}"
        options: list[Option] = []
        if problems and problems[0].key == "series.conflicts" and typed.repeat is not None:
            self.pending = typed
            options = [
                Option(_("booking_form.skip_conflicts"), id="skip"),
                Option(_("booking_form.stop"), id="stop"),
            ]
        else:
            asked = (typed.room_id, datetime.combine(typed.day, typed.start))
            if any((s.room_id, s.starts_at) == asked for s in suggestions):
                suggestions = []  # the slot itself is free: the problem is not the time
            self.suggestions = list(suggestions)
            if suggestions:
                text += "\n" + _("booking_form.suggestions")
            options = [
                Option(self._slot_text(s, typed), id=f"s{i}") for i, s in enumerate(suggestions)
            ]
        self._show_side(text, options)
        self._status(_("booking_form.refused_hint") if options else "", error=not options)

    def _slot_text(self, slot: FreeSlot, typed: Typed) -> str:
        day = day_label(slot.starts_at.date())[0]
        when = f"{day} {slot.starts_at:%H:%M}–{slot.ends_at:%H:%M}"
        if slot.room_id == typed.room_id:
            return _("booking_form.suggest_same", when=when)
        room = next((r for r in self.rooms if r.id == slot.room_id), None)
        name = room_label(room)[0] if room else slot.room_name
        return _("booking_form.suggest_room", room=name, when=when)

    def _conflicts(self, typed: Typed, found: SeriesPreview) -> None:
        self.saving = False
        self.pending = typed
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
