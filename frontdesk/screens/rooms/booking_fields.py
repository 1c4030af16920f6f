"""The booking form's fields: room, date, times, title, booker (an organisation, a person with a
phone, or a resident found by the residents search), attendees and notes; then the series
part, shown with Ctrl+R: the weekdays, and until a date or N times."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Select, Static

from frontdesk.bookings.booking import BookingView
from frontdesk.bookings.series import SeriesInput
from frontdesk.bookings.views import RoomColumn
from frontdesk.i18n import _
from frontdesk.screens.rooms.booking_values import KINDS, FormStart
from frontdesk.vocabulary import BookerKind
from frontdesk.widgets.checkbox import DeskCheckbox
from frontdesk.widgets.input import DeskInput
from frontdesk.widgets.picker import PickList, StepInput
from frontdesk.widgets.room_grid import room_label


def line(label_key: str, *widgets: Widget, row_id: str | None = None) -> Horizontal:
    return Horizontal(
        Label(_(label_key), classes="bf-label"), *widgets, classes="bf-line", id=row_id
    )


def booking_fields(
    rooms: tuple[RoomColumn, ...],
    start: FormStart,
    booking: BookingView | None,
    series: SeriesInput | None,
    resident_text: str,
) -> ComposeResult:
    """One booking's fields, filled in from ``booking`` (or the ``series``) being changed."""
    b = booking
    s = series
    kind = b.booker.kind if b else BookerKind.ORGANISATION.value
    yield line(
        "booking_form.field.room",
        Select(
            [(room_label(r)[0], r.id) for r in rooms],
            value=start.room_id,
            allow_blank=False,
            id="f-room",
            compact=True,
        ),
    )
    yield line(
        "booking_form.field.date",
        DeskInput(
            f"{start.day:%Y-%m-%d}",
            id="f-date",
            compact=True,
            placeholder=_("booking_form.date_placeholder"),
        ),
    )
    yield line(
        "booking_form.field.time",
        DeskInput(f"{start.start:%H:%M}", id="f-start", compact=True),
        Static("–", classes="bf-dash"),
        DeskInput(f"{start.end:%H:%M}", id="f-end", compact=True),
    )
    yield line(
        "booking_form.field.title",
        DeskInput(
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
        DeskInput(
            b.booker.name if named and b else "",
            id="f-name",
            compact=True,
            placeholder=_("booking_form.name_placeholder"),
        ),
        row_id="row-name",
    )
    yield line(
        "booking_form.field.phone",
        DeskInput(
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
            StepInput(
                id="f-resident",
                compact=True,
                placeholder=_("booking_form.resident_placeholder"),
            ),
        )
        yield PickList(id="f-resident-results", compact=False)
        yield Static(resident_text, id="f-resident-chosen")
    yield line(
        "booking_form.field.attendees",
        DeskInput(
            str(b.attendees) if b else "",
            id="f-attendees",
            compact=True,
            placeholder="1",
            restrict=r"\d*",
        ),
    )
    yield line(
        "booking_form.field.notes",
        DeskInput(b.notes if b else "", id="f-notes", compact=True),
    )


def repeat_fields(start: FormStart, series: SeriesInput | None, series_edit: bool) -> ComposeResult:
    """The series part: the Ctrl+R box, and under it the weekdays and the end of the series."""
    s = series
    yield DeskCheckbox(_("booking_form.repeat"), series_edit, id="f-repeat", compact=True)
    with Vertical(id="row-repeat"):
        weekdays = set(s.weekdays) if s else {start.day.weekday()}
        yield line(
            "booking_form.field.weekdays",
            *[
                DeskCheckbox(
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
            DeskInput(
                until,
                id="f-until",
                compact=True,
                placeholder=_("booking_form.date_placeholder"),
            ),
            Label(_("booking_form.or_times"), classes="bf-between"),
            DeskInput(count, id="f-count", compact=True, restrict=r"\d*"),
            Label(_("booking_form.times"), classes="bf-between"),
        )
