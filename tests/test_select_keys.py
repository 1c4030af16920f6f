"""Every Select of the desk names its pop-up's keys in the desk's language: Textual's own
description ("esc Dismiss menu") came through in Chinese mode (issue 12, point 8)."""

from __future__ import annotations

from peewee import SqliteDatabase
from textual.widgets import Select
from textual.widgets._footer import FooterKey
from textual.widgets._select import SelectOverlay

from frontdesk import i18n
from frontdesk.clock import FixedClock
from tests.conftest import SNAPSHOT_SIZE, desk_on, settle


def _footer(app: object) -> list[str]:
    screen = app.screen  # type: ignore[attr-defined]
    return [f"{key.key_display} {key.description}" for key in screen.query(FooterKey)]


async def test_the_pop_up_footer_in_chinese_and_english(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock)
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        status = app.screen.query_one("#filter-status", Select)
        status.focus()
        await pilot.press("enter")  # the pop-up opens
        await settle(pilot)
        assert isinstance(app.focused, SelectOverlay)
        footer = _footer(app)
        assert "esc 收起列表" in footer, footer
        assert not any("Dismiss" in text for text in footer)
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is status

        app.set_language("en")
        await settle(pilot)
        await pilot.press("f9")  # the audit log's operator filter, in English now
        await settle(pilot)
        app.screen.query_one("#au-operator", Select).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, SelectOverlay)
        assert "esc Close the list" in _footer(app)


def test_the_select_key_names_come_from_the_catalog() -> None:
    """The Select's own key (show=False, in the keys panel) too, in both languages."""
    select: Select[str] = Select([("a", "a")])
    assert select._bindings.key_to_bindings["enter"][0].description == "展开列表"
    i18n.set_language("en")
    assert Select([("a", "a")])._bindings.key_to_bindings["enter"][0].description == (
        "Open the list"
    )
