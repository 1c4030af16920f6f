"""The supervisor's log: entries newest first under filters (a person, an operator, an action
or a family of actions, dates), inside the operator's scope.

Every query is driven by one of the table's indexes: ``at`` (newest first, date ranges),
``(community, at)`` (one community's entries), ``(actor, at)`` (one operator) and ``(entity,
entity_id)`` (a person: the residents found and their households). Community staff see their
community's entries, the subdistrict office (when its role may read the log) its communities',
and the administrator the installation's own (accounts without a community, global settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from peewee import JOIN, fn

from frontdesk.audit.labels import LogRow, _rows, _tuples
from frontdesk.audit.names import FAMILIES, KNOWN_ACTIONS, family_of
from frontdesk.clock import Clock
from frontdesk.db.models import AuditEntry, Community, Resident, Staff
from frontdesk.permissions import Can, Operator, require
from frontdesk.search.finder import search
from frontdesk.search.query import SearchFilters
from frontdesk.vocabulary import Role

RECENT_ACTIONS = 20_000  # entries looked at for the action names in use beside the known ones
COUNT_CAP = 100_000  # entries counted at most; more shows as "100000+"
PERSON_LIMIT = 200  # residents a person filter may stand for


# ---------------------------------------------------------------------------------- filtering


@dataclass(frozen=True)
class AuditFilters:
    person: str = ""  # a resident's name, pinyin, ID or phone fragment, address ...
    operator_id: int | None = None  # the staff member who acted
    action: str | None = None  # an action, or a family with its dot: "resident."
    since: date | None = None  # inclusive
    until: date | None = None  # inclusive

    @property
    def empty(self) -> bool:
        return self == AuditFilters()

    def described(self) -> dict[str, Any]:
        """The filters set, for the export's own audit entry."""
        values = {
            "person": self.person.strip(),
            "operator_id": self.operator_id,
            "action": self.action,
            "since": self.since,
            "until": self.until,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


@dataclass(frozen=True)
class AuditPage:
    rows: list[LogRow]
    total: int  # entries matching the filters (a lower bound when ``more``)
    more: bool  # more than ``COUNT_CAP`` entries match
    page: int
    page_size: int
    people: int | None = None  # residents the person filter finds (None: no such filter); only
    # the first ``PERSON_LIMIT`` of them count

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class OperatorChoice:
    id: int
    name: str
    username: str
    role: str
    active: bool


@dataclass(frozen=True)
class _People:
    residents: list[int]  # the best ``PERSON_LIMIT`` of those found
    households: list[int]
    found: int  # how many residents the text finds in all


def _people(text: str, actor_id: int | None, today: date) -> _People:
    """The residents ``text`` finds (anyone, moved out or deceased too) and their households;
    ``today`` is the date the resident search reckons ages on."""
    found = search(
        text, SearchFilters(status=None), actor_id=actor_id, today=today, limit=PERSON_LIMIT
    )
    residents = [hit.id for hit in found.hits]
    if not residents:
        return _People([], [], 0)
    households = _tuples(
        Resident.select(Resident.household).where(Resident.id.in_(residents)).distinct()
    )
    return _People(residents, sorted(h for (h,) in households), max(found.total, len(residents)))


def scope_condition(operator: Operator, *, indexed: bool = True) -> Any:
    """The entries ``operator`` may read: their communities', or (the administrator) the
    installation's own. Not ``indexed``: the planner is kept off the community index (a person
    or an operator filter has a narrower one)."""
    column = AuditEntry.community if indexed else AuditEntry.community + 0
    if operator.role == Role.ADMIN:
        return column.is_null()
    return column.in_(sorted(operator.communities))


def _scope(actor_id: int | None) -> Operator:
    """The operator, if they may read the log (whose scope then bounds every query)."""
    return require(actor_id, Can.VIEW_AUDIT)


def _conditions(
    filters: AuditFilters, people: _People | None, within: Operator | None = None
) -> list[Any]:
    where: list[Any] = []
    if within is not None:
        narrower = people is not None or filters.operator_id is not None
        where.append(scope_condition(within, indexed=not narrower))
    if people is not None:
        about = (AuditEntry.entity == "resident") & AuditEntry.entity_id.in_(people.residents)
        if people.households:
            about |= (AuditEntry.entity == "household") & AuditEntry.entity_id.in_(
                people.households
            )
        where.append(about)
    if filters.operator_id is not None:
        where.append(AuditEntry.actor == filters.operator_id)
    if filters.action:
        if filters.action.endswith("."):  # a family: a range, not LIKE (``_`` is a wildcard)
            end = filters.action[:-1] + chr(ord(".") + 1)
            where.append((AuditEntry.action >= filters.action) & (AuditEntry.action < end))
        else:
            where.append(AuditEntry.action == filters.action)
    if filters.since is not None:
        where.append(AuditEntry.at >= datetime.combine(filters.since, datetime.min.time()))
    if filters.until is not None:
        end_day = filters.until + timedelta(days=1)
        where.append(AuditEntry.at < datetime.combine(end_day, datetime.min.time()))
    return where


def _base(filters: AuditFilters, people: _People | None, within: Operator | None = None) -> Any:
    """The entries matching ``filters``, newest first, with their operator's name."""
    query = AuditEntry.select(
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.actor,
        AuditEntry.action,
        AuditEntry.entity,
        AuditEntry.entity_id,
        AuditEntry.reason,
        AuditEntry.detail,
        AuditEntry.community,
        AuditEntry.os_user,
        Staff.display_name.alias("actor_name"),
    ).join(Staff, join_type=JOIN.LEFT_OUTER, on=(AuditEntry.actor == Staff.id))
    where = _conditions(filters, people, within)
    if where:
        query = query.where(*where)
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def _count(
    filters: AuditFilters, people: _People | None, within: Operator | None = None
) -> tuple[int, bool]:
    """How many entries match, counting at most ``COUNT_CAP + 1`` index entries."""
    inner = AuditEntry.select(AuditEntry.id)
    where = _conditions(filters, people, within)
    if where:
        inner = inner.where(*where)
    counted = int(
        AuditEntry.select(fn.COUNT(1)).from_(inner.limit(COUNT_CAP + 1).alias("found")).scalar()
        or 0
    )
    return min(counted, COUNT_CAP), counted > COUNT_CAP


# ------------------------------------------------------------------------------ the services


def search_entries(
    filters: AuditFilters,
    *,
    actor_id: int | None,
    page: int = 0,
    page_size: int = 50,
    today: date | None = None,
) -> AuditPage:
    """One page of the entries matching ``filters`` inside the operator's scope, newest first
    (supervisors only). ``today``: the desk clock's date, which the person filter's resident
    search is asked with (a caller that does not pass it yet gets the wall clock's)."""
    within = _scope(actor_id)
    day = today if today is not None else Clock().today()
    people = _people(filters.person, actor_id, day) if filters.person.strip() else None
    matched = None if people is None else people.found
    if people is not None and not people.residents:
        return AuditPage([], 0, False, page, page_size, people=0)
    total, more = _count(filters, people, within)
    query = _base(filters, people, within).limit(page_size).offset(max(0, page) * page_size)
    raw = cast(list[dict[str, Any]], list(query.dicts()))
    return AuditPage(_rows(raw), total, more, page, page_size, people=matched)


def action_choices(*, actor_id: int | None) -> list[str]:
    """The actions to filter by: every one the code writes and any other seen lately, in the
    order of their families."""
    within = _scope(actor_id)
    recent = (
        AuditEntry.select(AuditEntry.action)
        .where(scope_condition(within))
        .order_by(AuditEntry.at.desc())
        .limit(RECENT_ACTIONS)
        .alias("recent")
    )
    seen = {
        action for (action,) in _tuples(AuditEntry.select(recent.c.action).from_(recent).distinct())
    }
    known = list(KNOWN_ACTIONS)
    extra = sorted(seen - set(known))
    order = {family: n for n, family in enumerate(FAMILIES)}
    return sorted(
        [*known, *extra],
        key=lambda a: (order.get(family_of(a), len(order)), family_of(a)),
    )


def operator_choices(*, actor_id: int | None) -> list[OperatorChoice]:
    """The staff of the operator's scope (the administrator: everyone), active ones first, by
    role, then by name (a disabled account's entries stay findable)."""
    operator = require(actor_id, Can.VIEW_AUDIT)
    query = Staff.select(Staff.id, Staff.display_name, Staff.username, Staff.role, Staff.active)
    if operator.role != Role.ADMIN:  # their communities' staff and their subdistricts' office
        communities = sorted(operator.communities)
        offices = Community.select(Community.subdistrict).where(Community.id.in_(communities))
        query = query.where(
            Staff.community.in_(communities)
            | (Staff.community.is_null() & Staff.subdistrict.in_(offices))
        )
    rows = _tuples(query)
    order = {role.value: n for n, role in enumerate(Role)}
    choices = [OperatorChoice(i, name, user, role, bool(on)) for i, name, user, role, on in rows]
    return sorted(choices, key=lambda c: (not c.active, order.get(c.role, 99), c.name, c.id))
