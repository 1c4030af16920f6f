"""Close a room or the whole center for a while (repairs, holidays, an event elsewhere).

Before saving, the bookings the closure falls on are listed with their bookers' names and
phones, so the desk can call them; the clerk chooses to cancel them with a note to the bookers,
or to keep them. Dismisses with what to tell the clerk, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from frontdesk.bookings.closures import ClosureSaved, HitBooking, bookings_hit, create_closure
from frontdesk.bookings.views import RoomColumn
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.screens.base.discard import AsksBeforeDiscarding
from frontdesk.screens.base.screen import DeskModal
from frontdesk.widgets.input import DeskInput
from frontdesk.widgets.room_grid import day_label, room_label
from frontdesk.widgets.text import display

WHOLE_CENTER = 0  # the scope choice for "every room"
_MOMENT = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s+(\d{1,2})[:：](\d{2})$")


def parse_moment(text: str) -> datetime | str:
    """``2026-11-30 14:00``; else what is wrong with it (the message to show)."""
    found = _MOMENT.match(text.strip())
    if found is None:
        return _("closure_form.bad_moment")
    year, month, day, hour, minute = (int(part) for part in found.groups())
    try:
        date(year, month, day)
    except ValueError:  # written right, but the calendar has no such day
        if not (1 <= month <= 12 and day >= 1):
            return _("closure_form.bad_moment")
        return _("date.no_such_day", year=year, month=month, day=day)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return _("closure_form.bad_moment")


@dataclass(frozen=True)
class ClosureEntry:
    room_id: int | None
    starts_at: datetime
    ends_at: datetime
    reason: str
    note: str


class ClosureFormScreen(AsksBeforeDiscarding, DeskModal[str | None]):
    CSS_PATH = "closure_form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "closure_form.key_save", priority=True),
        Binding("escape", "cancel", "closure_form.key_cancel"),
    ]

    def __init__(
        self,
        community_id: int,
        rooms: tuple[RoomColumn, ...],
        room_id: int | None,
        starts_at: datetime,
        ends_at: datetime,
    ) -> None:
        super().__init__()
        self.community_id = community_id
        self.rooms = rooms
        self.room_id = room_id
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.pending: ClosureEntry | None = None
        self.hits: list[HitBooking] = []
        self.saving = False

    def compose(self) -> ComposeResult:
        scopes = [(_("rooms.whole_center"), WHOLE_CENTER)]
        scopes += [(room_label(r)[0], r.id) for r in self.rooms]
        with Vertical(id="cf-box"):
            yield Static(_("closure_form.title"), id="cf-title")
            with VerticalScroll(id="cf-main"):
                with Vertical(id="cf-fields"):
                    yield self._line(
                        "closure_form.field.room",
                        Select(
                            scopes,
                            value=self.room_id or WHOLE_CENTER,
                            allow_blank=False,
                            id="c-room",
                            compact=True,
                        ),
                    )
                    yield self._line(
                        "closure_form.field.start",
                        DeskInput(
                            f"{self.starts_at:%Y-%m-%d %H:%M}",
                            id="c-start",
                            compact=True,
                            placeholder=_("closure_form.moment_placeholder"),
                        ),
                    )
                    yield self._line(
                        "closure_form.field.end",
                        DeskInput(
                            f"{self.ends_at:%Y-%m-%d %H:%M}",
                            id="c-end",
                            compact=True,
                            placeholder=_("closure_form.moment_placeholder"),
                        ),
                    )
                    yield self._line(
                        "closure_form.field.reason",
                        DeskInput(
                            id="c-reason",
                            compact=True,
                            placeholder=_("closure_form.reason_placeholder"),
                        ),
                    )
                    yield self._line(
                        "closure_form.field.note",
                        DeskInput(
                            id="c-note",
                            compact=True,
                            placeholder=_("closure_form.note_placeholder"),
                        ),
                    )
                with Vertical(id="cf-hits"):
                    yield Static("", id="cf-hit-list")
                    yield OptionList(id="cf-choices")
            yield Static("", id="cf-status")
            yield Static(_("closure_form.help"), id="cf-help")

    @staticmethod
    def _line(label_key: str, widget: Select[int] | Input) -> Horizontal:
        return Horizontal(Label(_(label_key), classes="cf-label"), widget, classes="cf-line")

    def on_mount(self) -> None:
        self.query_one("#cf-hits").display = False
        self.query_one("#c-reason", Input).focus()
        self.call_after_refresh(self.remember_typed)  # as filled in: Escape closes it at once

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def action_cancel(self) -> None:
        self.close_or_ask()

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#cf-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _read(self) -> ClosureEntry | None:
        start = parse_moment(self.query_one("#c-start", Input).value)
        end = parse_moment(self.query_one("#c-end", Input).value)
        for widget_id, read in (("#c-start", start), ("#c-end", end)):
            if isinstance(read, str):  # said, and the field to correct has the focus
                self._status(read, error=True)
                self.query_one(widget_id, Input).focus()
                return None
        assert isinstance(start, datetime) and isinstance(end, datetime)
        room = self.query_one("#c-room", Select).value
        return ClosureEntry(
            room_id=None if room == WHOLE_CENTER else int(room),  # type: ignore[arg-type]
            starts_at=start,
            ends_at=end,
            reason=self.query_one("#c-reason", Input).value.strip(),
            note=self.query_one("#c-note", Input).value.strip(),
        )

    def action_save(self) -> None:
        if self.saving:
            return
        typed = self._read()
        if typed is None:
            return
        if not typed.reason:
            self._status(_("closure.reason_required"), error=True)
            self.query_one("#c-reason", Input).focus()
            return
        if typed.starts_at >= typed.ends_at:
            self._status(_("booking.end_before_start"), error=True)
            return
        self.saving = True
        self._status(_("closure_form.checking"))
        self._check(typed)

    def _check(self, typed: ClosureEntry) -> None:
        self.call(
            partial(
                bookings_hit,
                self.community_id,
                typed.room_id,
                typed.starts_at,
                typed.ends_at,
                actor_id=self.desk.operator_id,
            ),
            partial(self._checked, typed),
            group="closure-save",
            latest=True,
            refused=self._refused,
            failed=self._crashed,
        )

    def _checked(self, typed: ClosureEntry, hits: list[HitBooking]) -> None:
        if hits:
            self._show_hits(typed, hits)
        else:
            self._save(typed, cancel_hit=False)

    def _show_hits(self, typed: ClosureEntry, hits: list[HitBooking]) -> None:
        self.saving = False
        self.pending = typed
        self.hits = hits
        lines = [f"[b]{_('closure_form.hits', count=len(hits))}[/b]"]
        names = {r.name: room_label(r)[0] for r in self.rooms}
        for hit in hits:
            lines.append(
                f"• {day_label(hit.starts_at.date())[0]} "
                f"{hit.starts_at:%H:%M}–{hit.ends_at:%H:%M} "
                f"{escape(names.get(hit.room_name, hit.room_name))} "
                f"{escape(display(hit.title))} · {escape(display(hit.booker_name))} "
                f"{hit.booker_phone or _('closure_form.no_phone')}"
            )
        self.query_one("#cf-hits").display = True
        self.query_one("#cf-hit-list", Static).update("\n".join(lines))
        choices = self.query_one("#cf-choices", OptionList)
        choices.clear_options()
        choices.add_options(
            [
                Option(_("closure_form.cancel_hit", count=len(hits)), id="cancel"),
                Option(_("closure_form.keep_hit"), id="keep"),
                Option(_("closure_form.back"), id="back"),
            ]
        )
        choices.highlighted = 0
        choices.focus()
        self._status(_("closure_form.hits_hint"))

    @on(OptionList.OptionSelected, "#cf-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        typed = self.pending
        if typed is None:
            return
        if event.option.id == "back":
            self.pending = None
            self.query_one("#cf-hits").display = False
            self._status("")
            self.query_one("#c-start", Input).focus()
            return
        self.saving = True
        self._status(_("closure_form.saving"))
        self._save(typed, event.option.id == "cancel")

    def _save(self, typed: ClosureEntry, cancel_hit: bool) -> None:
        """Create the closure, and tell the form how it went."""
        desk = self.desk
        self.call(
            partial(
                create_closure,
                self.community_id,
                typed.room_id,
                typed.starts_at,
                typed.ends_at,
                typed.reason,
                cancel_hit=cancel_hit,
                note=typed.note,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            ),
            self._saved,
            group="closure-save",
            latest=True,
            refused=self._refused,
            failed=self._crashed,
        )

    def _saved(self, saved: ClosureSaved) -> None:
        self.dismiss(_("closure_form.saved", cancelled=len(saved.cancelled), kept=len(saved.kept)))

    def _refused(self, error: UserError) -> None:
        self.saving = False
        self._status(str(error), error=True)

    def _crashed(self) -> None:
        """Something unexpected (shown and logged by the base): the form can be saved again."""
        self.saving = False
        self._status("")
