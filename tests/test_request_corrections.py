"""Correcting a logged request's reporter or place (issue 12, point 20): by who may, as a
timeline event with an audit entry, re-routed to the new grid's holder while open at the grid,
refused whole when it may not be done."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.db.models import (
    AuditEntry,
    Community,
    Flat,
    GridL4,
    Household,
    Request,
    RequestEvent,
    Resident,
    Staff,
)
from frontdesk.errors import UserError
from frontdesk.masking import mask_phone
from frontdesk.permissions import PermissionDenied, grids_of
from frontdesk.requests.corrections import Correction, correct_request
from frontdesk.requests.detail import get_request
from frontdesk.requests.intake import Logged, Place, Reporter, RequestInput, create_request
from frontdesk.requests.lifecycle import close, escalate, resolve
from frontdesk.requests.routing import holder_for
from frontdesk.vocabulary import Role
from tests.roles import staff_of

NOW = datetime(2026, 11, 30, 9, 0)  # a Monday morning
LATER = NOW + timedelta(hours=2)


def _living(community: int | None = None, *, not_in: tuple[int, ...] = ()) -> Any:
    """A living resident with a phone (of ``community`` when given)."""
    query: Any = (
        Resident.select()
        .join(Household)
        .join(Flat)
        .where(
            (Resident.status == "living")
            & Resident.phone.is_null(False)
            & (Resident.phone != "")
            & Resident.id.not_in(not_in or (0,))
        )
        .order_by(Resident.id)
    )
    for person in query:
        if community is None or _community_of(person) == community:
            return person
    raise AssertionError("no such resident")


def _community_of(person: Any) -> int:
    from frontdesk.scope import community_of_resident

    found = community_of_resident(person.id)
    assert found is not None
    return found


def _log(person: Any, actor: int | None = None) -> Logged:
    return create_request(
        RequestInput(
            category="lighting",
            urgency="normal",
            description="楼道灯不亮",
            reporter=Reporter(name="", resident_id=person.id),
            place=Place(),
        ),
        actor_id=actor or staff_of("reception"),
        now=NOW,
    )


def _row(request_id: int) -> Any:
    return Request.get_by_id(request_id)


def _counts(request_id: int) -> tuple[int, int, int]:
    events = RequestEvent.select().where(RequestEvent.request == request_id).count()
    audits = AuditEntry.select().where(AuditEntry.entity == "request").count()
    return events, audits, _row(request_id).version


def _last_audit(request_id: int) -> Any:
    return (
        AuditEntry.select()
        .where((AuditEntry.entity == "request") & (AuditEntry.entity_id == request_id))
        .order_by(AuditEntry.id.desc())
        .first()
    )


def _flat_elsewhere(row: Any) -> Any:
    """A flat of the same community in another grid, whose grid manager is someone else and
    at work."""
    community = row.community_id
    for flat in Flat.select().where(Flat.grid_l4 != row.grid_l4_id).order_by(Flat.id):
        grid: Any = GridL4.get_by_id(flat.grid_l4_id)
        from frontdesk.scope import community_of_grid

        if community_of_grid(grid.id) != community or grid.manager_id in (None, row.holder_id):
            continue
        manager: Any = Staff.get_by_id(grid.manager_id)
        if manager.active and not manager.away and not manager.pending_change:
            return flat
    raise AssertionError("no flat in another grid")


# --------------------------------------------------------------------------------- reporter


def test_the_reporter_is_corrected_with_an_event_and_an_audit_entry(
    demo_copy: SqliteDatabase,
) -> None:
    wrong = _living()
    logged = _log(wrong)
    before = _row(logged.id)
    desk = staff_of("reception")
    done = correct_request(
        logged.id,
        before.version,
        Correction(reporter=Reporter("邻居王阿姨", "13900001111")),
        actor_id=desk,
        now=LATER,
    )
    row = _row(logged.id)
    assert (row.reporter_kind, row.reporter_id) == ("visitor", None)
    assert (row.reporter_name, row.reporter_phone) == ("邻居王阿姨", "13900001111")
    assert done.version == row.version == before.version + 1
    # the rest stays: the place, the holder, the due time
    assert (row.flat_id, row.holder_id, row.due_at) == (
        before.flat_id,
        before.holder_id,
        before.due_at,
    )
    old = f"{wrong.name} {mask_phone(wrong.phone)}"
    assert done.reporter == f"{old} → 邻居王阿姨 139****1111" and done.place == ""
    event = get_request(logged.id, LATER, actor_id=desk).timeline[-1]
    assert event.kind == "corrected" and event.at == LATER
    assert event.note == f"{old} → 邻居王阿姨 139****1111\n"
    assert "13900001111" not in event.note and wrong.phone not in event.note
    entry = _last_audit(logged.id)
    assert (entry.action, entry.actor_id, entry.at) == ("request.corrected", desk, LATER)
    detail = json.loads(entry.detail)
    assert detail == {
        "from": {"reporter": wrong.id, "reporter_kind": "resident"},
        "to": {"reporter": None, "reporter_kind": "visitor"},
    }
    assert wrong.phone not in entry.reason and "13900001111" not in entry.reason

    # and from the visitor to another resident of the community
    right = _living(row.community_id, not_in=(wrong.id,))
    done = correct_request(
        logged.id,
        row.version,
        Correction(reporter=Reporter("", "", right.id)),
        actor_id=desk,
        now=LATER,
    )
    row = _row(logged.id)
    assert (row.reporter_kind, row.reporter_id, row.reporter_name) == (
        "resident",
        right.id,
        right.name,
    )
    assert json.loads(_last_audit(logged.id).detail)["to"] == {
        "reporter": right.id,
        "reporter_kind": "resident",
    }


# ------------------------------------------------------------------------------------ place


def test_a_new_place_goes_to_the_new_grids_holder_and_keeps_the_due_time(
    demo_copy: SqliteDatabase,
) -> None:
    logged = _log(_living())
    before = _row(logged.id)
    flat = _flat_elsewhere(before)
    new_holder = holder_for(flat.grid_l4_id, "grid")
    desk = staff_of("reception")
    done = correct_request(
        logged.id,
        before.version,
        Correction(place=Place(flat_id=flat.id, text="2单元楼道")),
        actor_id=desk,
        now=LATER,
    )
    row = _row(logged.id)
    assert (row.flat_id, row.grid_l4_id, row.place_text) == (flat.id, flat.grid_l4_id, "2单元楼道")
    assert row.building_id is not None and row.compound_id is not None
    assert row.holder_id == new_holder.staff_id != before.holder_id
    assert done.rerouted and done.holder_name == new_holder.name
    assert row.due_at == before.due_at and row.status == before.status
    assert (row.reporter_id, row.reporter_name) == (before.reporter_id, before.reporter_name)
    event = (
        RequestEvent.select()
        .where(RequestEvent.request == logged.id)
        .order_by(RequestEvent.id.desc())
        .first()
    )
    assert event.kind == "corrected" and event.note.startswith("\n")
    assert "2单元楼道" in event.note and " → " in event.note
    assert (event.from_holder_id, event.to_holder_id) == (before.holder_id, new_holder.staff_id)
    detail = json.loads(_last_audit(logged.id).detail)
    assert detail["from"]["flat"] == before.flat_id and detail["to"]["flat"] == flat.id
    assert detail["from"]["grid_l4"] == before.grid_l4_id
    assert detail["to"]["grid_l4"] == flat.grid_l4_id
    assert (detail["from_holder"], detail["to_holder"]) == (before.holder_id, new_holder.staff_id)


def test_a_new_place_above_the_grid_or_after_resolving_keeps_its_holder(
    demo_copy: SqliteDatabase,
) -> None:
    supervisor = staff_of("supervisor")
    escalated = _log(_living())
    version = escalate(escalated.id, 1, "需要社区协调", actor_id=supervisor, now=NOW)
    resolved = _log(_living())
    version_resolved = resolve(resolved.id, 1, "已修好", "grid", actor_id=supervisor, now=NOW)
    for request_id, at in ((escalated.id, version), (resolved.id, version_resolved)):
        before = _row(request_id)
        flat = _flat_elsewhere(before)
        done = correct_request(
            request_id,
            at,
            Correction(place=Place(flat_id=flat.id)),
            actor_id=supervisor,
            now=LATER,
        )
        row = _row(request_id)
        assert row.flat_id == flat.id and row.holder_id == before.holder_id
        assert not done.rerouted and row.due_at == before.due_at


# ---------------------------------------------------------------------------------- who may


def test_who_may_correct(demo_copy: SqliteDatabase) -> None:
    logged = _log(_living())
    visitor = Correction(reporter=Reporter("张先生", ""))
    names = {Role.RECEPTION: "李先生", Role.GRID_MANAGER: "赵女士", Role.SUPERVISOR: "孙老师"}
    for role, name in names.items():  # may log requests
        row = _row(logged.id)
        correct_request(
            logged.id,
            row.version,
            Correction(reporter=Reporter(name, "")),
            actor_id=staff_of(role),
            now=LATER,
        )
    for role in (Role.ADMIN, Role.SUBDISTRICT):  # may not log requests, do not hold it
        before = _counts(logged.id)
        with pytest.raises(PermissionDenied):
            correct_request(logged.id, before[2], visitor, actor_id=staff_of(role), now=LATER)
        assert _counts(logged.id) == before
    # the subdistrict office holds it once it is escalated there: then it may
    supervisor = staff_of("supervisor")
    version = escalate(logged.id, _row(logged.id).version, "社区", actor_id=supervisor, now=NOW)
    version = escalate(logged.id, version, "街道", actor_id=supervisor, now=NOW)
    holder = _row(logged.id).holder_id
    assert Staff.get_by_id(holder).role == Role.SUBDISTRICT
    correct_request(logged.id, version, visitor, actor_id=holder, now=LATER)
    assert _row(logged.id).reporter_name == "张先生"


# ------------------------------------------------------------------------------- refusals


def test_refusals_write_nothing(demo_copy: SqliteDatabase) -> None:
    logged = _log(_living())
    desk = staff_of("reception")
    supervisor = staff_of("supervisor")
    visitor = Correction(reporter=Reporter("张先生", "13900002222"))

    def refused(key: str, version: int, correction: Correction = visitor) -> None:
        before = _counts(logged.id)
        with pytest.raises(UserError) as caught:
            correct_request(logged.id, version, correction, actor_id=desk, now=LATER)
        assert caught.value.key == key
        assert _counts(logged.id) == before

    version = _row(logged.id).version
    refused("request.changed_elsewhere", version - 1)  # a stale copy
    refused("request_correct.nothing", version, Correction())
    same = _row(logged.id)
    refused(
        "request_correct.nothing", version, Correction(reporter=Reporter("", "", same.reporter_id))
    )
    refused("request.no_place", version, Correction(place=Place()))
    refused("request.no_place", version, Correction(place=Place(flat_id=10**9)))
    refused("request.reporter_required", version, Correction(reporter=Reporter("  ", "")))
    # a phone that is not one is refused before anything is read
    refused("validation.phone_format", version, Correction(reporter=Reporter("张先生", "12ab")))
    version = resolve(logged.id, version, "已修好", "grid", actor_id=supervisor, now=NOW)
    version = close(logged.id, version, actor_id=supervisor, now=NOW)
    refused("request_correct.closed", version)  # reopen first
    assert _row(logged.id).reporter_name != "张先生"


def test_another_communitys_request_resident_or_place_is_refused(
    district: SqliteDatabase,
) -> None:
    home, other = [c.id for c in Community.select().order_by(Community.id)][:2]

    def staff(role: str, community: int) -> int:
        return int(
            Staff.select(Staff.id)
            .where(
                (Staff.role == role) & (Staff.community == community) & (Staff.active == True)  # noqa: E712
            )
            .order_by(Staff.id)
            .scalar()
        )

    desk, desk_there = staff(Role.RECEPTION, home), staff(Role.RECEPTION, other)
    ours = _log(_living(home), desk)
    theirs = _log(_living(other), desk_there)
    version = _row(ours.id).version
    before = _counts(ours.id), _counts(theirs.id)
    with pytest.raises(PermissionDenied):  # another community's request
        correct_request(
            theirs.id, 1, Correction(reporter=Reporter("张先生", "")), actor_id=desk, now=LATER
        )
    stranger = _living(other)
    with pytest.raises(UserError) as caught:  # a resident of another community
        correct_request(
            ours.id,
            version,
            Correction(reporter=Reporter("", "", stranger.id)),
            actor_id=desk,
            now=LATER,
        )
    assert caught.value.key == "request_correct.reporter_elsewhere"
    grid = min(grids_of(staff(Role.GRID_MANAGER, other)))
    with pytest.raises(UserError) as caught:  # a place of another community
        correct_request(
            ours.id, version, Correction(place=Place(grid_l4_id=grid)), actor_id=desk, now=LATER
        )
    assert caught.value.key == "request.no_place"
    assert (_counts(ours.id), _counts(theirs.id)) == before
