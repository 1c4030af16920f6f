"""F5 home: the community at a glance."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Static

from frontdesk.audit.alerts import Alert, acknowledge, open_alerts
from frontdesk.care.round import round_figures
from frontdesk.i18n import _
from frontdesk.overview import CommunityFigures, community_figures
from frontdesk.permissions import Can
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.vocabulary import Changes, Role
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader

FIGURES = [
    ("residents", "home.residents"),
    ("households", "home.households"),
    ("grids", "home.grids"),
    ("grid_managers", "home.grid_managers"),
    ("bookings_today", "home.bookings_today"),
    ("bookings_upcoming_7d", "home.bookings_upcoming"),
    ("requests_open", "home.requests_open"),
    ("requests_overdue", "home.requests_overdue"),
    ("requests_due_today", "home.requests_due_today"),
    ("requests_resolved_week", "home.requests_resolved_week"),
    ("requests_settled_in_grid", "home.requests_settled_in_grid"),
    ("rooms", "home.rooms"),
]


def figure_text(figures: CommunityFigures, field: str) -> str:
    if field == "grids":
        return f"{figures.grids_l3} / {figures.grids_l4}"
    value = getattr(figures, field)
    if isinstance(value, float):
        return f"{value:.0%}"
    return f"{value:,}"


class Figure(Vertical):
    """A number with its label."""

    def __init__(self, field: str, label_key: str) -> None:
        super().__init__(id=f"figure-{field}", classes="figure")
        self.field = field
        self.label_key = label_key

    def compose(self) -> ComposeResult:
        yield Static("…", classes="figure-value")
        yield Static(_(self.label_key), classes="figure-label")

    def show(self, figures: CommunityFigures) -> None:
        self.query_one(".figure-value", Static).update(figure_text(figures, self.field))
        self.set_class(self.field == "requests_overdue" and figures.requests_overdue > 0, "-alert")


class HomeScreen(DeskScreen):
    CSS_PATH = "home.tcss"
    BINDINGS = [Binding("a", "audit_alerts", "audit_chain.key_alerts", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.alerts: list[Alert] = []  # the audit log's, for who may read the log

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.home")
        desk = self.desk
        with VerticalScroll(id="home-body"):
            yield Static("", id="home-audit-alert", markup=False)
            if desk.community is None and desk.operator is not None:  # the administrator
                yield Static(_("home.installation_wide"), id="home-empty", classes="panel")
            elif desk.community is None:
                yield Static(_("home.empty_database"), id="home-empty", classes="panel")
            else:
                yield Static(_("home.welcome", community=desk.community.name), id="home-title")
                yield Static("", id="home-round")
                with Grid(id="home-figures"):
                    for field, label_key in FIGURES:
                        yield Figure(field, label_key)
                if desk.demo:
                    yield Static(_("home.demo_notice"), id="home-demo", classes="panel")
                yield Static(_("home.keys_hint"), id="home-hint")
        yield DeskFooter()

    def on_screen_resume(self) -> None:
        self.load_figures()
        self.load_alerts()
        self.load_round()

    def shows(self, changes: Changes) -> bool:
        return changes.touches("request", "booking", "resident", "household", "visit")

    def refresh_data(self) -> None:
        self.load_figures()
        self.load_round()

    def load_round(self) -> None:
        """A grid manager's count of today's round (今日走访 N 人（逾期 M）· F12)."""
        desk = self.desk
        operator = desk.operator
        if operator is None or operator.role != Role.GRID_MANAGER or desk.community is None:
            return
        self.call(
            partial(round_figures, actor_id=desk.operator_id, now=desk.clock.now()),
            self._show_round,
            group="home-round",
            latest=True,
        )

    def _show_round(self, figures: tuple[int, int] | None) -> None:
        found = self.query("#home-round")
        if not found:
            return
        line = found.first(Static)
        line.display = figures is not None
        if figures is not None:
            people, overdue = figures
            line.update(_("care_round.home", people=people, overdue=overdue))
            line.set_class(overdue > 0, "-alert")

    def load_alerts(self) -> None:
        """The audit log's alerts not yet acknowledged: one line, until a supervisor does."""
        desk = self.desk
        if not desk.can(Can.VIEW_AUDIT):
            self._show_alerts([])
            return
        # not latest: see the app (each is one short read; the last answer shown is as good)
        self.call(partial(open_alerts, actor_id=desk.operator_id), self._show_alerts)

    def _show_alerts(self, found: list[Alert]) -> None:
        self.alerts = found
        line = self.query_one("#home-audit-alert", Static)
        line.display = bool(found)
        if found:
            line.update(_("audit_chain.home_line", count=len(found), first=found[0].text))

    def action_audit_alerts(self) -> None:
        from frontdesk.screens.office.audit_alerts import AuditAlertsScreen

        if self.alerts:
            self.app.push_screen(AuditAlertsScreen(self.alerts), self._acknowledge)
        elif self.desk.can(Can.VIEW_AUDIT):
            self.notify(_("audit_chain.none"))

    def _acknowledge(self, answer: tuple[int, str] | None) -> None:
        if answer is not None:
            self.acknowledge_alert(*answer)

    def acknowledge_alert(self, alert_id: int, reason: str) -> None:
        """The acknowledgement, through the service (which records it)."""
        desk = self.desk
        self.call(
            partial(acknowledge, alert_id, reason, actor_id=desk.operator_id, now=desk.clock.now()),
            self._acknowledged,
        )

    def _acknowledged(self, _answer: object) -> None:
        self.notify(_("audit_chain.acknowledged"))
        self.load_alerts()

    def load_figures(self) -> None:
        desk = self.desk
        if desk.community is None or not desk.can(Can.VIEW_FIGURES):
            return
        self.call(
            partial(
                community_figures, desk.community.id, desk.clock.now(), actor_id=desk.operator_id
            ),
            self._show,
            latest=True,
        )

    def _show(self, figures: CommunityFigures) -> None:
        for figure in self.query(Figure):
            figure.show(figures)

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self.load_figures()
        self.load_alerts()
        self.load_round()
