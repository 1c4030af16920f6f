"""F12 today's round (今日走访): whom the grid manager goes to see today, in walking order.

One row a person due, the household's address on its first row: name, age (a column of its own,
right-aligned, so ages line up whatever the names' widths), level, how the visit is due (逾期N天
in the warning colour, 今日到期, 变故 for a major event, 集中走访 for a campaign), the last 未遇
(on each person's row: the miss was everyone's) and the household's volunteer; below, the next
days' dues (未来3天).
The line above counts today's people and the overdue. Enter records a visit to the highlighted
household (``visit_form``); ``p`` writes the slip for the walk (``care_print``); a supervisor
chooses whose round with ``w``. The round reloads after a visit is saved and when another desk
records one, changes a person or household, starts a campaign or changes the care settings
(``shows``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from frontdesk.care.cadence import DueKind
from frontdesk.care.round import Round, RoundPerson, RoundStop, todays_round
from frontdesk.care.rounds_of import Walker, rounds_of
from frontdesk.i18n import _
from frontdesk.permissions import Can
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.care.care_print import print_round
from frontdesk.screens.care.visit_form import open_visit
from frontdesk.vocabulary import Changes, Role
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.tables import empty, fit_columns
from frontdesk.widgets.text import display

COLUMNS = ["address", "person", "age", "level", "due", "attempt", "volunteer"]
RIGHT = {"age"}  # right-aligned, heading and cells
SOON_HEAD = "soon"


class RoundScreen(DeskScreen):
    CSS_PATH = "round.tcss"
    BINDINGS = [
        Binding("enter", "record", "care_round.key_record", show=True, priority=False),
        Binding("p", "print", "care_round.key_print"),
        Binding("w", "whose", "care_round.key_whose"),
        Binding("ctrl+r", "reload", "care_round.key_reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-care")
        self.round: Round | None = None
        self.staff_id: int | None = None  # None: the operator's own round
        self.stops: dict[str, RoundStop] = {}  # row key → its stop

    def compose(self) -> ComposeResult:
        yield DeskHeader("care_round.screen")
        yield Static("", id="cr-counts")
        yield DataTable(id="cr-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("care_round.hint"), id="cr-hint")
        yield DeskFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        operator = self.desk.operator
        if action == "whose":
            return operator is not None and operator.role == Role.SUPERVISOR
        if action == "record":
            return self.desk.can(Can.VISIT) and bool(self.stops)
        return True

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#cr-table", DataTable).focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_screen_resume(self) -> None:
        self._missed_changes = False
        self.reload()

    def shows(self, changes: Changes) -> bool:
        """A visit recorded at another desk, a person or household changed (moved, died, a
        level, pause or event set), a campaign started, the care settings changed (days, tag
        levels): each changes who is due today."""
        return changes.touches("visit", "resident", "household", "care_campaign", "setting")

    def refresh_data(self) -> None:
        self.reload()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._columns()
        self._show()

    def _theme_changed(self, _theme: object) -> None:
        self._show()

    def _columns(self) -> None:
        table = self.query_one("#cr-table", DataTable)
        table.clear(columns=True)
        for column in COLUMNS:
            label = _(f"care_round.col.{column}")
            heading = Text(label, justify="right") if column in RIGHT else Text(label)
            table.add_column(heading, key=column)

    # ------------------------------------------------------------------------------ loading

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        desk = self.desk
        if desk.operator is None or not desk.can(Can.VISIT):
            return
        self.call(
            partial(
                todays_round,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
                staff_id=self.staff_id,
            ),
            self._loaded,
            group="care-round",
            latest=True,
        )

    def _loaded(self, found: Round) -> None:
        self.round = found
        self._show()

    def _show(self) -> None:
        found = self.round
        if found is None:
            return
        table = self.query_one("#cr-table", DataTable)
        keep = None
        if table.row_count:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        empty(table)
        self.stops = {}
        for stop in found.stops:
            self._add_stop(table, stop, soon=False)
        if found.soon:
            table.add_row(
                Text(_("care_round.soon"), style="bold"), *[""] * (len(COLUMNS) - 1), key=SOON_HEAD
            )
            for stop in found.soon:
                self._add_stop(table, stop, soon=True)
        fit_columns(table)
        keys = [str(k.value) for k in table.rows]
        if keep is not None and keep in keys:
            table.move_cursor(row=keys.index(keep), animate=False)
        self._show_counts(found)
        self.refresh_bindings()

    def _add_stop(self, table: DataTable[object], stop: RoundStop, *, soon: bool) -> None:
        for n, person in enumerate(stop.people):
            key = f"{'s' if soon else 't'}{stop.household_id}-{person.resident_id}"
            self.stops[key] = stop
            first = n == 0
            table.add_row(
                display(stop.address) if first else "",
                display(person.name),
                Text(str(person.age), justify="right"),
                _(f"care_round.level.{person.level.value}") if person.level else "—",
                self._due(person, soon=soon),
                self._attempt(stop),  # every row: the household's miss missed each of them
                display(stop.volunteer) if first else "",
                key=key,
            )

    def _due(self, person: RoundPerson, *, soon: bool) -> Text:
        """逾期N天 in the warning colour, 今日到期, a date for the next days; an event's or a
        campaign's due marked before it (变故 / 集中走访)."""
        colours = self.app.theme_variables
        due = Text()
        if person.kind == DueKind.EVENT:
            due.append(_("care_round.event"), style=f"bold {colours.get('text-error', '')}")
        elif person.kind == DueKind.CAMPAIGN:
            due.append(_("care_round.campaign"), style=f"bold {colours.get('text-accent', '')}")
        if person.overdue_days > 0:
            late = _("care_round.overdue", days=person.overdue_days)
            due.append((" " if due else "") + late, style=f"bold {colours.get('text-warning', '')}")
        elif soon:
            due.append((" " if due else "") + f"{person.due_on:%m-%d}")
        elif not due:
            due.append(_("care_round.due_today"))
        return due

    @staticmethod
    def _attempt(stop: RoundStop) -> str:
        if stop.last_attempt is None:
            return ""
        return f"{stop.last_attempt:%m-%d}"  # under 未遇: the date says it (and fits 80)

    def _show_counts(self, found: Round) -> None:
        line = _("care_round.counts", people=found.people, overdue=found.overdue)
        mine = self.desk.operator_id == found.staff_id
        if not mine:
            line = _("care_round.whose", name=display(found.staff_name)) + "  " + line
        self.query_one("#cr-counts", Static).update(line)
        hint = _("care_round.hint" if found.stops or found.soon else "care_round.none")
        if self.check_action("whose", ()):
            hint += _("care_round.hint_whose")
        self.query_one("#cr-hint", Static).update(hint)

    # ------------------------------------------------------------------------------ actions

    def _current(self) -> RoundStop | None:
        table = self.query_one("#cr-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.stops.get(str(key)) if key is not None else None

    @on(DataTable.RowSelected, "#cr-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_record()

    def action_record(self) -> None:
        stop = self._current()
        if stop is None:
            return
        due = tuple(p.resident_id for p in stop.people)
        open_visit(self, stop.household_id, due=due, done=self.reload)

    def action_print(self) -> None:
        print_round(self, self.staff_id)

    def action_whose(self) -> None:
        operator = self.desk.operator
        if operator is None or operator.role != Role.SUPERVISOR:
            return
        desk = self.desk
        self.call(
            partial(rounds_of, actor_id=desk.operator_id, now=desk.clock.now()),
            self._choose_walker,
            group="care-walkers",
            latest=True,
        )

    def _choose_walker(self, walkers: list[Walker]) -> None:
        mine = (str(self.desk.operator_id), _("care_round.mine"))
        options = [mine] + [
            (
                str(w.staff_id),
                _(
                    "care_round.walker",
                    name=display(w.name),
                    grids=" ".join(w.grids) or "—",
                    people=w.people,
                    overdue=w.overdue,
                ),
            )
            for w in walkers
        ]

        def chosen(answer: str | None) -> None:
            if answer is None:
                return
            wanted = int(answer)
            self.staff_id = None if wanted == self.desk.operator_id else wanted
            self.reload()

        self.app.push_screen(ChoiceScreen(_("care_round.whose_title"), "", options), chosen)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (
                _("care_round.palette.record"),
                _("care_round.palette.record_help"),
                self.action_record,
            ),
            (_("care_round.palette.print"), _("care_round.palette.print_help"), self.action_print),
            (_("care_round.palette.reload"), _("care_round.palette.reload_help"), self.reload),
        ]
        if self.check_action("whose", ()):
            commands.append(
                (
                    _("care_round.palette.whose"),
                    _("care_round.palette.whose_help"),
                    self.action_whose,
                )
            )
        return commands
