"""Logging a request: who reports, where, what, how urgent; routed and due at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from frontdesk.db.connection import write
from frontdesk.db.models import (
    Building,
    Flat,
    Household,
    Request,
    RequestCategory,
    RequestReporter,
    Resident,
    ResidentTag,
    Tag,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.notices import msg
from frontdesk.permissions import Can, check_community, require, require_in
from frontdesk.requests.due import due_at
from frontdesk.requests.routing import community_of_grid, grid_of_place, holder_for
from frontdesk.requests.timeline import add_event, current, update
from frontdesk.residents.validation import normalise_phone, phone_ok
from frontdesk.scope import community_of_request, community_of_resident
from frontdesk.textrules import LINE, NOTE, TextRefused, require_name, require_text
from frontdesk.vocabulary import Level, ReporterKind, RequestEventKind, RequestStatus, Urgency
from frontdesk.workcalendar import load as load_calendar

OPEN = (RequestStatus.NEW.value, RequestStatus.ASSIGNED.value, RequestStatus.IN_PROGRESS.value)
DUPLICATE_DAYS = 30
# Special groups whose requests are marked and come due sooner.
PRIORITY_TAGS = (
    "elderly_alone_no_kin",
    "elderly_alone",
    "elderly_80",
    "left_behind_child",
    "disabled",
    "subsistence",
    "extreme_poverty",
)


@dataclass(frozen=True)
class Reporter:
    name: str
    phone: str = ""
    resident_id: int | None = None


@dataclass(frozen=True)
class Place:
    """Where: a flat, a building, a compound, or a public place in a grid (with its text)."""

    flat_id: int | None = None
    building_id: int | None = None
    compound_id: int | None = None
    grid_l4_id: int | None = None
    text: str = ""


@dataclass(frozen=True)
class RequestInput:
    category: str  # code
    urgency: str  # Urgency value
    description: str
    reporter: Reporter
    place: Place


@dataclass(frozen=True)
class Logged:
    id: int
    number: str
    holder_name: str
    holder_phone: str
    standing_in: bool
    level: str
    due_at: datetime
    special_group: bool


def place_of_resident(resident_id: int, *, actor_id: int | None) -> Place:
    """The reporter's own flat: where a request is about unless the clerk says otherwise (a
    resident of the operator's communities)."""
    require_in(actor_id, Can.LOG_REQUEST, community_of_resident(resident_id))
    return _home_of(resident_id)


def _home_of(resident_id: int) -> Place:
    row: Any = (
        Resident.select(Household.flat).join(Household).where(Resident.id == resident_id).first()
    )
    if row is None:
        raise UserError("resident.not_found", id=resident_id)
    return Place(flat_id=row.household.flat_id)


def _one_place(place: Place, community_id: int) -> None:
    """Every part of the place given is of the request's community and of one another (a flat
    in that building, a building in that compound): never another community's building named
    beside one's own flat, never an id that does not exist."""
    from frontdesk.scope import (
        community_of_building,
        community_of_compound,
        community_of_flat,
        community_of_grid,
    )

    given = (
        (place.flat_id, community_of_flat),
        (place.building_id, community_of_building),
        (place.compound_id, community_of_compound),
        (place.grid_l4_id, community_of_grid),
    )
    if any(key is not None and lookup(key) != community_id for key, lookup in given):
        raise UserError("request.no_place")
    flat_building = _building_of(Place(flat_id=place.flat_id)) if place.flat_id else None
    if place.building_id is not None and flat_building not in (None, place.building_id):
        raise UserError("request.no_place")
    if place.building_id is not None and place.compound_id is not None:
        row: Any = Building.get_or_none(Building.id == place.building_id)
        if row is None or row.compound_id != place.compound_id:
            raise UserError("request.no_place")


def _building_of(place: Place) -> int | None:
    if place.building_id is not None:
        return place.building_id
    if place.flat_id is not None:
        row: Any = Flat.select(Unit.building).join(Unit).where(Flat.id == place.flat_id).first()
        return int(row.unit.building_id) if row else None
    return None


def _special_group(reporter: Reporter, place: Place) -> bool:
    """From or about a resident in a special group: the reporter, or someone living in the
    flat the request is about."""
    people: list[int] = []
    if reporter.resident_id is not None:
        people.append(reporter.resident_id)
    if place.flat_id is not None:
        rows: Any = (
            Resident.select(Resident.id)
            .join(Household)
            .where((Household.flat == place.flat_id) & (Resident.status == "living"))
            .tuples()
        )
        people.extend(r for (r,) in rows)
    if not people:
        return False
    return (
        ResidentTag.select()
        .join(Tag)
        .where(
            ResidentTag.resident.in_(people)
            & ResidentTag.ended_at.is_null(True)
            & Tag.code.in_(PRIORITY_TAGS)
        )
        .exists()
    )


@dataclass(frozen=True)
class Located:
    """Where a place is: its level-4 grid and community, the building and compound it lies in."""

    grid_l4_id: int
    community_id: int
    building_id: int | None
    compound_id: int | None


def locate(place: Place) -> Located:
    """The grid a place goes to and its community, every part of the place checked to be of
    that community and of one another (``request.no_place`` otherwise)."""
    grid = grid_of_place(
        flat_id=place.flat_id,
        building_id=place.building_id,
        compound_id=place.compound_id,
        grid_l4_id=place.grid_l4_id,
    )
    community_id = community_of_grid(grid)
    _one_place(place, community_id)
    building = _building_of(place)
    compound = place.compound_id
    if compound is None and building is not None:
        building_row: Any = Building.get_by_id(building)
        compound = building_row.compound_id
    return Located(grid, community_id, building, compound)


@dataclass(frozen=True)
class Candidate:
    id: int
    number: str
    description: str
    created_at: datetime
    status: str
    same_flat: bool


def possible_duplicates(
    category: str, place: Place, now: datetime, *, actor_id: int | None
) -> list[Candidate]:
    """Open requests of the same category at the same flat or building from the last 30 days
    (of the operator's communities)."""
    operator = require(actor_id, Can.LOG_REQUEST)
    building = _building_of(place)
    if place.flat_id is None and building is None:
        return []
    where = (
        (RequestCategory.code == category)
        & Request.status.in_(OPEN)
        & (Request.created_at >= now - timedelta(days=DUPLICATE_DAYS))
        & Request.community.in_(sorted(operator.communities))
    )
    same_place = Request.flat == place.flat_id if place.flat_id is not None else None
    if building is not None:
        in_building = (Request.building == building) | Request.flat.in_(
            Flat.select(Flat.id).join(Unit).where(Unit.building == building)
        )
        same_place = in_building if same_place is None else (same_place | in_building)
    rows: Any = (
        Request.select(Request)
        .join(RequestCategory)
        .where(where & same_place)
        .order_by(Request.created_at.desc())
        .limit(20)
    )
    return [
        Candidate(
            id=r.id,
            number=r.number,
            description=r.description,
            created_at=r.created_at,
            status=r.status,
            same_flat=place.flat_id is not None and r.flat_id == place.flat_id,
        )
        for r in rows
    ]


def _next_number(community_id: int, now: datetime) -> str:
    """``LJ-20261129-0007``: the community's code, the day, the day's sequence."""
    code: Any = Request.community.rel_model.get_by_id(community_id).code
    prefix = f"{code}-{now:%Y%m%d}-"
    last: Any = (
        Request.select(Request.number)
        .where(Request.number.startswith(prefix))
        .order_by(Request.number.desc())
        .first()
    )
    sequence = int(last.number.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _check(data: RequestInput) -> Any:
    category: Any = RequestCategory.get_or_none(
        (RequestCategory.code == data.category) & (RequestCategory.active == True)  # noqa: E712
    )
    if category is None:
        raise UserError("request.no_category", category=data.category)
    if data.urgency not in {u.value for u in Urgency}:
        raise UserError("request.no_urgency", urgency=data.urgency)
    if not data.description.strip():
        raise UserError("request.description_required")
    if data.reporter.resident_id is None and not data.reporter.name.strip():
        raise UserError("request.reporter_required")
    return category


def check_reporter(reporter: Reporter) -> None:
    """A visitor's name is a name (``textrules``), a phone a phone as a resident's is."""
    if reporter.resident_id is None and reporter.name.strip():
        require_name("reporter", reporter.name)
    if reporter.phone.strip() and not phone_ok(normalise_phone(reporter.phone)):
        raise TextRefused("phone", msg("validation.phone_format"))


def check_texts(data: RequestInput) -> None:
    """Every text typed, before anything is written: refused naming its field, never cut."""
    check_reporter(data.reporter)
    require_text("place_text", data.place.text, LINE)
    require_text("description", data.description, NOTE)


def create_request(data: RequestInput, *, actor_id: int | None, now: datetime) -> Logged:
    """Log, route and time a request in one transaction."""
    check_texts(data)
    return write(lambda: create_request_in(data, actor_id=actor_id, now=now))


def create_request_in(data: RequestInput, *, actor_id: int | None, now: datetime) -> Logged:
    """``create_request`` inside the caller's transaction (a care visit's request is written
    with the visit's link to it)."""
    check_texts(data)
    operator = require(actor_id, Can.LOG_REQUEST)
    category = _check(data)
    reporter = data.reporter
    if reporter.resident_id is not None:
        check_community(operator, Can.LOG_REQUEST, community_of_resident(reporter.resident_id))
        person: Any = Resident.get_or_none(Resident.id == reporter.resident_id)
        if person is None:
            raise UserError("resident.not_found", id=reporter.resident_id)
        reporter = Reporter(person.name, reporter.phone or person.phone or "", person.id)
    place = data.place
    where = (place.flat_id, place.building_id, place.compound_id, place.grid_l4_id)
    if where == (None, None, None, None):
        if reporter.resident_id is None:
            raise UserError("request.no_place")
        home = _home_of(reporter.resident_id)
        place = Place(flat_id=home.flat_id, text=place.text)
    located = locate(place)
    grid, community_id = located.grid_l4_id, located.community_id
    check_community(operator, Can.LOG_REQUEST, community_id)
    holder = holder_for(grid, Level.GRID)
    special = _special_group(reporter, place)
    calendar = load_calendar(community_id)
    due = due_at(
        category.id,
        data.urgency,
        now,
        calendar,
        special_group=special,
        community_id=community_id,
    )
    building, compound = located.building_id, located.compound_id
    number = _next_number(community_id, now)
    request = Request.create(
        number=number,
        community=community_id,
        category=category.id,
        urgency=data.urgency,
        level=Level.GRID,
        status=RequestStatus.ASSIGNED,
        reporter_kind=ReporterKind.RESIDENT if reporter.resident_id else ReporterKind.VISITOR,
        reporter=reporter.resident_id,
        reporter_name=reporter.name.strip(),
        reporter_phone=reporter.phone.strip(),
        flat=place.flat_id,
        building=building,
        compound=compound,
        grid_l4=grid,
        place_text=place.text.strip(),
        description=data.description.strip(),
        holder=holder.staff_id,
        due_at=due,
        special_group=special,
        created_at=now,
        created_by=actor_id,
        updated_at=now,
    )
    add_event(
        request.id,
        RequestEventKind.CREATED,
        actor_id=actor_id,
        at=now,
        to_status=RequestStatus.NEW,
        to_level=Level.GRID,
    )
    add_event(
        request.id,
        RequestEventKind.ASSIGNED,
        actor_id=actor_id,
        at=now,
        from_status=RequestStatus.NEW,
        to_status=RequestStatus.ASSIGNED,
        to_holder=holder.staff_id,
        note="standing_in" if holder.standing_in else "",
    )
    return Logged(
        id=request.id,
        number=number,
        holder_name=holder.name,
        holder_phone=holder.phone,
        standing_in=holder.standing_in,
        level=Level.GRID.value,
        due_at=due,
        special_group=special,
    )


def attach_report(
    request_id: int, reporter: Reporter, note: str, *, actor_id: int | None, now: datetime
) -> None:
    """One more person reports the same trouble: kept on the existing request, not a new one."""
    check_reporter(reporter)
    require_text("note", note, NOTE)

    def run() -> None:
        operator = require_in(actor_id, Can.LOG_REQUEST, community_of_request(request_id))
        row = current(request_id)
        name, phone = reporter.name, reporter.phone
        if reporter.resident_id is not None:
            check_community(operator, Can.LOG_REQUEST, community_of_resident(reporter.resident_id))
            person: Any = Resident.get_by_id(reporter.resident_id)
            name, phone = person.name, phone or person.phone or ""
        if not name.strip():
            raise UserError("request.reporter_required")
        RequestReporter.create(
            request=row.id,
            resident=reporter.resident_id,
            name=name.strip(),
            phone=phone.strip(),
            note=note.strip(),
            attached_at=now,
            attached_by=actor_id,
        )
        add_event(
            row.id,
            RequestEventKind.REPORTER_ATTACHED,
            actor_id=actor_id,
            at=now,
            note=f"{name.strip()} {note.strip()}".strip(),
        )
        update(row, now)

    write(run)
