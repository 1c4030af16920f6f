"""The resident detail service on the demo community: neighbours, household, grid, history."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from datetime import date
from typing import Any, cast

import pytest
from peewee import Model, SqliteDatabase

from frontdesk import audit
from frontdesk.db.models import (
    AuditEntry,
    Booking,
    Building,
    Flat,
    Household,
    Request,
    Resident,
    Staff,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.masking import mask_id, mask_phone
from frontdesk.residents.detail import ResidentDetail, address_text, age, get_detail
from frontdesk.residents.privacy import reveal
from frontdesk.vocabulary import BuildingKind, HouseholdStatus, Relation, ResidentStatus, Role
from tests.conftest import DEMO_NOW, DEMO_TODAY
from tests.roles import staff_of

ADDRESS = re.compile(r"^\S+ \d+号楼 \d+单元 \d+室$")


def _staff(role: Role) -> int:
    return int(Staff.select(Staff.id).where(Staff.role == role).order_by(Staff.id).scalar())


def _leak_pair() -> tuple[int, int]:
    """(a resident on floor N of a tower, a resident with a phone in the flat right above)."""
    downstairs = (
        Resident.select(Resident.id, Flat.unit, Flat.floor, Flat.position)
        .join(Household)
        .join(Flat)
        .join(Unit)
        .join(Building)
        .where(
            (Building.kind == BuildingKind.TOWER)
            & (Flat.floor >= 5)
            & (Resident.status == ResidentStatus.LIVING)
        )
        .order_by(Resident.id)
        .tuples()
    )
    for resident_id, unit, floor, position in cast(Iterable[tuple[int, int, int, int]], downstairs):
        upstairs = (
            Resident.select(Resident.id)
            .join(Household)
            .join(Flat)
            .where(
                (Flat.unit == unit)
                & (Flat.floor == floor + 1)
                & (Flat.position == position)
                & (Household.status == HouseholdStatus.ACTIVE)
                & (Resident.status == ResidentStatus.LIVING)
                & Resident.phone.is_null(False)
            )
            .scalar()
        )
        if upstairs is not None:
            return resident_id, upstairs
    raise AssertionError("no tower resident with a neighbour upstairs")


def _old_neighbour() -> int:
    """A moved-out resident whose household still has living members."""
    Kin = Resident.alias("kin")
    row = (
        Resident.select(Resident.id)
        .join(Kin, on=(Kin.household == Resident.household))
        .where(
            (Resident.status == ResidentStatus.MOVED_OUT) & (Kin.status == ResidentStatus.LIVING)
        )
        .order_by(Resident.id)
        .first()
    )
    assert row is not None
    return int(row.id)


def test_leak_from_upstairs_and_reveal_the_phone(demo_copy: SqliteDatabase) -> None:
    resident_id, upstairs_id = _leak_pair()
    detail = get_detail(resident_id, DEMO_TODAY, actor_id=staff_of())
    home = detail.household.flat
    above = [n for n in detail.neighbours if n.position == "above"]
    assert len(above) == 1
    flat = above[0].flat
    assert (flat.floor, flat.position, flat.building, flat.unit) == (
        home.floor + 1,
        home.position,
        home.building,
        home.unit,
    )
    assert flat.number == home.number + 100
    upstairs = Resident.get_by_id(upstairs_id)
    shown = next(r for r in above[0].residents if r.id == upstairs_id)
    assert shown.phone_masked == mask_phone(upstairs.phone)
    assert re.fullmatch(r"1\d\d\*{4}\d{4}", shown.phone_masked)
    assert upstairs.phone and upstairs.phone not in repr(detail)
    assert above[0].residents[0].is_head  # head first

    before = AuditEntry.select().count()
    phone = reveal(
        upstairs_id,
        "phone",
        "楼下住户反映天花板漏水",
        choice="reveal.reason.contact_neighbour",
        actor_id=_staff(Role.RECEPTION),
        now=DEMO_NOW,
    )
    assert phone == upstairs.phone
    assert AuditEntry.select().count() == before + 1
    [entry] = audit.entries_for("resident", upstairs_id)
    assert entry.action == "resident.reveal_phone"
    assert entry.reason == "楼下住户反映天花板漏水"
    assert entry.detail["choice"] == "reveal.reason.contact_neighbour"
    assert entry.actor_name and entry.at == DEMO_NOW


def test_neighbours_are_above_below_and_on_the_same_floor(demo_db: SqliteDatabase) -> None:
    resident_id, _ = _leak_pair()
    detail = get_detail(resident_id, DEMO_TODAY, actor_id=staff_of())
    home = detail.household.flat
    positions = [n.position for n in detail.neighbours]
    assert positions == sorted(positions, key=["above", "below", "same_floor"].index)
    unit_flats = (
        Flat.select(Flat.floor, Flat.position)
        .where(Flat.unit == Flat.select(Flat.unit).where(Flat.id == home.flat_id))
        .tuples()
    )
    expected = {
        (f, p)
        for f, p in cast(Iterable[tuple[int, int]], unit_flats)
        if (p == home.position and abs(f - home.floor) == 1)
        or (f == home.floor and p != home.position)
    }
    assert {(n.flat.floor, n.flat.position) for n in detail.neighbours} == expected
    for neighbour in detail.neighbours:
        assert ADDRESS.match(neighbour.flat.text)
        assert neighbour.flat.compound == home.compound and neighbour.flat.unit == home.unit
        heads = [r.is_head for r in neighbour.residents]
        assert heads.count(True) == len({r.household_id for r in neighbour.residents})
        assert neighbour.vacant == (not neighbour.residents)


def test_ground_floor_has_no_flat_below(demo_db: SqliteDatabase) -> None:
    row = (
        Resident.select(Resident.id)
        .join(Household)
        .join(Flat)
        .where((Flat.floor == 1) & (Resident.status == ResidentStatus.LIVING))
        .first()
    )
    detail = get_detail(row.id, DEMO_TODAY, actor_id=staff_of())
    assert "below" not in {n.position for n in detail.neighbours}
    assert "above" in {n.position for n in detail.neighbours}


def test_household_flat_and_grid(demo_db: SqliteDatabase) -> None:
    resident_id, _ = _leak_pair()
    detail = get_detail(resident_id, DEMO_TODAY, actor_id=staff_of())
    household = detail.household
    assert ADDRESS.match(household.flat.text)
    assert household.flat.text == address_text(household.flat.flat_id)
    assert household.flat.short == (
        f"{household.flat.building}-{household.flat.unit}-{household.flat.number}"
    )
    assert household.members[0].is_head and household.members[0].relation == Relation.HEAD
    assert [m.is_head for m in household.members].count(True) == 1
    assert [m.is_self for m in household.members].count(True) == 1
    living = Resident.select().where(
        (Resident.household == household.id) & (Resident.status == ResidentStatus.LIVING)
    )
    assert {m.id for m in household.members if m.status == ResidentStatus.LIVING} == {
        r.id for r in living
    }

    grid = Flat.get_by_id(household.flat.flat_id).grid_l4
    manager = grid.manager
    assert manager is not None
    assert detail.grid.l4_code == grid.code and detail.grid.l3_id == grid.grid_l3.id
    assert detail.grid.manager_name == manager.display_name
    assert detail.grid.manager_phone == manager.phone  # a work phone: shown in full


def test_person_is_masked_and_aged(demo_db: SqliteDatabase) -> None:
    resident_id, _ = _leak_pair()
    row = Resident.get_by_id(resident_id)
    person = get_detail(resident_id, DEMO_TODAY, actor_id=staff_of()).person
    assert person.id_number_masked == mask_id(row.id_number)
    assert re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", person.id_number_masked)
    assert person.age == age(row.birth_date, DEMO_TODAY)
    assert person.version == row.version and person.status == ResidentStatus.LIVING


def test_children_under_14_are_masked_like_everyone(demo_db: SqliteDatabase) -> None:
    child = (
        Resident.select()
        .where((Resident.birth_date > date(2013, 1, 1)) & Resident.id_number.is_null(False))
        .first()
    )
    person = get_detail(child.id, DEMO_TODAY, actor_id=staff_of()).person
    assert person.is_child and person.age < 14
    assert person.birth_date == child.birth_date  # the birth date and age may show
    assert person.id_number_masked == mask_id(child.id_number)
    assert child.id_number not in repr(get_detail(child.id, DEMO_TODAY, actor_id=staff_of()))


def test_no_full_id_or_phone_of_any_resident_anywhere(demo_db: SqliteDatabase) -> None:
    resident_id, _ = _leak_pair()
    text = repr(get_detail(resident_id, DEMO_TODAY, actor_id=staff_of()))
    secrets = Resident.select(Resident.id_number, Resident.phone).tuples()
    staff_phones = {staff.phone for staff in Staff.select(Staff.phone)}
    for id_number, phone in cast(Iterable[tuple[str | None, str | None]], secrets):
        assert not id_number or id_number not in text
        assert not phone or phone in staff_phones or phone not in text


def test_old_neighbour_reached_through_relatives(demo_db: SqliteDatabase) -> None:
    former_id = _old_neighbour()
    row = Resident.get_by_id(former_id)
    detail = get_detail(former_id, DEMO_TODAY, actor_id=staff_of())
    former = detail.former
    assert former is not None and former.status == ResidentStatus.MOVED_OUT
    assert former.moved_out_on == row.moved_out_on and former.died_on is None
    assert former.has_forwarding_contact == bool(row.forwarding_contact)
    assert not re.search(r"\d{7}", former.forwarding_contact_masked)
    kin = Resident.select().where(
        (Resident.household == row.household) & (Resident.status == ResidentStatus.LIVING)
    )
    assert {r.id for r in former.relatives} == {k.id for k in kin}
    assert former.relatives
    for relative in former.relatives:
        real = Resident.get_by_id(relative.id)
        assert relative.relation == real.relation
        assert relative.phone_masked == mask_phone(real.phone)
    assert [r.is_head for r in former.relatives].count(True) <= 1
    kinds = [m.kind for m in detail.moves]
    assert kinds[0] == "move_in" and kinds[-1] == "move_out"
    assert detail.moves[-1].on_date == row.moved_out_on
    assert detail.moves[-1].from_address == detail.household.flat.text


def test_deceased_shows_died_on(demo_db: SqliteDatabase) -> None:
    row = Resident.select().where(Resident.status == ResidentStatus.DECEASED).first()
    detail = get_detail(row.id, DEMO_TODAY, actor_id=staff_of())
    assert detail.former is not None
    assert detail.former.status == ResidentStatus.DECEASED and detail.former.died_on == row.died_on
    assert detail.person.age == age(row.birth_date, row.died_on)
    assert detail.moves[-1].kind == "death"


def test_requests_and_bookings_linked_to_the_resident(demo_db: SqliteDatabase) -> None:
    reporter = Request.select(Request.reporter).where(Request.reporter.is_null(False)).scalar()
    detail = get_detail(reporter, DEMO_TODAY, actor_id=staff_of())
    expected = Request.select().where(Request.reporter == reporter).count()
    assert len(detail.requests) == expected > 0
    assert all(r.number and r.category for r in detail.requests)
    created = [r.created_at for r in detail.requests]
    assert created == sorted(created, reverse=True)

    booker = Booking.select(Booking.resident).where(Booking.resident.is_null(False)).scalar()
    detail = get_detail(booker, DEMO_TODAY, actor_id=staff_of())
    assert len(detail.bookings) == Booking.select().where(Booking.resident == booker).count() > 0
    assert all(b.room_code and b.room_name for b in detail.bookings)


def test_living_resident_has_no_former_view(demo_db: SqliteDatabase) -> None:
    resident_id, _ = _leak_pair()
    assert get_detail(resident_id, DEMO_TODAY, actor_id=staff_of()).former is None


def test_unknown_resident(demo_db: SqliteDatabase) -> None:
    with pytest.raises(UserError) as caught:
        get_detail(10**9, DEMO_TODAY, actor_id=staff_of())
    assert (
        caught.value.key == "perm.denied_scope"
    )  # like another community's: a guess learns nothing


def _values(value: Any) -> list[Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = []
        for item in dataclasses.fields(value):
            found.extend(_values(getattr(value, item.name)))
        return found
    if isinstance(value, tuple | list):
        return [v for item in value for v in _values(item)]
    return [value]


def test_only_frozen_dataclasses_and_plain_values(demo_db: SqliteDatabase) -> None:
    detail = get_detail(_old_neighbour(), DEMO_TODAY, actor_id=staff_of())
    assert not [v for v in _values(detail) if isinstance(v, Model)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        detail.person.name = "x"  # type: ignore[misc]


def test_a_fixed_small_number_of_queries(
    demo_db: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries: list[str] = []
    original = demo_db.execute_sql

    def counting(sql: str, params: Any = None) -> Any:
        queries.append(sql)
        return original(sql, params)

    who = staff_of()
    monkeypatch.setattr(demo_db, "execute_sql", counting)
    for resident_id in (_leak_pair()[0], _old_neighbour()):
        queries.clear()
        detail: ResidentDetail = get_detail(resident_id, DEMO_TODAY, actor_id=who)
        assert len(queries) <= 10, queries  # one of them loads the operator
        assert detail.household.members


def test_age_counts_whole_years() -> None:
    assert age(date(2000, 11, 29), date(2026, 11, 29)) == 26
    assert age(date(2000, 11, 30), date(2026, 11, 29)) == 25
    assert age(date(2004, 2, 29), date(2026, 2, 28)) == 21
    assert age(date(2004, 2, 29), date(2026, 3, 1)) == 22


def test_audit_entries_join_the_actor(demo_copy: SqliteDatabase) -> None:
    actor = _staff(Role.GRID_MANAGER)
    audit.record(
        "resident.test", "resident", 1, actor_id=actor, at=DEMO_NOW, detail={"说明": "中文"}
    )
    audit.record("resident.test", "resident", None, actor_id=None, at=DEMO_NOW)
    [entry] = audit.entries_for("resident", 1)
    assert entry.actor_id == actor and entry.actor_name == Staff.get_by_id(actor).display_name
    assert entry.detail == {"说明": "中文"}
    raw = AuditEntry.select(AuditEntry.detail).where(AuditEntry.id == entry.id).scalar()
    assert "中文" in raw  # ensure_ascii=False
    [anonymous] = audit.entries_for("resident", None)
    assert anonymous.actor_name == "" and anonymous.detail == {}
