"""F2 residents: one search box, filters beside it, results as you type; Ctrl+N registers a new
household."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from frontdesk.exporting import ResidentSelection
from frontdesk.i18n import _
from frontdesk.permissions import Can, PermissionDenied
from frontdesk.residents.search import (
    FilterChoices,
    SearchFilters,
    SearchResult,
    filter_choices,
    search,
)
from frontdesk.screens.base.export import export_binding, start_export
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.residents.household_form import HouseholdFormScreen
from frontdesk.search.listing import notes, phone_span
from frontdesk.vocabulary import Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.picker import StepInput
from frontdesk.widgets.tables import empty, fit_columns
from frontdesk.widgets.text import display

STATUSES = ["living", "moved_out", "deceased", "all"]
AGE_BANDS = [
    ("child", 0, 13),
    ("minor", 0, 17),
    ("adult", 18, 59),
    ("elderly", 60, None),
    ("old", 80, None),
]
COLUMNS = ["name", "gender", "age", "address", "grid", "phone", "tags"]


def columns(status: str | None) -> list[str]:
    """The results' columns: with everyone (全部), each one's status after the age, or a
    moved-out person would look like one living here."""
    if status is not None:
        return COLUMNS
    at = COLUMNS.index("age") + 1
    return [*COLUMNS[:at], "status", *COLUMNS[at:]]


NEEDS = {"new_household": Can.EDIT_RESIDENT}


class ResidentsScreen(DeskScreen):
    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("ctrl+f", "focus_search", "residents.key_search", show=False),
        Binding("ctrl+g", "focus_filter('filter-l4')", "residents.key_grid", show=False),
        Binding("ctrl+t", "focus_filter('filter-tag')", "residents.key_tag", show=False),
        Binding("ctrl+r", "clear", "residents.key_clear"),
        Binding("ctrl+n", "new_household", "residents.key_new"),
        export_binding(show=False),  # the footer is full at 80 columns in English
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-residents")
        self.filters = SearchFilters()
        self.choices: FilterChoices | None = None
        self.result: SearchResult | None = None
        # Enter came before the answer to what is typed: the first one found opens when it does
        self._enter_pending = False

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.residents")
        yield StepInput(placeholder=_("residents.placeholder"), id="search", compact=True)
        with Horizontal(id="filters"):
            yield Select(
                [(_(f"residents.status.{s}"), s) for s in STATUSES],
                value=self.filters.status or "all",
                allow_blank=False,
                id="filter-status",
                compact=True,
            )
            yield Select([], prompt=_("residents.grid_l3"), id="filter-l3", compact=True)
            yield Select([], prompt=_("residents.grid_l4"), id="filter-l4", compact=True)
            yield Select([], prompt=_("residents.tag"), id="filter-tag", compact=True)
            yield Select(
                [(_(f"residents.age.{key}"), key) for key, _lo, _hi in AGE_BANDS],
                prompt=_("residents.age_prompt"),
                id="filter-age",
                compact=True,
            )
        table: DataTable[str | Text] = DataTable(
            id="results", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static(_("residents.hint"), id="results-status")
        yield DeskFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return permitted(self, NEEDS, action)

    def on_mount(self) -> None:
        self._set_columns(self.query_one("#results", DataTable))
        self.query_one("#search", Input).focus()
        self.load_choices()
        if self.result is not None:
            self._show(self.result)

    def shows(self, changes: Changes) -> bool:
        """Residents registered, edited or moved at another desk: the same search again."""
        return self.result is not None and changes.touches("resident", "household")

    def refresh_data(self) -> None:
        self.run_search()

    # ------------------------------------------------------------------ loading filter choices

    def load_choices(self) -> None:
        community = self.desk.community
        if community is None:
            return
        self.call(partial(filter_choices, community.id), self._fill_choices)
        warm_up = partial(
            search, "138", actor_id=self.desk.operator_id, today=self.desk.clock.today(), limit=1
        )
        self.call(warm_up, group="residents-warm-up")  # the phone index, before the first search

    def _fill_choices(self, choices: FilterChoices) -> None:
        self.choices = choices
        self.query_one("#filter-l3", Select).set_options(
            [(_("residents.grid_l3_item", code=g.code), g.id) for g in choices.grids_l3]
        )
        self._fill_l4()
        self.query_one("#filter-tag", Select).set_options(
            [(_(f"tag.{code}"), code) for code in choices.tags]
        )

    def _fill_l4(self) -> None:
        if self.choices is None:
            return
        l3 = self.filters.grid_l3_id
        self.query_one("#filter-l4", Select).set_options(
            [
                (_("residents.grid_l4_item", code=g.code), g.id)
                for g in self.choices.grids_l4
                if l3 is None or g.parent_id == l3
            ]
        )

    # --------------------------------------------------------------------------- searching

    @on(Input.Changed, "#search")
    def _query_changed(self) -> None:
        self._enter_pending = False  # typed on after Enter: that Enter meant the old query
        self.run_search()

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        value: Any = None if event.value is Select.NULL else event.value
        match event.select.id:
            case "filter-status":
                self.filters = replace(self.filters, status=None if value == "all" else value)
            case "filter-l3":
                self.filters = replace(self.filters, grid_l3_id=value, grid_l4_id=None)
                self._fill_l4()
            case "filter-l4":
                self.filters = replace(self.filters, grid_l4_id=value)
            case "filter-tag":
                self.filters = replace(self.filters, tag=value)
            case "filter-age":
                band = next((b for b in AGE_BANDS if b[0] == value), None)
                self.filters = replace(
                    self.filters,
                    age_min=band[1] if band else None,
                    age_max=band[2] if band else None,
                )
        self.run_search()

    def run_search(self) -> None:
        self._search(self.query_one("#search", Input).value, self.filters)

    def _search(self, query: str, filters: SearchFilters) -> None:
        desk = self.desk
        self.call(
            partial(
                search,
                query,
                desk.in_view(filters),
                actor_id=desk.operator_id,
                today=desk.clock.today(),
            ),
            partial(self._show, filters=filters),
            group="residents-search",
            latest=True,  # a slow answer to an older query never replaces a newer one
        )

    def _show(self, result: SearchResult, filters: SearchFilters | None = None) -> None:
        if filters is not None and (
            filters != self.filters or result.query != self.query_one("#search", Input).value
        ):
            return  # the box or a filter changed since: its own search is on the way
        same_query = self.result is not None and self.result.query == result.query
        self.result = result
        table = self.query_one("#results", DataTable)
        row = table.cursor_row if same_query else 0
        empty(table)
        said = notes(result.hits, result.query)  # found by phone or ID, namesakes' ID ends
        shown = self._set_columns(table, noted=any(said.values()))
        for hit in result.hits:
            tags = " ".join(_(f"tag.{code}") for code in hit.tags)
            if hit.hidden_tags:
                tags = f"{tags} {_('find.hidden_tags', count=hit.hidden_tags)}".strip()
            phone = Text(hit.phone)
            span = phone_span(hit, result.query)
            if span is not None:  # the typed digits, where the mask shows them anyway
                phone.stylize("bold underline", *span)
            cells: dict[str, str | Text] = {
                "name": display(hit.name),
                "gender": _(f"enum.gender.{hit.gender}"),
                "age": str(hit.age),
                "status": _(f"find.state.{hit.status}"),
                "address": display(hit.address),
                "grid": hit.grid,
                "phone": phone,
                "note": said[hit.id],
                "tags": tags,
            }
            table.add_row(*(cells[column] for column in shown), key=str(hit.id))
        fit_columns(table)  # sized before it is drawn (widgets.tables)
        if not result.query.strip() and not self.filters.narrowing:
            text = _("residents.hint")
        elif not result.hits and not result.query.strip():  # 迁出 with an empty box: none
            text = _("residents.none_status", status=_(f"residents.status.{self.filters.status}"))
        elif not result.hits:
            text = _("residents.none")
        else:
            total = f"{result.total}+" if result.more else str(result.total)
            text = _("residents.count", shown=len(result.hits), total=total)
        typed = self._typed_filters(result.filters)
        if typed:
            text = f"{_('residents.typed_filters', filters=typed)} · {text}"
        self.query_one("#results-status", Static).update(text)
        if row and table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        if self._enter_pending and result.query == self.query_one("#search", Input).value:
            self._enter_pending = False
            if table.row_count:
                table.focus()
                self.open_selected()

    def _set_columns(self, table: DataTable[str | Text], *, noted: bool = False) -> list[str]:
        """The columns for the status chosen, set anew when it changed (call it with no rows);
        ``noted``: with the note (why found, a namesake's ID end) before the tags, only while a
        row has one, and then without the gender: 80 columns are few (namesakes are mostly of
        one gender anyway)."""
        wanted = columns(self.filters.status)
        if noted:
            at = wanted.index("tags")
            wanted = [c for c in [*wanted[:at], "note", *wanted[at:]] if c != "gender"]
        if [key.value for key in table.columns] == wanted:
            return wanted
        table.clear(columns=True)
        for column in wanted:
            table.add_column(_(f"find.{column}"), key=column)
        return wanted

    def _typed_filters(self, applied: SearchFilters) -> str:
        """The filters read from words in the box (留守儿童 2-3网格), to say what was understood."""
        parts = []
        if applied.tag is not None and applied.tag != self.filters.tag:
            parts.append(_(f"tag.{applied.tag}"))
        if applied.grid_l3_code is not None:
            parts.append(_("residents.grid_l3_item", code=applied.grid_l3_code))
        if applied.grid_l4_code is not None:
            parts.append(_("residents.grid_l4_item", code=applied.grid_l4_code))
        return " · ".join(parts)

    # ----------------------------------------------------------------------------- actions

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_filter(self, select_id: str) -> None:
        self.query_one(f"#{select_id}", Select).focus()

    def action_clear(self) -> None:
        self.filters = SearchFilters()
        self.query_one("#search", Input).value = ""
        for select in self.query(Select):
            if select.id == "filter-status":
                select.value = "living"
            else:
                select.clear()
        self.action_focus_search()

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        table = self.query_one("#results", DataTable)
        typed = self.query_one("#search", Input).value
        if typed.strip() and (self.result is None or self.result.query != typed):
            self._enter_pending = True  # the answer is on its way: it opens the first found
            return
        if table.row_count:
            table.focus()
            self.open_selected()

    @on(StepInput.Step, "#search")
    def _step(self, event: StepInput.Step) -> None:
        if event.step > 0:
            self.action_focus_results()

    def action_focus_results(self) -> None:
        """↓ from the box: the next one found becomes the current one, and the list has the keys
        (Enter in the box opens the current one, so ↓ then Enter opens the second — as in every
        list found under a box, ``widgets.picker``)."""
        table = self.query_one("#results", DataTable)
        if not table.row_count:
            return
        table.focus()
        table.move_cursor(row=min(table.cursor_row + 1, table.row_count - 1))

    @on(DataTable.RowSelected, "#results")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_selected()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """This screen's commands for the palette: (title, help, callback)."""
        return [
            (
                _("residents.palette.new_household"),
                _("residents.palette.new_household_help"),
                self.action_new_household,
            ),
            (
                _("export.ui.palette_residents"),
                _("export.ui.palette_help"),
                self.action_export_list,
            ),
            (
                _("export.ui.palette_households"),
                _("export.ui.palette_help"),
                partial(self.action_export_list, "households"),
            ),
            (
                _("export.ui.palette_places"),
                _("export.ui.palette_places_help"),
                self.action_export_places,
            ),
        ]

    def action_export_list(self, kind: str = "residents") -> None:
        """Ctrl+E: the residents the list shows (its query and filters), as a workbook."""
        selection = ResidentSelection(
            search=self.desk.in_view(self.filters), query=self.query_one("#search", Input).value
        )
        start_export(self, kind, selection, _(f"export.what.{kind}"), full_allowed=True)

    def action_export_places(self) -> None:
        community = self.desk.community
        start_export(self, "places", community.id if community else None, _("export.what.places"))

    def action_new_household(self) -> None:
        desk = self.desk
        if desk.community is None:
            self.notify(_("header.no_community"), severity="warning")
            return

        def registered(head_id: int | None) -> None:
            if head_id is None:
                return
            self.notify(_("form.saved"))
            self.run_search()
            self.desk_app.open_resident(head_id)

        self.app.push_screen(HouseholdFormScreen(desk.community.id, desk.clock.today()), registered)

    def open_selected(self) -> None:
        table = self.query_one("#results", DataTable)
        if not table.row_count:
            return
        if not self.desk.can(Can.VIEW_RESIDENT):  # the admin: the masked list only
            self.notify(str(PermissionDenied(self.desk.operator, Can.VIEW_RESIDENT)))
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.desk_app.open_resident(int(key))
