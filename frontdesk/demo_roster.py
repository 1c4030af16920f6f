"""Every account of a demo database with its password and its grids: the list the demo's login
opens (F2), so a tester finds who holds grid 8-1 without a supervisor's F7.

Only on a database the demo generator made (the ``demo.accounts`` setting it writes, see
``frontdesk.overview.demo_accounts``): on any other database there is nothing to list. The
generator gives every account of a role the same published password (``frontdesk.demo.staff``)
and stores one account of each role with it in that setting; an account whose password has been
changed since is listed without one (each distinct hash is checked once).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from frontdesk.auth.passwords import verify_password
from frontdesk.db.grids import GridL3, GridL4
from frontdesk.db.models import Community, Setting, Staff, Subdistrict
from frontdesk.overview import DEMO_ACCOUNTS_SETTING
from frontdesk.vocabulary import Role

# the order the list shows: the office first, then each community's leaders, desk, grids
ROLE_ORDER = (Role.ADMIN, Role.SUBDISTRICT, Role.SUPERVISOR, Role.RECEPTION, Role.GRID_MANAGER)


@dataclass(frozen=True)
class RosterAccount:
    username: str
    password: str | None  # None: changed since the demo was made
    role: str
    name: str
    where: str  # the community, or the subdistrict for its office, "" for the admin
    grids: tuple[str, ...]  # a grid manager's level-4 grids ("8-1"), in order
    leads: tuple[str, ...]  # the level-3 grids (网格长) the account leads ("8")


def _role_passwords() -> dict[str, str] | None:
    """The demo's published password of each role; None on a database that is not a demo."""
    row = Setting.get_or_none(Setting.key == DEMO_ACCOUNTS_SETTING)
    if row is None:
        return None
    try:
        published = json.loads(row.value)
        return {str(a["role"]): str(a["password"]) for a in published}
    except (ValueError, TypeError, KeyError):
        return None


def _grid_key(code: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part for part in code.split("-"))


def demo_roster() -> list[RosterAccount]:
    """Every active account of a demo database, in order (community by community), with its
    password where it is still the demo's and its grids; empty on any other database."""
    passwords = _role_passwords()
    if passwords is None:
        return []
    grids: dict[int, list[str]] = defaultdict(list)
    managed = GridL4.select(GridL4.manager, GridL4.code).where(GridL4.manager.is_null(False))
    for staff_id, code in cast(Iterable[tuple[int, str]], managed.tuples()):
        grids[staff_id].append(code)
    leads: dict[int, list[str]] = defaultdict(list)
    led = GridL3.select(GridL3.leader, GridL3.code).where(GridL3.leader.is_null(False))
    for staff_id, code in cast(Iterable[tuple[int, str]], led.tuples()):
        leads[staff_id].append(code)
    communities = {c.id: c.name for c in Community.select(Community.id, Community.name)}
    subdistricts = {s.id: s.name for s in Subdistrict.select(Subdistrict.id, Subdistrict.name)}
    checked: dict[tuple[str, str], bool] = {}  # (hash, password): verified once
    ranks = {role.value: index for index, role in enumerate(ROLE_ORDER)}
    ordered: list[tuple[tuple[object, ...], RosterAccount]] = []
    query = Staff.select().where(Staff.active == True)  # noqa: E712
    for staff in query:
        password = passwords.get(staff.role)
        if password is not None:
            key = (staff.password_hash, password)
            if key not in checked:
                checked[key] = verify_password(password, staff.password_hash)
            if not checked[key]:
                password = None
        community_id = staff.community_id
        subdistrict_id = staff.subdistrict_id
        where = (
            communities.get(community_id, "")
            if community_id is not None
            else subdistricts.get(subdistrict_id, "")
            if subdistrict_id is not None
            else ""
        )
        own = tuple(sorted(grids.get(staff.id, []), key=_grid_key))
        account = RosterAccount(
            username=staff.username,
            password=password,
            role=staff.role,
            name=staff.display_name,
            where=where,
            grids=own,
            leads=tuple(sorted(leads.get(staff.id, []), key=_grid_key)),
        )
        # the admin, each subdistrict's office, then community by community
        place = (
            (2, community_id)
            if community_id
            else (1, subdistrict_id or 0)
            if subdistrict_id
            else (0, 0)
        )
        rank = (ranks.get(staff.role, len(ranks)), _grid_key(own[0]) if own else (), staff.username)
        ordered.append(((*place, *rank), account))
    ordered.sort(key=lambda pair: pair[0])
    return [account for _key, account in ordered]


def filter_roster(
    accounts: list[RosterAccount], text: str, role_names: dict[str, str] | None = None
) -> list[RosterAccount]:
    """The list's filter. A grid's code finds its holders only (``8-1``: the manager of grid
    8-1, not of 8-10 or 18-1; ``8``: the leader of level-3 grid 8 and the managers of its
    grids); any other text is looked for in the user name, name, role (and ``role_names``,
    the roles as the screen shows them) and community."""
    needle = text.strip().casefold()
    if not needle:
        return list(accounts)
    holders = [
        a
        for a in accounts
        if needle in a.grids or needle in a.leads or any(g.split("-")[0] == needle for g in a.grids)
    ]
    if holders:
        return holders
    names = role_names or {}

    def found(account: RosterAccount) -> bool:
        words = (account.username, account.name, account.role, names.get(account.role, ""))
        return needle in " ".join((*words, account.where)).casefold()

    return [a for a in accounts if found(a)]
