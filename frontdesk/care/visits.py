"""Recording a care visit (走访) or an attempt (未遇), and opening a walk-in request from a
visit's concern.

A visit is made to a household and sees some of its members: it meets the dues of those it saw
(``frontdesk.care.cadence``), not of those away. Its rules, each refused with a message beside
the field it is about:

- **Who.** ``Can.VISIT`` (grid managers, the leadership): a grid manager the households of
  their own grids and those assigned to them, the leadership any of their community.
- **When.** Not in the future (a minute of slack for the desk's clock), not before the
  household moved in, and at most ``MAX_DAYS_BACK`` (30) days back: a visit is recorded while
  it is remembered, and the month's figures are not rewritten long after.
- **Whom.** At least one person, each a member of the household living there on the visit's
  day (not moved out, not dead by then). For an attempt: whom it went to see.
- **By whom.** A staff member (the one named, else the operator), or a named volunteer,
  relative or third party: a visit in the modes ``volunteer`` / ``family`` / ``third_party``
  names who made it, and then no staff member made it unless one is named.
- **What it found.** A visit that saw someone stores the five areas, each ok or concern with a
  note of one line (an area not given is ok without a note); an attempt stores none, and a
  concern or a note given with one is refused rather than dropped.

Each write is one transaction with its audit entry (``care.visit`` / ``care.attempt``, entity
``visit``); the entry says the mode, the outcome, how many were seen and the areas of concern,
never a name or a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from frontdesk import audit
from frontdesk.care.access import require_household
from frontdesk.db.care import Visit, VisitPerson
from frontdesk.db.connection import write
from frontdesk.db.models import Request, Resident, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import ROLE_CAN, Can
from frontdesk.requests.intake import Place, Reporter, RequestInput, create_request_in
from frontdesk.residents.validation import refuse, refuse_text
from frontdesk.scope import community_of_household
from frontdesk.textrules import LINE, NOTE, TITLE
from frontdesk.vocabulary import AreaState, CareArea, Urgency, VisitMode, VisitOutcome

MAX_DAYS_BACK = 30  # a visit is recorded within a month
SLACK = timedelta(minutes=1)  # a desk's clock a little behind the one that typed "now"
# made by someone other than staff: the visit names them
BY_OTHERS = frozenset({VisitMode.VOLUNTEER, VisitMode.THIRD_PARTY, VisitMode.FAMILY})


@dataclass(frozen=True)
class VisitInput:
    """A visit or attempt as the form gives it."""

    household_id: int
    mode: VisitMode
    outcome: VisitOutcome
    visited_at: datetime
    seen: tuple[int, ...]  # whom it saw (an attempt: whom it went to see)
    areas: Mapping[CareArea, tuple[AreaState, str]] = field(default_factory=dict)
    note: str = ""
    volunteer: str = ""  # who made it when not staff: a volunteer, a relative, a third party
    visitor_id: int | None = None  # the staff member who made it (default: the operator)
    purpose: str = ""


def _enum(field_name: str, enum: Any, value: Any) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise refuse(field_name, "care.error.unknown_value", value=str(value)) from None


def _areas(data: VisitInput, outcome: VisitOutcome) -> dict[str, Any]:
    """The area columns to store: each state and its note (checked), none for an attempt."""
    columns: dict[str, Any] = {}
    for area, (state, note) in data.areas.items():
        area = _enum("areas", CareArea, area)
        state = _enum(area.value, AreaState, state)
        note = refuse_text(f"{area.value}_note", note, LINE)
        if outcome == VisitOutcome.NOT_HOME and (state == AreaState.CONCERN or note):
            raise refuse(area.value, "care.error.areas_on_attempt")
        columns[area.value], columns[f"{area.value}_note"] = state.value, note
    if outcome == VisitOutcome.NOT_HOME:
        return {area.value: None for area in CareArea}
    for area in CareArea:
        columns.setdefault(area.value, AreaState.OK.value)
        columns.setdefault(f"{area.value}_note", "")
    return columns


def _check_when(visited_at: datetime, moved_in_on: date, now: datetime) -> None:
    if visited_at > now + SLACK:
        raise refuse("visited_at", "care.error.visit_in_future")
    if visited_at < now - timedelta(days=MAX_DAYS_BACK):
        raise refuse("visited_at", "care.error.visit_too_old", days=MAX_DAYS_BACK)
    if visited_at.date() < moved_in_on:
        raise refuse("visited_at", "care.error.visit_before_move_in", date=moved_in_on)


def living_on(person: Any, day: date) -> bool:
    """Whether ``person`` lived in their household on ``day``."""
    return (
        person.moved_in_on <= day
        and (person.moved_out_on is None or person.moved_out_on > day)
        and (person.died_on is None or person.died_on > day)
    )


def _check_seen(seen: tuple[int, ...], household_id: int, day: date) -> list[int]:
    """The people seen, each once, in the order given: members living there on ``day``."""
    wanted = list(dict.fromkeys(seen))
    if not wanted:
        raise refuse("seen", "care.error.seen_required")
    people = {p.id: p for p in Resident.select().where(Resident.id.in_(wanted))}
    for resident_id in wanted:
        person = people.get(resident_id)
        if person is None or person.household_id != household_id:
            raise refuse("seen", "care.error.seen_not_member", id=resident_id)
        if not living_on(person, day):
            raise refuse("seen", "care.error.seen_not_living", name=person.name, date=day)
    return wanted


def _visitor(data: VisitInput, mode: VisitMode, actor_id: int | None, community: int) -> Any:
    """The staff member who made the visit (None: the named volunteer alone)."""
    if mode in BY_OTHERS and not data.volunteer:
        raise refuse("volunteer", "care.error.volunteer_required")
    if data.visitor_id is None:  # a volunteer's, a relative's, a third party's: no staff
        return None if data.volunteer and mode in BY_OTHERS else actor_id
    row: Any = Staff.get_or_none(Staff.id == data.visitor_id)
    if (
        row is None
        or not row.active
        or row.community_id != community
        or Can.VISIT not in ROLE_CAN.get(row.role, frozenset())  # reception makes no visits
    ):
        raise refuse("visitor_id", "care.error.visitor_not_staff")
    return row.id


def record_visit(data: VisitInput, *, actor_id: int | None, now: datetime) -> int:
    """Record a visit or an attempt to a household with whom it saw; its id."""
    mode = _enum("mode", VisitMode, data.mode)
    outcome = _enum("outcome", VisitOutcome, data.outcome)
    columns = _areas(data, outcome)
    note = refuse_text("note", data.note, NOTE)
    purpose = refuse_text("purpose", data.purpose, LINE)
    volunteer = refuse_text("volunteer", data.volunteer, TITLE)
    data = replace(data, volunteer=volunteer)

    def run() -> int:
        _operator, household = require_household(actor_id, Can.VISIT, data.household_id)
        community = community_of_household(household.id)
        assert community is not None
        _check_when(data.visited_at, household.moved_in_on, now)
        seen = _check_seen(data.seen, household.id, data.visited_at.date())
        staff = _visitor(data, mode, actor_id, community)
        visit_id = int(
            Visit.insert(
                household=household.id,
                staff=staff,
                volunteer=volunteer,
                mode=mode.value,
                outcome=outcome.value,
                visited_at=data.visited_at,
                purpose=purpose,
                note=note,
                created_at=now,
                created_by=actor_id,
                **columns,
            ).execute()
        )
        VisitPerson.insert_many(
            [{"visit": visit_id, "resident": resident_id} for resident_id in seen]
        ).execute()
        concerns = [a.value for a in CareArea if columns[a.value] == AreaState.CONCERN.value]
        audit.record(
            "care.visit" if outcome == VisitOutcome.SEEN else "care.attempt",
            "visit",
            visit_id,
            actor_id=actor_id,
            at=now,
            detail={
                "household_id": household.id,
                "mode": mode.value,
                "outcome": outcome.value,
                "visited_at": data.visited_at,
                "seen": len(seen),
                "concerns": concerns,
                "by_volunteer": staff is None,
            },
            community_id=community,
        )
        return visit_id

    return write(run)


def visit_request(
    visit_id: int, *, category: str, summary: str, actor_id: int | None, now: datetime
) -> int:
    """Open a walk-in request from a visit's concern: about the household's flat, reported by
    the first person the visit saw, logged by the operator; the visit keeps the request (its
    page finds the visit by it). One request a visit. The request's id."""
    summary = refuse_text("summary", summary, NOTE)
    if not summary:
        raise refuse("summary", "validation.required")

    def run() -> int:
        visit: Any = Visit.get_or_none(Visit.id == visit_id)
        if visit is None:
            raise UserError("care.error.no_visit", id=visit_id)
        _operator, household = require_household(actor_id, Can.VISIT, visit.household_id)
        if visit.request_id is not None:
            number = Request.get_by_id(visit.request_id).number
            raise UserError("care.error.request_exists", number=number)
        if visit.outcome != VisitOutcome.SEEN.value:
            raise UserError("care.error.request_from_attempt")
        first: Any = (
            VisitPerson.select(VisitPerson.resident)
            .where(VisitPerson.visit == visit.id)
            .order_by(VisitPerson.id)
            .first()
        )
        logged = create_request_in(
            RequestInput(
                category=category,
                urgency=Urgency.NORMAL.value,
                description=summary,
                reporter=Reporter(name="", resident_id=first.resident_id),
                place=Place(flat_id=household.flat_id),
            ),
            actor_id=actor_id,
            now=now,
        )
        linked = (
            Visit.update(request=logged.id)
            .where((Visit.id == visit.id) & Visit.request.is_null(True))
            .execute()
        )
        assert linked == 1
        return logged.id

    return write(run)
