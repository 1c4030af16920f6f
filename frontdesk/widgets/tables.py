"""Tables the screens refill with each answer."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


def empty(table: DataTable[Any]) -> None:
    """Clear ``table``'s rows and let each auto-width column shrink back to its heading.

    Textual's ``DataTable.clear()`` keeps the widths the old rows measured: one long name (or
    address) found once widened its column for every later answer, pushing the other columns
    out of an 80-column screen for the rest of the session."""
    table.clear()
    for column in table.columns.values():
        if column.auto_width:
            column.content_width = column.label.cell_len
