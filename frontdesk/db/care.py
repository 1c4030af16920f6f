"""Care visits (走访 / 探访) and what makes them due: levels set by hand, pauses, major events,
campaigns, who is assigned to visit a household.

Nothing here is ever deleted or rewritten: a level set by hand is followed by the next one (a
row with ``level`` NULL gives the person back to their tags' level), a pause ended early keeps
its planned date beside the real one, an assignment ends by ``ended_at``. The dues themselves
are not stored: ``frontdesk.care.cadence`` derives them from these rows, the tags and the
visits, the one definition the round, the figures and the resident's page share.
"""

from __future__ import annotations

from peewee import SQL, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from frontdesk.db.base import BaseModel, one_of
from frontdesk.db.grids import GridL4
from frontdesk.db.org import Community
from frontdesk.db.people import Household, Resident
from frontdesk.db.requests import Request
from frontdesk.db.staff import Staff
from frontdesk.vocabulary import (
    AreaState,
    CareEventKind,
    CareLevel,
    CarePauseKind,
    VisitMode,
    VisitOutcome,
)

AREA_COLUMNS = ("health", "money", "family", "safety", "needs")  # CareArea's values


def _area() -> CharField:
    return CharField(max_length=8, null=True)  # AreaState, NULL for an attempt


class Visit(BaseModel):
    """One visit or attempt (未遇) to a household, by a staff member or a named volunteer.

    Who was seen is ``VisitPerson``: a visit meets the dues of those it saw, not of those away.
    Before schema 9 a visit had only ``staff``, ``purpose`` and ``note``; the migration made the
    old ones in-person visits that saw every member living there that day."""

    household = ForeignKeyField(Household, backref="visits", on_delete="RESTRICT")
    staff = ForeignKeyField(Staff, null=True, backref="visits", on_delete="RESTRICT")
    volunteer = CharField(default="", constraints=[SQL("DEFAULT ''")])  # 志愿者 / 亲属 / 第三方
    mode = CharField(
        max_length=12,
        default=VisitMode.IN_PERSON.value,
        constraints=[SQL("DEFAULT 'in_person'"), one_of("mode", VisitMode)],
    )
    outcome = CharField(
        max_length=10,
        default=VisitOutcome.SEEN.value,
        constraints=[SQL("DEFAULT 'seen'"), one_of("outcome", VisitOutcome)],
    )
    visited_at = DateTimeField(index=True)  # also: the first visit kept (care.history)
    purpose = CharField(default="")
    health = _area()
    health_note = CharField(default="", constraints=[SQL("DEFAULT ''")])
    money = _area()
    money_note = CharField(default="", constraints=[SQL("DEFAULT ''")])
    family = _area()
    family_note = CharField(default="", constraints=[SQL("DEFAULT ''")])
    safety = _area()
    safety_note = CharField(default="", constraints=[SQL("DEFAULT ''")])
    needs = _area()
    needs_note = CharField(default="", constraints=[SQL("DEFAULT ''")])
    note = TextField(default="")
    # the walk-in request a concern opened (the request's page finds the visit by this)
    request = ForeignKeyField(Request, null=True, backref="visits", on_delete="RESTRICT")
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT", index=False)

    class Meta:
        indexes = ((("household", "visited_at"), False),)
        constraints = [
            *(
                SQL(f"CHECK ({column} IS NULL OR {column} IN ('ok', 'concern'))")
                for column in AREA_COLUMNS
            ),
            SQL("CHECK (staff_id IS NOT NULL OR volunteer != '')"),
        ]


assert {state.value for state in AreaState} == {"ok", "concern"}


class VisitPerson(BaseModel):
    """Whom a visit saw (for an attempt: whom it went to see)."""

    visit = ForeignKeyField(Visit, backref="people", on_delete="RESTRICT", index=False)
    resident = ForeignKeyField(Resident, backref="visits_seen", on_delete="RESTRICT")

    class Meta:
        indexes = ((("visit", "resident"), True),)


class CareLevelChange(BaseModel):
    """A person's care level raised or lowered by hand, with the reason; ``level`` NULL gives
    them back to the level their tags make. The latest row counts."""

    resident = ForeignKeyField(Resident, backref="care_levels", on_delete="RESTRICT")
    level = CharField(
        max_length=10, null=True, constraints=[one_of("level", CareLevel, nullable=True)]
    )
    reason = CharField()
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT", index=False)


class CarePause(BaseModel):
    """Dues pause from ``starts_on`` until ``resume_on`` (in hospital, in a care home, away);
    ``ended_on`` is the day it really ended, when ended early."""

    resident = ForeignKeyField(Resident, backref="care_pauses", on_delete="RESTRICT")
    kind = CharField(max_length=10, constraints=[one_of("kind", CarePauseKind)])
    starts_on = DateField()
    resume_on = DateField()
    ended_on = DateField(null=True)
    reason = CharField(default="")
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT", index=False)
    ended_at = DateTimeField(null=True)
    ended_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT", index=False)

    class Meta:
        constraints = [SQL("CHECK (resume_on > starts_on)")]


class CareEvent(BaseModel):
    """A major event (重大变故) recorded on a person: a visit is due by ``due_at``."""

    resident = ForeignKeyField(Resident, backref="care_events", on_delete="RESTRICT")
    kind = CharField(max_length=16, constraints=[one_of("kind", CareEventKind)])
    happened_on = DateField()
    due_at = DateTimeField()
    note = CharField(default="")
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT", index=False)


class CareCampaign(BaseModel):
    """走访活动 (寒潮来袭, 春节前走访): everyone it chose at its start is due by ``due_on``."""

    community = ForeignKeyField(Community, backref="care_campaigns", on_delete="RESTRICT")
    title = CharField()
    tags = CharField()  # the tag codes it chose by, comma-separated (anyone carrying one)
    grid_l4 = ForeignKeyField(GridL4, null=True, backref="+", on_delete="RESTRICT", index=False)
    starts_at = DateTimeField()
    due_on = DateField()
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT", index=False)


class CareCampaignMember(BaseModel):
    campaign = ForeignKeyField(CareCampaign, backref="members", on_delete="RESTRICT", index=False)
    resident = ForeignKeyField(Resident, backref="care_campaigns", on_delete="RESTRICT")

    class Meta:
        indexes = ((("campaign", "resident"), True),)


class CareAssignment(BaseModel):
    """Someone other than the grid manager visits this household: a staff member or a named
    volunteer (结对志愿者 / 党员). The open row (``ended_at`` NULL) counts."""

    household = ForeignKeyField(Household, backref="care_assignments", on_delete="RESTRICT")
    staff = ForeignKeyField(Staff, null=True, backref="care_assignments", on_delete="RESTRICT")
    volunteer = CharField(default="")
    note = CharField(default="")
    created_at = DateTimeField()
    created_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT", index=False)
    ended_at = DateTimeField(null=True)
    ended_by = ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT", index=False)

    class Meta:
        constraints = [SQL("CHECK (staff_id IS NOT NULL OR volunteer != '')")]


CareAssignment.add_index(
    CareAssignment.index(
        CareAssignment.household,
        unique=True,
        where=CareAssignment.ended_at.is_null(True),
        name="care_assignment_one_open",
    )
)

CARE_MODELS: tuple[type[BaseModel], ...] = (
    CareLevelChange,
    CarePause,
    CareEvent,
    CareCampaign,
    CareCampaignMember,
    CareAssignment,
)
