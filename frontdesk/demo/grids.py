"""The grid system of a community: level-3 grids split evenly into level-4 grids."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.demo.context import Context
from frontdesk.demo.staff import Account


@dataclass(frozen=True)
class Grid:
    """A level-4 grid with its manager and the leader of its level-3 grid."""

    id: int
    code: str
    manager: Account
    leader: Account


def even_split(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` sizes differing by at most one, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def make_grids(
    ctx: Context, community_id: int, managers: list[Account], l3_count: int
) -> list[Grid]:
    tables = ctx.tables
    grids: list[Grid] = []
    position = 0
    for l3_index, size in enumerate(even_split(len(managers), l3_count), start=1):
        own = managers[position : position + size]
        position += size
        leader = own[int(ctx.rng.random() * len(own))]
        l3_id = tables.grid_l3.new_id()
        tables.grid_l3.add(l3_id, community_id, str(l3_index), f"第{l3_index}网格", leader.id)
        for l4_index, manager in enumerate(own, start=1):
            code = f"{l3_index}-{l4_index}"
            l4_id = tables.grid_l4.new_id()
            tables.grid_l4.add(l4_id, l3_id, code, f"{code}网格", manager.id)
            grids.append(Grid(l4_id, code, manager, leader))
    return grids
