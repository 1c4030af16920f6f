"""A table that is one part of a longer page (the resident detail): the arrows go on to the page."""

from __future__ import annotations

from typing import Any

from textual.containers import ScrollableContainer
from textual.message import Message
from textual.widgets import DataTable


class PageTable(DataTable[Any]):
    """A row table inside a scrolling page.

    ↓ on its last row and ↑ on its first do not stop dead: the table posts ``Beyond`` and the
    page goes on (to the next table, or scrolls). A row the keys move to is kept on the screen
    even when the page had been scrolled away from the table (Textual scrolls the table itself
    to its cursor, not the page around it).
    """

    class Beyond(Message):
        """↓ past the last row (``down``) or ↑ above the first."""

        def __init__(self, table: PageTable, down: bool) -> None:
            super().__init__()
            self.table = table
            self.down = down

    def action_cursor_down(self) -> None:
        if self.row_count == 0 or self.cursor_row >= self.row_count - 1:
            self.post_message(self.Beyond(self, down=True))
            return
        super().action_cursor_down()
        self.scroll_visible(animate=False)

    def action_cursor_up(self) -> None:
        if self.row_count == 0 or self.cursor_row <= 0:
            self.post_message(self.Beyond(self, down=False))
            return
        super().action_cursor_up()
        self.scroll_visible(animate=False)


def go_on(event: PageTable.Beyond, page: ScrollableContainer) -> None:
    """↓ past a table's last row goes to the next table of ``page``, at its first row; past the
    last table the page scrolls on (a page down); ↑ likewise upwards."""
    tables = [t for t in page.query(PageTable) if t.display and t.row_count]
    at = tables.index(event.table) if event.table in tables else -1
    step = 1 if event.down else -1
    if at >= 0 and 0 <= at + step < len(tables):
        table = tables[at + step]
        table.move_cursor(row=0 if event.down else table.row_count - 1, animate=False)
        table.focus()
    elif event.down:
        page.action_page_down()
    else:
        page.action_page_up()
