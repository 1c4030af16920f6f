"""The care-tag table from the settings screen: one key per level changes the tag under the
cursor (written and audited by the service); the administrator's settings have no such table."""

from __future__ import annotations

from peewee import SqliteDatabase
from textual.widgets import DataTable

from frontdesk.care.settings import tag_levels
from frontdesk.clock import FixedClock
from frontdesk.db.models import AuditEntry, Staff
from frontdesk.screens.office.settings import SettingsScreen
from frontdesk.screens.office.settings_care import CareTagsScreen
from frontdesk.vocabulary import CareLevel
from tests.conftest import ADMIN, SNAPSHOT_SIZE, SUPERVISOR, desk_on, settle


async def test_a_tag_changes_level_with_one_key(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    community = Staff.get(Staff.username == SUPERVISOR).community_id
    assert tag_levels(community)["left_behind_child"] == CareLevel.KEY
    app = desk_on(demo_copy, clock, operator=SUPERVISOR)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CareTagsScreen)
        table = screen.query_one("#ct-table", DataTable)
        table.move_cursor(row=table.get_row_index("left_behind_child"))
        await pilot.press("1")
        await settle(pilot)
        assert tag_levels(community)["left_behind_child"] == CareLevel.HIGH
        entry = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
        assert entry.action == "settings.changed"
        row = next(r for r in screen.rows if r.code == "left_behind_child")
        assert row.level == CareLevel.HIGH and row.changed
        # the cursor stays on the tag (the rows are sorted by level again)
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key == "left_behind_child"
        await pilot.press("1")  # the same again: refused, nothing written
        await settle(pilot)
        assert AuditEntry.select().order_by(AuditEntry.id.desc()).get().id == entry.id
        await pilot.press("0")
        await settle(pilot)
        assert "left_behind_child" not in tag_levels(community)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)


async def test_the_administrator_has_no_care_tags(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, operator=ADMIN)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert screen.check_action("care_tags", ()) is False
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is screen
