"""Closures of one room or the whole center, and the bookings they hit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontdesk import audit
from frontdesk.bookings.booking import cancel_rows, mark_exception
from frontdesk.bookings.lookup import shown_phone
from frontdesk.bookings.rules import HOLDING, Booker
from frontdesk.db.connection import write
from frontdesk.db.models import Booking, Closure, Room
from frontdesk.errors import UserError
from frontdesk.permissions import Can, PermissionDenied, require_in
from frontdesk.scope import community_of_closure, community_of_room
from frontdesk.textrules import REASON, require_text
from frontdesk.vocabulary import SeriesExceptionKind


@dataclass(frozen=True)
class HitBooking:
    id: int
    room_name: str
    starts_at: datetime
    ends_at: datetime
    title: str
    booker_name: str
    booker_phone: str  # the desk calls them: as given for the booking (a resident's masked)


def bookings_hit(
    community_id: int,
    room_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
    *,
    actor_id: int | None,
) -> list[HitBooking]:
    """Live bookings a closure of ``room_id`` (None: the whole center) would fall on, for the
    leadership of that community."""
    require_in(actor_id, Can.CLOSE_ROOM, community_id)
    return _hit(community_id, room_id, starts_at, ends_at)


def _hit(
    community_id: int, room_id: int | None, starts_at: datetime, ends_at: datetime
) -> list[HitBooking]:
    query = (
        Booking.select(Booking, Room.name.alias("room_name"))
        .join(Room)
        .where(
            (Room.community == community_id)
            & Booking.status.in_(HOLDING)
            & (Booking.starts_at < ends_at)
            & (Booking.ends_at > starts_at)
        )
        .order_by(Booking.starts_at)
    )
    if room_id is not None:
        query = query.where(Booking.room == room_id)
    rows: Any = query.dicts()
    return [
        HitBooking(
            id=r["id"],
            room_name=r["room_name"],
            starts_at=r["starts_at"],
            ends_at=r["ends_at"],
            title=r["title"],
            booker_name=r["booker_name"],
            booker_phone=shown_phone(
                Booker(r["booker_kind"], r["booker_name"], r["booker_phone"] or "")
            ),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ClosureSaved:
    closure_id: int
    cancelled: tuple[int, ...]
    kept: tuple[int, ...]  # bookings hit but left standing (the clerk chose not to cancel)


def create_closure(
    community_id: int,
    room_id: int | None,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    *,
    cancel_hit: bool,
    note: str = "",
    actor_id: int | None,
    now: datetime,
) -> ClosureSaved:
    """Close a room (or the center) for [starts_at, ends_at). With ``cancel_hit`` the bookings
    it falls on are cancelled with ``note`` (or the reason) as what the bookers are told."""
    if not reason.strip():
        raise UserError("closure.reason_required")
    require_text("reason", reason, REASON)
    require_text("note", note, REASON)  # told to the bookers as their cancel reason
    if starts_at >= ends_at:
        raise UserError("booking.end_before_start")

    def run() -> ClosureSaved:
        require_in(actor_id, Can.CLOSE_ROOM, community_id)
        if room_id is not None and community_of_room(room_id) != community_id:
            raise PermissionDenied(None, Can.CLOSE_ROOM, scope="perm.scope.other_community")
        closure = Closure.create(
            community=community_id,
            room=room_id,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason.strip(),
            created_at=now,
            created_by=actor_id,
        )
        hit = _hit(community_id, room_id, starts_at, ends_at)
        cancelled: tuple[int, ...] = ()
        if cancel_hit and hit:
            rows: list[Any] = list(Booking.select().where(Booking.id.in_([h.id for h in hit])))
            message = (note or reason).strip()
            cancel_rows(rows, message, actor_id=actor_id, now=now)
            for row in rows:
                mark_exception(row, SeriesExceptionKind.CANCELLED, message, actor_id, now)
            cancelled = tuple(h.id for h in hit)
        audit.record(
            "closure.create",
            "closure",
            closure.id,
            actor_id=actor_id,
            at=now,
            reason=reason.strip(),
            detail={"room": room_id, "cancelled": list(cancelled)},
        )
        kept = tuple(h.id for h in hit if h.id not in cancelled)
        return ClosureSaved(closure.id, cancelled, kept)

    return write(run)


def lift_closure(closure_id: int, *, actor_id: int | None, now: datetime) -> None:
    """End a closure early (kept in the records as lifted)."""

    def run() -> None:
        require_in(actor_id, Can.CLOSE_ROOM, community_of_closure(closure_id))
        updated = (
            Closure.update(lifted_at=now, lifted_by=actor_id)
            .where((Closure.id == closure_id) & Closure.lifted_at.is_null(True))
            .execute()
        )
        if updated:
            audit.record("closure.lift", "closure", closure_id, actor_id=actor_id, at=now)

    write(run)
