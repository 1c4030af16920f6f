"""The intake's reporter: a resident found as in F2 (↑↓ and Enter to pick from the few found under
the box, as everywhere: ``widgets.picker``), or a visitor with a phone. A part of
``RequestFormScreen``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual import on
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.requests.intake import Reporter
from frontdesk.requests.lookup import ReporterInfo
from frontdesk.residents.search import ResidentHit, SearchResult
from frontdesk.screens.base.forms import field, field_id, row_id, text_input
from frontdesk.screens.requests.place_picker import PlacePicker
from frontdesk.widgets.people import person_lines
from frontdesk.widgets.picker import PickList, StepInput, focus_next_empty, people_search
from frontdesk.widgets.text import display

HITS = 5  # residents offered under the reporter box
VISITOR = "visitor"


class ReporterPicker(PlacePicker):
    """The reporter box, the residents found under it, who was chosen, a visitor's phone."""

    def __init__(self, community_id: int, reporter: ReporterInfo | None) -> None:
        super().__init__(community_id, reporter.home if reporter else None)
        self.reporter = reporter
        self.visitor = False
        self.hits: list[ResidentHit] = []
        self._reporter_text = display(reporter.name) if reporter else ""
        self._hits_for: str | None = self._reporter_text  # the query the hits shown answer
        self._enter_pending = False  # Enter pressed in the reporter box before the hits came

    def reporter_fields(self) -> Iterator[Widget]:
        reporter = StepInput(
            self._reporter_text,
            placeholder=_("request_form.reporter_placeholder"),
            compact=True,
        )
        yield field("reporter", "request_form.field.reporter", reporter)
        yield PickList(id="reporter-hits")
        yield Static("", id="reporter-chosen", classes="request-note")
        yield field(
            "phone",
            "request_form.field.phone",
            text_input("", _("request_form.phone_placeholder")),
        )

    def _reporter_box(self) -> Input:
        return self.query_one(f"#{field_id('reporter')}", Input)

    @on(Input.Changed, "#f-reporter")
    def _reporter_typed(self, event: Input.Changed) -> None:
        if event.value == self._reporter_text and (self.reporter or self.visitor):
            return  # the name put there when the reporter was chosen
        self.reporter = None
        self.visitor = False
        self._reporter_text = ""
        self._hits_for = None
        self._enter_pending = False
        self._show_reporter()
        self._search(event.value)

    def _search(self, query: str) -> None:
        if not query.strip():
            self._found_hits(query, [])
            return
        self.call(
            people_search(self.desk, query, HITS),
            partial(self._searched, query),
            group="request-reporter",
            latest=True,
        )

    def _searched(self, query: str, result: SearchResult) -> None:
        self._found_hits(query, result.hits)

    def _found_hits(self, query: str, hits: list[ResidentHit]) -> None:
        if query != self._reporter_box().value or self.reporter or self.visitor:
            return  # an older answer arriving late
        self.hits = hits
        self._hits_for = query
        self._show_hits()
        if self._enter_pending:  # Enter came before the list: take its first line now
            self._enter_pending = False
            self._take_highlighted()

    def _show_hits(self) -> None:
        options = self.query_one("#reporter-hits", PickList)
        typed = self._reporter_box().value.strip()
        chosen = self.reporter is not None or self.visitor
        options.clear_options()
        if chosen or not typed:
            options.display = False
            return
        # name, age, flat, phone; why each was found, namesakes' ID ends (``widgets.people``)
        for hit, line in zip(self.hits, person_lines(self.hits, typed), strict=True):
            options.add_option(Option(line, id=str(hit.id)))
        options.add_option(Option(_("request_form.as_visitor", name=typed), id=VISITOR))
        options.display = True
        options.show_first()

    @on(StepInput.Step)
    def _step_hits(self, event: StepInput.Step) -> None:
        if event.box is self._reporter_box():
            self.query_one("#reporter-hits", PickList).step(event.step)

    @on(Input.Submitted, "#f-reporter")
    def _reporter_entered(self, event: Input.Submitted) -> None:
        event.prevent_default()  # not the form's plain "next field"
        event.stop()
        box = self._reporter_box()
        if self.reporter is None and not self.visitor and self._hits_for != box.value:
            self._enter_pending = bool(box.value.strip())  # the search is still running
            return
        if not self._take_highlighted():
            self.focus_next()

    def _take_highlighted(self) -> bool:
        chosen = self.query_one("#reporter-hits", PickList).chosen_id()
        if chosen is None:
            return False
        self._choose(chosen)
        return True

    @on(OptionList.OptionSelected, "#reporter-hits")
    def _hit_clicked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id or VISITOR)

    def _choose(self, option_id: str) -> None:
        box = self._reporter_box()
        if option_id == VISITOR:
            self.visitor = True
            self._reporter_text = box.value
            self._show_hits()
            self._show_reporter()
            self._focus_field("phone")
            return
        hit = next((h for h in self.hits if str(h.id) == option_id), None)
        if hit is None:
            return
        self.reporter = ReporterInfo(hit.id, hit.name, hit.phone, None)
        self._reporter_text = display(hit.name)
        box.value = self._reporter_text
        self._show_hits()
        self._show_reporter()
        place_box = self._place_box()
        if not place_box.value.strip() or place_box.value == self._place_text:
            self._place_text = hit.address
            place_box.value = hit.address  # found as typed: the reporter's flat
        focus_next_empty(self, box)  # the place filled in is kept, not typed over

    def _show_reporter(self) -> None:
        line = self.query_one("#reporter-chosen", Static)
        if self.reporter is not None:
            text = _(
                "request_form.reporter_resident",
                name=display(self.reporter.name),
                phone=self.reporter.phone_masked or "—",
            )
        elif self.visitor:
            text = _("request_form.reporter_visitor", name=self._reporter_text)
        else:
            text = ""
        line.update(text)
        line.display = bool(text)
        self.query_one(f"#{row_id('phone')}").display = self.visitor

    def _reporter(self, problems: dict[str, Notice]) -> Reporter:
        """The reporter to save; what is missing goes into ``problems``."""
        typed = self._reporter_box().value.strip()
        if self.reporter is not None:
            return Reporter(self.reporter.name, "", self.reporter.resident_id)
        if self.visitor or (typed and not self.hits):
            return Reporter(typed, self.value("phone"))
        if not typed:
            problems["reporter"] = Notice("request_form.reporter_required")
        else:
            problems["reporter"] = Notice("request_form.reporter_choose")
        return Reporter(typed)
