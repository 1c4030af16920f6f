"""Who sees what of care visits. Special-group membership, visit notes and children's records are
sensitive; the services answer each operator with only their share:

============================  ===========================================================
reception (前台)               that a visit is due, and when: no level, no history, no notes
grid manager (网格员)           their own grids and the households assigned to them: levels,
                              visits and notes; elsewhere in the community as reception
community leadership (负责人)   everything in their community
subdistrict office (街道)       the figures, and lists with names masked: no notes
administrator                 nothing
============================  ===========================================================

Community scope as everywhere: nobody sees another community's people.
"""

from __future__ import annotations

from enum import IntEnum

from frontdesk.permissions import Operator
from frontdesk.vocabulary import Role


class Sight(IntEnum):
    """How much of one household's care an operator sees, from least to most."""

    NONE = 0
    DUE = 1  # that a visit is due, and its date
    MASKED = 2  # levels and dates, names masked, no notes (the subdistrict office)
    FULL = 3  # levels, visits, notes


def sight(operator: Operator, community_id: int, grid_l4_id: int, assigned_to_them: bool) -> Sight:
    """What ``operator`` sees of a household of ``community_id`` in grid ``grid_l4_id``
    (``assigned_to_them``: they are the household's assigned visitor)."""
    if not operator.covers(community_id):
        return Sight.NONE
    if operator.role == Role.SUPERVISOR:
        return Sight.FULL
    if operator.role == Role.SUBDISTRICT:
        return Sight.MASKED
    if operator.role == Role.GRID_MANAGER:
        if grid_l4_id in operator.grid_ids or assigned_to_them:
            return Sight.FULL
        return Sight.DUE
    if operator.role == Role.RECEPTION:
        return Sight.DUE
    return Sight.NONE


def mask_name(name: str) -> str:
    """``王立华`` → ``王*华``, ``王华`` → ``王*``: a list the subdistrict can read aloud
    without naming anyone."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
