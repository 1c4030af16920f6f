"""发起集中走访 — a campaign (寒潮来袭: every 独居老人 within 2 days): a title, the care tags
that choose the group (Space ticks), optionally one level-4 grid, the date everyone chosen is
due by (the day after tomorrow unless changed). Ctrl+S starts it; the screen under it says how
many people it made due. The service fixes the group now and refuses an empty one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from textual.widget import Widget
from textual.widgets import Select, SelectionList, Static

from frontdesk.care.campaigns import CampaignStarted, start_campaign
from frontdesk.care.settings import TagLevelRow, tag_level_rows
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.residents.choices import FilterChoices, filter_choices
from frontdesk.screens.base.forms import (
    FormScreen,
    choice,
    date_input,
    field,
    field_id,
    text_input,
)

DAYS_TO_DUE = 2  # a cold wave: everyone seen within two days


@dataclass(frozen=True)
class CampaignInput:
    title: str
    tags: tuple[str, ...]
    grid_l4_id: int | None
    due_on: date | None


class CampaignFormScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss", "campaign_form.tcss"]
    HELP_KEY = "care_campaign.form_help"

    def __init__(self, community_id: int, today: date) -> None:
        super().__init__()
        self.community_id = community_id
        self.today = today
        self.started: CampaignStarted | None = None

    def title_text(self) -> str:
        return _("care_campaign.form_title")

    def fields(self) -> Iterator[Widget]:
        yield field(
            "title", "care_campaign.field.title", text_input("", _("care_campaign.title_hint"))
        )
        yield field("tags", "care_campaign.field.tags", SelectionList[str]())
        yield field("grid_l4_id", "care_campaign.field.grid", choice([], None))
        yield field(
            "due_on",
            "care_campaign.field.due_on",
            date_input(self.today + timedelta(days=DAYS_TO_DUE)),
        )
        yield Static(_("care_campaign.form_note"), classes="form-note")

    def on_mount(self) -> None:
        desk = self.desk
        self.call(partial(tag_level_rows, actor_id=desk.operator_id), self._tags_loaded)
        self.call(partial(filter_choices, self.community_id), self._grids_loaded)

    def _tags_loaded(self, rows: list[TagLevelRow]) -> None:
        tags = self.query_one(f"#{field_id('tags')}", SelectionList)
        ticked = set(tags.selected)
        tags.clear_options()
        tags.add_options(
            [
                (
                    f"{_(f'tag.{row.code}')}（{_(f'enum.care_level.{row.level}')}）",
                    row.code,
                    row.code in ticked,
                )
                for row in rows
                if row.level is not None
            ]
        )

    def _grids_loaded(self, choices: FilterChoices) -> None:
        grid = self.query_one(f"#{field_id('grid_l4_id')}", Select)
        grid.set_options([(g.code, g.id) for g in choices.grids_l4])
        grid.prompt = _("care_campaign.all_grids")

    def collect(self, problems: dict[str, Notice]) -> CampaignInput:
        tags = self.query_one(f"#{field_id('tags')}", SelectionList)
        due_on = self.date_value("due_on", problems)
        if due_on is None and "due_on" not in problems:
            problems["due_on"] = Notice("validation.required")
        return CampaignInput(
            title=self.value("title"),
            tags=tuple(str(code) for code in tags.selected),
            grid_l4_id=self.selected("grid_l4_id"),
            due_on=due_on,
        )

    def write(self, values: Any, confirm: bool) -> int | None:
        data: CampaignInput = values
        assert data.due_on is not None
        desk = self.desk
        self.started = start_campaign(
            data.title,
            data.tags,
            due_on=data.due_on,
            grid_l4_id=data.grid_l4_id,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
        )
        return self.started.members
