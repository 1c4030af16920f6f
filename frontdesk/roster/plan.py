"""What an import of residents would do, before anything is written (issue 13, "Nothing is
written before a preview"): each row new, an update (field by field, old → new), unchanged, or
refused with the reason for each refused cell; the households it would make; the places the
file names that the community does not have; the people on the register the file leaves out.

Read only, outside any write lock. ``roster.writing`` writes a plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontdesk.errors import UserError
from frontdesk.permissions import Can, require
from frontdesk.roster import register
from frontdesk.roster.header import Table, find_table
from frontdesk.roster.people import PersonRow, read_people
from frontdesk.roster.reading import Book, read_book
from frontdesk.vocabulary import Relation, ResidentStatus

HEAD = Relation.HEAD.value
# the fields an import compares with the register and, when confirmed, changes
COMPARED = (
    "name",
    "gender",
    "birth_date",
    "phone",
    "emergency_contact",
    "ethnicity",
    "relation",
    "document_type",
    "category",
    "notes",
)


@dataclass
class PlannedPerson:
    row: PersonRow
    action: str  # new | update | unchanged | refused
    resident_id: int | None = None
    matched_by: str = ""  # id_number | name_birth_flat
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    household: str = ""  # key into ResidentsPlan.households
    flat_id: int | None = None
    tags_added: tuple[str, ...] = ()


@dataclass
class PlannedHousehold:
    key: str
    flat_id: int
    number: str  # as the file gives it ("" : the desk numbers it)
    household_id: int | None  # an existing household the new people join
    lines: list[int] = field(default_factory=list)


@dataclass
class ResidentsPlan:
    source: Path
    file_name: str
    sha256: str
    community_id: int
    table: Table
    people: list[PlannedPerson]
    households: dict[str, PlannedHousehold]
    unknown_places: list[str]
    missing: list[tuple[int, str]]  # (resident id, name): on the register, not in the file
    today: dt.date

    @property
    def counts(self) -> dict[str, int]:
        actions = Counter(p.action for p in self.people)
        new_households = {
            p.household
            for p in self.people
            if p.action == "new" and self.households[p.household].household_id is None
        }
        return {
            "rows": len(self.people),
            "new": actions["new"],
            "update": actions["update"],
            "unchanged": actions["unchanged"],
            "refused": actions["refused"],
            "new_households": len(new_households),
            "missing": len(self.missing),
            "warnings": sum(1 for p in self.people if p.row.warnings),
        }

    def refused(self) -> list[PlannedPerson]:
        return [p for p in self.people if p.action == "refused"]

    def problems_by_line(self, headers: dict[str, str]) -> dict[int, list[str]]:
        """Each row's problems as "column: message" lines (``headers``: field → its header
        text in the file), for the preview and the error workbook; errors first, then
        warnings."""
        from frontdesk.i18n import _

        found: dict[int, list[str]] = {}
        for planned in self.people:
            row = planned.row
            notes = [*row.errors.items(), *row.warnings.items()]
            if not notes:
                continue
            found[row.line] = [
                f"{headers.get(name, name)}：{_(notice.key, **notice.params)}"
                for name, notice in notes
            ]
        return found


def plan_residents(
    path: Path,
    *,
    actor_id: int | None,
    today: dt.date,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    book: Book | None = None,
) -> ResidentsPlan:
    """Read ``path`` and say what importing it would do in the operator's community."""
    operator = require(actor_id, Can.IMPORT)
    if operator.community_id is None or len(operator.communities) != 1:
        raise UserError("roster.one_community")
    community_id = operator.community_id
    book = book or read_book(path)
    if mapping is None:
        mapping = _saved_mapping(book, sheet, actor_id)
    table = find_table(book, "residents", sheet=sheet, mapping=mapping)
    rows = read_people(table, today)
    places = register.places(community_id)
    people = [PlannedPerson(row=row, action="new") for row in rows]
    unknown: list[str] = []
    for planned in people:
        _locate(planned, places, unknown)
    _repeated_in_file(people)
    known = register.people(
        community_id, [p.row.person.id_number for p in people if p.row.person.id_number]
    )
    matched: set[int] = set()
    for planned in people:
        _match(planned, known, matched)
    households = _households(people, community_id)
    for planned in people:
        if planned.row.errors:
            planned.action = "refused"
    missing = [(rid, name) for rid, name in known.living_names.items() if rid not in matched]
    return ResidentsPlan(
        source=path,
        file_name=path.name,
        sha256=book.sha256,
        community_id=community_id,
        table=table,
        people=people,
        households=households,
        unknown_places=unknown,
        missing=missing,
        today=today,
    )


def _saved_mapping(book: Book, sheet: str | None, actor_id: int | None) -> dict[str, str] | None:
    """A mapping a supervisor confirmed and saved for these headers, if any."""
    from frontdesk.roster.mappings import saved_mapping_in

    return saved_mapping_in(book, "residents", sheet=sheet, actor_id=actor_id)


def _locate(planned: PlannedPerson, places: register.Places, unknown: list[str]) -> None:
    row = planned.row
    place = row.place
    if place is None:
        if "address" not in row.errors:
            row.error("flat", "roster.no_place")
        return
    compound = register.compound_key(place.compound)
    if not compound and len(places.compounds) == 1:
        compound = next(iter(places.compounds))
    if compound not in places.compounds:
        label = place.compound or "—"
        if label not in unknown:
            unknown.append(label)
        row.error("compound", "roster.unknown_compound", compound=label)
        return
    if place.building is None or place.unit is None or place.flat is None:
        row.error("flat", "roster.place_incomplete")
        return
    if (compound, place.building) not in places.buildings:
        label = f"{place.compound}{place.building}号楼"
        if label not in unknown:
            unknown.append(label)
        row.error("building", "roster.unknown_building", building=label)
        return
    found = places.flats.get((compound, place.building, place.unit, place.flat))
    if found is None:
        row.error(
            "flat",
            "roster.unknown_flat",
            flat=f"{place.building}-{place.unit}-{place.flat}",
        )
        return
    planned.flat_id, grid = found
    if row.grid and row.grid != grid:
        row.warn("grid", "roster.grid_differs", given=row.grid, grid=grid)


def _repeated_in_file(people: list[PlannedPerson]) -> None:
    lines: dict[str, list[int]] = defaultdict(list)
    for planned in people:
        if planned.row.person.id_number:
            lines[planned.row.person.id_number].append(planned.row.line)
    for planned in people:
        same = lines.get(planned.row.person.id_number, [])
        if len(same) > 1:
            others = "、".join(str(n) for n in same if n != planned.row.line)
            planned.row.error("id_number", "roster.id_repeated_in_file", lines=others)


def _match(planned: PlannedPerson, known: register.People, matched: set[int]) -> None:
    row = planned.row
    person = row.person
    if row.errors:
        return
    existing = None
    if person.id_number:
        if person.id_number in known.elsewhere:
            row.error("id_number", "validation.id_elsewhere")
            return
        existing = known.by_id_number.get(person.id_number)
        planned.matched_by = "id_number" if existing else ""
    if existing is None and planned.flat_id is not None and person.birth_date is not None:
        existing = known.by_name_birth_flat.get((person.name, person.birth_date, planned.flat_id))
        planned.matched_by = "name_birth_flat" if existing else ""
    if existing is None:
        return
    if existing["status"] == ResidentStatus.DECEASED:
        row.error("name", "roster.deceased", name=existing["name"])
        return
    if existing["status"] == ResidentStatus.MOVED_OUT:
        row.warn("id_number", "validation.id_former", resident_id=existing["id"], name=person.name)
        planned.matched_by = ""
        return  # coming back: a new record, the old one kept as history
    matched.add(existing["id"])
    planned.resident_id = existing["id"]
    if existing["id"] in known.taken:
        row.error("name", "roster.matched_twice", name=existing["name"])
        return
    known.taken.add(existing["id"])
    if planned.flat_id is not None and planned.flat_id != existing["flat_id"]:
        row.warn("flat", "roster.lives_elsewhere", address=existing["address"])
    changes: dict[str, tuple[Any, Any]] = {}
    for name in COMPARED:
        new = getattr(person, name)
        old = existing[name]
        if new in (None, "") or new == old:
            continue
        if name == "relation" and (HEAD in (old, new) or not row.relation_given):
            continue  # the head changes through 变更户主, with the household
        if name == "ethnicity" and new == "汉族" and old:
            continue  # the reader's default, not the file's word
        if name in ("document_type", "category") and new == _default(name) and old:
            continue
        changes[name] = (old, new)
    planned.tags_added = tuple(t for t in row.tags if t not in existing["tags"])
    planned.changes = changes
    planned.action = "update" if changes or planned.tags_added else "unchanged"


def _default(name: str) -> str:
    from frontdesk.residents.validation import ResidentInput

    return str(getattr(ResidentInput(name="", gender="", birth_date=None), name))


def _households(people: list[PlannedPerson], community_id: int) -> dict[str, PlannedHousehold]:
    """The households of the new people: by 户号, else by flat and 户主."""
    groups: dict[str, list[PlannedPerson]] = defaultdict(list)
    for planned in people:
        if planned.row.errors or planned.resident_id is not None or planned.flat_id is None:
            continue
        row = planned.row
        head = row.head_name or (row.person.name if row.person.relation == HEAD else "")
        key = f"no:{row.household_number}" if row.household_number else f"at:{planned.flat_id}"
        if not row.household_number and row.head_name:
            key += f"|{head}"
        planned.household = key
        groups[key].append(planned)
    existing = register.households(
        numbers=[k[3:] for k in groups if k.startswith("no:")],
        flats={p.flat_id for p in people if p.flat_id is not None},
    )
    households: dict[str, PlannedHousehold] = {}
    for key, members in groups.items():
        first = members[0]
        assert first.flat_id is not None
        number = first.row.household_number
        household_id: int | None = None
        if number:
            found = existing.by_number.get(number)
            if found is not None and found[1] != community_id:
                for planned in members:
                    planned.row.error("household_number", "roster.number_elsewhere", number=number)
                continue
            household_id = found[0] if found else None
        else:
            head = key.partition("|")[2]
            household_id = existing.by_flat_head.get((first.flat_id, head)) if head else None
        households[key] = PlannedHousehold(
            key=key,
            flat_id=first.flat_id,
            number=number,
            household_id=household_id,
            lines=[p.row.line for p in members],
        )
        _one_head(members, joining=household_id is not None)
        flats = {p.flat_id for p in members}
        if len(flats) > 1:
            for planned in members:
                planned.row.error("household_number", "roster.household_two_flats", number=number)
    return households


def _one_head(members: list[PlannedPerson], *, joining: bool) -> None:
    heads = [p for p in members if p.row.person.relation == HEAD]
    if joining:
        for planned in heads:
            planned.row.error("relation", "validation.head_exists")
        return
    if not heads and len(members) == 1 and not members[0].row.relation_given:
        from dataclasses import replace

        alone = members[0]
        alone.row.person = replace(alone.row.person, relation=HEAD)  # one person: the head
        return
    if len(heads) == 1:
        return
    key = "roster.no_head" if not heads else "roster.two_heads"
    names = "、".join(p.row.person.name for p in heads)
    for planned in members:
        planned.row.error("relation", key, names=names)
