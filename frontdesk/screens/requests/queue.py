"""F4 walk-in requests: the queue, soonest due first, with filters; Enter opens a request.

Overdue rows stand out in the theme's error colour with ``!``; requests from or about a special
group carry a mark. The line above the table counts the requests in each status (under the other
filters). n (or F6 anywhere) logs a new request; the queue reloads after every change, when the
screen comes back, and every half minute (the escalation sweep, other desks).
"""

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
from textual.widgets import Checkbox, DataTable, Select, Static

from frontdesk.exporting import RequestSelection
from frontdesk.i18n import _
from frontdesk.permissions import Can
from frontdesk.requests.lifecycle import OPEN
from frontdesk.requests.lookup import StaffChoice, categories, staff_choices
from frontdesk.requests.queue import QueueFilters, QueuePage, QueueRow, queue
from frontdesk.residents.search import GridChoice, filter_choices
from frontdesk.screens.base.export import export_binding, start_export
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.requests.detail import RequestDetailScreen
from frontdesk.screens.requests.request_form import open_intake
from frontdesk.vocabulary import Changes, Level, RequestStatus, Role
from frontdesk.widgets.checkbox import DeskCheckbox
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.tables import empty, fit_columns
from frontdesk.widgets.text import display
from frontdesk.widgets.widths import fit_select

OPEN_STATUSES = tuple(s.value for s in OPEN)
STATUS_CHOICES = ["open", *(s.value for s in RequestStatus), "all"]
# The level shows beside the holder when it is not the grid; the grid is a filter and in the detail.
COLUMNS = ["flags", "due", "number", "category", "status", "holder", "what"]
RELOAD_SECONDS = 30


NEEDS = {"new_request": Can.LOG_REQUEST}


def queue_choices(
    community_id: int, *, actor_id: int | None
) -> tuple[list[GridChoice], list[StaffChoice], list[str]]:
    """What the filters offer: the community's level-4 grids, its staff, the categories."""
    grids = filter_choices(community_id).grids_l4
    staff = staff_choices(community_id, actor_id=actor_id)
    return grids, staff, categories()


class RequestsScreen(DeskScreen):
    CSS_PATH = "queue.tcss"
    BINDINGS = [
        Binding("n", "new_request", "requests.key_new"),
        Binding("o", "toggle_overdue", "requests.key_overdue"),
        Binding("m", "toggle_mine", "requests.key_mine", show=False),
        Binding("ctrl+r", "clear", "requests.key_clear", show=False),
        Binding("ctrl+f", "focus_filter('filter-status')", "requests.key_filters", show=False),
        Binding("ctrl+g", "focus_filter('filter-grid')", "requests.key_grid", show=False),
        Binding("ctrl+t", "focus_table", "requests.key_table", show=False),
        export_binding(show=False),  # the footer is full at 80 columns in English
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-requests")
        self.status_choice = "open"
        self.filters = QueueFilters()
        self.page: QueuePage | None = None
        self.grids: list[GridChoice] = []
        self.staff: list[StaffChoice] = []
        self.categories: list[str] = []

    # ---------------------------------------------------------------------------- composing

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.requests")
        with Horizontal(id="rq-filters"):
            statuses = [(_(f"requests.status.{s}"), s) for s in STATUS_CHOICES]
            yield fit_select(
                Select(
                    statuses,
                    value=self.status_choice,
                    allow_blank=False,
                    id="filter-status",
                    compact=True,
                ),
                [label for label, _value in statuses],
                exact=True,
            )
            prompts = {
                key: _(f"requests.filter.{key}") for key in ("level", "grid", "holder", "category")
            }
            yield fit_select(
                Select(
                    [(_(f"enum.level.{lv.value}"), lv.value) for lv in Level],
                    prompt=prompts["level"],
                    value=self.filters.level or Select.NULL,
                    id="filter-level",
                    compact=True,
                ),
                [prompts["level"]],
            )
            for key in ("grid", "holder", "category"):
                yield fit_select(
                    Select([], prompt=prompts[key], id=f"filter-{key}", compact=True),
                    [prompts[key]],
                )
            yield DeskCheckbox(
                _("requests.filter.overdue"),
                self.filters.overdue_only,
                id="filter-overdue",
                compact=True,
            )
            yield DeskCheckbox(
                _("requests.filter.mine"),
                self._mine,
                id="filter-mine",
                compact=True,
            )
        yield Static("", id="rq-counts")
        yield DataTable(id="rq-table", cursor_type="row", zebra_stripes=True)
        yield Static(_(self._hint_key("hint")), id="rq-hint")
        yield DeskFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return permitted(self, NEEDS, action)

    def on_mount(self) -> None:
        operator = self.desk.operator
        if operator is not None and operator.role == Role.GRID_MANAGER:
            # a grid manager's view starts at their own requests
            self.filters = replace(self.filters, holder_id=operator.id)
            self.query_one("#filter-mine", Checkbox).value = True
        self._columns()
        self.query_one("#rq-table", DataTable).focus()
        self.load_choices()
        self.set_interval(RELOAD_SECONDS, self._reload_if_due)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.page is not None:
            self._show(self.page, self.filters)

    def on_screen_resume(self) -> None:
        self._missed_changes = False  # reloaded now: the base need not load again for them
        self.reload()

    def shows(self, changes: Changes) -> bool:
        """A request logged or changed at another desk (or by the escalation sweep)."""
        return changes.touches("request")

    def refresh_data(self) -> None:
        self.reload()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._columns()
        self._fill_choices()
        if self.page is not None:
            self._show(self.page, self.filters)

    def _theme_changed(self, _theme: object) -> None:
        if self.page is not None:
            self._show(self.page, self.filters)

    def _columns(self) -> None:
        table = self.query_one("#rq-table", DataTable)
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(_(f"requests.col.{column}"), key=column)

    # ------------------------------------------------------------------------------ choices

    def load_choices(self) -> None:
        community = self.desk.community
        if community is None:
            return
        self.call(
            partial(queue_choices, community.id, actor_id=self.desk.operator_id),
            self._got_choices,
            group="requests-choices",
        )

    def _got_choices(self, choices: tuple[list[GridChoice], list[StaffChoice], list[str]]) -> None:
        self.grids, self.staff, self.categories = choices
        self._fill_choices()

    def _fill_choices(self) -> None:
        f = self.filters
        self._set_options(
            "#filter-grid",
            [(_("requests.grid_item", code=g.code), g.id) for g in self.grids],
            f.grid_l4_id,
        )
        holders = []
        for s in self.staff:
            where = " ".join(s.grids) if s.grids else _(f"enum.role.{s.role}")
            holders.append((f"{display(s.name)} {where}", s.id))
        self._set_options("#filter-holder", holders, None if self._mine else f.holder_id)
        self._set_options(
            "#filter-category",
            [(_(f"category.{code}"), code) for code in self.categories],
            f.category,
        )

    def _set_options(self, selector: str, options: list[tuple[str, Any]], value: Any) -> None:
        select = self.query_one(selector, Select)
        with select.prevent(Select.Changed):
            select.set_options(options)
            if value is not None and any(v == value for _l, v in options):
                select.value = value

    # ------------------------------------------------------------------------------ filters

    @property
    def _mine(self) -> bool:
        me = self.desk.operator_id
        return me is not None and self.filters.holder_id == me

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        value: Any = None if event.value is Select.NULL else event.value
        f = self.filters
        match event.select.id:
            case "filter-status":
                self.status_choice = value or "open"
                self.filters = replace(f, statuses=self._statuses(self.status_choice))
            case "filter-level":
                self.filters = replace(f, level=value)
            case "filter-grid":
                self.filters = replace(f, grid_l4_id=value)
            case "filter-holder":
                self.filters = replace(f, holder_id=value)
                with self.query_one("#filter-mine", Checkbox).prevent(Checkbox.Changed):
                    self.query_one("#filter-mine", Checkbox).value = self._mine
            case "filter-category":
                self.filters = replace(f, category=value)
            case _:
                return
        self.reload()

    @staticmethod
    def _statuses(choice: str) -> tuple[str, ...]:
        if choice == "open":
            return OPEN_STATUSES
        if choice == "all":
            return tuple(s.value for s in RequestStatus)
        return (choice,)

    @on(Checkbox.Changed, "#filter-overdue")
    def _overdue_changed(self, event: Checkbox.Changed) -> None:
        self.filters = replace(self.filters, overdue_only=event.value)
        self.reload()

    @on(Checkbox.Changed, "#filter-mine")
    def _mine_changed(self, event: Checkbox.Changed) -> None:
        me = self.desk.operator_id
        if me is None:
            return
        self.filters = replace(self.filters, holder_id=me if event.value else None)
        holder = self.query_one("#filter-holder", Select)
        with holder.prevent(Select.Changed):
            if event.value and any(s.id == me for s in self.staff):
                holder.value = me
            else:
                holder.clear()
        self.reload()

    def action_toggle_overdue(self) -> None:
        box = self.query_one("#filter-overdue", Checkbox)
        box.value = not box.value

    def action_toggle_mine(self) -> None:
        box = self.query_one("#filter-mine", Checkbox)
        box.value = not box.value

    def action_clear(self) -> None:
        self.filters = QueueFilters()
        self.status_choice = "open"
        for select in self.query(Select):
            with select.prevent(Select.Changed):
                if select.id == "filter-status":
                    select.value = "open"
                else:
                    select.clear()
        for box in self.query(Checkbox):
            with box.prevent(Checkbox.Changed):
                box.value = False
        self.reload()

    def action_focus_filter(self, select_id: str) -> None:
        self.query_one(f"#{select_id}", Select).focus()

    def action_focus_table(self) -> None:
        self.query_one("#rq-table", DataTable).focus()

    # ------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        self._load(self.filters)

    def _reload_if_due(self) -> None:
        """A shown request just passed its due time: reload to flag it (no query otherwise)."""
        if not self.is_current or self.page is None:
            return
        now = self.desk.clock.now()
        if any(r.due_at is not None and r.due_at <= now and not r.overdue for r in self.page.rows):
            self.reload()

    def _load(self, filters: QueueFilters) -> None:
        desk = self.desk
        if desk.community is None:
            return
        self.call(
            partial(queue, desk.community.id, filters, desk.clock.now(), actor_id=desk.operator_id),
            partial(self._loaded, filters),
            group="requests-queue",
            latest=True,
        )

    def _loaded(self, filters: QueueFilters, page: QueuePage) -> None:
        self._show(page, filters)

    def _show(self, page: QueuePage, filters: QueueFilters) -> None:
        if filters != self.filters:
            return  # an older answer arriving late
        self.page = page
        table = self.query_one("#rq-table", DataTable)
        keep = None
        if table.row_count:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        empty(table)
        for row in page.rows:
            table.add_row(*self._cells(row), key=str(row.id))
        fit_columns(table)  # sized before it is drawn (widgets.tables)
        if keep is not None and keep in {str(r.id) for r in page.rows}:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self._show_counts(page)

    def _cells(self, row: QueueRow) -> list[Text]:
        colours = self.app.theme_variables
        style = f"bold {colours.get('text-error', '')}" if row.overdue else ""
        flags = Text("!" if row.overdue else " ", style=style)
        if row.special_group:
            flags.append(
                _("requests.mark_special"), style=f"bold {colours.get('text-warning', '')}"
            )
        values = [
            f"{row.due_at:%m-%d %H:%M}" if row.due_at else "—",
            row.number,
            _(f"requests.short.category.{row.category}"),
            _(f"requests.short.status.{row.status}"),
            self._holder(row),
            display(row.description) + (f"（{display(row.place)}）" if row.place else ""),
        ]
        return [flags, *(Text(value, style=style) for value in values)]

    @staticmethod
    def _holder(row: QueueRow) -> str:
        holder = display(row.holder_name) or "—"
        if row.level == Level.GRID.value:
            return holder
        return _("requests.holder_at", holder=holder, level=_(f"requests.short.level.{row.level}"))

    def _show_counts(self, page: QueuePage) -> None:
        parts = [
            f"{_(f'enum.request_status.{s.value}')} {page.counts.get(s.value, 0)}"
            for s in RequestStatus
        ]
        shown = _("requests.shown", shown=len(page.rows), total=page.total)
        self.query_one("#rq-counts", Static).update(" · ".join(parts) + "  │  " + shown)
        hint = self.query_one("#rq-hint", Static)
        hint.update(_(self._hint_key("none" if page.total == 0 else "hint")))

    def _hint_key(self, name: str) -> str:
        """The hint line, offering "n" only to who may log requests."""
        can_log = permitted(self, NEEDS, "new_request")
        return f"requests.{name}" if can_log else f"requests.{name}_read_only"

    # ------------------------------------------------------------------------------ actions

    @on(DataTable.RowSelected, "#rq-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one("#rq-table", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.app.push_screen(RequestDetailScreen(int(key)))

    def action_new_request(self) -> None:
        open_intake(self.desk_app)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """This screen's commands for the palette: (title, help, callback)."""
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_("requests.palette.new"), _("requests.palette.new_help"), self.action_new_request),
            (_("requests.palette.open"), _("requests.palette.open_help"), self.action_open),
            (
                _("requests.palette.overdue"),
                _("requests.palette.overdue_help"),
                self.action_toggle_overdue,
            ),
            (_("requests.palette.mine"), _("requests.palette.mine_help"), self.action_toggle_mine),
            (_("requests.palette.clear"), _("requests.palette.clear_help"), self.action_clear),
            (_("requests.palette.reload"), _("requests.palette.reload_help"), self.reload),
            (
                _("export.ui.palette_requests"),
                _("export.ui.palette_requests_help"),
                self.action_export_list,
            ),
        ]
        for select_id, key in (
            ("filter-status", "status"),
            ("filter-level", "level"),
            ("filter-grid", "grid"),
            ("filter-holder", "holder"),
            ("filter-category", "category"),
        ):
            commands.append(
                (
                    _(f"requests.palette.filter_{key}"),
                    _("requests.palette.filter_help"),
                    partial(self.action_focus_filter, select_id),
                )
            )
        return commands

    def action_export_list(self) -> None:
        """Ctrl+E: the requests under the queue's filters, as a workbook."""
        community = self.desk.community
        f = self.filters
        selection = RequestSelection(
            community_id=community.id if community else None,
            statuses=f.statuses,
            level=f.level,
            grid_l4_id=f.grid_l4_id,
            holder_id=f.holder_id,
            category=f.category,
            overdue_only=f.overdue_only,
        )
        start_export(self, "requests", selection, _("export.what.requests"))
