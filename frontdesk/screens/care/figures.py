"""走访统计 — the month's care figures (``frontdesk.care.figures``, where the rates are
defined): per grid the dues, those met on time, the people in care and those seen, the people
overdue now, with a total row; the last six months as a trend; the people overdue now and the
people in care never visited.

← / → (or [ and ]) change the month, never past this one; 1–4 switch between the grids, the
trend and the two lists; the subdistrict office picks one of its communities or all with c
(names come masked from the service). Who sees which grids is the service's: a grid manager
their own, the leadership their community. The screen reloads on other desks' visits and care
changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Sparkline, Static, TabbedContent, TabPane

from frontdesk.care.figures import Listed, MonthFigures, Rates, month_figures
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.vocabulary import Changes, Role
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.tables import empty, fit_columns
from frontdesk.widgets.text import display

TABS = ("grids", "trend", "overdue", "never")
GRID_COLUMNS: tuple[str, ...] = ("grid", "manager", "dues", "on_time", "on_time_rate")
GRID_COLUMNS += ("in_care", "seen", "visit_rate", "overdue")
TREND_COLUMNS = ("month", "dues", "on_time", "on_time_rate", "in_care", "seen", "visit_rate")
LIST_COLUMNS = ("name", "address", "grid", "level", "due_on", "days")
ALL = "all"  # the subdistrict office's choice: every community of theirs


def percent(rate: float | None) -> str:
    """87.5% (one decimal), — when nothing fell in the month."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def first_of(day: date) -> date:
    return day.replace(day=1)


def shifted(month: date, by: int) -> date:
    """The first of the month ``by`` months from ``month``."""
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def _right(value: object) -> Text:
    return Text(str(value), justify="right")


def rate_cells(rates: Rates) -> list[Text]:
    return [
        _right(rates.dues),
        _right(rates.on_time),
        _right(percent(rates.on_time_rate)),
        _right(rates.in_care),
        _right(rates.seen),
        _right(percent(rates.visit_rate)),
    ]


def _bold(label: str, name: str, rates: Rates, overdue: int) -> list[Text]:
    """A total's cells, in bold."""
    cells = [*rate_cells(rates), _right(overdue)]
    return [
        Text(label, style="bold"),
        Text(name, style="bold"),
        *[Text(cell.plain, style="bold", justify="right") for cell in cells],
    ]


class CareFiguresScreen(DeskScreen):
    CSS_PATH = "figures.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back", show=False),
        Binding("left", "month(-1)", "care_figures.key_earlier", priority=True),
        Binding("right", "month(1)", "care_figures.key_later", priority=True),
        Binding("left_square_bracket", "month(-1)", show=False, priority=True),
        Binding("right_square_bracket", "month(1)", show=False, priority=True),
        Binding("1", "tab('grids')", "care_figures.tab.grids", show=False),
        Binding("2", "tab('trend')", "care_figures.tab.trend", show=False),
        Binding("3", "tab('overdue')", "care_figures.tab.overdue", show=False),
        Binding("4", "tab('never')", "care_figures.tab.never", show=False),
        Binding("c", "community", "care_figures.key_community"),
        Binding("ctrl+r", "reload", "care_figures.key_reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-care-figures")
        self.month = date.min  # this month's first day, set when mounted (the desk's clock)
        self.community_id: int | None = None  # the subdistrict office's choice (None: all)
        self.figures: MonthFigures | None = None
        self.problem = ""

    def desk_today(self) -> date:
        return self.desk.clock.today()

    # ---------------------------------------------------------------------------- composing

    def compose(self) -> ComposeResult:
        yield DeskHeader("care_figures.title")
        yield Static(_("care_figures.loading"), id="cf-status")
        with TabbedContent(id="cf-tabs", initial="cf-grids"):
            with TabPane(_("care_figures.tab.grids"), id="cf-grids"):
                yield DataTable(id="cf-grid-table", cursor_type="row", zebra_stripes=True)
            with TabPane(_("care_figures.tab.trend"), id="cf-trend"):
                yield DataTable(id="cf-trend-table", cursor_type="row", zebra_stripes=True)
                with Horizontal(id="cf-lines"):
                    with Vertical(classes="cf-line"):
                        yield Static(_("care_figures.col.on_time_rate"), classes="cf-line-title")
                        yield Sparkline([], id="cf-spark-on-time")
                    with Vertical(classes="cf-line"):
                        yield Static(_("care_figures.col.visit_rate"), classes="cf-line-title")
                        yield Sparkline([], id="cf-spark-visit")
            with TabPane(_("care_figures.tab.overdue"), id="cf-overdue"):
                yield DataTable(id="cf-overdue-table", cursor_type="row", zebra_stripes=True)
            with TabPane(_("care_figures.tab.never"), id="cf-never"):
                yield DataTable(id="cf-never-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("care_figures.definitions"), id="cf-note")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.month = first_of(self.desk_today())
        self._columns()
        self.query_one("#cf-grid-table", DataTable).focus()
        self.load()

    async def _language_changed(self, language: str) -> None:
        active = self.query_one("#cf-tabs", TabbedContent).active
        await super()._language_changed(language)
        self.query_one("#cf-tabs", TabbedContent).active = active or "cf-grids"
        self._columns()
        self._show()

    def shows(self, changes: Changes) -> bool:
        """Visits, care changes, people moving or dying, the care settings: other desks'."""
        return changes.touches("visit", "resident", "household", "care_campaign", "setting")

    def refresh_data(self) -> None:
        self.load()

    def _columns(self) -> None:
        for table_id, columns, prefix in (
            ("#cf-grid-table", GRID_COLUMNS, "col"),
            ("#cf-trend-table", TREND_COLUMNS, "col"),
            ("#cf-overdue-table", LIST_COLUMNS, "list"),
            ("#cf-never-table", LIST_COLUMNS[:-1], "list"),
        ):
            table = self.query_one(table_id, DataTable)
            table.clear(columns=True)
            for column in columns:
                label = _(f"care_figures.{prefix}.{column}")
                text_column = column in ("grid", "manager", "month", *LIST_COLUMNS[:4])
                table.add_column(label if text_column else Text(label, justify="right"), key=column)

    # ------------------------------------------------------------------------------ loading

    def load(self) -> None:
        desk = self.desk
        self.call(
            partial(
                month_figures,
                self.month,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
                community_id=self.community_id,
            ),
            self._loaded,
            group="care-figures",
            latest=True,
            refused=self._refused,
        )

    def _loaded(self, figures: MonthFigures) -> None:
        self.figures, self.problem = figures, ""
        self._show()

    def _refused(self, error: UserError) -> None:
        self.figures, self.problem = None, str(error)
        self._show()

    # ------------------------------------------------------------------------------ showing

    def _show(self) -> None:
        self._show_status()
        figures = self.figures
        tables = [
            self.query_one(f"#cf-{name}-table", DataTable)
            for name in ("grid", "trend", "overdue", "never")
        ]
        for table in tables:
            table.fixed_rows = 0  # (Textual measures fixed rows that must exist)
            empty(table)
        if figures is not None:
            self._show_grids(tables[0], figures)
            tables[0].fixed_rows = 1  # the total stays while the grids scroll under it
            self._show_trend(tables[1], figures)
            self._show_list(tables[2], figures.overdue, with_days=True)
            self._show_list(tables[3], figures.never_seen, with_days=False)
        for table in tables:
            fit_columns(table)
        self._show_tab_labels()
        self.refresh_bindings()

    def _show_status(self) -> None:
        status = self.query_one("#cf-status", Static)
        status.set_class(bool(self.problem), "-error")
        if self.problem:
            status.update(self.problem)
            return
        figures = self.figures
        if figures is None:
            status.update(_("care_figures.loading"))
            return
        text = _(
            "care_figures.month",
            year=figures.month.year,
            month=figures.month.month,
            until=f"{figures.until:%m-%d}",
        )
        if self._subdistrict():
            text += "  " + _("care_figures.community", community=self._community_name())
        if figures.masked:
            text += "  " + _("care_figures.masked")
        status.update(text)

    def _show_grids(self, table: DataTable[object], figures: MonthFigures) -> None:
        """The total first (a fixed row: it stays while the grids scroll under it), then each
        community's grids, under a subtotal when there are several communities."""
        overdue = sum(row.overdue for row in figures.grids)
        table.add_row(*_bold(_("care_figures.total"), "", figures.total, overdue), key="total")
        communities = list(dict.fromkeys(row.community for row in figures.grids))
        for community in communities:
            rows = [row for row in figures.grids if row.community == community]
            if len(communities) > 1:
                subtotal = sum((row.rates for row in rows), Rates())
                count = sum(row.overdue for row in rows)
                table.add_row(*_bold("∑", display(community), subtotal, count))
            for row in rows:
                table.add_row(
                    row.code,
                    display(row.manager) or "—",
                    *rate_cells(row.rates),
                    _right(row.overdue or ""),
                    key=f"grid-{row.grid_l4_id}",
                )

    def _show_trend(self, table: DataTable[object], figures: MonthFigures) -> None:
        for month, rates in figures.trend:
            table.add_row(f"{month:%Y-%m}", *rate_cells(rates), key=f"{month:%Y-%m}")
        on_time = [(r.on_time_rate or 0.0) * 100 for _m, r in figures.trend]
        visit = [(r.visit_rate or 0.0) * 100 for _m, r in figures.trend]
        self.query_one("#cf-spark-on-time", Sparkline).data = on_time
        self.query_one("#cf-spark-visit", Sparkline).data = visit

    def _show_list(
        self, table: DataTable[object], people: tuple[Listed, ...], *, with_days: bool
    ) -> None:
        for person in people:
            cells: list[object] = [
                display(person.name),
                display(person.address),
                person.grid,
                _(f"enum.care_level.{person.level}") if person.level else "—",
                _right(f"{person.due_on:%m-%d}" if person.due_on else "—"),
            ]
            if with_days:
                cells.append(_right(_("care_figures.days", days=person.days_overdue)))
            table.add_row(*cells, key=str(person.resident_id))
        if not people:
            blank = [""] * (len(table.columns) - 1)
            table.add_row(_("care_figures.nobody"), *blank)

    def _show_tab_labels(self) -> None:
        figures = self.figures
        tabs = self.query_one("#cf-tabs", TabbedContent)
        counts = {
            "overdue": len(figures.overdue) if figures else None,
            "never": len(figures.never_seen) if figures else None,
        }
        for name in TABS:
            label = _(f"care_figures.tab.{name}")
            count = counts.get(name)
            if count is not None:
                label = f"{label} {count}"
            tabs.get_tab(f"cf-{name}").label = f"{TABS.index(name) + 1} {label}"

    # ------------------------------------------------------------------------------ helpers

    def _subdistrict(self) -> bool:
        operator = self.desk.operator
        return operator is not None and operator.role == Role.SUBDISTRICT

    def _community_name(self) -> str:
        communities = self.desk.communities
        for community in communities:
            if community.id == self.community_id or len(communities) == 1:
                return display(community.name)
        return _("care_figures.all_communities")

    # ------------------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "community":
            return self._subdistrict() and len(self.desk.communities) > 1
        if action == "month" and parameters and int(str(parameters[0])) > 0:
            return None if self.month >= first_of(self.desk_today()) else True
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_("care_figures.palette.earlier"), "", partial(self.action_month, -1)),
            (_("care_figures.palette.later"), "", partial(self.action_month, 1)),
        ]
        commands += [
            (
                _("care_figures.palette.tab", tab=_(f"care_figures.tab.{name}")),
                "",
                partial(self.action_tab, name),
            )
            for name in TABS
        ]
        if self.check_action("community", ()):
            commands.append((_("care_figures.palette.community"), "", self.action_community))
        return commands

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.load()

    def action_month(self, by: int) -> None:
        wanted = shifted(self.month, by)
        if wanted > first_of(self.desk_today()):
            self.notify(_("care_figures.no_future"), severity="warning")
            return
        self.month = wanted
        self.figures = None
        self._show()
        self.load()

    def action_tab(self, name: str) -> None:
        tabs = self.query_one("#cf-tabs", TabbedContent)
        tabs.active = f"cf-{name}"
        table_id = {"grids": "grid"}.get(name, name)
        self.query_one(f"#cf-{table_id}-table", DataTable).focus()

    def action_community(self) -> None:
        options = [(ALL, _("care_figures.all_communities"))]
        options += [(str(c.id), display(c.name)) for c in self.desk.communities]

        def chosen(answer: str | None) -> None:
            if answer is None:
                return
            self.community_id = None if answer == ALL else int(answer)
            self.figures = None
            self._show()
            self.load()

        self.app.push_screen(ChoiceScreen(_("care_figures.choose_community"), "", options), chosen)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a person of the lists opens their page (the service checks what they see)."""
        key = event.row_key.value
        if event.data_table.id in ("cf-overdue-table", "cf-never-table") and key and key.isdigit():
            self.desk_app.open_resident(int(key))
