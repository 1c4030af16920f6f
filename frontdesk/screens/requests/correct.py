"""Correcting a logged request (``g`` on its detail): the reporter and the place, picked as the
intake picks them (``reporter_picker``, ``place_picker``), each left empty to keep it.

What the request holds now is shown above the fields. Choosing a resident as the reporter does
not put their flat in as the place (the intake's default): a correction changes only what is
typed. Ctrl+S saves; a refusal goes beside its field (a place that is not one, a resident of
another community, a name or phone that is not one) or under the form (a closed or meanwhile
changed request); Escape closes and writes nothing. Dismisses with the request's id once saved
(``corrected`` says what became of it), None when cancelled.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.requests.corrections import Corrected, Correction, correct_request
from frontdesk.requests.detail import RequestDetail
from frontdesk.requests.intake import Place, Reporter
from frontdesk.requests.lookup import find_places
from frontdesk.residents.validation import Validation, ValidationFailed
from frontdesk.screens.requests.reporter_picker import ReporterPicker
from frontdesk.widgets.text import display

# A service's refusal shown beside the field it is about.
FIELD_OF = {
    "request.no_place": "place",
    "request.reporter_required": "reporter",
    "request_correct.reporter_elsewhere": "reporter",
    "request_correct.nothing": "reporter",
    "resident.not_found": "reporter",
}


@dataclass(frozen=True)
class TypedCorrection:
    """What the form holds: the reporter (None: kept), the place chosen (None: kept, or still
    to be read from ``place_query``)."""

    reporter: Reporter | None
    place: Place | None
    place_query: str
    place_text: str


def _with_text(place: Place, text: str) -> Place:
    return Place(place.flat_id, place.building_id, place.compound_id, place.grid_l4_id, text)


class CorrectRequestScreen(ReporterPicker):
    """The correction form of one request, as its detail shows it."""

    CSS_PATH = ["../base/forms.tcss", "request_form.tcss", "correct.tcss"]
    HELP_KEY = "request_correct.help"

    def __init__(self, detail: RequestDetail, community_id: int) -> None:
        super().__init__(community_id, None)
        self.detail = detail
        self.corrected: Corrected | None = None

    # ---------------------------------------------------------------------------- composing

    def title_text(self) -> str:
        return _("request_correct.title", number=self.detail.number)

    def fields(self) -> Iterator[Widget]:
        yield Static(self._now_text(), id="correct-now", classes="form-note")
        yield from self.reporter_fields()
        yield from self.place_fields()

    def _now_text(self) -> str:
        first = self.detail.reporters[0]
        reporter = f"{display(first.name)} {first.phone_masked}".strip() or "—"
        place = display(self.detail.place) or "—"
        if self.detail.grid:
            place = _("request_detail.place_in_grid", place=place, grid=self.detail.grid)
        return "\n".join(
            (
                _("request_correct.now_reporter", reporter=reporter),
                _("request_correct.now_place", place=place),
            )
        )

    def on_mount(self) -> None:
        self._show_hits()
        self._show_reporter()
        self._show_places()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._show_hits()
        self._show_reporter()
        self._show_places()

    # ------------------------------------------------------- where the intake does more

    def check_duplicates(self) -> None:
        """A correction logs nothing: no duplicates to look for."""

    def _choose(self, option_id: str) -> None:
        """As the intake, but the place stays as typed (the intake puts in the resident's flat)."""
        box = self._place_box()
        typed = box.value
        super()._choose(option_id)
        if box.value != typed:
            self._place_text = ""
            box.value = typed

    def _show_places(self) -> None:
        super()._show_places()
        if not self._place_box().value.strip():  # not the intake's "the reporter's flat"
            line = self.query_one("#place-found", Static)
            line.update(_("request_correct.place_kept"))
            line.display = True

    # ------------------------------------------------------------------------------- saving

    def collect(self, problems: dict[str, Notice]) -> TypedCorrection:
        reporter: Reporter | None = None
        if self._reporter_box().value.strip() or self.reporter is not None:
            reporter = self._reporter(problems)
        query = self.value("place")
        place: Place | None = None
        if self.place is not None and query:
            place = _with_text(self.place.place, self.value("place_text"))
        elif len(self.places) > 1:
            problems["place"] = Notice("request_form.place_choose")
        elif not query and self.value("place_text"):
            problems["place"] = Notice("request_form.place_required")
        if reporter is None and place is None and not query and not problems:
            problems["reporter"] = Notice("request_correct.nothing")
        return TypedCorrection(reporter, place, query, self.value("place_text"))

    def _resolve_place(self, typed: TypedCorrection) -> Place | None:
        """The place to save (read in the worker: a place typed just before Ctrl+S is read
        here); None to keep it."""
        if typed.place is not None or not typed.place_query:
            return typed.place
        found = find_places(typed.place_query, self.community_id, actor_id=self.desk.operator_id)
        if len(found) != 1:
            validation = Validation()
            key = "request_form.place_choose" if found else "request_form.place_unknown"
            validation.error("place", key)
            raise ValidationFailed(validation)
        return _with_text(found[0].place, typed.place_text)

    def write(self, values: Any, confirm: bool) -> int | None:
        typed: TypedCorrection = values
        desk = self.desk
        correction = Correction(reporter=typed.reporter, place=self._resolve_place(typed))
        try:
            self.corrected = correct_request(
                self.detail.id,
                self.detail.version,
                correction,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            )
        except UserError as exc:
            field = FIELD_OF.get(exc.key)
            if field is None or isinstance(exc, ValidationFailed):
                raise
            validation = Validation()
            validation.error(field, exc.key, **exc.params)
            raise ValidationFailed(validation) from exc
        return self.corrected.id
