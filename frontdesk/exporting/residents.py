"""The residents, and the households with their members, as workbooks.

The residents' columns are those the roster import reads (姓名, 性别, 民族,
证件类型, 公民身份号码, 出生日期, 联系电话, 与户主关系, 户号, 户主姓名, 小区, 楼栋,
单元, 门牌号, 人员类别, 网格, 特殊人群, 备注, 紧急联系人), so a full export moves into another
database as it is. The households' export is one row per member, the household's
columns repeated on each, ordered household by household with the head
first: a clerk filters it in Excel by any column and keeps whole households together.

Masked as in the lists: ID numbers and phones masked, numbers in notes and in the emergency
contact masked, a sensitive special group shown only when the export is of that group. A full
export (a supervisor, with a reason) writes them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import JOIN, Case, fn

from frontdesk.dates import add_years
from frontdesk.db.models import (
    Building,
    Compound,
    Flat,
    GridL3,
    GridL4,
    Household,
    Resident,
    ResidentTag,
    Tag,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.exporting.book import Column, Kind
from frontdesk.exporting.common import (
    Asker,
    ExportResult,
    Progress,
    asker,
    check_within,
    narrowed,
    new_book,
    record_export,
    title,
)
from frontdesk.i18n import _, has
from frontdesk.masking import mask_id, mask_numbers_in, mask_phone
from frontdesk.permissions import Can
from frontdesk.pinyin import normalise_name
from frontdesk.scope import community_of_grid
from frontdesk.search.finder import search, search_everywhere
from frontdesk.search.query import SearchFilters, parse_address
from frontdesk.vocabulary import Relation, ResidentStatus

WHAT = Can.VIEW_RESIDENT
SEARCH_LIMIT = 500  # what a list found by a typed query holds at most (its "500+")
PROGRESS_EVERY = 2000
Head = Resident.alias("head")


@dataclass(frozen=True)
class ResidentSelection:
    """Which residents: the list screen's filters (``search``: status, grids, group, ages),
    a community, a building (``宏泰学府苑3号楼``, ``学府苑 3``), and the list's typed query."""

    search: SearchFilters = field(default_factory=SearchFilters)
    community_id: int | None = None
    building: str = ""
    query: str = ""


def _label(prefix: str, value: str | None) -> str:
    if not value:
        return ""
    key = f"{prefix}.{value}"
    return _(key) if has(key) else value


# ------------------------------------------------------------------------------------ the query


def _buildings(text: str, communities: frozenset[int] | None) -> list[int]:
    """The buildings ``text`` names (a compound, or part of its name, and a number)."""
    address = parse_address(text.strip())
    if address is None or address.building is None:
        raise UserError("export.bad_building", text=text)
    query = (
        Building.select(Building.id, Compound.name)
        .join(Compound, on=(Compound.id == Building.compound))
        .where(Building.number == address.building)
    )
    if communities is not None:
        query = query.where(Compound.community.in_(sorted(communities)))
    needle = normalise_name(address.compound)
    rows: Any = query.tuples()
    found = [bid for bid, name in rows if needle in normalise_name(name)]
    if not found:
        raise UserError("export.no_such_building", text=text)
    return found


def _conditions(
    who: Asker, selection: ResidentSelection, communities: frozenset[int] | None, today: date
) -> list[Any]:
    f = selection.search
    where: list[Any] = []
    if communities is not None:
        where.append(Compound.community.in_(sorted(communities)))
    if f.status is not None:
        where.append(Resident.status == f.status)
    if f.grid_l4_id is not None:
        check_within(who, WHAT, community_of_grid(f.grid_l4_id))
        where.append(Flat.grid_l4 == f.grid_l4_id)
    if f.grid_l3_id is not None:
        where.append(GridL4.grid_l3 == f.grid_l3_id)
        check_within(who, WHAT, _community_of_l3(f.grid_l3_id))
    if f.grid_l4_code is not None:
        where.append(GridL4.code == f.grid_l4_code)
    if f.grid_l3_code is not None:
        where.append(GridL3.code == f.grid_l3_code)
    if f.age_min is not None:
        where.append(Resident.birth_date <= add_years(today, -f.age_min))
    if f.age_max is not None:
        where.append(Resident.birth_date > add_years(today, -(f.age_max + 1)))
    if f.tag is not None:
        tagged = (
            ResidentTag.select(ResidentTag.resident)
            .join(Tag)
            .where((Tag.code == f.tag) & ResidentTag.ended_at.is_null(True))
        )
        where.append(Resident.id.in_(tagged))
    if selection.building.strip():
        where.append(Building.id.in_(_buildings(selection.building, communities)))
    if selection.query.strip():
        where.append(Resident.id.in_(_found(who, selection, communities, today) or [0]))
    return where


def _community_of_l3(grid_l3_id: int) -> int | None:
    row = GridL3.select(GridL3.community).where(GridL3.id == grid_l3_id).tuples().first()
    return None if row is None else int(row[0])


def _found(
    who: Asker, selection: ResidentSelection, communities: frozenset[int] | None, today: date
) -> list[int]:
    """The residents the list's typed query finds, as the list found them."""
    filters = SearchFilters(
        status=selection.search.status,
        tag=selection.search.tag,
        communities=communities,
    )
    if who.operator is None:
        found = search_everywhere(selection.query, filters, today=today, limit=SEARCH_LIMIT)
    else:
        found = search(
            selection.query, filters, actor_id=who.operator.id, today=today, limit=SEARCH_LIMIT
        )
    return [hit.id for hit in found.hits]


def _joined(query: Any) -> Any:
    return (
        query.join(Household, on=(Household.id == Resident.household))
        .join(Flat, on=(Flat.id == Household.flat))
        .join(Unit, on=(Unit.id == Flat.unit))
        .join(Building, on=(Building.id == Unit.building))
        .join(Compound, on=(Compound.id == Building.compound))
        .join(GridL4, JOIN.LEFT_OUTER, on=(GridL4.id == Flat.grid_l4))
        .join(GridL3, JOIN.LEFT_OUTER, on=(GridL3.id == GridL4.grid_l3))
    )


def _people(where: list[Any], *, by_household: bool) -> Any:
    fields = [
        Resident.id,
        Resident.name,
        Resident.gender,
        Resident.ethnicity,
        Resident.id_number,
        Resident.birth_date,
        Resident.phone,
        Resident.relation,
        Resident.status,
        Resident.notes,
        Resident.emergency_contact,
        Resident.moved_in_on,
        Resident.moved_out_on,
        Resident.died_on,
        Household.id.alias("household_id"),
        Household.number.alias("household"),
        Head.name.alias("head"),
        Compound.name.alias("compound"),
        Building.number.alias("building"),
        Unit.number.alias("unit"),
        Flat.number.alias("flat"),
        GridL4.code.alias("grid"),
        Resident.document_type,
        Resident.category,
    ]
    query = _joined(Resident.select(*fields)).join(
        Head,
        JOIN.LEFT_OUTER,
        on=(
            (Head.household == Household.id)
            & (Head.relation == Relation.HEAD.value)
            & (Head.status == ResidentStatus.LIVING.value)
        ),
    )
    if where:
        query = query.where(*where)
    if by_household:
        head_first = Case(None, [(Resident.relation == Relation.HEAD.value, 0)], 1)
        order = [Household.number, head_first, Resident.birth_date, Resident.id]
    else:
        order = [Compound.name, Building.number, Unit.number, Flat.number, Household.number]
        order.append(Resident.id)
    return query.order_by(*order)


def _tags(where: list[Any]) -> dict[int, list[tuple[str, bool]]]:
    ids = _joined(Resident.select(Resident.id))
    if where:
        ids = ids.where(*where)
    rows: Any = (
        ResidentTag.select(ResidentTag.resident, Tag.code, Tag.sensitive)
        .join(Tag)
        .where(ResidentTag.ended_at.is_null(True) & ResidentTag.resident.in_(ids))
        .order_by(Tag.sort, Tag.id)
        .tuples()
    )
    tags: dict[int, list[tuple[str, bool]]] = {}
    for resident_id, code, sensitive in rows:
        tags.setdefault(resident_id, []).append((code, bool(sensitive)))
    return tags


def _count(where: list[Any]) -> int:
    query = _joined(Resident.select(fn.COUNT(Resident.id)))
    if where:
        query = query.where(*where)
    return int(query.scalar() or 0)


# ------------------------------------------------------------------------------------ the rows


RESIDENT_COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("name", Kind.TEXT),
    ("gender", Kind.TEXT),
    ("ethnicity", Kind.TEXT),
    ("document_type", Kind.TEXT),
    ("id_number", Kind.CODE),
    ("birth_date", Kind.DATE),
    ("phone", Kind.CODE),
    ("relation", Kind.TEXT),
    ("household", Kind.CODE),
    ("head", Kind.TEXT),
    ("compound", Kind.TEXT),
    ("building", Kind.TEXT),
    ("unit", Kind.TEXT),
    ("flat", Kind.TEXT),
    ("category", Kind.TEXT),
    ("grid", Kind.TEXT),
    ("tags", Kind.TEXT),
    ("notes", Kind.TEXT),
    ("emergency_contact", Kind.TEXT),
    ("moved_in_on", Kind.DATE),
)
STATUS_COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("status", Kind.TEXT),
    ("left_on", Kind.DATE),
)
HOUSEHOLD_COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("household", Kind.CODE),
    ("compound", Kind.TEXT),
    ("building", Kind.TEXT),
    ("unit", Kind.TEXT),
    ("flat", Kind.TEXT),
    ("grid", Kind.TEXT),
    ("head", Kind.TEXT),
    ("members", Kind.NUMBER),
    ("name", Kind.TEXT),
    ("relation", Kind.TEXT),
    ("gender", Kind.TEXT),
    ("birth_date", Kind.DATE),
    ("document_type", Kind.TEXT),
    ("id_number", Kind.CODE),
    ("phone", Kind.CODE),
    ("tags", Kind.TEXT),
    ("status", Kind.TEXT),
)


def _columns(spec: tuple[tuple[str, Kind], ...]) -> list[Column]:
    return [Column(_(f"export.col.{name}"), kind) for name, kind in spec]


def _values(
    row: dict[str, Any], tags: list[tuple[str, bool]], who: Asker, tag_filter: str | None
) -> dict[str, Any]:
    full = who.full
    shown = [
        _(f"tag.{code}") for code, sensitive in tags if full or not sensitive or code == tag_filter
    ]
    document = row["document_type"] if row["id_number"] else ""
    return {
        "name": row["name"],
        "gender": _label("enum.gender", row["gender"]),
        "ethnicity": row["ethnicity"],
        "document_type": _label("enum.document_type", document),
        "id_number": row["id_number"] if full else mask_id(row["id_number"]),
        "birth_date": row["birth_date"],
        "phone": row["phone"] if full else mask_phone(row["phone"]),
        "relation": _label("enum.relation", row["relation"]),
        "household": row["household"],
        "head": row["head"] or "",
        "compound": row["compound"],
        "building": str(row["building"]),
        "unit": str(row["unit"]),
        "flat": str(row["flat"]),
        "category": _label("enum.resident_category", row["category"]),
        "grid": row["grid"] or "",
        "tags": "、".join(shown),
        "notes": row["notes"] if full else mask_numbers_in(row["notes"] or ""),
        "emergency_contact": (
            row["emergency_contact"] if full else mask_numbers_in(row["emergency_contact"] or "")
        ),
        "status": _label("enum.resident_status", row["status"]),
        "left_on": row["died_on"] or row["moved_out_on"],
        "moved_in_on": row["moved_in_on"],
    }


def _described(selection: ResidentSelection) -> tuple[list[str], dict[str, Any]]:
    """The filters in words for the title, and as values for the audit entry."""
    f = selection.search
    words: list[str] = []
    values: dict[str, Any] = {}
    if f.grid_l4_id is not None or f.grid_l4_code is not None:
        code = f.grid_l4_code or _grid_code(GridL4, f.grid_l4_id)
        words.append(_("export.filter.grid", grid=code))
        values["grid_l4"] = code
    if f.grid_l3_id is not None or f.grid_l3_code is not None:
        code = f.grid_l3_code or _grid_code(GridL3, f.grid_l3_id)
        words.append(_("export.filter.grid_l3", grid=code))
        values["grid_l3"] = code
    if selection.building.strip():
        words.append(selection.building.strip())
        values["building"] = selection.building.strip()
    if f.tag is not None:
        words.append(_(f"tag.{f.tag}"))
        values["tag"] = f.tag
    if f.age_min is not None or f.age_max is not None:
        words.append(_("export.filter.ages", low=f.age_min or 0, high=f.age_max or "∞"))
        values["ages"] = [f.age_min, f.age_max]
    words.append(
        _label("enum.resident_status", f.status) if f.status else _("export.filter.all_statuses")
    )
    values["status"] = f.status or "all"
    if selection.query.strip():
        words.append(_("export.filter.query", query=selection.query.strip()))
        values["query"] = selection.query.strip()
    return words, values


def _grid_code(model: Any, grid_id: int | None) -> str:
    row = model.select(model.code).where(model.id == grid_id).tuples().first()
    return "" if row is None else str(row[0])


# ------------------------------------------------------------------------------------ services


def export_residents(
    selection: ResidentSelection,
    path: Path,
    *,
    actor_id: int | None,
    now: datetime,
    command_line: bool = False,
    full: bool = False,
    reason: str = "",
    progress: Progress | None = None,
) -> ExportResult:
    """The residents under ``selection``, one row each, in the roster import's columns."""
    return _export(
        "residents", selection, path, actor_id, now, command_line, full, reason, progress
    )


def export_households(
    selection: ResidentSelection,
    path: Path,
    *,
    actor_id: int | None,
    now: datetime,
    command_line: bool = False,
    full: bool = False,
    reason: str = "",
    progress: Progress | None = None,
) -> ExportResult:
    """The households with a resident under ``selection``, with all their members (of the
    status asked for): one row per member, household by household, the head first, the
    household's columns on every row."""
    return _export(
        "households", selection, path, actor_id, now, command_line, full, reason, progress
    )


def _export(
    kind: str,
    selection: ResidentSelection,
    path: Path,
    actor_id: int | None,
    now: datetime,
    command_line: bool,
    full: bool,
    reason: str,
    progress: Progress | None,
) -> ExportResult:
    who = asker(actor_id, WHAT, command_line=command_line, full=full, reason=reason)
    communities = narrowed(who, WHAT, selection.community_id)
    asked = selection.search.communities  # a screen may narrow, never widen
    if asked is not None:
        communities = asked if communities is None else communities & asked
    today = now.date()
    where = _conditions(who, selection, communities, today)
    words, values = _described(selection)
    households = kind == "households"
    if households:
        where = _whole_households(where, selection.search.status)
    spec = HOUSEHOLD_COLUMNS if households else RESIDENT_COLUMNS
    if not households and selection.search.status != ResidentStatus.LIVING.value:
        spec = spec + STATUS_COLUMNS
    total = _count(where) if progress is not None else 0
    tags = _tags(where)
    members = _members(where) if households else {}
    heading = title(_(f"export.what.{kind}"), communities, words, now, who.full)
    rows = 0
    with new_book(path) as book:
        sheet = book.sheet(_(f"export.what.{kind}"), _columns(spec), heading)
        names = [name for name, _kind in spec]
        for row in _stream(_people(where, by_household=households)):
            values_of = _values(row, tags.get(row["id"], []), who, selection.search.tag)
            values_of["members"] = members.get(row["household_id"], 0)
            sheet.row([values_of[name] for name in names])
            rows += 1
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(rows / max(total, 1))
        sheet.finish()
    result = ExportResult(path=path, rows=rows, masked=not who.full)
    record_export(who, kind, communities=communities, filters=values, result=result, now=now)
    if progress is not None:
        progress(1.0)
    return result


def _whole_households(where: list[Any], status: str | None) -> list[Any]:
    """The households with someone under the filters, with all their members of the status
    asked for (a left-behind child's household: the child and the grandparents)."""
    found = _joined(Resident.select(Resident.household))
    if where:
        found = found.where(*where)
    whole = [Resident.household.in_(found)]
    if status is not None:
        whole.append(Resident.status == status)
    return whole


def _members(where: list[Any]) -> dict[int, int]:
    """Living members of each household the export holds."""
    ids = _joined(Resident.select(Household.id))
    if where:
        ids = ids.where(*where)
    rows: Any = (
        Resident.select(Resident.household, fn.COUNT(Resident.id))
        .where((Resident.status == ResidentStatus.LIVING.value) & Resident.household.in_(ids))
        .group_by(Resident.household)
        .tuples()
    )
    return {household: count for household, count in rows}


def _stream(query: Any) -> Iterator[dict[str, Any]]:
    yield from query.dicts().iterator()
