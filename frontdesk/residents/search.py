"""One search box for every way people ask at the desk.

A query is read every way it could mean something — a name or part of one, pinyin or its
initials, a phone fragment, an ID-number tail, an address (``3-2-1001``, ``学府苑3号楼2单元``), a
household number — and the answers are merged and ranked so that an exact name or an exact flat
comes first. Every look-up is an indexed range scan (see ``frontdesk.db.search``); the filters
(status, grid, special group, age) are applied in the same queries.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any

from peewee import JOIN

from frontdesk.dates import add_years, age_on
from frontdesk.db.enums import ResidentStatus
from frontdesk.db.models import (
    Building,
    Compound,
    Flat,
    GridL3,
    GridL4,
    Household,
    Resident,
    ResidentTag,
    SearchKey,
    Tag,
    Unit,
)
from frontdesk.db.search import (
    ID_REVERSED,
    INITIALS,
    NAME,
    PHONES,
    PINYIN,
    prefix_range,
)
from frontdesk.masking import mask_phone
from frontdesk.pinyin import has_cjk, latin_query, normalise_name, split_name
from frontdesk.residents.records import dict_rows

CAP = 500  # candidates looked at per kind of match; more shows as "500+"
MIN_PHONE = 3
MIN_ID_TAIL = 4

# Tiers: lower comes first.
EXACT, PREFIX, PART, LOOSE = 0, 1, 2, 3


@dataclass(frozen=True)
class SearchFilters:
    status: str | None = ResidentStatus.LIVING.value  # None: everyone
    grid_l3_id: int | None = None
    grid_l4_id: int | None = None
    tag: str | None = None  # a tag code, e.g. left_behind_child
    age_min: int | None = None
    age_max: int | None = None
    grid_l3_code: str | None = None  # "2": typed as 第2网格
    grid_l4_code: str | None = None  # "2-3": typed as 2-3网格

    @property
    def narrowing(self) -> bool:
        """True when the filters alone pick a list worth showing without a query."""
        return any(
            value is not None
            for value in (
                self.grid_l3_id,
                self.grid_l4_id,
                self.tag,
                self.age_min,
                self.age_max,
                self.grid_l3_code,
                self.grid_l4_code,
            )
        )


@dataclass(frozen=True)
class ResidentHit:
    id: int
    name: str
    gender: str
    age: int
    status: str
    address: str  # 宏泰学府苑 3-2-1001
    grid: str  # 2-3
    phone: str  # masked
    tags: tuple[str, ...]  # tag codes that may be shown
    hidden_tags: int  # sensitive tags held back
    matched: str  # name, pinyin, initials, phone, id, address, household, filter


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[ResidentHit]
    total: int
    more: bool  # total is a lower bound
    filters: SearchFilters = field(default_factory=lambda: SearchFilters())  # as applied


@dataclass
class _Candidates:
    tiers: dict[int, tuple[int, str]] = field(default_factory=dict)  # id -> (tier, matched)
    names: dict[int, str] = field(default_factory=dict)
    more: bool = False

    def add(self, resident_id: int, name: str, tier: int, matched: str) -> None:
        known = self.tiers.get(resident_id)
        if known is None or tier < known[0]:
            self.tiers[resident_id] = (tier, matched)
        self.names[resident_id] = name


# ------------------------------------------------------------------------------ reading a query

_ADDRESS = re.compile(
    r"""^(?P<compound>[^\d\s\-#]*?)\s*
        (?P<building>\d{1,3})\s*(?P<bmark>号楼|号|栋|幢|座|\#)?\s*
        (?:[-－—\s]\s*)?
        (?:(?P<unit>\d{1,2})\s*(?P<umark>单元)?\s*(?:[-－—\s]\s*)?)?
        (?:(?P<flat>\d{1,4})\s*(?:室|号)?)?$""",
    re.VERBOSE,
)
_HOUSEHOLD = re.compile(r"^[A-Za-z]{2,4}-?\d{1,8}$")
_ID_TAIL = re.compile(r"^\d{3,17}[\dXx]$")


@dataclass(frozen=True)
class Address:
    compound: str
    building: int | None
    unit: int | None
    flat: int | None
    flat_digits: str = ""  # as typed: "10" while typing 1001 matches floor 10 and 101–109

    @property
    def partial_flat(self) -> bool:
        return 0 < len(self.flat_digits) < 3


def normalise_query(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def parse_address(text: str) -> Address | None:
    """``3-2-1001``, ``3号楼2单元1001室``, ``学府苑 3号楼`` → the parts; None if not an address."""
    match = _ADDRESS.match(text)
    if not match:
        return None
    parts = match.groupdict()
    has_marker = bool(parts["bmark"] or parts["umark"]) or "-" in text or "－" in text
    if not (has_marker or parts["compound"]):
        return None  # bare digits are a phone or an ID tail, not an address
    if (
        parts["unit"] is None
        and parts["flat"] is None
        and not (parts["bmark"] or parts["compound"])
    ):
        return None
    return Address(
        compound=parts["compound"] or "",
        building=int(parts["building"]),
        unit=int(parts["unit"]) if parts["unit"] else None,
        flat=int(parts["flat"]) if parts["flat"] else None,
        flat_digits=parts["flat"] or "",
    )


# ------------------------------------------------------------------------------------ filtering


def _filtered(query: object, filters: SearchFilters, today: date) -> object:
    """Add the filters to a query that selects from ``Resident``."""
    q = query
    if filters.status is not None:
        q = q.where(Resident.status == filters.status)  # type: ignore[attr-defined]
    by_id = filters.grid_l3_id is not None or filters.grid_l4_id is not None
    by_code = filters.grid_l3_code is not None or filters.grid_l4_code is not None
    if by_id or by_code:
        q = q.join(Household, on=(Household.id == Resident.household)).join(  # type: ignore[attr-defined]
            Flat, on=(Flat.id == Household.flat)
        )
        if filters.grid_l4_id is not None:
            q = q.where(Flat.grid_l4 == filters.grid_l4_id)
        if filters.grid_l3_id is not None or by_code:
            q = q.join(GridL4, on=(GridL4.id == Flat.grid_l4))
        if filters.grid_l3_id is not None:
            q = q.where(GridL4.grid_l3 == filters.grid_l3_id)
        if filters.grid_l4_code is not None:
            q = q.where(GridL4.code == filters.grid_l4_code)
        if filters.grid_l3_code is not None:
            q = q.join(GridL3, on=(GridL3.id == GridL4.grid_l3)).where(
                GridL3.code == filters.grid_l3_code
            )
    if filters.age_min is not None:
        q = q.where(Resident.birth_date <= add_years(today, -filters.age_min))  # type: ignore[attr-defined]
    if filters.age_max is not None:
        q = q.where(Resident.birth_date > add_years(today, -(filters.age_max + 1)))  # type: ignore[attr-defined]
    if filters.tag is not None:
        # IN (not EXISTS): a rare tag drives the query from its own index
        tagged = (
            ResidentTag.select(ResidentTag.resident)
            .join(Tag)
            .where((Tag.code == filters.tag) & ResidentTag.ended_at.is_null(True))
        )
        q = q.where(Resident.id.in_(tagged))  # type: ignore[attr-defined]
    return q


def tuple_rows(query: Any) -> list[tuple[Any, ...]]:
    return list(query.tuples())


# ------------------------------------------------------------------------------------ sources


def _by_key(
    found: _Candidates, kind: str, text: str, filters: SearchFilters, today: date
) -> Iterator[tuple[int, str, str]]:
    """(id, name, key) of residents with a key of ``kind`` starting with ``text``."""
    low, high = prefix_range(kind, text)
    # CROSS JOIN keeps SQLite scanning the key range first, then each resident by its id.
    query = (
        SearchKey.select(Resident.id, Resident.name, SearchKey.key)
        .join(Resident, JOIN.CROSS)
        .where(
            (SearchKey.key >= low) & (SearchKey.key < high) & (Resident.id == SearchKey.resident_id)
        )
    )
    rows = list(_filtered(query, filters, today).limit(CAP + 1).tuples())  # type: ignore[attr-defined]
    if len(rows) > CAP:
        found.more = True
    yield from rows[:CAP]


def _by_ids(ids: Iterable[int], filters: SearchFilters, today: date) -> Iterator[tuple[int, str]]:
    """(id, name) of the residents among ``ids`` that pass the filters, in chunks."""
    chunk: list[int] = []

    def flush() -> list[tuple[int, str]]:
        query = Resident.select(Resident.id, Resident.name).where(Resident.id.in_(chunk))
        return list(_filtered(query, filters, today).tuples())  # type: ignore[attr-defined]

    for resident_id in ids:
        chunk.append(resident_id)
        if len(chunk) == 400:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def _names(found: _Candidates, text: str, filters: SearchFilters, today: date) -> None:
    plain = normalise_name(text)
    if not plain:
        return
    for resident_id, name, _key in _by_key(found, NAME, plain, filters, today):
        own = normalise_name(name)
        tier = EXACT if own == plain else PREFIX if own.startswith(plain) else PART
        found.add(resident_id, name, tier, "name")


def _pinyin(found: _Candidates, text: str, filters: SearchFilters, today: date) -> None:
    letters = latin_query(text)
    if not letters.isalpha() or not letters.isascii():
        return
    for kind, matched in ((PINYIN, "pinyin"), (INITIALS, "initials")):
        for resident_id, name, key in _by_key(found, kind, letters, filters, today):
            found.add(resident_id, name, PREFIX if key[1:] == letters else PART, matched)


def _phone(found: _Candidates, digits: str, filters: SearchFilters, today: date) -> None:
    if len(digits) < MIN_PHONE:
        return
    exact = len(digits) >= 11
    matches = _by_ids(PHONES.find(digits), filters, today)
    for seen, (resident_id, name) in enumerate(matches, start=1):
        found.add(resident_id, name, EXACT if exact else PART, "phone")
        if seen >= CAP:
            found.more = True
            return


def _id_tail(found: _Candidates, text: str, filters: SearchFilters, today: date) -> None:
    if len(text) < MIN_ID_TAIL or not _ID_TAIL.match(text):
        return
    tail = text.upper()
    for resident_id, name, _key in _by_key(found, ID_REVERSED, tail[::-1], filters, today):
        found.add(resident_id, name, EXACT if len(tail) == 18 else PART, "id")


def _household(found: _Candidates, text: str, filters: SearchFilters, today: date) -> None:
    if not _HOUSEHOLD.match(text):
        return
    letters = "".join(ch for ch in text if ch.isalpha()).upper()
    digits = "".join(ch for ch in text if ch.isdigit())
    number = f"{letters}-{digits.zfill(6)}"
    query = (
        Resident.select(Resident.id, Resident.name)
        .join(Household, on=(Household.id == Resident.household))
        .where(Household.number == number)
    )
    for resident_id, name in _filtered(query, filters, today).tuples():  # type: ignore[attr-defined]
        found.add(resident_id, name, EXACT, "household")


def _compound_ids(part: str) -> list[int]:
    if not part:
        return []
    needle = normalise_name(part)
    return [
        compound_id
        for compound_id, name in tuple_rows(Compound.select(Compound.id, Compound.name))
        if needle in normalise_name(name)
    ]


def _address(found: _Candidates, text: str, filters: SearchFilters, today: date) -> None:
    address = parse_address(text)
    compound_only = address is None and has_cjk(text) and len(normalise_name(text)) >= 2
    if address is None and not compound_only:
        return
    compounds = _compound_ids(address.compound if address else text)
    if (address is None or address.compound) and not compounds:
        return
    query = (
        Resident.select(Resident.id, Resident.name)
        .join(Household, on=(Household.id == Resident.household))
        .join(Flat, on=(Flat.id == Household.flat))
        .join(Unit, on=(Unit.id == Flat.unit))
        .join(Building, on=(Building.id == Unit.building))
    )
    if compounds:
        query = query.where(Building.compound.in_(compounds))
    tier = LOOSE
    if address is not None:
        query = query.where(Building.number == address.building)
        if address.unit is not None:
            query = query.where(Unit.number == address.unit)
        if address.partial_flat:  # still typing the flat number
            digits = address.flat_digits
            query = query.where(Flat.number.cast("TEXT").startswith(digits))
            tier = PART
        elif address.flat is not None:
            query = query.where(Flat.number == address.flat)
            tier = EXACT
        else:
            tier = PART
    query = query.order_by(Building.id, Unit.number, Flat.number, Resident.id)
    rows = list(_filtered(query, filters, today).limit(CAP + 1).tuples())  # type: ignore[attr-defined]
    if len(rows) > CAP:
        found.more = True
    for resident_id, name in rows[:CAP]:
        found.add(resident_id, name, tier, "address")


def _filters_only(found: _Candidates, filters: SearchFilters, today: date) -> None:
    query = Resident.select(Resident.id, Resident.name).order_by(Resident.household, Resident.id)
    rows = list(_filtered(query, filters, today).limit(CAP + 1).tuples())  # type: ignore[attr-defined]
    if len(rows) > CAP:
        found.more = True
    for resident_id, name in rows[:CAP]:
        found.add(resident_id, name, LOOSE, "filter")


# ------------------------------------------------------------------------------ filter words

_GRID_L4_WORD = re.compile(
    r"(?:^|\s)(?:(\d{1,2}-\d{1,2})\s*网格|网格\s*(\d{1,2}-\d{1,2})|grid\s*(\d{1,2}-\d{1,2}))(?=\s|$)",
    re.IGNORECASE,
)
_GRID_L3_WORD = re.compile(
    r"(?:^|\s)(?:第\s*(\d{1,2})\s*网格|grid\s*(\d{1,2}))(?=\s|$)", re.IGNORECASE
)


@cache
def _tag_words() -> dict[str, str]:
    """Every way a special group is written (Chinese, English, code) → its code (built once:
    it covers both languages)."""
    from frontdesk.i18n import catalog

    words: dict[str, str] = {}
    for language in ("zh", "en"):
        for key, name in catalog(language).items():
            if key.startswith("tag."):
                code = key.removeprefix("tag.")
                words[name.lower()] = code
                words[code] = code
    return words


def interpret(query: str, filters: SearchFilters) -> tuple[str, SearchFilters]:
    """Filter words typed into the box become filters: ``留守儿童 2-3网格`` lists the
    left-behind children of grid 2-3; what is left is searched as usual."""
    text = normalise_query(query)
    changes: dict[str, object] = {}
    match = _GRID_L4_WORD.search(text)
    if match:
        changes["grid_l4_code"] = next(g for g in match.groups() if g)
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
    match = _GRID_L3_WORD.search(text)
    if match:
        changes["grid_l3_code"] = next(g for g in match.groups() if g)
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
    words = _tag_words()
    lowered = text.lower()
    for word in sorted(words, key=len, reverse=True):
        position = lowered.find(word)
        if position >= 0 and len(word) >= 2:
            end = position + len(word)
            if (position == 0 or lowered[position - 1] == " ") and (
                end == len(lowered) or lowered[end] == " "
            ):
                changes["tag"] = words[word]
                text = (text[:position] + " " + text[end:]).strip()
                break
    if not changes:
        return query, filters
    return " ".join(text.split()), replace(filters, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------- search


def search(
    query: str, filters: SearchFilters | None = None, *, today: date, limit: int = 50
) -> SearchResult:
    """Residents matching ``query`` under ``filters``, best first (masked fields only)."""
    text, filters = interpret(query, filters or SearchFilters())
    text = normalise_query(text)
    found = _Candidates()
    compact = text.replace(" ", "")
    if not text:
        if filters.narrowing:
            _filters_only(found, filters, today)
    else:
        _household(found, compact, filters, today)
        _address(found, text, filters, today)
        if has_cjk(text):
            _names(found, text, filters, today)
        elif compact.isdigit():
            _phone(found, compact, filters, today)
            _id_tail(found, compact, filters, today)
        elif _ID_TAIL.match(compact):
            _id_tail(found, compact, filters, today)
        else:
            _pinyin(found, text, filters, today)
    # Within a tier, names by the commoner surname first ("lihui": 李慧 and 李辉 before 厉辉),
    # everything else (a flat, a phone) in the order found: a household stays together.
    surnames = {rid: split_name(name)[0] for rid, name in found.names.items()}
    common = Counter(surnames.values())
    order = {rid: n for n, rid in enumerate(found.tiers)}

    def rank(rid: int) -> tuple[int, int, int, str, int]:
        tier, matched = found.tiers[rid]
        if matched in ("name", "pinyin", "initials"):
            name = found.names[rid]
            return (tier, -common[surnames[rid]], len(name), name, rid)
        return (tier, 0, 0, "", order[rid])

    ranked = sorted(found.tiers, key=rank)
    top = ranked[:limit]
    hits = _hits(top, {rid: found.tiers[rid][1] for rid in top}, filters, today)
    return SearchResult(query=query, hits=hits, total=len(ranked), more=found.more, filters=filters)


def _hits(
    ids: list[int], matched: dict[int, str], filters: SearchFilters, today: date
) -> list[ResidentHit]:
    if not ids:
        return []
    rows = (
        Resident.select(
            Resident.id,
            Resident.name,
            Resident.gender,
            Resident.birth_date,
            Resident.status,
            Resident.phone,
            Compound.name.alias("compound"),
            Building.number.alias("building"),
            Unit.number.alias("unit"),
            Flat.number.alias("flat"),
            GridL4.code.alias("grid"),
        )
        .join(Household, on=(Household.id == Resident.household))
        .join(Flat, on=(Flat.id == Household.flat))
        .join(Unit, on=(Unit.id == Flat.unit))
        .join(Building, on=(Building.id == Unit.building))
        .join(Compound, on=(Compound.id == Building.compound))
        .join(GridL4, JOIN.LEFT_OUTER, on=(GridL4.id == Flat.grid_l4))
        .where(Resident.id.in_(ids))
    )
    tags: dict[int, list[tuple[str, bool]]] = {}
    tag_rows = tuple_rows(
        ResidentTag.select(ResidentTag.resident, Tag.code, Tag.sensitive)
        .join(Tag)
        .where(ResidentTag.resident.in_(ids) & ResidentTag.ended_at.is_null(True))
        .order_by(Tag.sort)
    )
    for resident_id, code, sensitive in tag_rows:
        tags.setdefault(resident_id, []).append((code, sensitive))
    by_id = {}
    for row in dict_rows(rows):
        own = tags.get(row["id"], [])
        shown = tuple(code for code, sensitive in own if not sensitive or code == filters.tag)
        by_id[row["id"]] = ResidentHit(
            id=row["id"],
            name=row["name"],
            gender=row["gender"],
            age=age_on(row["birth_date"], today),
            status=row["status"],
            address=f"{row['compound']} {row['building']}-{row['unit']}-{row['flat']}",
            grid=row["grid"] or "",
            phone=mask_phone(row["phone"]),
            tags=shown,
            hidden_tags=len(own) - len(shown),
            matched=matched[row["id"]],
        )
    return [by_id[rid] for rid in ids if rid in by_id]


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
