"""One booking: every field and its status; c checks in (offered from 30 minutes before the
start until the booking would be a no-show), e edits, x cancels with a reason.

For an occurrence of a weekly series, editing and cancelling first ask for the scope: this
occurrence, this and the following ones, or the whole series. Dismisses with True when
something was changed, so the rooms screen reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.timer import Timer
from textual.widgets import Static

from frontdesk.bookings.attendance import check_in, check_in_window, may_check_in
from frontdesk.bookings.booking import BookingView, cancel_booking, get_booking
from frontdesk.bookings.lookup import shown_phone
from frontdesk.bookings.series import SeriesInput, SeriesView, cancel_series, load_series
from frontdesk.bookings.views import RoomColumn
from frontdesk.errors import UserError
from frontdesk.i18n import _, join
from frontdesk.permissions import Can
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.base.screen import DeskModal
from frontdesk.screens.rooms.booking_form import BookingFormScreen
from frontdesk.screens.rooms.booking_values import BookingSaved, FormStart
from frontdesk.screens.rooms.cancel_reason import CancelReasonScreen
from frontdesk.vocabulary import BookingStatus, Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.room_grid import day_label, room_label
from frontdesk.widgets.text import display

LIVE = (BookingStatus.BOOKED.value, BookingStatus.CHECKED_IN.value)
SCOPES = ("this", "following", "all")


NEEDS = {"book": Can.BOOK}


def load_booking(booking_id: int, *, actor_id: int | None) -> tuple[BookingView, SeriesView | None]:
    """The booking, and its series when it is an occurrence of one."""
    view = get_booking(booking_id, actor_id=actor_id)
    series = load_series(view.series_id, actor_id=actor_id) if view.series_id is not None else None
    return view, series


def cancel_occurrences(
    view: BookingView,
    scope: str,
    reason: str,
    series: SeriesView | None,
    *,
    actor_id: int | None,
    now: datetime,
) -> int:
    """Cancel the booking (``scope`` "this"), or it and the following ones or the whole series;
    how many were cancelled."""
    if scope == "this":
        cancel_booking(view.id, view.version, reason, actor_id=actor_id, now=now)
        return 1
    assert series is not None
    return cancel_series(
        view.id,
        "all" if scope == "all" else "following",
        reason,
        series_id=series.id,
        version=series.version,
        actor_id=actor_id,
        now=now,
    )


class BookingDetailScreen(DeskModal[bool]):
    CSS_PATH = "booking_detail.tcss"
    BINDINGS = [
        Binding("escape", "close", "key.close"),
        Binding("c", "check_in", "rooms.detail.key_check_in"),
        Binding("e", "edit", "rooms.detail.key_edit"),
        Binding("x", "cancel_booking", "rooms.detail.key_cancel"),
    ]

    def __init__(self, booking_id: int, rooms: tuple[RoomColumn, ...]) -> None:
        super().__init__()
        self.booking_id = booking_id
        self.rooms = rooms
        self.view: BookingView | None = None
        self.series: SeriesInput | None = None
        self.series_view: SeriesView | None = None  # with the version an edit gives back
        self.changed = False
        self._check_in_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="bd-box"):
            yield Static(_("rooms.detail.loading"), id="bd-title")
            with VerticalScroll(id="bd-body"):
                yield Static("", id="bd-fields")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.load()

    def shows(self, changes: Changes) -> bool:
        view = self.view
        series = (
            view is not None
            and view.series_id is not None
            and changes.touches("booking_series", entity_id=view.series_id)
        )
        return changes.touches("booking", entity_id=self.booking_id) or series

    def refresh_data(self) -> None:
        self.load()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        if self.view is not None:
            self._show(self.view, self.series_view)

    def load(self) -> None:
        self.call(
            partial(load_booking, self.booking_id, actor_id=self.desk.operator_id),
            self._loaded,
            group="booking-detail",
            latest=True,
        )

    def _loaded(self, loaded: tuple[BookingView, SeriesView | None]) -> None:
        self._show(*loaded)

    # ------------------------------------------------------------------------------ showing

    def _room_name(self, view: BookingView) -> str:
        room = next((r for r in self.rooms if r.id == view.room_id), None)
        return room_label(room)[0] if room else view.room_name

    def _show(self, view: BookingView, loaded: SeriesView | None) -> None:
        self.view = view
        self.series_view = loaded
        self.series = series = loaded.data if loaded is not None else None
        title = escape(display(view.title))
        if view.status == BookingStatus.CANCELLED:
            title = f"[strike]{title}[/strike]"
        status = _(f"enum.booking_status.{view.status}")
        self.query_one("#bd-title", Static).update(f"{title}  [{self._status_style()}]{status}[/]")
        booker = view.booker
        who = _(f"booking_form.kind.{booker.kind}")
        phone = shown_phone(booker) or "—"
        rows = [
            ("room", self._room_name(view)),
            (
                "when",
                f"{view.starts_at:%Y-%m-%d} {_(f'weekday.{view.starts_at.weekday()}')} "
                f"{view.starts_at:%H:%M}–{view.ends_at:%H:%M}",
            ),
            ("booker", _("rooms.detail.booker_value", name=escape(display(booker.name)), kind=who)),
            ("phone", phone),
            ("attendees", str(view.attendees)),
            ("notes", escape(display(view.notes)) or "—"),
        ]
        if series is not None:
            rows.append(("series", self._series_text(series)))
        if view.checked_in_at is not None:
            rows.append(("checked_in", f"{view.checked_in_at:%Y-%m-%d %H:%M}"))
        if view.cancel_reason:
            rows.append(("cancel_reason", escape(display(view.cancel_reason))))
        rows.append(("created", f"{view.created_at:%Y-%m-%d %H:%M}"))
        labels = {key: _(f"rooms.detail.field.{key}") for key, _value in rows}
        width = max(cell_len(label) for label in labels.values())
        text = "\n".join(
            f"[dim]{set_cell_size(labels[key], width)}[/dim]  {value}" for key, value in rows
        )
        self.query_one("#bd-fields", Static).update(text)
        self.refresh_bindings()
        self._watch_check_in(view)

    def _watch_check_in(self, view: BookingView) -> None:
        """Check-in (c) is offered from 30 minutes before the start until the booking would be
        a no-show: the key comes and goes at those moments while the booking is open (a
        timer for the next one only, nothing repainted in between)."""
        if self._check_in_timer is not None:
            self._check_in_timer.stop()
            self._check_in_timer = None
        if view.status != BookingStatus.BOOKED:
            return
        now = self.desk.clock.now()
        later = [moment for moment in check_in_window(view.starts_at) if moment > now]
        if later and later[0] - now <= timedelta(hours=12):
            wait = (later[0] - now).total_seconds() + 0.5
            self._check_in_timer = self.set_timer(wait, self._check_in_changed)

    def _check_in_changed(self) -> None:
        self.refresh_bindings()
        if self.view is not None:
            self._watch_check_in(self.view)

    def _status_style(self) -> str:
        assert self.view is not None
        return {
            BookingStatus.CANCELLED: "$text-error",
            BookingStatus.NO_SHOW: "$text-warning",
            BookingStatus.CHECKED_IN: "$text-success",
        }.get(BookingStatus(self.view.status), "$text-primary")

    def _series_text(self, series: SeriesInput) -> str:
        days = join(_(f"weekday.{d}") for d in series.weekdays)
        if series.until_on is not None:
            end = _("rooms.detail.until", day=f"{series.until_on:%Y-%m-%d}")
        else:
            end = _("rooms.detail.times", count=series.occurrences or 0)
        return _(
            "rooms.detail.series",
            days=days,
            start=f"{series.start_time:%H:%M}",
            end_time=f"{series.end_time:%H:%M}",
            since=f"{series.starts_on:%Y-%m-%d}",
            until=end,
        )

    # ------------------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("check_in", "edit", "cancel_booking") and not permitted(self, NEEDS, "book"):
            return False
        status = self.view.status if self.view else None
        if action == "check_in":
            view = self.view
            # a future occurrence, or one past the no-show grace, is not checked in (the
            # service refuses it too): the key is not offered
            return view is not None and may_check_in(view.status, view.starts_at, self._now())
        if action in ("edit", "cancel_booking"):
            return status in LIVE
        return True

    def _now(self) -> datetime:
        return self.desk.clock.now()

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def action_check_in(self) -> None:
        if self.view is not None:
            self._check_in(self.view.id)

    def _check_in(self, booking_id: int) -> None:
        desk = self.desk
        self.call(
            partial(check_in, booking_id, actor_id=desk.operator_id, now=desk.clock.now()),
            self._checked_in,
            group="booking-write",
            refused=self._warn,
        )

    def _checked_in(self, _answer: object) -> None:
        self._written(_("rooms.detail.checked_in"))

    def _warn(self, error: UserError) -> None:
        self.notify(str(error), severity="warning")

    def _written(self, text: str) -> None:
        self.changed = True
        self.notify(text)
        self.load()

    def _ask_scope(self, title_key: str, then: Callable[[str], None]) -> None:
        """For an occurrence of a series, ask which occurrences; then call ``then(scope)``."""
        assert self.view is not None
        if self.view.series_id is None:
            then("this")
            return
        options = [(scope, _(f"rooms.detail.scope.{scope}")) for scope in SCOPES]
        occurrence = self.view.occurrence_date or self.view.starts_at.date()
        body = _("rooms.detail.scope_body", day=day_label(occurrence)[0])

        def chosen(scope: str | None) -> None:
            if scope is not None:
                then(scope)

        self.app.push_screen(ChoiceScreen(_(title_key), body, options), chosen)

    def action_edit(self) -> None:
        if self.view is not None and self.view.status in LIVE:
            self._ask_scope("rooms.detail.scope_edit", self._edit)

    def _edit(self, scope: str) -> None:
        view = self.view
        assert view is not None
        series = self.series if scope != "this" else None
        day = view.starts_at.date()
        if series is not None and scope == "all":
            day = series.starts_on  # the whole series keeps its first date
        start = FormStart(view.room_id, day, view.starts_at.time(), view.ends_at.time())
        if series is not None:
            start = FormStart(series.room_id, day, series.start_time, series.end_time)
        form = BookingFormScreen(
            self.rooms,
            start,
            today=self.desk.clock.today(),
            booking=view,
            scope=scope,
            series=self.series_view if scope != "this" else None,
        )

        def saved(result: BookingSaved | None) -> None:
            if result is not None:
                self._written(result.text)

        self.app.push_screen(form, saved)

    def action_cancel_booking(self) -> None:
        if self.view is not None and self.view.status in LIVE:
            self._ask_scope("rooms.detail.scope_cancel", self._cancel)

    def _cancel(self, scope: str) -> None:
        view = self.view
        assert view is not None
        what = (
            f"{display(view.title)} · {self._room_name(view)} · "
            f"{day_label(view.starts_at.date())[0]} {view.starts_at:%H:%M}–{view.ends_at:%H:%M}"
        )
        if scope != "this":
            what += "\n" + _(f"rooms.detail.scope.{scope}")

        def answered(reason: str | None) -> None:
            if reason:
                self._write_cancel(view, scope, reason)

        screen = CancelReasonScreen(_("rooms.detail.cancel_title"), what)
        self.app.push_screen(screen, answered)

    def _write_cancel(self, view: BookingView, scope: str, reason: str) -> None:
        desk = self.desk
        self.call(
            partial(
                cancel_occurrences,
                view,
                scope,
                reason,
                self.series_view,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            ),
            self._cancelled,
            group="booking-write",
            refused=self._warn,
        )

    def _cancelled(self, count: int) -> None:
        self._written(_("rooms.detail.cancelled", count=count))
