"""发起集中走访 at the desk: the leadership's list of campaigns, a new one from the form (the
count it made due said after), a refusal beside its field; a grid manager is not offered it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from peewee import SqliteDatabase
from textual.widgets import DataTable, Input, SelectionList, Static

from frontdesk.app_palette import desk_commands
from frontdesk.clock import FixedClock
from frontdesk.db.care import CareCampaign, CareCampaignMember
from frontdesk.screens.care.campaign import CampaignScreen
from frontdesk.screens.care.campaign_form import CampaignFormScreen
from tests.conftest import DEMO_NOW, GRID_MANAGER, SNAPSHOT_SIZE, SUPERVISOR, desk_on, settle


def _titles(app: Any) -> dict[str, Any]:
    return {command.title: command for command in desk_commands(app, app.screen)}


async def test_start_a_campaign(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    app = desk_on(demo_copy, clock, operator=SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        _titles(app)["发起集中走访"].callback()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CampaignScreen)
        before = CareCampaign.select().count()
        assert screen.query_one("#cc-table", DataTable).row_count == before
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CampaignFormScreen)
        due = form.query_one("#f-due_on", Input).value
        assert due == f"{DEMO_NOW.date() + timedelta(days=2):%Y-%m-%d}"
        form.query_one("#f-title", Input).value = "寒潮来袭 独居老人"
        await pilot.press("ctrl+s")  # no tag ticked: refused beside the tags
        await settle(pilot)
        assert app.screen is form
        assert "标签" in str(form.query_one("#m-tags", Static).render())
        tags = form.query_one("#f-tags", SelectionList)
        assert "elderly_alone" in [
            tags.get_option_at_index(n).value for n in range(tags.option_count)
        ]
        tags.select("elderly_alone")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        campaign = CareCampaign.select().order_by(CareCampaign.id.desc()).get()
        assert campaign.title == "寒潮来袭 独居老人" and campaign.tags == "elderly_alone"
        members = CareCampaignMember.select().where(CareCampaignMember.campaign == campaign.id)
        assert members.count() > 0
        table = screen.query_one("#cc-table", DataTable)
        assert table.row_count == before + 1
        assert str(table.get_row_at(0)[0]) == "寒潮来袭 独居老人"
        assert str(table.get_row_at(0)[4]) == str(members.count())


async def test_a_grid_manager_is_not_offered_campaigns(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, operator=GRID_MANAGER)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        titles = _titles(app)
        assert "发起集中走访" not in titles and "走访统计" in titles
