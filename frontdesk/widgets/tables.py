"""Tables the screens refill with each answer."""

from __future__ import annotations

from typing import Any

from rich.text import Text
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


def fit_columns(table: DataTable[Any]) -> None:
    """Size each auto-width column to its heading and its cells now, before the table is next
    drawn.

    Textual measures new rows only when the app is next idle, and keeps the lines it drew
    meanwhile (its line cache is keyed by the data's update count, not by the widths): a table
    drawn between being filled and that moment kept heading-wide columns — ``王东 男 29 泰化 3-1
    166*`` — until the next key changed the data."""
    for key, column in table.columns.items():
        if not column.auto_width:
            continue
        widths = [column.label.cell_len]
        widths.extend(_cell_width(cell) for cell in table.get_column(key))
        column.content_width = max(widths)
    table.refresh()


def _cell_width(cell: object) -> int:
    """A cell's width as DataTable shows it: a string is read as markup, Text as it is."""
    if isinstance(cell, Text):
        return cell.cell_len
    return Text.from_markup(cell).cell_len if isinstance(cell, str) else len(str(cell))
