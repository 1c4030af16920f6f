"""The due-time table, per community: for each request category and urgency, the hours a
request may take before it is due (一般 and 紧急 in working hours, 特急 round the clock).

The installation's table is ``DueRule`` (shipped with the reference data); it is every
community's default. A community's supervisor changes single cells: a cell is kept as a setting
of its own, ``requests.due_hours.<category>.<urgency>@<community id>`` (the package's scheme: one
value per setting and community, no table changes), so ``due_hours`` reads the community's
value, else one set installation-wide, else the ``DueRule``. A change is checked (whole hours,
``LOW``–``HIGH``, and within a category 特急 ≤ 紧急 ≤ 一般) and written with its audit entry
(``settings.changed`` / ``settings.reset``, from and to) in one transaction, like every other
setting. Only the supervisor of the community changes or reads its table here; the
administrator's settings are the installation's, and the subdistrict office configures nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import DueRule, RequestCategory, Setting
from frontdesk.errors import UserError
from frontdesk.notices import Notice, msg
from frontdesk.permissions import Can, Operator, PermissionDenied, require
from frontdesk.residents.validation import Validation, check_text
from frontdesk.settings.specs import FIELD, Kind, SettingSpec, plain_number
from frontdesk.settings.store import stored_key
from frontdesk.settings.text import clean, parse_number
from frontdesk.textrules import LINE
from frontdesk.vocabulary import Role, Urgency

DUE_KEY = "requests.due_hours"  # the table as the settings list shows it; a cell: .<code>.<urgency>
URGENCIES: tuple[str, ...] = (Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL)  # as the columns
LOW, HIGH = 1, 720  # whole hours: from one hour to 30 days round the clock
CELL = SettingSpec(DUE_KEY, Kind.HOURS, LOW, HIGH, unit="hours")


@dataclass(frozen=True)
class DueCell:
    """One cell of the table, as typed: hours now, the installation's default."""

    category: str  # the category's code (catalog: category.<code>)
    urgency: str
    hours: str  # e.g. "24"
    default: str
    changed: bool


@dataclass(frozen=True)
class DueTable:
    """A community's table: its categories in display order, a cell for each urgency."""

    community_id: int
    categories: tuple[str, ...]
    cells: tuple[DueCell, ...]  # category by category, in the order of ``URGENCIES``

    def cell(self, category: str, urgency: str) -> DueCell:
        return next(c for c in self.cells if c.category == category and c.urgency == urgency)

    @property
    def changed(self) -> int:
        return sum(1 for c in self.cells if c.changed)


def cell_key(category: str, urgency: str) -> str:
    """The setting one cell is kept under (before ``@<community id>``)."""
    return f"{DUE_KEY}.{category}.{urgency}"


def _number(value: Any) -> float:
    return float(value)


def _text(hours: float) -> str:
    return plain_number(hours)


# ------------------------------------------------------------------------------------ reading


def _defaults() -> dict[tuple[str, str], float]:
    """The installation's table (``DueRule``), by (category code, urgency)."""
    rows: Any = (
        DueRule.select(RequestCategory.code, DueRule.urgency, DueRule.hours)
        .join(RequestCategory)
        .tuples()
    )
    return {(code, urgency): float(hours) for code, urgency, hours in rows}


def _stored(community_id: int, keys: list[str]) -> dict[str, float]:
    """The values set for these cells: the community's over the installation's, by cell key."""
    wanted = {stored_key(key, community_id): key for key in keys} | {key: key for key in keys}
    rows: Any = Setting.select(Setting.key, Setting.value).where(Setting.key.in_(list(wanted)))
    found = dict(rows.tuples())
    values: dict[str, float] = {}
    for key in keys:
        for where in (stored_key(key, community_id), key):
            if where in found:
                values[key] = _number(json.loads(found[where]))
                break
    return values


def due_hours(category_id: int, urgency: str, community_id: int | None) -> float | None:
    """The hours a request of this category and urgency may take in ``community_id``: the
    community's cell, else one set installation-wide, else the ``DueRule``; None when the
    category has no rule for this urgency. (For the due-time computation: no permission.)"""
    row: Any = (
        DueRule.select(RequestCategory.code, DueRule.hours)
        .join(RequestCategory)
        .where((DueRule.category == category_id) & (DueRule.urgency == urgency))
        .tuples()
        .first()
    )
    if row is None:
        return None
    code, hours = row
    if community_id is None:
        return float(hours)
    key = cell_key(code, urgency)
    return _stored(community_id, [key]).get(key, float(hours))


def _categories() -> tuple[str, ...]:
    rows: Any = (
        RequestCategory.select(RequestCategory.code)
        .where(RequestCategory.active == True)  # noqa: E712 (peewee)
        .order_by(RequestCategory.sort, RequestCategory.id)
        .tuples()
    )
    return tuple(code for (code,) in rows)


def table_of(community_id: int) -> DueTable:
    """The table of ``community_id`` (no permission: the caller checked)."""
    defaults = _defaults()
    categories = tuple(c for c in _categories() if all((c, u) in defaults for u in URGENCIES))
    keys = [cell_key(c, u) for c in categories for u in URGENCIES]
    stored = _stored(community_id, keys)
    cells = []
    for category in categories:
        for urgency in URGENCIES:
            default = defaults[(category, urgency)]
            hours = stored.get(cell_key(category, urgency), default)
            cells.append(DueCell(category, urgency, _text(hours), _text(default), hours != default))
    return DueTable(community_id, categories, tuple(cells))


# -------------------------------------------------------------------------------- permission


def _community(actor_id: int | None, community_id: int | None) -> tuple[Operator, int]:
    """The community whose table the operator reads or changes: only a supervisor's own."""
    operator = require(actor_id, Can.CONFIGURE)
    if operator.role == Role.ADMIN or operator.community_id is None:
        raise PermissionDenied(operator, Can.CONFIGURE, scope="perm.scope.community_settings")
    if community_id is not None and community_id != operator.community_id:
        raise PermissionDenied(operator, Can.CONFIGURE, scope="perm.scope.other_community")
    return operator, operator.community_id


def due_table(*, actor_id: int | None, community_id: int | None = None) -> DueTable:
    """The table of the operator's community (a supervisor's own), each cell with its default."""
    _operator, community = _community(actor_id, community_id)
    return table_of(community)


# ---------------------------------------------------------------------------------- changing


def parse_hours(text: str) -> int:
    """Hours typed for a cell, checked: ``ValidationFailed`` (field ``value``) when empty, not a
    whole number, or outside ``LOW``–``HIGH``. ``48``, ``４８`` and ``48 小时`` read as 48."""
    v = Validation()
    check_text(v, FIELD, text, LINE)
    v.raise_if_refused(confirm_warnings=False)
    typed = clean(text).lower()
    for unit in ("小时", "hours", "hour", "h"):
        if typed.endswith(unit):
            typed = typed[: -len(unit)].strip()
            break
    value = parse_number(CELL, typed, v)
    v.raise_if_refused(confirm_warnings=False)
    assert value is not None
    return int(value)


def _order_problem(table: DueTable, category: str, urgency: str, hours: float) -> Notice | None:
    """Within a category the more urgent never has longer: 特急 ≤ 紧急 ≤ 一般."""
    place = URGENCIES.index(urgency)
    for there, other in enumerate(URGENCIES):
        theirs = _number(table.cell(category, other).hours)
        if (there > place and theirs > hours) or (there < place and theirs < hours):
            side = "longer_than" if there < place else "shorter_than"
            return msg(f"settings.due.{side}_{other}", hours=_text(theirs))
    return None


def _store(
    category: str,
    urgency: str,
    hours: float | None,
    *,
    actor_id: int | None,
    now: datetime,
    community_id: int | None,
    loaded: str | None,
) -> DueCell:
    """Inside one transaction: the permission, the checks, the value unless it is the same, the
    audit. ``hours`` None: back to the default. ``loaded``: the hours the form showed."""

    def run() -> DueCell:
        _operator, community = _community(actor_id, community_id)
        table = table_of(community)
        if category not in table.categories or urgency not in URGENCIES:
            raise UserError("settings.due.no_such_cell", category=category, urgency=urgency)
        cell = table.cell(category, urgency)
        key = cell_key(category, urgency)
        place = stored_key(key, community)
        if loaded is not None and cell.hours != loaded:
            mark = json.dumps({"stored": place}, ensure_ascii=False)[1:-1]
            who, at = audit.last_change("setting", None, mentioning=mark)
            raise UserError("settings.changed_elsewhere", who=who, at=at)
        wanted = _number(cell.default) if hours is None else float(hours)
        if wanted != _number(cell.hours):
            problem = _order_problem(table, category, urgency, wanted)
            if problem is not None and hours is None:  # a reset: the message on its own
                raise UserError(problem.key, **problem.params)
            if problem is not None:  # typed: the message next to the field
                v = Validation()
                v.error(FIELD, problem.key, **problem.params)
                v.raise_if_refused(confirm_warnings=False)
            stored = int(wanted) if wanted.is_integer() else wanted
            encoded = json.dumps(stored)
            if not Setting.update(value=encoded).where(Setting.key == place).execute():
                Setting.create(key=place, value=encoded)
            audit.record(
                "settings.reset" if hours is None else "settings.changed",
                "setting",
                None,
                actor_id=actor_id,
                at=now,
                detail={
                    "key": DUE_KEY,
                    "category": category,
                    "urgency": urgency,
                    "from": cell.hours,
                    "to": _text(wanted),
                    "community_id": community,
                    "stored": place,
                },
                community_id=community,
            )
        return table_of(community).cell(category, urgency)

    return write(run)


def change_due_hours(
    category: str,
    urgency: str,
    text: str,
    *,
    actor_id: int | None,
    now: datetime,
    loaded: str | None = None,
    community_id: int | None = None,
) -> DueCell:
    """Set one cell of the operator's community's table to the hours typed in ``text``; the
    cell as it now is. With ``loaded`` (the hours the form showed) a change made meanwhile at
    another desk is not overwritten."""
    hours = parse_hours(text)
    return _store(
        category,
        urgency,
        hours,
        actor_id=actor_id,
        now=now,
        community_id=community_id,
        loaded=loaded,
    )


def reset_due_hours(
    category: str,
    urgency: str,
    *,
    actor_id: int | None,
    now: datetime,
    community_id: int | None = None,
) -> DueCell:
    """Put one cell back to the installation's default; the cell as it now is."""
    return _store(
        category,
        urgency,
        None,
        actor_id=actor_id,
        now=now,
        community_id=community_id,
        loaded=None,
    )
