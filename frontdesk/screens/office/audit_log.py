"""The audit log (community leadership): who did what to which record, when and why.

Filters along the top — a resident (name, pinyin, phone or ID fragment: the entries about the
residents found and their households), the operator, the action or a family of actions, and a
date range — and the entries newest first below, 50 to a page: PageDown moves down the list and
on to the next page at its end, PageUp back. The line under the list shows the highlighted
entry in full (the time to the second, the reason, the details). ``x`` exports every entry under
the filters as a CSV file (the export is itself recorded); Enter opens the resident or the
request an entry is about; Escape goes back.

The screen opens with the focus in the person box (typing goes there at once): ↓ goes on into
the list at the next entry and Enter opens the highlighted one, as under F2's box
(``widgets.picker``). Letters typed in the box are the box's: x and k work in the list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.widgets import DataTable, Input, Select, Static

from frontdesk.audit import (
    FAMILIES,
    PERSON_LIMIT,
    AuditFilters,
    AuditPage,
    LogRow,
    OperatorChoice,
    action_choices,
    action_label,
    family_label,
    family_of,
    operator_choices,
    search_entries,
)
from frontdesk.i18n import _
from frontdesk.screens.office.audit_log_actions import PAGE_SIZE, AuditLogActions
from frontdesk.screens.rooms.booking_form import Unreadable, parse_day
from frontdesk.vocabulary import Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.input import DeskInput
from frontdesk.widgets.picker import StepInput
from frontdesk.widgets.text import display

COLUMNS = ["time", "operator", "action", "record", "reason"]
# Widest a column gets (cells); the reason takes what is left, at least REASON_MIN.
MAX_WIDTH = {"time": 11, "operator": 8, "action": 17, "record": 16}
REASON_MIN = 10
CELL_PADDING = 1  # DataTable's default, each side of each column
SCROLLBAR = 2  # reserved at the right for the table's vertical scrollbar
WARN = ("resident.reveal_",)  # sensitive reads: the theme's warning colour
ALARM = ("auth.sign_in_failed", "auth.locked")  # the theme's error colour
DATE_INPUTS = {"au-since": "since", "au-until": "until"}
CUT = "⋯"  # east-asian width "neutral": one cell everywhere


@dataclass(frozen=True)
class _Query:
    """What a page was loaded for: an answer for an older query is dropped."""

    filters: AuditFilters
    page: int


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (CJK counts two), marked ``⋯`` when cut: not ``…``,
    whose width terminals disagree on, which would break the columns."""
    if cell_len(text) <= width:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        used += cell_len(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + CUT


def one_line(text: str) -> str:
    """Free text (a note may have line breaks) on one line, as the terminal shows it."""
    return display(" ".join(text.split()))


class AuditLogScreen(AuditLogActions):
    CSS_PATH = "audit_log.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("x", "export", "audit_log.key_export", show=False),  # CSV; Ctrl+E: Excel
        Binding("k", "export_anchor", "audit_log.key_anchor", show=False),
        Binding("pagedown", "next_page", "audit_log.key_next", show=False, priority=True),
        Binding("pageup", "previous_page", "audit_log.key_previous", show=False, priority=True),
        Binding("ctrl+r", "clear", "audit_log.key_clear", show=False),
        Binding("ctrl+f", "focus_filter('au-person')", "audit_log.key_filter", show=False),
        Binding("ctrl+t", "focus_table", "audit_log.key_table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-audit-log")
        self.filters = AuditFilters()
        self.page_number = 0
        self.page: AuditPage | None = None
        self.texts = {"au-person": "", "au-since": "", "au-until": ""}  # as typed
        self.bad_date: str | None = None  # a date field that does not read as a date
        self.operators: list[OperatorChoice] = []
        self.actions: list[str] = []
        self._cursor_at_end = False  # after PageUp onto the page before: its last row

    # ---------------------------------------------------------------------------- composing

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.audit_log")
        with Horizontal(id="au-filters"):
            yield StepInput(
                self.texts["au-person"],
                placeholder=_("audit_log.filter.person"),
                id="au-person",
                compact=True,
            )
            yield Select(
                self._operator_options(),
                prompt=_("audit_log.filter.operator"),
                value=self._valid(self.filters.operator_id, self._operator_options()),
                id="au-operator",
                compact=True,
            )
            yield Select(
                self._action_options(),
                prompt=_("audit_log.filter.action"),
                value=self._valid(self.filters.action, self._action_options()),
                id="au-action",
                compact=True,
            )
            for input_id, name in DATE_INPUTS.items():
                yield DeskInput(
                    self.texts[input_id],
                    placeholder=_(f"audit_log.filter.{name}"),
                    id=input_id,
                    compact=True,
                    classes="au-date",
                )
        yield Static("", id="au-counts")
        yield DataTable(id="au-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="au-detail-head", markup=False)
        yield Static("", id="au-detail-body", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#au-person", Input).focus()  # typing goes to the box at once
        self.load_choices()  # the list loads when the screen is shown (on_screen_resume)

    def on_screen_resume(self) -> None:
        self.reload()  # back from a resident's detail: a reveal there is an entry here

    def shows(self, changes: Changes) -> bool:
        """Something was written at another desk: every write is an entry, so the first page
        (newest first) shows it; later pages stay as they are while being read."""
        return self.page_number == 0

    def refresh_data(self) -> None:
        self.reload()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self.query_one("#au-person", Input).focus()
        self.reload()  # labels, record names and reasons come translated from the service

    def on_resize(self, _event: Resize) -> None:
        if self.page is not None:
            self._fill_table(self.page)

    @staticmethod
    def _valid(value: Any, options: list[tuple[str, Any]]) -> Any:
        return value if value is not None and any(v == value for _l, v in options) else Select.NULL

    # ------------------------------------------------------------------------------ choices

    def load_choices(self) -> None:
        me = self.desk.operator_id
        self.call(
            partial(operator_choices, actor_id=me), self._got_operators, group="audit-choices"
        )
        self.call(partial(action_choices, actor_id=me), self._got_actions, group="audit-choices")

    def _got_operators(self, operators: list[OperatorChoice]) -> None:
        self.operators = operators
        self._set_options("#au-operator", self._operator_options(), self.filters.operator_id)

    def _got_actions(self, actions: list[str]) -> None:
        self.actions = actions
        self._set_options("#au-action", self._action_options(), self.filters.action)

    def _operator_options(self) -> list[tuple[str, int]]:
        """Name and role; the user name too when two people share a name."""
        shared = Counter(choice.name for choice in self.operators)
        options = []
        for choice in self.operators:
            key = "audit_log.operator_item" if choice.active else "audit_log.operator_inactive"
            name = display(choice.name)
            if shared[choice.name] > 1:
                name = f"{name} {choice.username}"
            role = _(f"enum.role.{choice.role}")
            options.append((_(key, name=name, role=role), choice.id))
        return options

    def _action_options(self) -> list[tuple[str, str]]:
        """Each family (all its actions) followed by its actions."""
        options: list[tuple[str, str]] = []
        families = [f for f in FAMILIES if any(family_of(a) == f for a in self.actions)]
        families += sorted({family_of(a) for a in self.actions} - set(families))
        for family in families:
            options.append((family_label(family), f"{family}."))
            options += [(action_label(a), a) for a in self.actions if family_of(a) == family]
        return options

    def _set_options(self, selector: str, options: list[tuple[str, Any]], value: Any) -> None:
        select = self.query_one(selector, Select)
        with select.prevent(Select.Changed):
            select.set_options(options)
            if value is not None and any(v == value for _l, v in options):
                select.value = value

    # ------------------------------------------------------------------------------ filters

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        value: Any = None if event.value is Select.NULL else event.value
        match event.select.id:
            case "au-operator":
                self._refilter(replace(self.filters, operator_id=value))
            case "au-action":
                self._refilter(replace(self.filters, action=value))

    @on(Input.Changed, "#au-person")
    def _person_changed(self, event: Input.Changed) -> None:
        self.texts["au-person"] = event.value
        self._refilter(replace(self.filters, person=event.value.strip()))

    @on(Input.Changed, ".au-date")
    def _date_changed(self, event: Input.Changed) -> None:
        input_id = event.input.id or ""
        self.texts[input_id] = event.value
        self._read_dates()

    def _read_dates(self) -> None:
        """Apply the date fields once both read as dates (or are empty)."""
        today = self.desk.clock.today()
        days: dict[str, date | None] = {}
        self.bad_date = None
        for input_id, name in DATE_INPUTS.items():
            field = self.query_one(f"#{input_id}", Input)
            text = self.texts[input_id].strip()
            try:
                days[name] = parse_day(text, today) if text else None
                field.remove_class("-bad")
            except Unreadable as unread:  # badly written, or a day the calendar lacks
                field.add_class("-bad")
                self.bad_date = (
                    _(unread.key, **unread.params)
                    if unread.params
                    else _("audit_log.bad_date", text=text)
                )
        if self.bad_date is not None:
            self._show_counts()
            return
        since, until = days["since"], days["until"]
        if since is not None and until is not None and since > until:
            self.bad_date = _("audit_log.dates_reversed")
            self._show_counts()
            return
        self._refilter(replace(self.filters, since=since, until=until))

    def _refilter(self, filters: AuditFilters) -> None:
        if filters != self.filters:
            self.filters = filters
            self.page_number = 0
        self.reload()

    def action_clear(self) -> None:
        self.filters = AuditFilters()
        self.page_number = 0
        self.bad_date = None
        for select in self.query(Select):
            with select.prevent(Select.Changed):
                select.clear()
        for field in self.query(Input):
            self.texts[field.id or ""] = ""
            field.remove_class("-bad")
            with field.prevent(Input.Changed):
                field.value = ""
        self.reload()

    def action_focus_filter(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}").focus()

    def action_focus_table(self) -> None:
        self.query_one("#au-table", DataTable).focus()

    # ------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        query = _Query(self.filters, self.page_number)
        self.call(
            partial(
                search_entries,
                query.filters,
                actor_id=self.desk.operator_id,
                page=query.page,
                page_size=PAGE_SIZE,
                today=self.desk.clock.today(),
            ),
            partial(self._show, query),
            group="audit-page",
            latest=True,
        )

    def _show(self, query: _Query, page: AuditPage) -> None:
        if query != _Query(self.filters, self.page_number):
            return  # an older answer arriving late
        if not page.rows and page.page > 0 and not page.more:
            self.page_number = max(0, page.pages - 1)  # the list got shorter meanwhile
            self.reload()
            return
        self.page = page
        self._fill_table(page)
        self._show_counts()

    def _fill_table(self, page: AuditPage) -> None:
        table = self.query_one("#au-table", DataTable)
        keep = self._highlighted()
        cells = [self._cells(row) for row in page.rows]
        widths = self._widths([[cell.plain for cell in row] for row in cells])
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(
                Text(fit(_(f"audit_log.col.{column}"), widths[column])),
                width=widths[column],
                key=column,
            )
        for row, row_cells in zip(page.rows, cells, strict=True):
            fitted = [
                Text(fit(cell.plain, widths[column]), style=cell.style)
                for column, cell in zip(COLUMNS, row_cells, strict=True)
            ]
            table.add_row(*fitted, key=str(row.id))
        if self._cursor_at_end and page.rows:
            table.move_cursor(row=len(page.rows) - 1, animate=False)
        elif keep is not None and any(r.id == keep.id for r in page.rows):
            index = next(n for n, r in enumerate(page.rows) if r.id == keep.id)
            table.move_cursor(row=index, animate=False)
        else:
            table.move_cursor(row=0, animate=False)
        self._cursor_at_end = False
        self._show_detail()

    def _widths(self, values: list[list[str]]) -> dict[str, int]:
        """Each column as wide as its widest value up to its maximum; the reason the rest."""
        width = self.query_one("#au-table", DataTable).size.width or self.size.width - 2
        room = max(width, 60) - SCROLLBAR - 2 * CELL_PADDING * len(COLUMNS)
        widths: dict[str, int] = {}
        for n, column in enumerate(COLUMNS[:-1]):
            title = cell_len(_(f"audit_log.col.{column}"))
            widest = max([title, *(cell_len(row[n]) for row in values)])
            widths[column] = min(widest, MAX_WIDTH[column])
        widths["reason"] = max(REASON_MIN, room - sum(widths.values()))
        return widths

    def _cells(self, row: LogRow) -> list[Text]:
        colours = self.app.theme_variables
        style = ""
        if row.action.startswith(WARN):
            style = colours.get("text-warning", "")
        elif row.action in ALARM:
            style = colours.get("text-error", "")
        today = self.desk.clock.today()
        when = f"{row.at:%m-%d %H:%M}" if row.at.year == today.year else f"{row.at:%Y-%m-%d}"
        return [
            Text(when),
            Text(display(row.operator)),
            Text(action_label(row.action), style=style),
            Text(one_line(row.record)),
            Text(one_line(row.reason) or "—"),
        ]

    def _show_counts(self) -> None:
        counts = self.query_one("#au-counts", Static)
        page = self.page
        if self.bad_date is not None:
            counts.update(Text(self.bad_date, style=self.app.theme_variables.get("text-error", "")))
            return
        if page is None:
            counts.update(_("audit_log.loading"))
            return
        parts: list[str] = []
        text = self.filters.person
        if page.people is not None and text:
            if page.people == 0:
                parts.append(_("audit_log.people_none", text=text))
            elif page.people > PERSON_LIMIT:
                parts.append(
                    _("audit_log.people_capped", text=text, count=page.people, limit=PERSON_LIMIT)
                )
            else:
                parts.append(_("audit_log.people", text=text, count=page.people))
        if page.total == 0:
            parts.append(_("audit_log.none"))
        elif page.more:
            parts.append(_("audit_log.count_more", total=page.total, page=page.page + 1))
        else:
            parts.append(
                _("audit_log.count", total=page.total, page=page.page + 1, pages=page.pages)
            )
        hint = _("audit_log.paging_hint")
        room = counts.size.width or self.size.width - 2
        if page.total > 0 and cell_len("  ".join([*parts, hint])) <= room:
            parts.append(hint)
        counts.update(Text("  ".join(parts)))

    # ------------------------------------------------------------------------- the detail

    def _highlighted(self) -> LogRow | None:
        table = self.query_one("#au-table", DataTable)
        if self.page is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.page.rows if str(r.id) == key), None)

    @on(DataTable.RowHighlighted, "#au-table")
    def _row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        row = self._highlighted()
        head = self.query_one("#au-detail-head", Static)
        body = self.query_one("#au-detail-body", Static)
        if row is None:
            head.update("")
            body.update("")
            return
        head.update(
            " · ".join(
                [
                    f"{row.at:%Y-%m-%d %H:%M:%S}",
                    display(row.operator),
                    action_label(row.action),
                    one_line(row.record),
                ]
            )
        )
        reason = one_line(row.reason)
        parts = [_("audit_log.detail_reason", reason=reason)] if reason else []
        if row.detail:
            parts.append(_("audit_log.detail_data", detail=one_line(row.detail)))
        body.update("  ".join(parts) or _("audit_log.no_reason"))

    # ------------------------------------------------------------------------------ paging

    def action_next_page(self) -> None:
        table = self.query_one("#au-table", DataTable)
        page = self.page
        if page is None:
            return
        if table.row_count and table.cursor_row < table.row_count - 1:
            table.action_page_down()
            return
        if page.more or page.page + 1 < page.pages:
            self.page_number = page.page + 1
            self.reload()

    def action_previous_page(self) -> None:
        table = self.query_one("#au-table", DataTable)
        page = self.page
        if page is None:
            return
        if table.row_count and table.cursor_row > 0:
            table.action_page_up()
            return
        if page.page > 0:
            self.page_number = page.page - 1
            self._cursor_at_end = True
            self.reload()

    # ------------------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss()
