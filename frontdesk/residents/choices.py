"""What the search screen's filter boxes offer: a community's grids and the special groups."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.db.models import GridL3, GridL4, Tag
from frontdesk.residents.records import tuple_rows

# ------------------------------------------------------------------------------ filter choices


@dataclass(frozen=True)
class GridChoice:
    id: int
    code: str  # "2" or "2-3"
    parent_id: int | None  # a level-4 grid's level-3 grid


@dataclass(frozen=True)
class FilterChoices:
    grids_l3: list[GridChoice]
    grids_l4: list[GridChoice]
    tags: list[str]  # tag codes, in display order


def filter_choices(community_id: int) -> FilterChoices:
    """The grids of one community and the special-group tags, for the filter boxes."""
    l3 = tuple_rows(GridL3.select(GridL3.id, GridL3.code).where(GridL3.community == community_id))
    l4 = tuple_rows(
        GridL4.select(GridL4.id, GridL4.code, GridL4.grid_l3)
        .join(GridL3)
        .where(GridL3.community == community_id)
    )
    return FilterChoices(
        grids_l3=sorted((GridChoice(i, c, None) for i, c in l3), key=lambda g: _grid_order(g.code)),
        grids_l4=sorted((GridChoice(i, c, p) for i, c, p in l4), key=lambda g: _grid_order(g.code)),
        tags=[code for (code,) in tuple_rows(Tag.select(Tag.code).order_by(Tag.sort, Tag.id))],
    )


def _grid_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("-"))
