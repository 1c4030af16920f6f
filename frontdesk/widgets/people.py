"""People found, one line each, in columns that line up in cells (CJK names are two cells a
character): name, age, address with the flat, phone, and what tells them apart or why they were
found (``frontdesk.search.listing``)."""

from __future__ import annotations

from rich.cells import cell_len

from frontdesk.i18n import _
from frontdesk.search.finder import ResidentHit
from frontdesk.search.listing import notes
from frontdesk.widgets.text import display

GAP = " "


def aligned(rows: list[list[str]]) -> list[str]:
    """Each row's cells joined, every column but the last padded to its widest cell."""
    if not rows:
        return []
    widths = [max(cell_len(row[n]) for row in rows) for n in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [
            cell + " " * (width - cell_len(cell))
            for cell, width in zip(row[:-1], widths, strict=True)
        ]
        lines.append(GAP.join([*cells, row[-1]]).rstrip())
    return lines


def person_lines(hits: list[ResidentHit], query: str) -> list[str]:
    """One line a hit, in the hits' order."""
    said = notes(hits, query)
    rows = [
        [
            display(hit.name),
            _("find.age_years", age=hit.age),
            display(hit.address),
            hit.phone,
            said[hit.id],
        ]
        for hit in hits
    ]
    return aligned(rows)
