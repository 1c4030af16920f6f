"""Writing and reading the append-only audit log: who did what to which record, when and why.

``record`` only inserts; it runs inside the caller's transaction (``connection.write``), so a
change and its audit entry are committed together or not at all.

The supervisor's log (``search_entries``, ``export_entries``) lists entries newest first under
filters (a person, an operator, an action or a family of actions, dates). Every query is driven
by one of the table's indexes: ``at`` (newest first, date ranges), ``(actor, at)`` (one
operator) and ``(entity, entity_id)`` (a person: the residents found and their households).
Record labels (a resident's name, a request's number ...) take one query per kind of record on
a page, not one per row. Numbers typed into reasons that look like ID numbers or phones are
masked, on screen and in the export alike.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from peewee import JOIN, fn

from frontdesk import textrules
from frontdesk.db.connection import write
from frontdesk.db.enums import Relation, RequestEventKind, Role
from frontdesk.db.models import (
    AuditEntry,
    Booking,
    BookingSeries,
    Closure,
    Household,
    Request,
    Resident,
    Room,
    Staff,
)
from frontdesk.i18n import _, has
from frontdesk.masking import mask_phone
from frontdesk.paths import output_folder
from frontdesk.permissions import Can, require


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str  # "" when no staff member was signed in
    action: str  # e.g. resident.reveal_phone
    entity: str  # e.g. resident
    entity_id: int | None
    reason: str
    detail: dict[str, Any]


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def record(
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    actor_id: int | None,
    at: datetime,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry. ``detail`` is stored as JSON (Chinese kept readable, dates as ISO)."""
    text = ""
    if detail:
        text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=_json_default)
    from frontdesk.db.audit_chain import append

    append(
        community_id=None,
        at=at,
        actor_id=actor_id,
        os_user="",
        action=action,
        entity=entity,
        entity_id=entity_id,
        reason=reason,
        detail=text,
    )


def entries_for(entity: str, entity_id: int | None) -> list[AuditRow]:
    """Every entry about one record, oldest first (one query)."""
    query = (
        AuditEntry.select(AuditEntry, Staff.display_name.alias("actor_name"))
        .join(Staff, join_type=JOIN.LEFT_OUTER, on=(AuditEntry.actor == Staff.id))
        .where(
            (AuditEntry.entity == entity)
            & (
                AuditEntry.entity_id.is_null()
                if entity_id is None
                else AuditEntry.entity_id == entity_id
            )
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [
        AuditRow(
            id=row["id"],
            at=row["at"],
            actor_id=row["actor"],
            actor_name=row["actor_name"] or "",
            action=row["action"],
            entity=row["entity"],
            entity_id=row["entity_id"],
            reason=row["reason"],
            detail=json.loads(row["detail"]) if row["detail"] else {},
        )
        for row in cast(list[dict[str, Any]], list(query.dicts()))
    ]


def last_change(
    entity: str, entity_id: int | None, *, mentioning: str | None = None
) -> tuple[str, str]:
    """Who last wrote this record and when (`` at 11-30 10:42``, empty when unknown), for
    "changed by X at T" when a save from a stale copy is refused. ``mentioning``: only entries
    whose detail holds this text (a setting's key: settings have no ids)."""
    from frontdesk.i18n import _

    which = (
        AuditEntry.entity_id.is_null() if entity_id is None else AuditEntry.entity_id == entity_id
    )
    if mentioning is not None:
        which &= AuditEntry.detail.contains(mentioning)
    row: Any = (
        AuditEntry.select(AuditEntry.at, Staff.display_name.alias("actor_name"))
        .join(Staff, join_type=JOIN.LEFT_OUTER, on=(AuditEntry.actor == Staff.id))
        .where((AuditEntry.entity == entity) & which & ~AuditEntry.action.contains("reveal"))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .dicts()
        .first()
    )
    if row is None:
        return _("audit.someone"), ""
    return row["actor_name"] or _("audit.system"), _("audit.at", time=f"{row['at']:%m-%d %H:%M}")


# ------------------------------------------------------------------------------------ actions

# Every action the code writes (a test keeps this in step with the calls to ``record``). Their
# display names are ``audit_action.<action with dots as underscores>``; the families (the part
# before the dot) are ``audit.family.<family>``.
KNOWN_ACTIONS: tuple[str, ...] = (
    "resident.register",
    "resident.update",
    "resident.move_out",
    "resident.death",
    "resident.tag_add",
    "resident.tag_remove",
    "resident.reveal_id_number",
    "resident.reveal_phone",
    "resident.reveal_forwarding_contact",
    "household.register",
    "household.move_out",
    "household.change_head",
    *(f"request.{kind.value}" for kind in RequestEventKind),
    "booking.create",
    "booking.change",
    "booking.cancel",
    "booking.check_in",
    "booking.no_show",
    "series.create",
    *(f"series.change_{scope}" for scope in ("this", "following", "all")),
    *(f"series.cancel_{scope}" for scope in ("this", "following", "all")),
    "closure.create",
    "closure.lift",
    "auth.sign_in",
    "auth.sign_in_failed",
    "auth.locked",
    "auth.unlock",
    "auth.sign_out",
    "auth.password_changed",
    "staff.created",
    "staff.updated",
    "staff.enabled",
    "staff.disabled",
    "staff.password_reset",
    "staff.grids_taken",
    "settings.changed",
    "settings.reset",
    "audit.export",
)
FAMILIES: tuple[str, ...] = (
    "resident",
    "household",
    "request",
    "booking",
    "series",
    "closure",
    "auth",
    "staff",
    "settings",
    "audit",
)
# The kinds of record entries are about; their names are ``audit.entity.<entity>``.
ENTITIES: tuple[str, ...] = (
    "resident",
    "household",
    "request",
    "booking",
    "booking_series",
    "closure",
    "staff",
    "setting",
    "audit_entry",
)
EXPORT_ACTION = "audit.export"
RECENT_ACTIONS = 20_000  # entries looked at for the action names in use beside the known ones
COUNT_CAP = 100_000  # entries counted at most; more shows as "100000+"
PERSON_LIMIT = 200  # residents a person filter may stand for
EXPORT_CHUNK = 500
EXPORTS_ENV = "FRONTDESK_EXPORTS"


def action_key(action: str) -> str:
    """``resident.reveal_phone`` → ``audit_action.resident_reveal_phone``."""
    return "audit_action." + action.replace(".", "_")


def action_label(action: str) -> str:
    """An action's name in the current language; the raw name when the catalog has none."""
    key = action_key(action)
    return _(key) if has(key) else action


def family_of(action: str) -> str:
    return action.partition(".")[0]


def family_label(family: str) -> str:
    key = f"audit.family.{family}"
    return _(key) if has(key) else f"{family}.*"


def entity_label(entity: str) -> str:
    key = f"audit.entity.{entity}"
    return _(key) if has(key) else entity


# ------------------------------------------------------------------------------------ masking

# A run of digits, possibly split by single dashes or spaces, ending in a digit or an X.
_NUMBER_RUN = re.compile(r"(?<![0-9])[0-9](?:[0-9]|[ -](?=[0-9]))*[0-9Xx]", re.ASCII)
_DATE = re.compile(r"[12][0-9]{3}-[01]?[0-9]-[0-3]?[0-9]", re.ASCII)
_REQUEST_NUMBER = re.compile(r"[0-9]{8}-[0-9]{4}", re.ASCII)  # LJ-20261129-0007
_NUMBER_PREFIX = re.compile(r"[A-Za-z]{1,4}-$", re.ASCII)


def _sensitive(run: str) -> bool:
    """Whether a run of digits looks like an ID number or a phone (not a date, an address
    such as ``3-2-1001``, or a count)."""
    groups = re.split(r"[ -]", run)
    digits = "".join(groups)
    if max(len(g) for g in groups) >= 7:  # a local number, a mobile, an ID number
        return True
    if len(digits) == 11 and digits.startswith("1"):  # 138 1234 5678
        return True
    return len(digits) >= 10 and digits.startswith("0")  # 0358 123 4567


def mask_text(text: str) -> str:
    """Free text with the numbers that look like ID numbers or phones masked (``138****5678``,
    ``**************123X``); dates, addresses and request numbers stay as typed."""
    if not text:
        return text

    def one(match: re.Match[str]) -> str:
        run = match.group()
        if _DATE.fullmatch(run) or not _sensitive(run):
            return run
        if _REQUEST_NUMBER.fullmatch(run) and _NUMBER_PREFIX.search(text, 0, match.start()):
            return run
        if " " in run:  # mask the digits, keep the spacing
            masked = mask_phone(run.replace(" ", ""))
            out = iter(masked)
            return "".join(ch if ch == " " else next(out) for ch in run)
        return mask_phone(run)

    return _NUMBER_RUN.sub(one, text)


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
class LogRow:
    """One entry as the supervisor's list shows it (labels in the current language)."""

    id: int
    at: datetime
    actor_id: int | None
    operator: str  # the staff member's name, or "系统" for the sweeps
    action: str  # raw: resident.reveal_phone
    entity: str
    entity_id: int | None
    record: str  # 张三, LJ-20261129-0007, 12-01 插花课 ... (masked)
    reason: str  # masked; a quick-choice key translated
    detail: str  # the details as JSON text, masked


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


def _people(text: str, actor_id: int | None) -> _People:
    """The residents ``text`` finds (anyone, moved out or deceased too) and their households."""
    from frontdesk.residents.search import SearchFilters, search  # it reads last_change

    found = search(
        text, SearchFilters(status=None), actor_id=actor_id, today=date.today(), limit=PERSON_LIMIT
    )
    residents = [hit.id for hit in found.hits]
    if not residents:
        return _People([], [], 0)
    households = _tuples(
        Resident.select(Resident.household).where(Resident.id.in_(residents)).distinct()
    )
    return _People(residents, sorted(h for (h,) in households), max(found.total, len(residents)))


def _conditions(filters: AuditFilters, people: _People | None) -> list[Any]:
    where: list[Any] = []
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


def _base(filters: AuditFilters, people: _People | None) -> Any:
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
        Staff.display_name.alias("actor_name"),
    ).join(Staff, join_type=JOIN.LEFT_OUTER, on=(AuditEntry.actor == Staff.id))
    where = _conditions(filters, people)
    if where:
        query = query.where(*where)
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def _count(filters: AuditFilters, people: _People | None) -> tuple[int, bool]:
    """How many entries match, counting at most ``COUNT_CAP + 1`` index entries."""
    inner = AuditEntry.select(AuditEntry.id)
    where = _conditions(filters, people)
    if where:
        inner = inner.where(*where)
    counted = int(
        AuditEntry.select(fn.COUNT(1)).from_(inner.limit(COUNT_CAP + 1).alias("found")).scalar()
        or 0
    )
    return min(counted, COUNT_CAP), counted > COUNT_CAP


# ------------------------------------------------------------------------------------- labels


def _tuples(query: Any) -> list[tuple[Any, ...]]:
    return list(query.tuples())


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _resident_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(Resident.select(Resident.id, Resident.name).where(Resident.id.in_(ids)))
    return {rid: name for rid, name in rows}


def _household_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(
        Household.select(Household.id, Household.number, Resident.name)
        .join(
            Resident,
            JOIN.LEFT_OUTER,
            on=(Resident.household == Household.id) & (Resident.relation == Relation.HEAD.value),
        )
        .where(Household.id.in_(ids))
        .order_by(Household.id, Resident.id)
    )
    labels: dict[int, str] = {}
    for hid, number, head in rows:
        if hid not in labels:
            labels[hid] = _("audit.record.household", head=head) if head else number
    return labels


def _request_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(Request.select(Request.id, Request.number).where(Request.id.in_(ids)))
    return {rid: number for rid, number in rows}


def _booking_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(
        Booking.select(Booking.id, Booking.starts_at, Booking.title).where(Booking.id.in_(ids))
    )
    return {bid: f"{starts:%m-%d} {title}" for bid, starts, title in rows}


def _series_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(
        BookingSeries.select(BookingSeries.id, BookingSeries.title).where(BookingSeries.id.in_(ids))
    )
    return {sid: title for sid, title in rows}


def _room_name(code: str | None, name: str | None) -> str:
    if code is None:
        return _("audit.record.whole_center")
    return _(f"room.{code}") if has(f"room.{code}") else name or code


def _closure_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(
        Closure.select(Closure.id, Closure.starts_at, Room.code, Room.name)
        .join(Room, JOIN.LEFT_OUTER, on=(Closure.room == Room.id))
        .where(Closure.id.in_(ids))
    )
    return {cid: f"{starts:%m-%d} {_room_name(code, name)}" for cid, starts, code, name in rows}


def _staff_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(Staff.select(Staff.id, Staff.display_name).where(Staff.id.in_(ids)))
    return {sid: name for sid, name in rows}


_LABELLERS: dict[str, Callable[[list[int]], dict[int, str]]] = {
    "resident": _resident_labels,
    "household": _household_labels,
    "request": _request_labels,
    "booking": _booking_labels,
    "booking_series": _series_labels,
    "closure": _closure_labels,
    "staff": _staff_labels,
}


def record_labels(pairs: Iterable[tuple[str, int | None]]) -> dict[tuple[str, int | None], str]:
    """A human label for each (entity, id): one query per kind of record, whatever the count."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entity, entity_id in pairs:
        if entity_id is not None:
            wanted[entity].add(entity_id)
    labels: dict[tuple[str, int | None], str] = {}
    for entity, ids in wanted.items():
        labeller = _LABELLERS.get(entity)
        found: dict[int, str] = {}
        if labeller is not None:
            for chunk in _chunks(sorted(ids)):
                found.update(labeller(chunk))
        for entity_id in ids:
            name = found.get(entity_id)
            labels[(entity, entity_id)] = (
                mask_text(name) if name else f"{entity_label(entity)} #{entity_id}"
            )
    return labels


def _reason(text: str) -> str:
    """A quick-choice reason is stored as its catalog key: shown in words."""
    if text and " " not in text and "." in text and has(text):
        return _(text)
    return mask_text(text)


def _detail(text: str) -> str:
    if not text:
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return mask_text(text)
    if not isinstance(value, dict):
        return mask_text(json.dumps(value, ensure_ascii=False))
    parts = []
    for key, item in value.items():
        if item in ("", None, [], {}):
            continue  # an empty field says nothing
        shown = _reason(item) if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
        parts.append(f"{key}: {mask_text(shown)}")
    return "; ".join(parts)


def _rows(raw: list[dict[str, Any]]) -> list[LogRow]:
    labels = record_labels((row["entity"], row["entity_id"]) for row in raw)
    rows = []
    for row in raw:
        if row["entity_id"] is None:
            record = entity_label(row["entity"])
        else:
            record = labels[(row["entity"], row["entity_id"])]
        rows.append(
            LogRow(
                id=row["id"],
                at=row["at"],
                actor_id=row["actor"],
                operator=row["actor_name"] or _("audit.operator_system"),
                action=row["action"],
                entity=row["entity"],
                entity_id=row["entity_id"],
                record=record,
                reason=_reason(row["reason"]),
                detail=_detail(row["detail"]),
            )
        )
    return rows


# ------------------------------------------------------------------------------ the services


def search_entries(
    filters: AuditFilters, *, actor_id: int | None, page: int = 0, page_size: int = 50
) -> AuditPage:
    """One page of the entries matching ``filters``, newest first (supervisors only)."""
    require(actor_id, Can.VIEW_AUDIT)
    people = _people(filters.person, actor_id) if filters.person.strip() else None
    matched = None if people is None else people.found
    if people is not None and not people.residents:
        return AuditPage([], 0, False, page, page_size, people=0)
    total, more = _count(filters, people)
    query = _base(filters, people).limit(page_size).offset(max(0, page) * page_size)
    raw = cast(list[dict[str, Any]], list(query.dicts()))
    return AuditPage(_rows(raw), total, more, page, page_size, people=matched)


def action_choices(*, actor_id: int | None) -> list[str]:
    """The actions to filter by: every one the code writes and any other seen lately, in the
    order of their families."""
    require(actor_id, Can.VIEW_AUDIT)
    recent = (
        AuditEntry.select(AuditEntry.action)
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
    """Every staff member, active ones first, by role, then by name (a disabled account's
    entries stay findable)."""
    require(actor_id, Can.VIEW_AUDIT)
    rows = _tuples(
        Staff.select(Staff.id, Staff.display_name, Staff.username, Staff.role, Staff.active)
    )
    order = {role.value: n for n, role in enumerate(Role)}
    choices = [OperatorChoice(i, name, user, role, bool(on)) for i, name, user, role, on in rows]
    return sorted(choices, key=lambda c: (not c.active, order.get(c.role, 99), c.name, c.id))


def export_folder() -> Path:
    """Where exports are written: ``FRONTDESK_EXPORTS``, else ``exports`` in the user's data
    folder, else the current folder."""
    return output_folder(EXPORTS_ENV, "exports")


def export_path(folder: Path, now: datetime) -> Path:
    """``audit-20261129-103000.csv`` in ``folder``, not overwriting an earlier export."""
    stem = f"audit-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{stem}.csv"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.csv"
        n += 1
    return path


EXPORT_COLUMNS = (
    "time",
    "operator",
    "action",
    "action_code",
    "record",
    "entity",
    "entity_id",
    "reason",
    "detail",
)


def export_entries(
    filters: AuditFilters, path: Path, *, actor_id: int | None, now: datetime
) -> int:
    """Write every entry matching ``filters`` to a CSV file at ``path`` (UTF-8 with a BOM, so
    that Excel reads the Chinese; the header in the current language; masked as on screen),
    then record the export itself. Returns the number of entries written."""
    require(actor_id, Can.VIEW_AUDIT)
    people = _people(filters.person, actor_id) if filters.person.strip() else None
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)  # personal data
    with open(fd, "w", encoding="utf-8-sig", newline="") as out:
        writer = textrules.csv_writer(out)  # no cell read as a formula
        writer.writerow([_(f"audit.col.{column}") for column in EXPORT_COLUMNS])
        if people is None or people.residents:
            chunk: list[dict[str, Any]] = []
            for row in _base(filters, people).dicts().iterator():
                chunk.append(row)
                if len(chunk) == EXPORT_CHUNK:
                    count += _write_rows(writer, chunk)
                    chunk = []
            count += _write_rows(writer, chunk)
    detail = {"file": path.name, "rows": count, "filters": filters.described()}
    write(
        lambda: record(EXPORT_ACTION, "audit_entry", None, actor_id=actor_id, at=now, detail=detail)
    )
    return count


def _write_rows(writer: Any, raw: list[dict[str, Any]]) -> int:
    for row in _rows(raw):
        writer.writerow(
            [
                f"{row.at:%Y-%m-%d %H:%M:%S}",
                row.operator,
                action_label(row.action),
                row.action,
                row.record,
                entity_label(row.entity),
                "" if row.entity_id is None else row.entity_id,
                row.reason,
                row.detail,
            ]
        )
    return len(raw)
