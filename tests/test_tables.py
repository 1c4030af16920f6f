"""Tables refilled with each answer: columns shrink back, and are sized before they are next
drawn (issue 12, points 3 and 17)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from frontdesk.widgets.tables import empty, fit_columns

ROWS = [
    ("王东", "泰化龙凤苑 2-2-101", "166****4832"),
    ("王东华", "宏泰学府苑 17-3-202", "193****6211"),
]


class _Tables(App[None]):
    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable()
        table.add_column("姓名", key="name")
        table.add_column("住址", key="address")
        table.add_column("电话", key="phone")
        yield table


def _widths(table: DataTable[Any]) -> dict[str, int]:
    return {str(key.value): column.content_width for key, column in table.columns.items()}


async def test_columns_are_sized_as_soon_as_the_table_is_filled() -> None:
    """Textual sizes them when the app is next idle, and a frame drawn before that stayed
    heading-wide (泰化 3-1 166*) until the next change: sized at once, no frame can be."""
    app = _Tables()
    async with app.run_test(size=(120, 40)):
        table = app.query_one(DataTable)
        empty(table)
        for row in ROWS:
            table.add_row(*row)
        fit_columns(table)  # at once, in the same handler: no idle in between
        assert _widths(table) == {
            "name": cell_len("王东华"),
            "address": cell_len("宏泰学府苑 17-3-202"),
            "phone": cell_len("166****4832"),
        }


async def test_an_emptied_table_shrinks_back_to_its_headings() -> None:
    app = _Tables()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(DataTable)
        table.add_row("阿依古丽・买买提・艾山江", "x", "y")
        fit_columns(table)
        await pilot.pause()
        empty(table)
        assert _widths(table) == {"name": 4, "address": 4, "phone": 4}
