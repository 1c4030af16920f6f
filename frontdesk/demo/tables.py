"""Row buffers for bulk inserts: ids assigned in Python, one ``executemany`` per table.

``Table(model, columns)`` builds ``INSERT INTO "table" (...) VALUES (?, ...)`` from the model's
own table and column names; every column not listed gets the field's constant default (or NULL)
as a literal, so rows carry only what the generator decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import fn

from frontdesk.db import models as m
from frontdesk.db.base import database_proxy
from frontdesk.db.connection import executemany

Row = tuple[Any, ...]


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {value!r}")


class Table:
    """The pending rows of one model, in the order of ``columns`` (field names)."""

    def __init__(self, model: type[m.BaseModel], columns: Sequence[str]) -> None:
        meta = model._meta
        fields = meta.fields
        self.model = model
        self.columns = list(columns)
        unknown = [name for name in self.columns if name not in fields]
        if unknown:
            raise ValueError(f"{meta.table_name} has no field {unknown}")
        names = [fields[name].column_name for name in self.columns]
        values = ["?"] * len(names)
        for field in meta.sorted_fields:
            if field.name in self.columns:
                continue
            default = field.default
            if callable(default):
                raise ValueError(f"{meta.table_name}.{field.name} needs a value")
            if default is None and not field.null:
                raise ValueError(f"{meta.table_name}.{field.name} is NOT NULL without default")
            names.append(field.column_name)
            values.append(_literal(default))
        quoted = ", ".join(f'"{name}"' for name in names)
        self.sql = f'INSERT INTO "{meta.table_name}" ({quoted}) VALUES ({", ".join(values)})'
        self.rows: list[Row] = []
        self.next_id = 1

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, *values: Any) -> None:
        self.rows.append(values)

    def flush(self) -> None:
        """Insert the pending rows into the bound database."""
        if self.rows:
            executemany(database_proxy.obj, self.sql, self.rows)
            self.rows.clear()


class Tables:
    """One buffer per model the generator fills, flushed parents before children."""

    def __init__(self) -> None:
        self.district = Table(m.District, ["id", "name", "region_code"])
        self.subdistrict = Table(m.Subdistrict, ["id", "district", "name"])
        self.community = Table(
            m.Community, ["id", "subdistrict", "name", "code", "address", "phone"]
        )
        self.staff = Table(
            m.Staff,
            [
                "id",
                "username",
                "display_name",
                "role",
                "phone",
                "community",
                "subdistrict",
                "password_hash",
                "created_at",
                "updated_at",
            ],
        )
        self.grid_l3 = Table(m.GridL3, ["id", "community", "code", "name", "leader"])
        self.grid_l4 = Table(m.GridL4, ["id", "grid_l3", "code", "name", "manager"])
        self.compound = Table(m.Compound, ["id", "community", "name", "street_address"])
        self.building = Table(m.Building, ["id", "compound", "number", "floors", "kind"])
        self.unit = Table(m.Unit, ["id", "building", "number", "flats_per_floor"])
        self.flat = Table(m.Flat, ["id", "unit", "number", "floor", "position", "grid_l4"])
        self.household = Table(
            m.Household,
            [
                "id",
                "flat",
                "number",
                "status",
                "moved_in_on",
                "moved_out_on",
                "notes",
                "created_at",
                "updated_at",
                "version",
            ],
        )
        self.resident = Table(
            m.Resident,
            [
                "id",
                "household",
                "relation",
                "name",
                "gender",
                "birth_date",
                "id_number",
                "phone",
                "ethnicity",
                "status",
                "moved_in_on",
                "moved_out_on",
                "forwarding_contact",
                "died_on",
                "notes",
                "created_at",
                "updated_at",
                "updated_by",
                "version",
            ],
        )
        self.tag = Table(m.Tag, ["id", "code", "sensitive", "sort"])
        self.resident_tag = Table(
            m.ResidentTag, ["id", "resident", "tag", "since", "note", "created_at", "created_by"]
        )
        self.move = Table(
            m.Move,
            [
                "id",
                "resident",
                "household",
                "kind",
                "on_date",
                "from_flat",
                "to_flat",
                "note",
                "created_at",
                "created_by",
            ],
        )
        self.visit = Table(
            m.Visit,
            [
                "id",
                "household",
                "staff",
                "volunteer",
                "mode",
                "outcome",
                "visited_at",
                "purpose",
                "health",
                "health_note",
                "money",
                "money_note",
                "family",
                "family_note",
                "safety",
                "safety_note",
                "needs",
                "needs_note",
                "note",
                "created_at",
                "created_by",
            ],
        )
        self.visit_person = Table(m.VisitPerson, ["id", "visit", "resident"])
        self.care_pause = Table(
            m.CarePause,
            [
                "id",
                "resident",
                "kind",
                "starts_on",
                "resume_on",
                "ended_on",
                "reason",
                "created_at",
                "created_by",
                "ended_at",
                "ended_by",
            ],
        )
        self.care_event = Table(
            m.CareEvent,
            ["id", "resident", "kind", "happened_on", "due_at", "note", "created_at", "created_by"],
        )
        self.care_campaign = Table(
            m.CareCampaign,
            [
                "id",
                "community",
                "title",
                "tags",
                "grid_l4",
                "starts_at",
                "due_on",
                "created_at",
                "created_by",
            ],
        )
        self.care_campaign_member = Table(m.CareCampaignMember, ["id", "campaign", "resident"])
        self.care_assignment = Table(
            m.CareAssignment,
            [
                "id",
                "household",
                "staff",
                "volunteer",
                "note",
                "created_at",
                "created_by",
                "ended_at",
                "ended_by",
            ],
        )
        self.room = Table(
            m.Room,
            [
                "id",
                "community",
                "code",
                "name",
                "purpose",
                "capacity",
                "max_booking_minutes",
                "max_days_ahead",
                "weekly_quota_minutes",
                "sort",
            ],
        )
        self.opening_hours = Table(m.OpeningHours, ["id", "room", "weekday", "opens", "closes"])
        self.closure = Table(
            m.Closure,
            [
                "id",
                "community",
                "room",
                "starts_at",
                "ends_at",
                "reason",
                "created_at",
                "created_by",
            ],
        )
        self.booking_series = Table(
            m.BookingSeries,
            [
                "id",
                "room",
                "title",
                "weekdays",
                "start_time",
                "end_time",
                "starts_on",
                "until_on",
                "occurrences",
                "booker_kind",
                "resident",
                "booker_name",
                "booker_phone",
                "attendees",
                "notes",
                "created_at",
                "created_by",
            ],
        )
        self.booking = Table(
            m.Booking,
            [
                "id",
                "room",
                "series",
                "occurrence_date",
                "starts_at",
                "ends_at",
                "title",
                "booker_kind",
                "resident",
                "booker_name",
                "booker_phone",
                "attendees",
                "notes",
                "status",
                "checked_in_at",
                "cancelled_at",
                "cancelled_by",
                "cancel_reason",
                "created_at",
                "created_by",
                "updated_at",
                "version",
            ],
        )
        self.series_exception = Table(
            m.SeriesException,
            [
                "id",
                "series",
                "occurrence_date",
                "kind",
                "booking",
                "note",
                "created_at",
                "created_by",
            ],
        )
        self.request_category = Table(m.RequestCategory, ["id", "code", "sort"])
        self.due_rule = Table(m.DueRule, ["id", "category", "urgency", "hours"])
        self.calendar_day = Table(m.CalendarDay, ["id", "day", "kind", "name"])
        self.request = Table(
            m.Request,
            [
                "id",
                "number",
                "community",
                "category",
                "urgency",
                "level",
                "status",
                "reporter_kind",
                "reporter",
                "reporter_name",
                "reporter_phone",
                "flat",
                "building",
                "compound",
                "grid_l4",
                "place_text",
                "description",
                "holder",
                "due_at",
                "special_group",
                "overdue_since",
                "resolution",
                "resolved_level",
                "resolved_at",
                "closed_at",
                "created_at",
                "created_by",
                "updated_at",
                "version",
            ],
        )
        self.request_reporter = Table(
            m.RequestReporter,
            ["id", "request", "resident", "name", "phone", "note", "attached_at", "attached_by"],
        )
        self.request_event = Table(
            m.RequestEvent,
            [
                "id",
                "request",
                "at",
                "actor",
                "kind",
                "from_status",
                "to_status",
                "from_holder",
                "to_holder",
                "from_level",
                "to_level",
                "note",
            ],
        )
        self._start_ids()

    def all(self) -> list[Table]:
        """Every buffer, parents before children (the order of ``models.ALL_MODELS``)."""
        tables = [value for value in vars(self).values() if isinstance(value, Table)]
        order = {model: index for index, model in enumerate(m.ALL_MODELS)}
        return sorted(tables, key=lambda table: order[table.model])

    def _start_ids(self) -> None:
        """Continue after rows already present (a fresh database has none)."""
        for table in self.all():
            if "id" not in table.columns:
                continue
            model = table.model
            table.next_id = (model.select(fn.MAX(model.id)).scalar() or 0) + 1

    def flush(self) -> None:
        for table in self.all():
            table.flush()
