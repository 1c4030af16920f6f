"""The subdistrict office's desk: it turns from one of its communities to another by the palette,
and every screen then shows that community only."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase
from textual.widgets import Static

from frontdesk.clock import FixedClock
from frontdesk.db.models import Community, Staff
from frontdesk.screens.desk.home import HomeScreen
from tests.conftest import desk_on, settle


def _office() -> str:
    row: Any = Staff.select().where(Staff.role == "subdistrict").order_by(Staff.id).first()
    return str(row.username)


async def test_the_subdistrict_office_switches_between_its_communities(
    district: SqliteDatabase, clock: FixedClock
) -> None:
    names = [c.name for c in Community.select().order_by(Community.id)]
    app = desk_on(district, clock, "zh", _office())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert [c.name for c in app.desk.communities] == names
        assert app.desk.community is not None and app.desk.community.name == names[0]
        offered = [c.title for c in app.get_system_commands(app.screen)]
        assert f"切换社区：{names[1]}" in offered and f"切换社区：{names[0]}" not in offered
        await app.switch_community(app.desk.communities[1])
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        header = str(app.screen.query_one("#header-community", Static).render())
        assert names[1] in header
        # F2 now searches that community only
        shown = app.desk.in_view()
        assert shown.communities == frozenset({app.desk.communities[1].id})


async def test_community_staff_have_nothing_to_switch(
    district: SqliteDatabase, clock: FixedClock
) -> None:
    row: Any = Staff.select().where(Staff.role == "reception").order_by(Staff.id).first()
    app = desk_on(district, clock, "zh", row.username)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(app.desk.communities) == 1
        offered = [c.title for c in app.get_system_commands(app.screen)]
        assert not [t for t in offered if t.startswith("切换社区")]
