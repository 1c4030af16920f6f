"""Managing a person's care by hand: their level, pauses, major events, and who visits a
household. Each is ``Can.MANAGE_CARE`` (grid managers: their own grids; the leadership: their
community), one transaction with its audit entry (entity ``resident`` or ``household``; the
detail holds codes and dates, never a name or a note's text: a reason goes in the entry's
reason, as for tags).

The rules, each refused with its message (beside the field where there is one):

- **Level** (``set_level``): a reason is required; the person is living; ``None`` gives them
  back to their tags' level; setting the level they already have by hand (or ``None`` when none
  is set) changes nothing and is refused.
- **Pause** (``start_pause``): while in hospital, a care home or away. It starts at most
  ``PAUSE_DAYS_BACK`` (30) days back and at most ``PAUSE_DAYS_AHEAD`` (30) ahead, resumes after
  it starts, after today (a stay already over is no pause: the dues it would have moved have
  fallen) and at most a year ahead (``PAUSE_MAX_DAYS`` from today; extend it with a new pause
  when it ends). One pause open at a time (not ended and resuming after today).
- **End of a pause** (``end_pause``): on a day from its start to its planned resumption, not
  in the future; a pause already ended (or over) is refused.
- **Major event** (``record_event``): happened today or at most ``EVENT_DAYS_BACK`` (30) days
  back; a visit is due within 24 hours of its recording (``EVENT_HOURS``).
- **Assignment** (``assign_visitor``): a staff member of the household's community who is
  active, or a named volunteer, exactly one; the open assignment ends and the new one opens in
  the same transaction; the same visitor again is refused. ``end_assignment``: the household
  goes back to its grid manager.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from frontdesk import audit
from frontdesk.db.care import CareAssignment, CareEvent, CareLevelChange, CarePause
from frontdesk.db.connection import write
from frontdesk.db.models import Household, Resident, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import Can, grid_of_household, grid_of_resident, require_grid
from frontdesk.residents.validation import refuse, refuse_text
from frontdesk.scope import community_of_household
from frontdesk.textrules import LINE, REASON, TITLE
from frontdesk.vocabulary import (
    CareEventKind,
    CareLevel,
    CarePauseKind,
    HouseholdStatus,
    ResidentStatus,
)

PAUSE_DAYS_BACK = 30
PAUSE_DAYS_AHEAD = 30
PAUSE_MAX_DAYS = 366  # a pause resumes within a year of today
EVENT_DAYS_BACK = 30
EVENT_HOURS = 24


def _enum(field_name: str, enum: Any, value: Any) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise refuse(field_name, "care.error.unknown_value", value=str(value)) from None


def _living(resident_id: int, actor_id: int | None) -> Any:
    """The resident, if the operator may manage their care and they are living."""
    person: Any = Resident.get_or_none(Resident.id == resident_id)
    if person is None:
        raise UserError("resident.not_found", id=resident_id)
    require_grid(actor_id, Can.MANAGE_CARE, grid_of_resident(resident_id))
    if person.status != ResidentStatus.LIVING:
        raise UserError("resident.not_living", name=person.name)
    return person


# ------------------------------------------------------------------------------------ level


def hand_level(resident_id: int) -> tuple[bool, CareLevel | None]:
    """(set by hand, the level): the latest ``CareLevelChange``; (False, None) when none or
    the latest gave the person back to their tags."""
    row: Any = (
        CareLevelChange.select(CareLevelChange.level)
        .where(CareLevelChange.resident == resident_id)
        .order_by(CareLevelChange.created_at.desc(), CareLevelChange.id.desc())
        .first()
    )
    if row is None or row.level is None:
        return False, None
    return True, CareLevel(row.level)


def set_level(
    resident_id: int,
    level: CareLevel | None,
    *,
    reason: str,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Raise or lower a person's care level by hand (None: back to their tags' level)."""
    wanted = None if level is None else _enum("level", CareLevel, level)
    reason = refuse_text("reason", reason, REASON)
    if not reason:
        raise refuse("reason", "validation.required")

    def run() -> None:
        _living(resident_id, actor_id)
        by_hand, before = hand_level(resident_id)
        if before == wanted:
            raise UserError("care.error.level_same" if by_hand else "care.error.level_not_set")
        CareLevelChange.insert(
            resident=resident_id,
            level=None if wanted is None else wanted.value,
            reason=reason,
            created_at=now,
            created_by=actor_id,
        ).execute()
        audit.record(
            "care.level_set",
            "resident",
            resident_id,
            actor_id=actor_id,
            at=now,
            reason=reason,
            detail={
                "from": before.value if before else "tags",
                "to": wanted.value if wanted else "tags",
            },
        )

    write(run)


# ----------------------------------------------------------------------------------- pauses


def open_pause(resident_id: int, today: date) -> Any:
    """The person's pause now running or still to come, or None."""
    return (
        CarePause.select()
        .where(
            (CarePause.resident == resident_id)
            & CarePause.ended_on.is_null(True)
            & (CarePause.resume_on > today)
        )
        .first()
    )


def _check_pause_dates(starts_on: date, resume_on: date, today: date) -> None:
    if starts_on < today - timedelta(days=PAUSE_DAYS_BACK):
        raise refuse("starts_on", "care.error.pause_start_too_old", days=PAUSE_DAYS_BACK)
    if starts_on > today + timedelta(days=PAUSE_DAYS_AHEAD):
        raise refuse("starts_on", "care.error.pause_start_too_far", days=PAUSE_DAYS_AHEAD)
    if resume_on <= starts_on:
        raise refuse("resume_on", "care.error.pause_resume_before_start")
    if resume_on <= today:
        raise refuse("resume_on", "care.error.pause_over")
    if resume_on > today + timedelta(days=PAUSE_MAX_DAYS):
        raise refuse("resume_on", "care.error.pause_too_long", days=PAUSE_MAX_DAYS)


def start_pause(
    resident_id: int,
    kind: CarePauseKind,
    *,
    starts_on: date,
    resume_on: date,
    reason: str = "",
    actor_id: int | None,
    now: datetime,
) -> int:
    """Pause a person's routine dues from ``starts_on`` until ``resume_on``; the pause's id."""
    kind = _enum("kind", CarePauseKind, kind)
    reason = refuse_text("reason", reason, REASON)
    _check_pause_dates(starts_on, resume_on, now.date())

    def run() -> int:
        _living(resident_id, actor_id)
        running: Any = open_pause(resident_id, now.date())
        if running is not None:
            raise UserError("care.error.pause_open", resume_on=running.resume_on)
        pause_id = int(
            CarePause.insert(
                resident=resident_id,
                kind=kind.value,
                starts_on=starts_on,
                resume_on=resume_on,
                reason=reason,
                created_at=now,
                created_by=actor_id,
            ).execute()
        )
        audit.record(
            "care.pause",
            "resident",
            resident_id,
            actor_id=actor_id,
            at=now,
            reason=reason,
            detail={
                "pause_id": pause_id,
                "kind": kind.value,
                "starts_on": starts_on,
                "resume_on": resume_on,
            },
        )
        return pause_id

    return write(run)


def end_pause(pause_id: int, *, on: date, actor_id: int | None, now: datetime) -> None:
    """The pause ended on ``on`` (before its planned date): the dues run again from then. A
    pause that has not begun is called off by any day up to its start (it then pauses nothing)."""

    def run() -> None:
        pause: Any = CarePause.get_or_none(CarePause.id == pause_id)
        if pause is None:
            raise UserError("care.error.no_pause", id=pause_id)
        require_grid(actor_id, Can.MANAGE_CARE, grid_of_resident(pause.resident_id))
        if pause.ended_on is not None or pause.resume_on <= now.date():
            raise UserError("care.error.pause_ended")
        ended = on
        if pause.starts_on > now.date() and on <= pause.starts_on:
            ended = pause.starts_on  # not begun yet: called off, it pauses nothing
        elif on > now.date():
            raise refuse("on", "validation.date_in_future")
        if not pause.starts_on <= ended <= pause.resume_on:
            raise refuse(
                "on",
                "care.error.pause_end_outside",
                starts_on=pause.starts_on,
                resume_on=pause.resume_on,
            )
        CarePause.update(ended_on=ended, ended_at=now, ended_by=actor_id).where(
            CarePause.id == pause.id
        ).execute()
        audit.record(
            "care.pause_end",
            "resident",
            pause.resident_id,
            actor_id=actor_id,
            at=now,
            detail={"pause_id": pause.id, "ended_on": ended, "resume_on": pause.resume_on},
        )

    write(run)


# ----------------------------------------------------------------------------------- events


def record_event(
    resident_id: int,
    kind: CareEventKind,
    *,
    happened_on: date,
    note: str = "",
    actor_id: int | None,
    now: datetime,
) -> int:
    """A major event on a person: a visit is due within 24 hours. The event's id."""
    kind = _enum("kind", CareEventKind, kind)
    note = refuse_text("note", note, LINE)
    today = now.date()
    if happened_on > today:
        raise refuse("happened_on", "validation.date_in_future")
    if happened_on < today - timedelta(days=EVENT_DAYS_BACK):
        raise refuse("happened_on", "care.error.event_too_old", days=EVENT_DAYS_BACK)

    def run() -> int:
        _living(resident_id, actor_id)
        due = now + timedelta(hours=EVENT_HOURS)
        event_id = int(
            CareEvent.insert(
                resident=resident_id,
                kind=kind.value,
                happened_on=happened_on,
                due_at=due,
                note=note,
                created_at=now,
                created_by=actor_id,
            ).execute()
        )
        audit.record(
            "care.event",
            "resident",
            resident_id,
            actor_id=actor_id,
            at=now,
            detail={
                "event_id": event_id,
                "kind": kind.value,
                "happened_on": happened_on,
                "due_at": due,
            },
        )
        return event_id

    return write(run)


# ------------------------------------------------------------------------------ assignments


def _household(household_id: int, actor_id: int | None) -> Any:
    """The household, if the operator may manage its care and it still lives here."""
    row: Any = Household.get_or_none(Household.id == household_id)
    if row is None:
        raise UserError("resident.household_not_found", id=household_id)
    require_grid(actor_id, Can.MANAGE_CARE, grid_of_household(household_id))
    return row


def open_assignment(household_id: int) -> Any:
    return CareAssignment.get_or_none(
        (CareAssignment.household == household_id) & CareAssignment.ended_at.is_null(True)
    )


def assign_visitor(
    household_id: int,
    *,
    staff_id: int | None,
    volunteer: str = "",
    note: str = "",
    actor_id: int | None,
    now: datetime,
) -> int:
    """From now on ``staff_id`` or the named ``volunteer`` visits the household (instead of
    its grid manager); the assignment's id."""
    volunteer = refuse_text("volunteer", volunteer, TITLE)
    note = refuse_text("note", note, LINE)
    if (staff_id is None) == (not volunteer):
        raise refuse("staff_id", "care.error.assign_one")

    def run() -> int:
        household = _household(household_id, actor_id)
        if household.status != HouseholdStatus.ACTIVE:
            raise UserError("care.error.household_gone")
        if staff_id is not None:
            staff: Any = Staff.get_or_none(Staff.id == staff_id)
            community = community_of_household(household_id)
            if staff is None or not staff.active or staff.community_id != community:
                raise refuse("staff_id", "care.error.visitor_not_staff")
        current: Any = open_assignment(household_id)
        if current is not None and (current.staff_id, current.volunteer) == (staff_id, volunteer):
            raise UserError("care.error.assign_same")
        if current is not None:
            CareAssignment.update(ended_at=now, ended_by=actor_id).where(
                CareAssignment.id == current.id
            ).execute()
        assignment_id = int(
            CareAssignment.insert(
                household=household_id,
                staff=staff_id,
                volunteer=volunteer,
                note=note,
                created_at=now,
                created_by=actor_id,
            ).execute()
        )
        audit.record(
            "care.assign",
            "household",
            household_id,
            actor_id=actor_id,
            at=now,
            detail={
                "assignment_id": assignment_id,
                "staff_id": staff_id,
                "volunteer": bool(volunteer),
                "replaced": current.id if current is not None else None,
            },
        )
        return assignment_id

    return write(run)


def end_assignment(household_id: int, *, actor_id: int | None, now: datetime) -> None:
    """The household's assigned visitor no longer visits: its grid manager does again."""

    def run() -> None:
        _household(household_id, actor_id)
        current: Any = open_assignment(household_id)
        if current is None:
            raise UserError("care.error.no_assignment")
        CareAssignment.update(ended_at=now, ended_by=actor_id).where(
            CareAssignment.id == current.id
        ).execute()
        audit.record(
            "care.unassign",
            "household",
            household_id,
            actor_id=actor_id,
            at=now,
            detail={"assignment_id": current.id, "staff_id": current.staff_id},
        )

    write(run)
