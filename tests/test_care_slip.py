"""The services behind today's round on screen: the visit form's defaults and scope
(``care.visit_form``), the round's slip with phones only as an audited reveal
(``care.slip``), whose rounds a supervisor may choose (``care.rounds_of``) and the home
screen's count (``round_figures``). No Textual."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.care.round import round_count, round_figures, todays_round
from frontdesk.care.rounds_of import rounds_of
from frontdesk.care.slip import round_slip, save_round_slip
from frontdesk.care.visit_form import visit_form
from frontdesk.db.audit import AuditEntry
from frontdesk.db.models import Flat, GridL4, Household, Resident, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied
from frontdesk.vocabulary import VisitMode, VisitOutcome
from tests.conftest import DEMO_NOW, GRID_MANAGER, RECEPTION, SUPERVISOR


def staff_id(username: str) -> int:
    return int(Staff.get(Staff.username == username).id)


def gm() -> int:
    return staff_id(GRID_MANAGER)


def _other_gm() -> Any:
    return (
        Staff.select()
        .where((Staff.role == "grid_manager") & (Staff.username != GRID_MANAGER))
        .order_by(Staff.id)
        .first()
    )


# -- the visit form ------------------------------------------------------------------------------


def test_the_form_of_a_stop_ticks_the_people_due_and_defaults_to_a_visit_now(
    demo_db: SqliteDatabase,
) -> None:
    stop = todays_round(actor_id=gm(), now=DEMO_NOW).stops[0]
    form = visit_form(stop.household_id, actor_id=gm(), now=DEMO_NOW)
    assert form.household_id == stop.household_id
    assert form.address == stop.address
    assert (form.mode, form.outcome) == (VisitMode.IN_PERSON, VisitOutcome.SEEN)
    assert form.visited_at == DEMO_NOW.replace(second=0, microsecond=0)
    due = {p.resident_id for p in stop.people}
    assert set(form.seen) == due
    ids = {m.resident_id for m in form.members}
    assert due <= ids  # every living member listed, those due among them
    for member in form.members:
        assert member.due_now == (member.resident_id in due)
        assert member.in_care or not member.due_now
    living: Any = Resident.select().where(
        (Resident.household == stop.household_id)
        & Resident.moved_out_on.is_null(True)
        & Resident.died_on.is_null(True)
    )
    assert ids == {r.id for r in living}


def test_the_form_of_a_household_nobody_is_due_in_ticks_everyone(
    demo_db: SqliteDatabase,
) -> None:
    found = todays_round(actor_id=gm(), now=DEMO_NOW)
    busy = {s.household_id for s in (*found.stops, *found.soon)}
    households: Any = (
        Household.select(Household.id)
        .join(Flat, on=(Household.flat == Flat.id))
        .join(GridL4, on=(Flat.grid_l4 == GridL4.id))
        .where(GridL4.manager == gm())
        .order_by(Household.id)
    )
    form = None
    for household in households:
        if household.id in busy:
            continue
        candidate = visit_form(household.id, actor_id=gm(), now=DEMO_NOW)
        if candidate.members:
            form = candidate
            break
    assert form is not None
    assert set(form.seen) == {m.resident_id for m in form.members}
    assert not any(m.due_now for m in form.members)


def test_the_form_has_record_visits_scope(demo_db: SqliteDatabase) -> None:
    other = _other_gm()
    theirs = todays_round(actor_id=other.id, now=DEMO_NOW).stops[0]
    with pytest.raises(PermissionDenied):
        visit_form(theirs.household_id, actor_id=gm(), now=DEMO_NOW)
    with pytest.raises(PermissionDenied):
        visit_form(theirs.household_id, actor_id=staff_id(RECEPTION), now=DEMO_NOW)
    lead = visit_form(theirs.household_id, actor_id=staff_id(SUPERVISOR), now=DEMO_NOW)
    assert lead.household_id == theirs.household_id


# -- the slip ------------------------------------------------------------------------------------


def _phone_on_round() -> tuple[int, str]:
    """A person on the grid manager's round with a phone (the demo gives most people one)."""
    found = todays_round(actor_id=gm(), now=DEMO_NOW)
    for stop in (*found.stops, *found.soon):
        for person in stop.people:
            phone = Resident.get_by_id(person.resident_id).phone
            if phone:
                return person.resident_id, phone
    raise AssertionError("nobody on the round has a phone")


def test_the_slip_lists_the_stops_in_order_without_phones(demo_db: SqliteDatabase) -> None:
    found = todays_round(actor_id=gm(), now=DEMO_NOW)
    text = round_slip(actor_id=gm(), now=DEMO_NOW)
    assert found.staff_name in text and "2026-11-29" in text
    places = [text.index(stop.address) for stop in found.stops]
    assert places == sorted(places)  # the walk's order
    for stop in found.stops:
        for person in stop.people:
            assert person.name in text
            if person.overdue_days:
                assert f"逾期{person.overdue_days}天" in text
    _rid, phone = _phone_on_round()
    assert phone not in text
    before = AuditEntry.select().where(AuditEntry.action == "care.slip_reveal").count()
    assert before == 0  # nothing revealed, nothing audited


def test_phones_only_with_a_reason_and_audited_without_the_numbers(
    demo_copy: SqliteDatabase,
) -> None:
    _rid, phone = _phone_on_round()
    text = round_slip(actor_id=gm(), now=DEMO_NOW, reveal_reason="走访前电话预约")
    assert phone in text
    entries = list(AuditEntry.select().where(AuditEntry.action == "care.slip_reveal"))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.entity, entry.entity_id, entry.actor_id) == ("staff", gm(), gm())
    assert entry.reason == "走访前电话预约"
    detail = json.loads(entry.detail)
    assert detail["phones"] >= 1 and detail["people"] >= detail["phones"]
    assert phone not in entry.detail and phone not in entry.reason
    with pytest.raises(UserError):
        round_slip(actor_id=gm(), now=DEMO_NOW, reveal_reason="  ")
    assert AuditEntry.select().where(AuditEntry.action == "care.slip_reveal").count() == 1


def test_the_revealed_slip_has_the_emergency_contacts_not_the_forwarding_ones(
    demo_copy: SqliteDatabase,
) -> None:
    rid, phone = _phone_on_round()
    Resident.update(
        emergency_contact="王芳（女儿）139 1234 5678", forwarding_contact="迁往太原 13800001111"
    ).where(Resident.id == rid).execute()
    plain = round_slip(actor_id=gm(), now=DEMO_NOW)
    assert "王芳" not in plain and "139 1234 5678" not in plain and phone not in plain
    text = round_slip(actor_id=gm(), now=DEMO_NOW, reveal_reason="寒潮走访前联系家属")
    line = next(line for line in text.splitlines() if phone in line)
    assert "紧急联系 王芳（女儿）139 1234 5678" in line
    assert "13800001111" not in text  # a forwarding contact is for people who moved out
    found = todays_round(actor_id=gm(), now=DEMO_NOW)
    on_slip = {p.resident_id for stop in (*found.stops, *found.soon) for p in stop.people}
    contacts = Resident.select().where(
        Resident.id.in_(list(on_slip)) & (Resident.emergency_contact != "")
    )
    entry = AuditEntry.get(AuditEntry.action == "care.slip_reveal")
    detail = json.loads(entry.detail)
    assert detail["contacts"] == contacts.count() >= 1
    assert "139 1234 5678" not in entry.detail


def test_the_slip_is_written_where_request_slips_go(
    demo_db: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTDESK_SLIPS", str(tmp_path / "slips"))
    path = save_round_slip(actor_id=gm(), now=DEMO_NOW)
    assert path.parent == tmp_path / "slips"
    assert path.name == f"round-2026-11-29-{GRID_MANAGER}.txt"
    assert path.read_text(encoding="utf-8") == round_slip(actor_id=gm(), now=DEMO_NOW)


def test_a_grid_manager_prints_only_their_own_round(demo_db: SqliteDatabase) -> None:
    with pytest.raises(PermissionDenied):
        round_slip(actor_id=gm(), now=DEMO_NOW, staff_id=_other_gm().id)
    lead = round_slip(actor_id=staff_id(SUPERVISOR), now=DEMO_NOW, staff_id=gm())
    assert lead == round_slip(actor_id=gm(), now=DEMO_NOW)


# -- whose round, and the home screen's count ----------------------------------------------------


def test_the_supervisor_chooses_among_the_staff_with_grids(demo_db: SqliteDatabase) -> None:
    walkers = rounds_of(actor_id=staff_id(SUPERVISOR), now=DEMO_NOW)
    mine = next(w for w in walkers if w.staff_id == gm())
    found = todays_round(actor_id=gm(), now=DEMO_NOW)
    assert (mine.people, mine.overdue) == (found.people, found.overdue)
    assert mine.grids
    with pytest.raises(PermissionDenied):
        rounds_of(actor_id=gm(), now=DEMO_NOW)


def test_round_figures_count_people_and_overdue(demo_db: SqliteDatabase) -> None:
    found = todays_round(actor_id=gm(), now=DEMO_NOW)
    assert round_figures(actor_id=gm(), now=DEMO_NOW) == (found.people, found.overdue)
    assert round_count(actor_id=gm(), now=DEMO_NOW) == found.people
    assert round_figures(actor_id=staff_id(RECEPTION), now=DEMO_NOW) is None
