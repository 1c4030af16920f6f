"""集中走访 — the community's campaigns, the latest first (title, the tags it chose by, the
grid, the due date, how many people it made due, when it started); n starts one (the form
``campaign_form``), and the count it made due is said after. The leadership's screen: the
services refuse anyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from frontdesk.care.campaigns import CampaignRow, campaigns
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.residents.choices import FilterChoices, filter_choices
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.care.campaign_form import CampaignFormScreen
from frontdesk.vocabulary import Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.tables import empty, fit_columns
from frontdesk.widgets.text import display

COLUMNS = ("title", "tags", "grid", "due_on", "members", "started")


class CampaignScreen(DeskScreen):
    CSS_PATH = "campaign.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back", show=False),
        Binding("n", "new", "care_campaign.key_new"),
        Binding("ctrl+r", "reload", "care_campaign.key_reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="screen-care-campaigns")
        self.rows: list[CampaignRow] = []
        self.grids: dict[int, str] = {}
        self.problem = ""
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield DeskHeader("care_campaign.title")
        yield Static(_("care_campaign.loading"), id="cc-status")
        yield DataTable(id="cc-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("care_campaign.hint"), id="cc-hint")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#cc-table", DataTable).focus()
        community = self.desk.community
        if community is not None:
            self.call(partial(filter_choices, community.id), self._grids_loaded)
        self.load()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._columns()
        self._show()

    def shows(self, changes: Changes) -> bool:
        return changes.touches("care_campaign")

    def refresh_data(self) -> None:
        self.load()

    def _columns(self) -> None:
        table = self.query_one("#cc-table", DataTable)
        table.clear(columns=True)
        for column in COLUMNS:
            label = _(f"care_campaign.col.{column}")
            table.add_column(
                Text(label, justify="right") if column == "members" else label, key=column
            )

    def load(self) -> None:
        self.call(
            partial(campaigns, actor_id=self.desk.operator_id),
            self._loaded,
            group="care-campaigns",
            latest=True,
            refused=self._refused,
        )

    def _grids_loaded(self, choices: FilterChoices) -> None:
        self.grids = {g.id: g.code for g in choices.grids_l4}
        self._show()

    def _loaded(self, rows: list[CampaignRow]) -> None:
        self.rows, self.problem, self.loaded = rows, "", True
        self._show()

    def _refused(self, error: UserError) -> None:
        self.rows, self.problem, self.loaded = [], str(error), True
        self._show()

    def _show(self) -> None:
        table = self.query_one("#cc-table", DataTable)
        empty(table)
        for row in self.rows:
            table.add_row(
                display(row.title),
                "、".join(_(f"tag.{code}") for code in row.tags),
                self.grids.get(row.grid_l4_id, "—")
                if row.grid_l4_id
                else _("care_campaign.all_grids"),
                f"{row.due_on:%m-%d}",
                Text(str(row.members), justify="right"),
                f"{row.created_at:%m-%d %H:%M}",
                key=str(row.id),
            )
        fit_columns(table)
        status = self.query_one("#cc-status", Static)
        status.set_class(bool(self.problem), "-error")
        if self.problem:
            status.update(self.problem)
        elif not self.loaded:
            status.update(_("care_campaign.loading"))
        else:
            status.update(
                _("care_campaign.count", count=len(self.rows))
                if self.rows
                else _("care_campaign.none")
            )

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        return [
            (_("care_campaign.palette.new"), _("care_campaign.palette.open_help"), self.action_new)
        ]

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.load()

    def action_new(self) -> None:
        community = self.desk.community
        if community is None:
            return
        form = CampaignFormScreen(community.id, self.desk.clock.today())

        def closed(members: int | None) -> None:
            if members is not None:
                self.notify(_("care_campaign.started", count=members))
                self.load()

        self.app.push_screen(form, closed)
