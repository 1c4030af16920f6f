"""Recording a visit (记录走访): a form over the round, Enter on a stop (or the palette's 记录走访
for a household found as in F2).

Everything has its default, so Enter on the stop and Ctrl+S record an in-person visit that saw
the people due, now, with all five areas ok. One key changes each of the rest while the focus is
not in a text box (the list of whom it saw has it at first): 1–6 the mode, ``o`` seen / nobody
home (未遇: no areas), ``a``–``e`` an area ok / concern (its note in the box beside it); when and
the volunteer are text; ``a``–``e`` to 需关注 puts the cursor in that area's note and Enter there
comes back to the keys (the hint says so: it said "Tab 到说明框", and Tab from a note goes on to the
next area's note). Errors go beside their field. After a visit with a concern the desk offers a
walk-in request (``visit_request``, linked both ways), its summary one line to edit, pre-filled
from the concern: Enter opens it, Escape skips. The summary is stored data, written in Chinese
whatever the desk's language, as the records are (the request's category is stored as its code).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, SelectionList, Static

from frontdesk.care.cadence import DueKind
from frontdesk.care.visit_form import FormMember, VisitForm, visit_form, visit_form_of_resident
from frontdesk.care.visits import BY_OTHERS, VisitInput, record_visit, visit_request
from frontdesk.i18n import DEFAULT_LANGUAGE, _, catalog
from frontdesk.notices import Notice
from frontdesk.requests.detail import get_request
from frontdesk.screens.base.forms import FormScreen, field, field_id, message_id, row_id, text_input
from frontdesk.screens.base.screen import DeskBase
from frontdesk.screens.care.request_offer import RequestOfferScreen
from frontdesk.vocabulary import AreaState, CareArea, VisitMode, VisitOutcome
from frontdesk.widgets.input import DeskInput
from frontdesk.widgets.text import display

MODES = list(VisitMode)
AREAS = list(CareArea)
AREA_KEYS = "abcde"
# the request category a concern in each area opens (the clerk may change it on the request)
AREA_CATEGORY = {
    CareArea.HEALTH: "hardship",
    CareArea.MONEY: "hardship",
    CareArea.FAMILY: "hardship",
    CareArea.SAFETY: "safety",
    CareArea.NEEDS: "hardship",
}
_WHEN = re.compile(r"^(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s+)?(\d{1,2})[:：](\d{2})$")


def parse_when(text: str, now: datetime) -> datetime | None:
    """``2026-11-29 10:30`` (or ``10:30``: today); None when it does not read as one."""
    found = _WHEN.match(text.strip())
    if found is None:
        return None
    try:
        if found[1] is None:
            return now.replace(hour=int(found[4]), minute=int(found[5]), second=0, microsecond=0)
        return datetime(int(found[1]), int(found[2]), int(found[3]), int(found[4]), int(found[5]))
    except ValueError:
        return None


def member_line(member: FormMember) -> str:
    parts = [display(member.name), str(member.age)]
    if member.level is not None:
        parts.append(_(f"enum.care_level.{member.level.value}"))
    if member.due_now and member.due_kind == DueKind.EVENT:
        parts.append(_("care_round.event"))
    elif member.due_now and member.due_kind == DueKind.CAMPAIGN:
        parts.append(_("care_round.campaign"))
    if member.overdue_days > 0:
        parts.append(_("care_round.overdue", days=member.overdue_days))
    elif member.due_kind in (DueKind.EVENT, DueKind.CAMPAIGN) and member.due_now:
        pass
    elif member.due_now:
        parts.append(_("care_round.due_today"))
    elif member.due_on is not None:
        parts.append(_("care_visit.due_on", date=f"{member.due_on:%m-%d}"))
    return " ".join(parts)


class VisitFormScreen(FormScreen):
    """Dismisses with the id of the visit recorded (``typed`` says what it was), None when
    closed without saving."""

    CSS_PATH = ["../base/forms.tcss", "visit_form.tcss"]
    HELP_KEY = "care_visit.help"
    BINDINGS = [
        *(Binding(str(n), f"mode({n - 1})", show=False) for n in range(1, len(MODES) + 1)),
        Binding("o", "toggle_outcome", "care_visit.key_outcome", show=False),
        *(Binding(k, f"toggle_area({i})", show=False) for i, k in enumerate(AREA_KEYS)),
    ]

    def __init__(self, form: VisitForm, due: tuple[int, ...] = ()) -> None:
        super().__init__()
        self.form = form
        self.mode = form.mode
        self.outcome = form.outcome
        self.states = {area: AreaState.OK for area in AREAS}
        wanted = tuple(rid for rid in due if form.member(rid) is not None)
        self.seen_at_start = wanted or form.seen
        self.typed: VisitInput | None = None
        self._start = self._state()

    # ---------------------------------------------------------------------------- composing

    def title_text(self) -> str:
        return _("care_visit.title", address=display(self.form.address))

    def fields(self) -> Iterator[Widget]:
        yield field("mode", "care_visit.field.mode", Static(self._mode_text()))
        yield field("outcome", "care_visit.field.outcome", Static(self._outcome_text()))
        yield field(
            "visited_at",
            "care_visit.field.when",
            text_input(f"{self.form.visited_at:%Y-%m-%d %H:%M}", max_length=16),
        )
        yield field("seen", "care_visit.field.seen", self._seen_list())
        for index, area in enumerate(AREAS):
            yield self._area_row(index, area)
        yield field(
            "volunteer",
            "care_visit.field.volunteer",
            text_input("", _("care_visit.volunteer_placeholder"), max_length=60),
        )
        yield field(
            "note", "care_visit.field.note", text_input("", _("care_visit.note_placeholder"))
        )

    def _seen_list(self) -> SelectionList[int]:
        return SelectionList[int](
            *[
                (member_line(m), m.resident_id, m.resident_id in self.seen_at_start)
                for m in self.form.members
            ],
            compact=True,
        )

    def _area_row(self, index: int, area: CareArea) -> Widget:
        label = f"{AREA_KEYS[index]} {_(f'enum.care_area.{area.value}')}"
        note = DeskInput(
            placeholder=_("care_visit.area_note_placeholder"),
            compact=True,
            max_length=200,
            id=field_id(f"{area.value}_note"),
        )
        return Vertical(
            Horizontal(
                Label(label, classes="field-label"),
                Static(self._state_text(area), id=f"state-{area.value}", classes="area-state"),
                note,
                classes="field-line",
            ),
            Static("", id=message_id(area.value), classes="field-message"),
            id=row_id(area.value),
            classes="field area",
        )

    def on_mount(self) -> None:
        self._show_outcome()

    def focus_first(self) -> None:
        self.query_one(f"#{field_id('seen')}", SelectionList).focus()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)  # recomposed, what was typed kept
        self._show_outcome()

    # ------------------------------------------------------------------------------- states

    def _state(self) -> tuple[object, ...]:
        return (self.mode, self.outcome, tuple(self.states.values()))

    def something_typed(self) -> bool:
        return super().something_typed() or self._state() != self._start

    def _mode_text(self) -> str:
        parts = []
        for n, mode in enumerate(MODES, 1):
            name = _(f"enum.visit_mode.{mode.value}")
            parts.append(f"[reverse]{n} {name}[/]" if mode == self.mode else f"{n} {name}")
        return " ".join(parts)

    def _outcome_text(self) -> str:
        names = []
        for outcome in VisitOutcome:
            name = _(f"enum.visit_outcome.{outcome.value}")
            names.append(f"[reverse]{name}[/]" if outcome == self.outcome else name)
        return "o " + " / ".join(names)

    def _state_text(self, area: CareArea) -> str:
        state = self.states[area]
        text = _(f"enum.area_state.{state.value}")
        return f"[b $text-warning]{text}[/]" if state == AreaState.CONCERN else text

    def action_mode(self, index: int) -> None:
        self.mode = MODES[index]
        self.query_one(f"#{field_id('mode')}", Static).update(self._mode_text())
        volunteer = self.query_one(f"#{field_id('volunteer')}", DeskInput)
        if self.mode == VisitMode.VOLUNTEER and not volunteer.value and self.form.volunteer:
            volunteer.value = self.form.volunteer
        self.query_one(f"#{row_id('volunteer')}").display = self.mode in BY_OTHERS

    def action_toggle_outcome(self) -> None:
        seen = self.outcome == VisitOutcome.SEEN
        self.outcome = VisitOutcome.NOT_HOME if seen else VisitOutcome.SEEN
        self.query_one(f"#{field_id('outcome')}", Static).update(self._outcome_text())
        self._show_outcome()

    def _show_outcome(self) -> None:
        seen = self.outcome == VisitOutcome.SEEN
        for area in AREAS:
            self.query_one(f"#{row_id(area.value)}").display = seen
        self.query_one(f"#{row_id('volunteer')}").display = self.mode in BY_OTHERS
        label = self.query_one(f"#{row_id('seen')} .field-label", Label)
        label.update(_("care_visit.field.seen" if seen else "care_visit.field.sought"))

    def action_toggle_area(self, index: int) -> None:
        if self.outcome != VisitOutcome.SEEN:
            return
        area = AREAS[index]
        concern = self.states[area] == AreaState.OK
        self.states[area] = AreaState.CONCERN if concern else AreaState.OK
        self.query_one(f"#state-{area.value}", Static).update(self._state_text(area))
        if concern:  # what was found: typed beside it, Enter comes back to the keys
            self.query_one(f"#{field_id(f'{area.value}_note')}", DeskInput).focus()

    @on(Input.Submitted)
    def _note_entered(self, event: Input.Submitted) -> None:
        """Enter in an area's note goes back to the list of whom it saw, where the keys work."""
        if (event.input.id or "").endswith("_note"):
            event.stop()
            event.prevent_default()
            self.focus_first()

    # ------------------------------------------------------------------------------- saving

    def shown_as(self, name: str) -> str:
        if name.endswith("_note") and name[:-5] in {a.value for a in AREAS}:
            return name[:-5]
        if name in {"areas", "visitor_id"}:
            return "outcome" if name == "areas" else "volunteer"
        return name

    def collect(self, problems: dict[str, Notice]) -> VisitInput:
        now = self.desk.clock.now()
        when = parse_when(self.value("visited_at"), now)
        if when is None:
            problems["visited_at"] = Notice("care_visit.when_format")
        seen = tuple(self.query_one(f"#{field_id('seen')}", SelectionList).selected)
        if not seen:
            problems["seen"] = Notice("care.error.seen_required")
        areas: dict[CareArea, tuple[AreaState, str]] = {}
        if self.outcome == VisitOutcome.SEEN:
            areas = {a: (self.states[a], self.value(f"{a.value}_note")) for a in AREAS}
        typed = VisitInput(
            household_id=self.form.household_id,
            mode=self.mode,
            outcome=self.outcome,
            visited_at=when or now,
            seen=seen,
            areas=areas,
            note=self.value("note"),
            volunteer=self.value("volunteer") if self.mode in BY_OTHERS else "",
        )
        self.typed = typed
        return typed

    def write(self, values: Any, confirm: bool) -> int | None:
        desk = self.desk
        return record_visit(values, actor_id=desk.operator_id, now=desk.clock.now())

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands = super().palette_commands()
        commands.append(
            (
                _("care_visit.palette.outcome"),
                _("care_visit.palette.outcome_help"),
                self.action_toggle_outcome,
            )
        )
        return commands


# -- opening it, and what follows a save -----------------------------------------------------------


@dataclass(frozen=True)
class Concern:
    area: CareArea
    category: str
    summary: str


def stored_text(key: str, **params: object) -> str:
    """A text the desk writes into the records: in Chinese whatever the desk's language (a
    request's description is read by everyone after, and is not translated when shown)."""
    text = catalog(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**params) if params else text


def first_concern(typed: VisitInput) -> Concern | None:
    """The first area of concern of a visit that saw someone, as a request would carry it:
    ``走访发现居家安全需关注``, and ``：<note>`` when the area (or else the visit) has one."""
    if typed.outcome != VisitOutcome.SEEN:
        return None
    for area in AREAS:
        state, note = typed.areas.get(area, (AreaState.OK, ""))
        if state == AreaState.CONCERN:
            what = stored_text(f"enum.care_area.{area.value}")
            summary = stored_text("care_visit.summary", area=what)
            if note := (note or typed.note).strip():
                summary += stored_text("care_visit.summary_note", note=note)
            return Concern(area, AREA_CATEGORY[area], summary)
    return None


def request_from_visit(
    visit_id: int, category: str, summary: str, *, actor_id: int | None, now: datetime
) -> str:
    """``visit_request``, then the number of the request it opened (one worker, two reads)."""
    request_id = visit_request(
        visit_id, category=category, summary=summary, actor_id=actor_id, now=now
    )
    return get_request(request_id, now, actor_id=actor_id).number


def open_visit(
    screen: DeskBase[Any],
    household_id: int | None,
    *,
    resident_id: int | None = None,
    due: tuple[int, ...] = (),
    done: Callable[[], object] | None = None,
) -> None:
    """Read the household's form (by the household, or one of its members), then open it over
    ``screen``; after a save, ``done()`` and the request offer for a concern."""
    desk = screen.desk
    now = desk.clock.now()
    if household_id is not None:
        job = partial(visit_form, household_id, actor_id=desk.operator_id, now=now)
    else:
        assert resident_id is not None
        job = partial(visit_form_of_resident, resident_id, actor_id=desk.operator_id, now=now)
    screen.call(job, partial(_show_form, screen, due, done), group="care-visit-form", latest=True)


def _show_form(
    screen: DeskBase[Any], due: tuple[int, ...], done: Callable[[], object] | None, form: VisitForm
) -> None:
    if isinstance(screen.app.screen, VisitFormScreen):
        return
    visit = VisitFormScreen(form, due)

    def closed(visit_id: int | None) -> None:
        typed = visit.typed
        if visit_id is None or typed is None:
            return
        outcome = _(f"enum.visit_outcome.{typed.outcome.value}")
        screen.notify(_("care_visit.saved", address=display(form.address), outcome=outcome))
        if done is not None:
            done()
        concern = first_concern(typed)
        if concern is not None:
            _offer_request(screen, visit_id, concern)

    screen.app.push_screen(visit, closed)


def _offer_request(screen: DeskBase[Any], visit_id: int, concern: Concern) -> None:
    category = _(f"category.{concern.category}")

    def answered(summary: str | None) -> None:
        if summary is None:
            return
        desk = screen.desk
        screen.call(
            partial(
                request_from_visit,
                visit_id,
                concern.category,
                summary,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            ),
            lambda number: screen.notify(_("care_visit.request_opened", number=number)),
            group="care-visit-request",
        )

    screen.app.push_screen(RequestOfferScreen(category, concern.summary), answered)
