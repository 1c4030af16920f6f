"""How entries read on the supervisor's list: a label for each record (one query per kind of
record on a page, not one per row), reasons and details in words, masked."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import JOIN

from frontdesk.audit.names import entity_label, mask_text
from frontdesk.db.models import (
    Booking,
    BookingSeries,
    CareCampaign,
    Closure,
    Community,
    Household,
    Request,
    Resident,
    Room,
    Staff,
    Visit,
)
from frontdesk.i18n import _, has
from frontdesk.vocabulary import Relation


@dataclass(frozen=True)
class LogRow:
    """One entry as the supervisor's list shows it (labels in the current language)."""

    id: int
    at: datetime
    actor_id: int | None
    operator: str  # the staff member's name, or "系统" for the sweeps
    action: str  # raw: resident.reveal_phone
    entity: str
    entity_id: int | None
    record: str  # 张三, LJ-20261129-0007, 12-01 插花课 ... (masked)
    reason: str  # masked; a quick-choice key translated
    detail: str  # the details as JSON text, masked
    community: str = ""  # the community's name; "" for the installation's own entries
    os_user: str = ""  # the OS account the program ran under (an SSH desk's SSH account)


# ------------------------------------------------------------------------------------- labels


def _tuples(query: Any) -> list[tuple[Any, ...]]:
    return list(query.tuples())


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _resident_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(Resident.select(Resident.id, Resident.name).where(Resident.id.in_(ids)))
    return {rid: name for rid, name in rows}


def _household_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(
        Household.select(Household.id, Household.number, Resident.name)
        .join(
            Resident,
            JOIN.LEFT_OUTER,
            on=(Resident.household == Household.id) & (Resident.relation == Relation.HEAD.value),
        )
        .where(Household.id.in_(ids))
        .order_by(Household.id, Resident.id)
    )
    labels: dict[int, str] = {}
    for hid, number, head in rows:
        if hid not in labels:
            labels[hid] = _("audit.record.household", head=head) if head else number
    return labels


def _request_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(Request.select(Request.id, Request.number).where(Request.id.in_(ids)))
    return {rid: number for rid, number in rows}


def _booking_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(
        Booking.select(Booking.id, Booking.starts_at, Booking.title).where(Booking.id.in_(ids))
    )
    return {bid: f"{starts:%m-%d} {title}" for bid, starts, title in rows}


def _series_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(
        BookingSeries.select(BookingSeries.id, BookingSeries.title).where(BookingSeries.id.in_(ids))
    )
    return {sid: title for sid, title in rows}


def _room_name(code: str | None, name: str | None) -> str:
    if code is None:
        return _("audit.record.whole_center")
    return _(f"room.{code}") if has(f"room.{code}") else name or code


def _closure_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(
        Closure.select(Closure.id, Closure.starts_at, Room.code, Room.name)
        .join(Room, JOIN.LEFT_OUTER, on=(Closure.room == Room.id))
        .where(Closure.id.in_(ids))
    )
    return {cid: f"{starts:%m-%d} {_room_name(code, name)}" for cid, starts, code, name in rows}


def _staff_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(Staff.select(Staff.id, Staff.display_name).where(Staff.id.in_(ids)))
    return {sid: name for sid, name in rows}


def _visit_labels(ids: list[int]) -> dict[int, str]:
    """A visit as its day and household: 11-29 张三家."""
    rows = _tuples(
        Visit.select(Visit.id, Visit.visited_at, Visit.household).where(Visit.id.in_(ids))
    )
    households = _household_labels(sorted({hid for _vid, _at, hid in rows}))
    return {vid: f"{at:%m-%d} {households.get(hid, '')}".strip() for vid, at, hid in rows}


def _campaign_labels(ids: list[int]) -> dict[int, str]:
    rows = _tuples(
        CareCampaign.select(CareCampaign.id, CareCampaign.title).where(CareCampaign.id.in_(ids))
    )
    return {cid: title for cid, title in rows}


_LABELLERS: dict[str, Callable[[list[int]], dict[int, str]]] = {
    "resident": _resident_labels,
    "household": _household_labels,
    "request": _request_labels,
    "booking": _booking_labels,
    "booking_series": _series_labels,
    "closure": _closure_labels,
    "staff": _staff_labels,
    "visit": _visit_labels,
    "care_campaign": _campaign_labels,
}


def record_labels(pairs: Iterable[tuple[str, int | None]]) -> dict[tuple[str, int | None], str]:
    """A human label for each (entity, id): one query per kind of record, whatever the count."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entity, entity_id in pairs:
        if entity_id is not None:
            wanted[entity].add(entity_id)
    labels: dict[tuple[str, int | None], str] = {}
    for entity, ids in wanted.items():
        labeller = _LABELLERS.get(entity)
        found: dict[int, str] = {}
        if labeller is not None:
            for chunk in _chunks(sorted(ids)):
                found.update(labeller(chunk))
        for entity_id in ids:
            name = found.get(entity_id)
            labels[(entity, entity_id)] = (
                mask_text(name) if name else f"{entity_label(entity)} #{entity_id}"
            )
    return labels


def _reason(text: str) -> str:
    """A quick-choice reason is stored as its catalog key: shown in words."""
    if text and " " not in text and "." in text and has(text):
        return _(text)
    return mask_text(text)


def _detail(text: str) -> str:
    if not text:
        return ""
    try:
        value = json.loads(text)
    except ValueError:
        return mask_text(text)
    if not isinstance(value, dict):
        return mask_text(json.dumps(value, ensure_ascii=False))
    parts = []
    for key, item in value.items():
        if item in ("", None, [], {}):
            continue  # an empty field says nothing
        shown = _reason(item) if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
        parts.append(f"{key}: {mask_text(shown)}")
    return "; ".join(parts)


def _community_names(ids: set[int]) -> dict[int, str]:
    rows = _tuples(Community.select(Community.id, Community.name).where(Community.id.in_(ids)))
    return {cid: name for cid, name in rows}


def _rows(raw: list[dict[str, Any]]) -> list[LogRow]:
    labels = record_labels((row["entity"], row["entity_id"]) for row in raw)
    communities = _community_names({row["community"] for row in raw} - {None})
    rows = []
    for row in raw:
        if row["entity_id"] is None:
            record = entity_label(row["entity"])
        else:
            record = labels[(row["entity"], row["entity_id"])]
        rows.append(
            LogRow(
                id=row["id"],
                at=row["at"],
                actor_id=row["actor"],
                operator=row["actor_name"] or _("audit.operator_system"),
                action=row["action"],
                entity=row["entity"],
                entity_id=row["entity_id"],
                record=record,
                reason=_reason(row["reason"]),
                detail=_detail(row["detail"]),
                community=communities.get(row["community"], ""),
                os_user=row["os_user"],
            )
        )
    return rows
