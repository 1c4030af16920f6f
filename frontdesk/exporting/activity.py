"""The requests and the bookings of a period, as workbooks.

Requests: registered in the period (by their creation time), under the queue's filters; the
reporter's name masked to its surname and the phone masked, numbers in the description masked
(always: a request export is for figures and follow-up, not for contacting people). Bookings:
those starting in the period, under the list's filters; the booker's phone masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from peewee import JOIN

from frontdesk.db.models import (
    Booking,
    Building,
    Compound,
    Flat,
    GridL4,
    Request,
    RequestCategory,
    Room,
    Staff,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.exporting.book import Column, Kind
from frontdesk.exporting.common import (
    ExportResult,
    Progress,
    asker,
    check_within,
    narrowed,
    new_book,
    record_export,
    title,
)
from frontdesk.i18n import _, has
from frontdesk.masking import mask_numbers_in, mask_phone
from frontdesk.permissions import Can
from frontdesk.scope import community_of_grid, community_of_room


@dataclass(frozen=True)
class Period:
    since: date | None = None  # inclusive
    until: date | None = None  # inclusive

    def check(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise UserError("export.bad_period", since=self.since, until=self.until)

    def bounds(self, column: Any) -> list[Any]:
        where = []
        if self.since is not None:
            where.append(column >= datetime.combine(self.since, time.min))
        if self.until is not None:
            where.append(column < datetime.combine(self.until + timedelta(days=1), time.min))
        return where

    def words(self) -> list[str]:
        if self.since is None and self.until is None:
            return []
        since = f"{self.since:%Y-%m-%d}" if self.since else "…"
        until = f"{self.until:%Y-%m-%d}" if self.until else "…"
        return [_("export.filter.period", since=since, until=until)]

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in (("since", self.since), ("until", self.until)) if v is not None}


@dataclass(frozen=True)
class RequestSelection:
    period: Period = Period()
    community_id: int | None = None
    statuses: tuple[str, ...] = ()  # none: every status
    level: str | None = None
    grid_l4_id: int | None = None
    holder_id: int | None = None
    category: str | None = None  # code
    overdue_only: bool = False


@dataclass(frozen=True)
class BookingSelection:
    period: Period = Period()
    community_id: int | None = None
    room_id: int | None = None
    booker: str = ""  # part of the booker's name
    status: str | None = None


def _label(prefix: str, value: str | None) -> str:
    if not value:
        return ""
    key = f"{prefix}.{value}"
    return _(key) if has(key) else value


def mask_name(name: str) -> str:
    """``张*``, ``欧阳**``: the surname's first character and a star for each other one."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name


# ------------------------------------------------------------------------------------ requests

REQUEST_COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("number", Kind.CODE),
    ("created_at", Kind.DATETIME),
    ("request_category", Kind.TEXT),
    ("urgency", Kind.TEXT),
    ("status", Kind.TEXT),
    ("level", Kind.TEXT),
    ("place", Kind.TEXT),
    ("grid", Kind.TEXT),
    ("reporter", Kind.TEXT),
    ("reporter_phone", Kind.CODE),
    ("description", Kind.TEXT),
    ("holder", Kind.TEXT),
    ("due_at", Kind.DATETIME),
    ("overdue", Kind.TEXT),
    ("resolved_at", Kind.DATETIME),
    ("closed_at", Kind.DATETIME),
)
FlatUnit = Unit.alias("flat_unit")
FlatBuilding = Building.alias("flat_building")
FlatCompound = Compound.alias("flat_compound")
PlaceCompound = Compound.alias("place_compound")
BuildingCompound = Compound.alias("building_compound")


def _requests_query(where: list[Any]) -> Any:
    return (
        Request.select(
            Request.number,
            Request.created_at,
            RequestCategory.code.alias("category"),
            Request.urgency,
            Request.status,
            Request.level,
            Request.place_text,
            Request.reporter_name,
            Request.reporter_phone,
            Request.description,
            Request.due_at,
            Request.overdue_since,
            Request.resolved_at,
            Request.closed_at,
            GridL4.code.alias("grid"),
            Staff.display_name.alias("holder"),
            FlatCompound.name.alias("flat_compound"),
            FlatBuilding.number.alias("flat_building"),
            FlatUnit.number.alias("flat_unit"),
            Flat.number.alias("flat"),
            BuildingCompound.name.alias("building_compound"),
            Building.number.alias("building"),
            PlaceCompound.name.alias("compound"),
        )
        .join(RequestCategory, on=(RequestCategory.id == Request.category))
        .switch(Request)
        .join(GridL4, JOIN.LEFT_OUTER, on=(GridL4.id == Request.grid_l4))
        .switch(Request)
        .join(Staff, JOIN.LEFT_OUTER, on=(Staff.id == Request.holder))
        .switch(Request)
        .join(Flat, JOIN.LEFT_OUTER, on=(Flat.id == Request.flat))
        .join(FlatUnit, JOIN.LEFT_OUTER, on=(FlatUnit.id == Flat.unit))
        .join(FlatBuilding, JOIN.LEFT_OUTER, on=(FlatBuilding.id == FlatUnit.building))
        .join(FlatCompound, JOIN.LEFT_OUTER, on=(FlatCompound.id == FlatBuilding.compound))
        .switch(Request)
        .join(Building, JOIN.LEFT_OUTER, on=(Building.id == Request.building))
        .join(BuildingCompound, JOIN.LEFT_OUTER, on=(BuildingCompound.id == Building.compound))
        .switch(Request)
        .join(PlaceCompound, JOIN.LEFT_OUTER, on=(PlaceCompound.id == Request.compound))
        .where(*where)
        .order_by(Request.created_at, Request.id)
    )


def _place(row: dict[str, Any]) -> str:
    if row["flat"] is not None:
        where = f"{row['flat_compound']} {row['flat_building']}-{row['flat_unit']}-{row['flat']}"
    elif row["building"] is not None:
        where = _("export.building_place", compound=row["building_compound"], n=row["building"])
    else:
        where = row["compound"] or ""
    return " ".join(part for part in (where, row["place_text"] or "") if part)


def export_requests(
    selection: RequestSelection,
    path: Path,
    *,
    actor_id: int | None,
    now: datetime,
    command_line: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """The requests registered in the period under the queue's filters, oldest first."""
    what = Can.VIEW_REQUESTS
    who = asker(actor_id, what, command_line=command_line)
    selection.period.check()
    communities = narrowed(who, what, selection.community_id)
    where: list[Any] = selection.period.bounds(Request.created_at)
    words = selection.period.words()
    values: dict[str, Any] = selection.period.values()
    if communities is not None:
        where.append(Request.community.in_(sorted(communities)))
    if selection.statuses:
        where.append(Request.status.in_(selection.statuses))
        words.append("、".join(_label("enum.request_status", s) for s in selection.statuses))
        values["statuses"] = list(selection.statuses)
    if selection.level is not None:
        where.append(Request.level == selection.level)
        words.append(_label("enum.level", selection.level))
        values["level"] = selection.level
    if selection.grid_l4_id is not None:
        check_within(who, what, community_of_grid(selection.grid_l4_id))
        where.append(Request.grid_l4 == selection.grid_l4_id)
        words.append(_("export.filter.grid", grid=_grid(selection.grid_l4_id)))
        values["grid_l4"] = selection.grid_l4_id
    if selection.holder_id is not None:
        where.append(Request.holder == selection.holder_id)
        words.append(_("export.filter.holder"))
        values["holder"] = selection.holder_id
    if selection.category is not None:
        ids = RequestCategory.select(RequestCategory.id).where(
            RequestCategory.code == selection.category
        )
        where.append(Request.category.in_(ids))
        words.append(_label("category", selection.category))
        values["category"] = selection.category
    if selection.overdue_only:
        where.append(Request.overdue_since.is_null(False) | (Request.due_at < now))
        where.append(Request.status.not_in(("resolved", "closed")))
        words.append(_("export.filter.overdue"))
        values["overdue"] = True
    heading = title(_("export.what.requests"), communities, words, now, False)
    rows = 0
    with new_book(path) as book:
        columns = [Column(_(f"export.col.{name}"), kind) for name, kind in REQUEST_COLUMNS]
        sheet = book.sheet(_("export.what.requests"), columns, heading)
        for row in _requests_query(where or [True]).dicts().iterator():
            due = row["due_at"]
            late = row["overdue_since"] is not None or (
                due is not None and due < now and row["status"] not in ("resolved", "closed")
            )
            sheet.row(
                [
                    row["number"],
                    row["created_at"],
                    _label("category", row["category"]),
                    _label("enum.urgency", row["urgency"]),
                    _label("enum.request_status", row["status"]),
                    _label("enum.level", row["level"]),
                    _place(row),
                    row["grid"] or "",
                    mask_name(row["reporter_name"] or ""),
                    mask_phone(row["reporter_phone"]),
                    mask_numbers_in(row["description"] or ""),
                    row["holder"] or "",
                    due,
                    _("export.yes") if late else "",
                    row["resolved_at"],
                    row["closed_at"],
                ]
            )
            rows += 1
        sheet.finish()
    result = ExportResult(path=path, rows=rows, masked=True)
    record_export(who, "requests", communities=communities, filters=values, result=result, now=now)
    if progress is not None:
        progress(1.0)
    return result


def _grid(grid_id: int) -> str:
    row = GridL4.select(GridL4.code).where(GridL4.id == grid_id).tuples().first()
    return "" if row is None else str(row[0])


# ------------------------------------------------------------------------------------ bookings

BOOKING_COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("date", Kind.DATE),
    ("starts", Kind.TIME),
    ("ends", Kind.TIME),
    ("room", Kind.TEXT),
    ("title", Kind.TEXT),
    ("booker", Kind.TEXT),
    ("booker_phone", Kind.CODE),
    ("attendees", Kind.NUMBER),
    ("booking_status", Kind.TEXT),
    ("series", Kind.TEXT),
    ("checked_in_at", Kind.DATETIME),
    ("cancel_reason", Kind.TEXT),
)


def export_bookings(
    selection: BookingSelection,
    path: Path,
    *,
    actor_id: int | None,
    now: datetime,
    command_line: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """The bookings starting in the period under the list's filters, by time."""
    what = Can.VIEW_ROOMS
    who = asker(actor_id, what, command_line=command_line)
    selection.period.check()
    communities = narrowed(who, what, selection.community_id)
    where: list[Any] = selection.period.bounds(Booking.starts_at)
    words = selection.period.words()
    values: dict[str, Any] = selection.period.values()
    if communities is not None:
        where.append(Room.community.in_(sorted(communities)))
    if selection.room_id is not None:
        check_within(who, what, community_of_room(selection.room_id))
        where.append(Booking.room == selection.room_id)
        room = Room.select(Room.name).where(Room.id == selection.room_id).tuples().first()
        words.append(str(room[0]) if room else "")
        values["room"] = selection.room_id
    if selection.booker.strip():
        where.append(Booking.booker_name.contains(selection.booker.strip()))
        words.append(_("export.filter.booker", booker=selection.booker.strip()))
        values["booker"] = selection.booker.strip()
    if selection.status is not None:
        where.append(Booking.status == selection.status)
        words.append(_label("enum.booking_status", selection.status))
        values["status"] = selection.status
    query = (
        Booking.select(Booking, Room.name.alias("room_name"))
        .join(Room, on=(Room.id == Booking.room))
        .where(*(where or [True]))
        .order_by(Booking.starts_at, Room.sort, Booking.id)
    )
    heading = title(_("export.what.bookings"), communities, words, now, False)
    rows = 0
    with new_book(path) as book:
        columns = [Column(_(f"export.col.{name}"), kind) for name, kind in BOOKING_COLUMNS]
        sheet = book.sheet(_("export.what.bookings"), columns, heading)
        for row in query.dicts().iterator():
            sheet.row(
                [
                    row["starts_at"].date(),
                    row["starts_at"].time(),
                    row["ends_at"].time(),
                    row["room_name"],
                    row["title"],
                    row["booker_name"],
                    mask_phone(row["booker_phone"]),
                    row["attendees"],
                    _label("enum.booking_status", row["status"]),
                    _("export.yes") if row["series"] else "",
                    row["checked_in_at"],
                    row["cancel_reason"] or "",
                ]
            )
            rows += 1
        sheet.finish()
    result = ExportResult(path=path, rows=rows, masked=True)
    record_export(who, "bookings", communities=communities, filters=values, result=result, now=now)
    if progress is not None:
        progress(1.0)
    return result
