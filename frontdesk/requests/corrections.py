"""Putting a logged request right: the reporter or the place corrected after saving, never by
logging the request again.

Who may: anyone who may log requests in the request's community, or whoever holds it now. Only
until it is closed (a closed request is reopened first). A correction made from a stale copy is
refused as every other change is. A new place of an open request still at the grid goes to the
new grid's holder, found as the intake finds one; the due time stays as it is. Each correction is
one transaction: a ``corrected`` line on the timeline saying what was and what is (people as the
timeline shows them: names, phones masked) and an audit entry with the old and new ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import ForeignKeyField

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import GridL4, Request, RequestEvent, Resident
from frontdesk.errors import UserError
from frontdesk.masking import mask_phone
from frontdesk.permissions import (
    Can,
    Operator,
    PermissionDenied,
    require_for_request,
    require_in,
)
from frontdesk.requests.detail import place_words
from frontdesk.requests.intake import Place, Reporter, check_reporter, locate
from frontdesk.requests.routing import holder_for
from frontdesk.requests.timeline import check_version, current, update
from frontdesk.scope import community_of_resident
from frontdesk.textrules import LINE, require_text
from frontdesk.vocabulary import Level, ReporterKind, RequestEventKind, RequestStatus

OPEN = (RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)
# The event's note: what the reporter was and is, then what the place was and is (either may be
# "" when it was not corrected), one a line.
SEPARATOR = "\n"
ARROW = " → "


@dataclass(frozen=True)
class Correction:
    """What to put right; None leaves that part as it is."""

    reporter: Reporter | None = None  # a resident (their id), or a visitor's name and phone
    place: Place | None = None  # as the intake takes one, with the detail of where


@dataclass(frozen=True)
class Corrected:
    """The request after the correction."""

    id: int
    number: str
    version: int
    reporter: str  # the change as the timeline shows it ("" when not corrected)
    place: str
    rerouted: bool  # went to the new grid's holder
    holder_name: str  # who holds it now


def may_correct(actor_id: int | None, row: Any) -> Operator:
    """Anyone who may log requests in the request's community, or its holder."""
    try:
        return require_in(actor_id, Can.LOG_REQUEST, row.community_id)
    except PermissionDenied:
        if actor_id is None or row.holder_id != actor_id:
            raise
        return require_for_request(actor_id, Can.HANDLE_REQUEST, row)


def _person(name: str, phone: str) -> str:
    """A reporter as the timeline shows one: the name, the phone masked."""
    return " ".join(part for part in (name.strip(), mask_phone(phone.strip())) if part)


def _reporter_values(reporter: Reporter, community_id: int) -> dict[str, Any]:
    """The request's reporter columns for ``reporter`` (a resident of the request's community,
    or a visitor with a name)."""
    if reporter.resident_id is not None:
        person: Any = Resident.get_or_none(Resident.id == reporter.resident_id)
        if person is None:
            raise UserError("resident.not_found", id=reporter.resident_id)
        if community_of_resident(person.id) != community_id:
            raise UserError("request_correct.reporter_elsewhere", name=person.name)
        return {
            "reporter_kind": ReporterKind.RESIDENT.value,
            "reporter": person.id,
            "reporter_name": person.name.strip(),
            "reporter_phone": (reporter.phone or person.phone or "").strip(),
        }
    if not reporter.name.strip():
        raise UserError("request.reporter_required")
    return {
        "reporter_kind": ReporterKind.VISITOR.value,
        "reporter": None,
        "reporter_name": reporter.name.strip(),
        "reporter_phone": reporter.phone.strip(),
    }


def _place_values(place: Place, community_id: int) -> dict[str, Any]:
    """The request's place columns for ``place``, checked as the intake checks one and to be in
    the request's community."""
    if (place.flat_id, place.building_id, place.compound_id, place.grid_l4_id) == (None,) * 4:
        raise UserError("request.no_place")
    located = locate(place)
    if located.community_id != community_id:
        raise UserError("request.no_place")
    return {
        "flat": place.flat_id,
        "building": located.building_id,
        "compound": located.compound_id,
        "grid_l4": located.grid_l4_id,
        "place_text": place.text.strip(),
    }


def _place_shown(row: Any) -> str:
    """A place as the timeline says it: the address or public place, else its grid."""
    words = place_words(row)
    if words or row.grid_l4_id is None:
        return words or "—"
    grid: Any = GridL4.get_or_none(GridL4.id == row.grid_l4_id)
    return str(grid.code) if grid else "—"


REPORTER_COLUMNS = ("reporter_kind", "reporter", "reporter_name", "reporter_phone")
PLACE_COLUMNS = ("flat", "building", "compound", "grid_l4", "place_text")
# What the audit entry keeps of each side: the kind and the ids, no name or phone.
AUDITED = ("reporter_kind", "reporter", "flat", "building", "compound", "grid_l4")


def _stored(row: Any, column: str) -> Any:
    """A column's stored value (a foreign key as its id)."""
    field = Request._meta.fields[column]
    return getattr(row, field.column_name if isinstance(field, ForeignKeyField) else column)


def _audited(row: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    return {column: _stored(row, column) for column in columns if column in AUDITED}


def correct_request(
    request_id: int,
    version: int,
    correction: Correction,
    *,
    actor_id: int | None,
    now: datetime,
) -> Corrected:
    """Correct the reporter and/or the place of a request that is not closed."""
    if correction.reporter is None and correction.place is None:
        raise UserError("request_correct.nothing")
    if correction.reporter is not None:
        check_reporter(correction.reporter)
    if correction.place is not None:
        require_text("place_text", correction.place.text, LINE)

    def run() -> Corrected:
        row = current(request_id)
        may_correct(actor_id, row)
        check_version(row, version)
        if row.status == RequestStatus.CLOSED:
            raise UserError("request_correct.closed", number=row.number)
        values: dict[str, Any] = {}
        if correction.reporter is not None:
            values.update(_reporter_values(correction.reporter, row.community_id))
        if correction.place is not None:
            values.update(_place_values(correction.place, row.community_id))
        changed = {k: v for k, v in values.items() if _stored(row, k) != v}
        if not changed:
            raise UserError("request_correct.nothing")
        parts = [
            columns
            for columns in (REPORTER_COLUMNS, PLACE_COLUMNS)
            if any(k in changed for k in columns)
        ]
        before = {"reporter": _person(row.reporter_name, row.reporter_phone)}
        before["place"] = _place_shown(row)
        holder_id = row.holder_id
        grid = changed.get("grid_l4", row.grid_l4_id)
        if grid != row.grid_l4_id and row.status in OPEN and row.level == Level.GRID:
            holder_id = holder_for(grid, Level.GRID).staff_id  # as the intake routes it
        rerouted = holder_id != row.holder_id
        version_now = update(row, now, **changed, holder=holder_id)
        after: Any = Request.get_by_id(row.id)
        shown = {"reporter": _person(after.reporter_name, after.reporter_phone)}
        shown["place"] = _place_shown(after)
        reporter_text = place_text = ""
        if REPORTER_COLUMNS in parts:
            reporter_text = before["reporter"] + ARROW + shown["reporter"]
        if PLACE_COLUMNS in parts:
            place_text = before["place"] + ARROW + shown["place"]
        RequestEvent.create(
            request=row.id,
            at=now,
            actor=actor_id,
            kind=RequestEventKind.CORRECTED,
            note=SEPARATOR.join((reporter_text, place_text)),
            from_holder=row.holder_id if rerouted else None,
            to_holder=holder_id if rerouted else None,
        )
        detail: dict[str, Any] = {
            "from": {k: v for c in parts for k, v in _audited(row, c).items()},
            "to": {k: v for c in parts for k, v in _audited(after, c).items()},
        }
        if rerouted:
            detail["from_holder"], detail["to_holder"] = row.holder_id, holder_id
        audit.record(
            "request.corrected",
            "request",
            row.id,
            actor_id=actor_id,
            at=now,
            reason=" / ".join(part for part in (reporter_text, place_text) if part),
            detail=detail,
        )
        holder: Any = after.holder
        return Corrected(
            id=row.id,
            number=row.number,
            version=version_now,
            reporter=reporter_text,
            place=place_text,
            rerouted=rerouted,
            holder_name=holder.display_name if holder else "",
        )

    return write(run)
