"""记录走访 from the palette: a household found as in F2 (a resident's name, pinyin, phone or
address, ↑↓ and Enter to pick from the few found), then the visit form for their household."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from textual import on
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.i18n import _
from frontdesk.residents.search import ResidentHit, SearchResult
from frontdesk.screens.base.host import DeskHost
from frontdesk.screens.base.screen import DeskBase, DeskModal
from frontdesk.widgets.people import person_lines
from frontdesk.widgets.picker import PickList, StepInput, people_search

HITS = 6


class HouseholdPickScreen(DeskModal[int | None]):
    """Dismisses with the id of the resident picked (their household is visited), or None."""

    CSS_PATH = "household_pick.tcss"

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[ResidentHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="hp-box"):
            yield Static(_("care_visit.pick_title"), id="hp-title")
            yield StepInput(
                placeholder=_("care_visit.pick_placeholder"), id="hp-query", compact=True
            )
            yield PickList(id="hp-hits")
            yield Static(_("care_visit.pick_hint"), id="hp-hint")

    def on_mount(self) -> None:
        self.query_one("#hp-query", Input).focus()

    @on(Input.Changed, "#hp-query")
    def _typed(self, event: Input.Changed) -> None:
        query = event.value
        if not query.strip():
            self._found(query, [])
            return
        self.call(
            people_search(self.desk, query, HITS),
            partial(self._searched, query),
            group="care-pick",
            latest=True,
        )

    def _searched(self, query: str, result: SearchResult) -> None:
        self._found(query, result.hits)

    def _found(self, query: str, hits: list[ResidentHit]) -> None:
        if query != self.query_one("#hp-query", Input).value:
            return
        self.hits = hits
        options = self.query_one("#hp-hits", PickList)
        options.clear_options()
        for hit, line in zip(hits, person_lines(hits, query.strip()), strict=True):
            options.add_option(Option(line, id=str(hit.id)))
        options.show_first()

    @on(StepInput.Step)
    def _step(self, event: StepInput.Step) -> None:
        self.query_one("#hp-hits", PickList).step(event.step)

    @on(Input.Submitted, "#hp-query")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        chosen = self.query_one("#hp-hits", PickList).chosen_id()
        if chosen is not None:
            self.dismiss(int(chosen))

    @on(OptionList.OptionSelected, "#hp-hits")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))


def pick_and_record(app: DeskHost) -> None:
    """The picker, then the visit form of the household picked (over the screen shown)."""
    from frontdesk.screens.care.visit_form import open_visit

    ui = cast("App[Any]", app)

    def picked(resident_id: int | None) -> None:
        screen = ui.screen
        if resident_id is not None and isinstance(screen, DeskBase):
            refresh = getattr(screen, "refresh_data", None)
            open_visit(screen, None, resident_id=resident_id, done=refresh)

    ui.push_screen(HouseholdPickScreen(), picked)
