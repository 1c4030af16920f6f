"""What the resident detail view shows, as plain values (``detail.get_detail`` fills them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from frontdesk.residents.addresses import FlatAddress

Position = Literal["above", "below", "same_floor"]


# -- the views ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagView:
    code: str  # catalog key tag.<code>
    sensitive: bool
    since: date
    note: str


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    gender: str  # Gender value
    birth_date: date
    age: int  # on the day asked, or on the day of death
    is_child: bool  # under 14
    id_number_masked: str  # "" when none is on record
    document_type: str  # DocumentType value: what the number is (居民身份证, 护照 ...)
    category: str  # ResidentCategory value (户籍 / 流动 / 寄住)
    phone_masked: str
    has_id_number: bool
    has_phone: bool
    ethnicity: str
    relation: str  # Relation value, to the head of household
    status: str  # ResidentStatus value
    moved_in_on: date
    tags: tuple[TagView, ...]  # carried now, in display order
    notes: str
    version: int  # hand back to editing for optimistic concurrency
    updated_at: datetime
    emergency_contact_masked: str = ""  # 紧急联系人, numbers masked; reveal "emergency_contact"
    has_emergency_contact: bool = False


@dataclass(frozen=True)
class MemberView:
    id: int
    name: str
    gender: str
    relation: str
    is_head: bool  # the living head
    age: int
    status: str
    phone_masked: str
    has_phone: bool
    is_self: bool


@dataclass(frozen=True)
class HouseholdView:
    id: int
    number: str  # 户号
    status: str  # HouseholdStatus value
    moved_in_on: date
    moved_out_on: date | None
    flat: FlatAddress
    members: tuple[MemberView, ...]  # living (head first), then former members
    version: int


@dataclass(frozen=True)
class NeighbourResident:
    id: int
    name: str
    relation: str
    is_head: bool
    household_id: int
    phone_masked: str
    has_phone: bool


@dataclass(frozen=True)
class NeighbourFlat:
    position: Position
    flat: FlatAddress
    residents: tuple[NeighbourResident, ...]  # living, household by household, head first

    @property
    def vacant(self) -> bool:
        return not self.residents


@dataclass(frozen=True)
class GridView:
    l4_id: int
    l4_code: str
    l4_name: str
    l3_id: int
    l3_code: str
    l3_name: str
    manager_id: int | None
    manager_name: str
    manager_phone: str  # a work phone: not masked
    manager_away: bool
    leader_id: int | None  # the level-3 leader, who stands in for an away manager
    leader_name: str
    leader_phone: str


@dataclass(frozen=True)
class MoveView:
    id: int
    kind: str  # MoveKind value
    on_date: date
    household_number: str
    from_address: str  # "" when the move came from outside the community
    to_address: str
    note: str


@dataclass(frozen=True)
class RequestRow:
    id: int
    number: str
    category: str  # catalog key category.<code>
    urgency: str
    status: str
    created_at: datetime
    description: str


@dataclass(frozen=True)
class BookingRow:
    id: int
    room_code: str  # catalog key room.<code>
    room_name: str
    starts_at: datetime
    ends_at: datetime
    title: str
    status: str


@dataclass(frozen=True)
class RelativeView:
    """A living member of the household a former resident left: a way to reach them."""

    id: int
    name: str
    relation: str  # to the head of that household
    is_head: bool
    phone_masked: str
    has_phone: bool


@dataclass(frozen=True)
class FormerResidentView:
    status: str  # moved_out or deceased
    moved_out_on: date | None
    forwarding_contact_masked: str  # numbers inside masked; reveal "forwarding_contact"
    has_forwarding_contact: bool
    died_on: date | None
    relatives: tuple[RelativeView, ...]  # living members of the household left behind


@dataclass(frozen=True)
class ResidentDetail:
    person: PersonView
    household: HouseholdView
    neighbours: tuple[NeighbourFlat, ...]  # above, below, then the same floor by position
    grid: GridView
    moves: tuple[MoveView, ...]  # oldest first
    requests: tuple[RequestRow, ...]  # newest first
    bookings: tuple[BookingRow, ...]  # newest first
    former: FormerResidentView | None  # None for a resident living here
