"""Every model of the domain, importable from one place, in creation order."""

from __future__ import annotations

from frontdesk.db.audit import AuditAlert, AuditEntry, AuditSubject
from frontdesk.db.base import BaseModel, database_proxy
from frontdesk.db.grids import GridL3, GridL4
from frontdesk.db.imports import RosterImport, RosterImportRow
from frontdesk.db.meta import SchemaMigration, Setting
from frontdesk.db.org import Community, District, Subdistrict
from frontdesk.db.people import Household, Move, Resident, ResidentTag, Tag, Visit
from frontdesk.db.places import Building, Compound, Flat, Unit
from frontdesk.db.requests import (
    CalendarDay,
    DueRule,
    Request,
    RequestCategory,
    RequestEvent,
    RequestReporter,
)
from frontdesk.db.rooms import Booking, BookingSeries, Closure, OpeningHours, Room, SeriesException
from frontdesk.db.search import SearchKey, SearchState
from frontdesk.db.staff import Staff

ALL_MODELS: list[type[BaseModel]] = [
    SchemaMigration,
    Setting,
    District,
    Subdistrict,
    Community,
    Staff,
    GridL3,
    GridL4,
    Compound,
    Building,
    Unit,
    Flat,
    Household,
    Resident,
    SearchKey,
    SearchState,
    Tag,
    ResidentTag,
    Move,
    Visit,
    Room,
    OpeningHours,
    Closure,
    BookingSeries,
    Booking,
    SeriesException,
    RequestCategory,
    DueRule,
    CalendarDay,
    Request,
    RequestReporter,
    RequestEvent,
    AuditEntry,
    AuditSubject,
    AuditAlert,
    RosterImport,
    RosterImportRow,
]

__all__ = [
    "ALL_MODELS",
    "AuditAlert",
    "AuditEntry",
    "AuditSubject",
    "BaseModel",
    "Booking",
    "BookingSeries",
    "Building",
    "CalendarDay",
    "Closure",
    "Community",
    "Compound",
    "District",
    "DueRule",
    "Flat",
    "GridL3",
    "GridL4",
    "Household",
    "Move",
    "OpeningHours",
    "Request",
    "RequestCategory",
    "RequestEvent",
    "RequestReporter",
    "Resident",
    "ResidentTag",
    "Room",
    "RosterImport",
    "RosterImportRow",
    "SchemaMigration",
    "SearchKey",
    "SearchState",
    "SeriesException",
    "Setting",
    "Staff",
    "Subdistrict",
    "Tag",
    "Unit",
    "Visit",
    "database_proxy",
]
