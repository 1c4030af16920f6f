"""One search box for every way people ask at the desk.

A query is read every way it could mean something — a name or part of one, pinyin or its
initials, a phone fragment, an ID-number tail, an address (``3-2-1001``, ``学府苑3号楼2单元``), a
household number — and the answers are merged and ranked so that an exact name or an exact flat
comes first. Every look-up is an indexed range scan (see ``frontdesk.db.search``); the filters
(status, grid, special group, age) are applied in the same queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast

from peewee import JOIN

from frontdesk.dates import add_years, age_on
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
from frontdesk.masking import STAR, mask_id, mask_phone
from frontdesk.permissions import Can, require
from frontdesk.pinyin import has_cjk, latin_query, normalise_name, split_name
from frontdesk.search.query import (
    _DOCUMENT,
    _HOUSEHOLD,
    _ID_TAIL,
    SearchFilters,
    interpret,
    normalise_query,
    parse_address,
)
from frontdesk.vocabulary import DocumentType

CAP = 500  # candidates looked at per kind of match; more shows as "500+"
MIN_PHONE = 3
MIN_ID_TAIL = 4

# Tiers: lower comes first.
EXACT, PREFIX, PART, LOOSE = 0, 1, 2, 3


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
    id_tail: str = ""  # the last characters of the ID number its mask shows ("123X"), or ""
    document_type: str = DocumentType.ID_CARD.value  # what that number is


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


def _tuple_rows(query: Any) -> list[tuple[Any, ...]]:
    return list(query.tuples())


def _dict_rows(query: Any) -> list[dict[str, Any]]:
    """The rows of a ``.dicts()`` query (the stubs type them as models)."""
    return cast(list[dict[str, Any]], list(query.dicts()))


# ------------------------------------------------------------------------------------ filtering


def in_communities(communities: Iterable[int]) -> Any:
    """Households of these communities (a subquery for ``Resident.household.in_``)."""
    return (
        Household.select(Household.id)
        .join(Flat, on=(Flat.id == Household.flat))
        .join(Unit, on=(Unit.id == Flat.unit))
        .join(Building, on=(Building.id == Unit.building))
        .join(Compound, on=(Compound.id == Building.compound))
        .where(Compound.community.in_(sorted(communities)))
    )


def _filtered(query: object, filters: SearchFilters, today: date, *, keyed: bool = False) -> object:
    """Add the filters to a query that selects from ``Resident`` (``keyed``: one driven by the
    search keys, which carry the community themselves)."""
    q = query
    if filters.communities is not None and not keyed:
        q = q.where(Resident.household.in_(in_communities(filters.communities)))  # type: ignore[attr-defined]
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
    if filters.communities is not None:
        query = query.where(SearchKey.community_id.in_(sorted(filters.communities)))
    filtered = _filtered(query, filters, today, keyed=True)
    rows = list(filtered.limit(CAP + 1).tuples())  # type: ignore[attr-defined]
    if len(rows) > CAP:
        found.more = True
    yield from rows[:CAP]


def _by_ids(ids: Iterable[int], filters: SearchFilters, today: date) -> Iterator[tuple[int, str]]:
    """(id, name) of the residents among ``ids`` that pass the filters, in chunks. The ids come
    from the phone index, already inside the operator's communities."""
    chunk: list[int] = []

    def flush() -> list[tuple[int, str]]:
        query = Resident.select(Resident.id, Resident.name).where(Resident.id.in_(chunk))
        return list(_filtered(query, filters, today, keyed=True).tuples())  # type: ignore[attr-defined]

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
    matches = _by_ids(PHONES.find(digits, filters.communities), filters, today)
    for seen, (resident_id, name) in enumerate(matches, start=1):
        found.add(resident_id, name, EXACT if exact else PART, "phone")
        if seen >= CAP:
            found.more = True
            return


def _id_tail(found: _Candidates, text: str, filters: SearchFilters, today: date) -> None:
    """The end of an ID number, or a whole passport or permit number (its own end)."""
    if len(text) < MIN_ID_TAIL or not (_ID_TAIL.match(text) or _DOCUMENT.match(text)):
        return
    tail = text.upper()
    for resident_id, name, key in _by_key(found, ID_REVERSED, tail[::-1], filters, today):
        whole = len(tail) == 18 or key[1:] == tail[::-1]
        found.add(resident_id, name, EXACT if whole else PART, "id")


def _household(found: _Candidates, text: str, filters: SearchFilters, today: date) -> None:
    if not _HOUSEHOLD.match(text):
        return
    letters = "".join(ch for ch in text if ch.isalpha()).upper()
    digits = "".join(ch for ch in text if ch.isdigit())
    number = f"{letters}-{digits.zfill(6)}"
    query = (
        Resident.select(Resident.id, Resident.name)
        .join(Household, on=(Household.id == Resident.household))
        .join(Flat, on=(Flat.id == Household.flat))
        .join(Unit, on=(Unit.id == Flat.unit))
        .join(Building, on=(Building.id == Unit.building))
        .join(Compound, on=(Compound.id == Building.compound))
        .where(Household.number == number)
    )
    if filters.communities is not None:  # one household: its own joins, not the scope's list
        query = query.where(Compound.community.in_(sorted(filters.communities)))
    scoped = _filtered(query, filters, today, keyed=True)
    for resident_id, name in scoped.tuples():  # type: ignore[attr-defined]
        found.add(resident_id, name, EXACT, "household")


def _compound_ids(part: str, communities: frozenset[int] | None) -> list[int]:
    if not part:
        return []
    needle = normalise_name(part)
    query = Compound.select(Compound.id, Compound.name)
    if communities is not None:
        query = query.where(Compound.community.in_(sorted(communities)))
    return [
        compound_id for compound_id, name in _tuple_rows(query) if needle in normalise_name(name)
    ]


def _compound_ids_in(communities: frozenset[int]) -> list[int]:
    query = Compound.select(Compound.id).where(Compound.community.in_(sorted(communities)))
    return [compound_id for (compound_id,) in _tuple_rows(query)]


def _address(found: _Candidates, text: str, filters: SearchFilters, today: date) -> None:
    address = parse_address(text)
    compound_only = address is None and has_cjk(text) and len(normalise_name(text)) >= 2
    if address is None and not compound_only:
        return
    compounds = _compound_ids(address.compound if address else text, filters.communities)
    if (address is None or address.compound) and not compounds:
        return
    if not compounds and filters.communities is not None:  # "3号楼": any compound in scope
        compounds = _compound_ids_in(filters.communities)
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
    # the compounds are the scope's: no need for its list of households
    scoped = _filtered(query, filters, today, keyed=bool(compounds))
    rows = list(scoped.limit(CAP + 1).tuples())  # type: ignore[attr-defined]
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


# ------------------------------------------------------------------------------------- search


def search(
    query: str,
    filters: SearchFilters | None = None,
    *,
    actor_id: int | None,
    today: date,
    limit: int = 50,
) -> SearchResult:
    """Residents matching ``query`` under ``filters``, best first (masked fields only), only
    inside the operator's communities."""
    operator = require(actor_id, Can.VIEW_RESIDENT)
    asked = (filters or SearchFilters()).communities  # a screen may narrow, never widen
    allowed = operator.communities if asked is None else operator.communities & asked
    scoped = replace(filters or SearchFilters(), communities=allowed)
    return _search(query, scoped, today=today, limit=limit)


def search_everywhere(
    query: str, filters: SearchFilters | None = None, *, today: date, limit: int = 50
) -> SearchResult:
    """``search`` over every community, for the command line: there the authority is access to
    the database file itself, and what it prints is masked all the same."""
    return _search(
        query, replace(filters or SearchFilters(), communities=None), today=today, limit=limit
    )


def _search(query: str, filters: SearchFilters, *, today: date, limit: int) -> SearchResult:
    text, filters = interpret(query, filters)
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
        elif _ID_TAIL.match(compact) or _DOCUMENT.match(compact):
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
            Resident.id_number,
            Resident.document_type,
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
    tag_rows = _tuple_rows(
        ResidentTag.select(ResidentTag.resident, Tag.code, Tag.sensitive)
        .join(Tag)
        .where(ResidentTag.resident.in_(ids) & ResidentTag.ended_at.is_null(True))
        .order_by(Tag.sort)
    )
    for resident_id, code, sensitive in tag_rows:
        tags.setdefault(resident_id, []).append((code, sensitive))
    by_id = {}
    for row in _dict_rows(rows):
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
            id_tail=_masked_tail(row["id_number"]),
            document_type=row["document_type"],
        )
    return [by_id[rid] for rid in ids if rid in by_id]


def _masked_tail(id_number: str | None) -> str:
    """What ``mask_id`` leaves of the end of an ID number (``141102********123X`` → ``123X``)."""
    masked = mask_id(id_number)
    return masked.rpartition(STAR)[2] if STAR in masked else ""
