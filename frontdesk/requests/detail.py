"""One request as the detail view and the printed slip show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from peewee import JOIN

from frontdesk.db.models import (
    Compound,
    GridL4,
    RequestCategory,
    RequestEvent,
    RequestReporter,
    Staff,
    Visit,
)
from frontdesk.i18n import _
from frontdesk.masking import mask_phone
from frontdesk.permissions import Can, require_in
from frontdesk.requests.timeline import current
from frontdesk.residents.addresses import address_text
from frontdesk.scope import community_of_request


@dataclass(frozen=True)
class EventView:
    at: datetime
    kind: str
    actor: str  # the staff member's name; "" for the system's own events
    by_system: bool  # written by the running program (the overdue sweep), no staff member
    from_status: str | None
    to_status: str | None
    from_level: str | None
    to_level: str | None
    from_holder: str
    to_holder: str
    note: str


@dataclass(frozen=True)
class ReporterView:
    name: str
    phone_masked: str
    resident_id: int | None
    note: str


@dataclass(frozen=True)
class RequestDetail:
    id: int
    number: str
    category: str
    urgency: str
    level: str
    status: str
    description: str
    place: str  # the address or the public place
    grid: str
    holder_id: int | None
    holder_name: str
    holder_phone: str  # a work phone: not masked
    due_at: datetime | None
    overdue: bool
    special_group: bool
    reporters: tuple[ReporterView, ...]  # the first reporter, then those attached
    resolution: str
    resolved_level: str | None
    created_at: datetime
    timeline: tuple[EventView, ...]
    version: int
    community_id: int | None = None
    # the care visit whose concern opened it: when, and who visited ("" : none)
    from_visit_at: datetime | None = None
    from_visit_by: str = ""


def place_words(row: Any) -> str:
    """Where a request is about, in words: the address or the public place, and the detail."""
    if row.flat_id is not None:
        text = address_text(row.flat_id)
    elif row.building_id is not None:
        building: Any = row.building
        text = f"{building.compound.name} {building.number}号楼"
    elif row.compound_id is not None:
        text = str(Compound.get_by_id(row.compound_id).name)
    else:
        text = ""
    return " · ".join(part for part in (text, row.place_text) if part)


def get_request(request_id: int, now: datetime, *, actor_id: int | None) -> RequestDetail:
    require_in(actor_id, Can.VIEW_REQUESTS, community_of_request(request_id))
    row = current(request_id)
    names: dict[int, tuple[str, str]] = {}
    events: list[Any] = list(
        RequestEvent.select()
        .where(RequestEvent.request == request_id)
        .order_by(RequestEvent.at, RequestEvent.id)
    )
    staff_ids = {row.holder_id} | {
        i for e in events for i in (e.actor_id, e.from_holder_id, e.to_holder_id)
    }
    staff_ids.discard(None)
    if staff_ids:
        people: Any = Staff.select(Staff.id, Staff.display_name, Staff.phone).where(
            Staff.id.in_(list(staff_ids))
        )
        names = {s.id: (s.display_name, s.phone) for s in people}

    def name(staff_id: int | None) -> str:
        return names.get(staff_id, ("", ""))[0] if staff_id else ""

    extra: Any = (
        RequestReporter.select()
        .where(RequestReporter.request == request_id)
        .order_by(RequestReporter.attached_at)
    )
    reporters = [
        ReporterView(row.reporter_name, mask_phone(row.reporter_phone), row.reporter_id, "")
    ]
    reporters += [ReporterView(r.name, mask_phone(r.phone), r.resident_id, r.note) for r in extra]
    grid: Any = GridL4.get_or_none(GridL4.id == row.grid_l4_id) if row.grid_l4_id else None
    category: Any = RequestCategory.get_by_id(row.category_id)
    open_ = row.status in ("new", "assigned", "in_progress")
    visit: Any = (
        Visit.select(Visit.visited_at, Visit.volunteer, Staff.display_name.alias("by"))
        .join(Staff, on=(Visit.staff == Staff.id), join_type=JOIN.LEFT_OUTER)
        .where(Visit.request == request_id)
        .dicts()
        .first()
    )
    return RequestDetail(
        id=row.id,
        number=row.number,
        category=category.code,
        urgency=row.urgency,
        level=row.level,
        status=row.status,
        description=row.description,
        place=place_words(row),
        grid=grid.code if grid else "",
        holder_id=row.holder_id,
        holder_name=name(row.holder_id),
        holder_phone=names.get(row.holder_id, ("", ""))[1] if row.holder_id else "",
        due_at=row.due_at,
        overdue=open_ and row.due_at is not None and row.due_at < now,
        special_group=row.special_group,
        reporters=tuple(reporters),
        resolution=row.resolution,
        resolved_level=row.resolved_level,
        created_at=row.created_at,
        from_visit_at=visit["visited_at"] if visit else None,
        from_visit_by=(visit["by"] or visit["volunteer"]) if visit else "",
        timeline=tuple(
            EventView(
                at=e.at,
                kind=e.kind,
                actor=name(e.actor_id),
                by_system=e.actor_id is None,
                from_status=e.from_status,
                to_status=e.to_status,
                from_level=e.from_level,
                to_level=e.to_level,
                from_holder=name(e.from_holder_id),
                to_holder=name(e.to_holder_id),
                note=e.note,
            )
            for e in events
        ),
        version=row.version,
        community_id=row.community_id,
    )


def slip_text(detail: RequestDetail) -> str:
    """A slip to print and hand over: the number, what, where, who holds it, by when."""
    lines = [
        _("slip.title"),
        "",
        _("slip.number", number=detail.number),
        _(
            "slip.category",
            category=_(f"category.{detail.category}"),
            urgency=_(f"enum.urgency.{detail.urgency}"),
        ),
        _("slip.place", place=detail.place or "—"),
        _("slip.description", description=detail.description),
        _("slip.reporter", name=detail.reporters[0].name, phone=detail.reporters[0].phone_masked),
        _(
            "slip.holder",
            name=detail.holder_name or "—",
            phone=detail.holder_phone or "—",
            level=_(f"enum.level.{detail.level}"),
        ),
        _("slip.due", due=f"{detail.due_at:%Y-%m-%d %H:%M}" if detail.due_at else "—"),
        _("slip.created", created=f"{detail.created_at:%Y-%m-%d %H:%M}"),
    ]
    if detail.special_group:
        lines.append(_("slip.special_group"))
    return "\n".join(lines) + "\n"


def write_slip(detail: RequestDetail, folder: Path) -> Path:
    """Write the slip to ``folder/<number>.txt`` (UTF-8) for printing; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{detail.number}.txt"
    path.write_text(slip_text(detail), encoding="utf-8")
    return path
