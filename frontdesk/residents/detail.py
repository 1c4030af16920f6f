"""One resident's detail: the person, the household and flat, the neighbours, the grid, history.

``get_detail`` runs a fixed number of indexed queries (nine at most) whatever the size of the
database, and returns frozen dataclasses only. ID numbers and phones of residents come masked;
the full value is a ``privacy.reveal`` away. Staff phones (the grid manager's) are work phones
and come in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from peewee import JOIN

from frontdesk.dates import age_on
from frontdesk.db.models import (
    Booking,
    Building,
    Compound,
    Flat,
    GridL3,
    GridL4,
    Household,
    Move,
    Request,
    RequestCategory,
    Resident,
    ResidentTag,
    Room,
    Staff,
    Tag,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.masking import mask_id, mask_numbers_in, mask_phone
from frontdesk.permissions import Can, check_community, require
from frontdesk.residents.addresses import FlatAddress, address_text, addresses
from frontdesk.residents.detail_views import (
    BookingRow,
    FormerResidentView,
    GridView,
    HouseholdView,
    MemberView,
    MoveView,
    NeighbourFlat,
    NeighbourResident,
    PersonView,
    Position,
    RelativeView,
    RequestRow,
    ResidentDetail,
    TagView,
)
from frontdesk.residents.records import dict_rows
from frontdesk.vocabulary import HouseholdStatus, Relation, ResidentStatus

__all__ = [
    "BookingRow",
    "FlatAddress",
    "FormerResidentView",
    "GridView",
    "HouseholdView",
    "MemberView",
    "MoveView",
    "NeighbourFlat",
    "NeighbourResident",
    "PersonView",
    "RequestRow",
    "ResidentDetail",
    "TagView",
    "address_text",
    "age",
    "get_detail",
]

CHILD_AGE = 14  # under 14: a child's personal information is sensitive as a whole (PIPL)
RELATION_ORDER = {relation.value: index for index, relation in enumerate(Relation)}


def age(birth: date, today: date) -> int:
    """Whole years on ``today``."""
    return age_on(birth, today)


# -- queries -------------------------------------------------------------------------------------

Manager = Staff.alias("manager")
Leader = Staff.alias("leader")
LINKED_ROWS = 50  # requests and bookings shown, newest first


def _main_row(resident_id: int) -> dict[str, Any]:
    """The resident, household, flat, address parts and grid, in one query."""
    row = (
        Resident.select(
            Resident,
            Household.number.alias("hh_number"),
            Household.status.alias("hh_status"),
            Household.moved_in_on.alias("hh_moved_in_on"),
            Household.moved_out_on.alias("hh_moved_out_on"),
            Household.version.alias("hh_version"),
            Flat.id.alias("flat_id"),
            Flat.unit.alias("unit_id"),
            Flat.number.alias("flat_number"),
            Flat.floor.alias("floor"),
            Flat.position.alias("position"),
            Unit.number.alias("unit_number"),
            Building.number.alias("building_number"),
            Compound.name.alias("compound"),
            Compound.community.alias("community"),
            GridL4.id.alias("l4_id"),
            GridL4.code.alias("l4_code"),
            GridL4.name.alias("l4_name"),
            GridL3.id.alias("l3_id"),
            GridL3.code.alias("l3_code"),
            GridL3.name.alias("l3_name"),
            Manager.id.alias("manager_id"),
            Manager.display_name.alias("manager_name"),
            Manager.phone.alias("manager_phone"),
            Manager.away.alias("manager_away"),
            Leader.id.alias("leader_id"),
            Leader.display_name.alias("leader_name"),
            Leader.phone.alias("leader_phone"),
        )
        .join(Household)
        .join(Flat)
        .join(Unit)
        .join(Building)
        .join(Compound)
        .switch(Flat)
        .join(GridL4)
        .join(GridL3)
        .join(Leader, JOIN.LEFT_OUTER, on=(GridL3.leader == Leader.id))
        .switch(GridL4)
        .join(Manager, JOIN.LEFT_OUTER, on=(GridL4.manager == Manager.id))
        .where(Resident.id == resident_id)
        .dicts()
        .first()
    )
    if row is None:
        raise UserError("resident.not_found", id=resident_id)
    return dict(row)


def _address(row: dict[str, Any], flat_id: int, number: int, floor: int, pos: int) -> FlatAddress:
    return FlatAddress(
        flat_id=flat_id,
        compound=row["compound"],
        building=row["building_number"],
        unit=row["unit_number"],
        number=number,
        floor=floor,
        position=pos,
    )


def _tags(resident_id: int) -> tuple[TagView, ...]:
    query = (
        ResidentTag.select(
            Tag.code, Tag.sensitive, ResidentTag.since, ResidentTag.note, Tag.sort.alias("sort")
        )
        .join(Tag)
        .where((ResidentTag.resident == resident_id) & ResidentTag.ended_at.is_null())
        .order_by(Tag.sort, Tag.code)
    )
    return tuple(
        TagView(code=r["code"], sensitive=r["sensitive"], since=r["since"], note=r["note"])
        for r in dict_rows(query)
    )


def _age_of(row: dict[str, Any], today: date) -> int:
    return age(row["birth_date"], row["died_on"] or today)


def _is_living_head(row: dict[str, Any]) -> bool:
    return row["relation"] == Relation.HEAD and row["status"] == ResidentStatus.LIVING


def _member_sort_key(row: dict[str, Any]) -> tuple[int, int, date, int]:
    living = row["status"] == ResidentStatus.LIVING
    return (
        0 if living else 1,
        0 if _is_living_head(row) else 1 + RELATION_ORDER.get(row["relation"], 99),
        row["birth_date"],
        row["id"],
    )


MEMBER_FIELDS = (
    Resident.id,
    Resident.name,
    Resident.gender,
    Resident.relation,
    Resident.status,
    Resident.birth_date,
    Resident.died_on,
    Resident.phone,
    Resident.household,
)


def _members(household_id: int) -> list[dict[str, Any]]:
    rows = dict_rows(Resident.select(*MEMBER_FIELDS).where(Resident.household == household_id))
    return sorted(rows, key=_member_sort_key)


def _neighbours(main: dict[str, Any]) -> tuple[NeighbourFlat, ...]:
    """The flats above, below and on the same floor of the same unit, with who lives there."""
    floor, position = main["floor"], main["position"]
    flats = dict_rows(
        Flat.select(Flat.id, Flat.number, Flat.floor, Flat.position).where(
            (Flat.unit == main["unit_id"])
            & (
                ((Flat.position == position) & Flat.floor.in_([floor - 1, floor + 1]))
                | ((Flat.floor == floor) & (Flat.position != position))
            )
        )
    )
    if not flats:
        return ()
    lived_in = Household.select(Household.id).where(
        Household.flat.in_([f["id"] for f in flats]) & (Household.status == HouseholdStatus.ACTIVE)
    )
    # "household IN (subquery)" keeps SQLite on the (status, household) index with or without
    # ANALYZE statistics; as a join it may walk every living resident.
    living = dict_rows(
        Resident.select(*MEMBER_FIELDS, Household.flat.alias("flat_id"))
        .join(Household)
        .where(Resident.household.in_(lived_in) & (Resident.status == ResidentStatus.LIVING))
    )
    by_flat: dict[int, list[dict[str, Any]]] = {}
    for row in living:
        by_flat.setdefault(row["flat_id"], []).append(row)

    def where(flat: dict[str, Any]) -> Position:
        if flat["floor"] == floor + 1:
            return "above"
        return "below" if flat["floor"] == floor - 1 else "same_floor"

    order = {"above": 0, "below": 1, "same_floor": 2}
    result = []
    for flat in sorted(flats, key=lambda f: (order[where(f)], f["position"])):
        people = sorted(
            by_flat.get(flat["id"], []),
            key=lambda r: (r["household"], *_member_sort_key(r)),
        )
        result.append(
            NeighbourFlat(
                position=where(flat),
                flat=_address(main, flat["id"], flat["number"], flat["floor"], flat["position"]),
                residents=tuple(
                    NeighbourResident(
                        id=r["id"],
                        name=r["name"],
                        relation=r["relation"],
                        is_head=_is_living_head(r),
                        household_id=r["household"],
                        phone_masked=mask_phone(r["phone"]),
                        has_phone=bool(r["phone"]),
                    )
                    for r in people
                ),
            )
        )
    return tuple(result)


def _moves(resident_id: int) -> tuple[MoveView, ...]:
    rows = dict_rows(
        Move.select(
            Move.id,
            Move.kind,
            Move.on_date,
            Move.from_flat,
            Move.to_flat,
            Move.note,
            Household.number.alias("hh_number"),
        )
        .join(Household)
        .where(Move.resident == resident_id)
        .order_by(Move.on_date, Move.id)
    )
    places = addresses(
        flat for row in rows for flat in (row["from_flat"], row["to_flat"]) if flat is not None
    )

    def text(flat_id: int | None) -> str:
        found = places.get(flat_id) if flat_id is not None else None
        return found.text if found else ""

    return tuple(
        MoveView(
            id=row["id"],
            kind=row["kind"],
            on_date=row["on_date"],
            household_number=row["hh_number"],
            from_address=text(row["from_flat"]),
            to_address=text(row["to_flat"]),
            note=row["note"],
        )
        for row in rows
    )


def _requests(resident_id: int) -> tuple[RequestRow, ...]:
    query = (
        Request.select(
            Request.id,
            Request.number,
            RequestCategory.code.alias("category"),
            Request.urgency,
            Request.status,
            Request.created_at,
            Request.description,
        )
        .join(RequestCategory)
        .where(Request.reporter == resident_id)
        .order_by(Request.created_at.desc(), Request.id.desc())
        .limit(LINKED_ROWS)
    )
    return tuple(RequestRow(**row) for row in dict_rows(query))


def _bookings(resident_id: int) -> tuple[BookingRow, ...]:
    query = (
        Booking.select(
            Booking.id,
            Room.code.alias("room_code"),
            Room.name.alias("room_name"),
            Booking.starts_at,
            Booking.ends_at,
            Booking.title,
            Booking.status,
        )
        .join(Room)
        .where(Booking.resident == resident_id)
        .order_by(Booking.starts_at.desc(), Booking.id.desc())
        .limit(LINKED_ROWS)
    )
    return tuple(BookingRow(**row) for row in dict_rows(query))


# -- assembling ----------------------------------------------------------------------------------


def _person(main: dict[str, Any], tags: tuple[TagView, ...], today: date) -> PersonView:
    years = _age_of(main, today)
    return PersonView(
        id=main["id"],
        name=main["name"],
        gender=main["gender"],
        birth_date=main["birth_date"],
        age=years,
        is_child=age(main["birth_date"], today) < CHILD_AGE,
        id_number_masked=mask_id(main["id_number"]),
        document_type=main["document_type"],
        category=main["category"],
        phone_masked=mask_phone(main["phone"]),
        has_id_number=bool(main["id_number"]),
        has_phone=bool(main["phone"]),
        ethnicity=main["ethnicity"],
        relation=main["relation"],
        status=main["status"],
        moved_in_on=main["moved_in_on"],
        tags=tags,
        notes=main["notes"],
        version=main["version"],
        updated_at=main["updated_at"],
        emergency_contact_masked=mask_numbers_in(main["emergency_contact"]),
        has_emergency_contact=bool(main["emergency_contact"]),
    )


def _household(
    main: dict[str, Any], members: Iterable[dict[str, Any]], today: date
) -> HouseholdView:
    return HouseholdView(
        id=main["household"],
        number=main["hh_number"],
        status=main["hh_status"],
        moved_in_on=main["hh_moved_in_on"],
        moved_out_on=main["hh_moved_out_on"],
        flat=_address(main, main["flat_id"], main["flat_number"], main["floor"], main["position"]),
        members=tuple(
            MemberView(
                id=m["id"],
                name=m["name"],
                gender=m["gender"],
                relation=m["relation"],
                is_head=_is_living_head(m),
                age=_age_of(m, today),
                status=m["status"],
                phone_masked=mask_phone(m["phone"]),
                has_phone=bool(m["phone"]),
                is_self=m["id"] == main["id"],
            )
            for m in members
        ),
        version=main["hh_version"],
    )


def _grid(main: dict[str, Any]) -> GridView:
    return GridView(
        l4_id=main["l4_id"],
        l4_code=main["l4_code"],
        l4_name=main["l4_name"],
        l3_id=main["l3_id"],
        l3_code=main["l3_code"],
        l3_name=main["l3_name"],
        manager_id=main["manager_id"],
        manager_name=main["manager_name"] or "",
        manager_phone=main["manager_phone"] or "",
        manager_away=bool(main["manager_away"]),
        leader_id=main["leader_id"],
        leader_name=main["leader_name"] or "",
        leader_phone=main["leader_phone"] or "",
    )


def _former(main: dict[str, Any], members: Iterable[dict[str, Any]]) -> FormerResidentView | None:
    if main["status"] == ResidentStatus.LIVING:
        return None
    relatives = tuple(
        RelativeView(
            id=m["id"],
            name=m["name"],
            relation=m["relation"],
            is_head=_is_living_head(m),
            phone_masked=mask_phone(m["phone"]),
            has_phone=bool(m["phone"]),
        )
        for m in members
        if m["status"] == ResidentStatus.LIVING and m["id"] != main["id"]
    )
    return FormerResidentView(
        status=main["status"],
        moved_out_on=main["moved_out_on"],
        forwarding_contact_masked=mask_numbers_in(main["forwarding_contact"]),
        has_forwarding_contact=bool(main["forwarding_contact"]),
        died_on=main["died_on"],
        relatives=relatives,
    )


def get_detail(resident_id: int, today: date, *, actor_id: int | None) -> ResidentDetail:
    """Everything the detail view shows about one resident. ``UserError`` if there is none."""
    operator = require(actor_id, Can.VIEW_RESIDENT)
    try:
        main = _main_row(resident_id)
    except UserError:  # no such person: refused like one of another community
        main = {"community": None}
    check_community(operator, Can.VIEW_RESIDENT, main["community"])
    members = _members(main["household"])
    return ResidentDetail(
        person=_person(main, _tags(resident_id), today),
        household=_household(main, members, today),
        neighbours=_neighbours(main),
        grid=_grid(main),
        moves=_moves(resident_id),
        requests=_requests(resident_id),
        bookings=_bookings(resident_id),
        former=_former(main, members),
    )
