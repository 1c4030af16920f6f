"""Registering, editing, moving out, the head of household and tags: validation, one transaction
and one audit entry per change, optimistic versions, history kept."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from peewee import Model, SqliteDatabase, fn

from frontdesk import audit, idcards
from frontdesk.db.models import (
    AuditEntry,
    Flat,
    Household,
    Move,
    Resident,
    ResidentTag,
    Staff,
    Tag,
)
from frontdesk.errors import UserError
from frontdesk.residents import editing
from frontdesk.residents.editing import (
    HouseholdInput,
    ResidentInput,
    ValidationFailed,
    add_tag,
    change_head,
    move_out_household,
    move_out_resident,
    record_death,
    register_household,
    register_resident,
    remove_tag,
    update_resident,
)
from frontdesk.residents.validation import check_fields, normalise_phone, phone_ok, validate
from frontdesk.vocabulary import Gender, HouseholdStatus, MoveKind, Relation, ResidentStatus, Role
from tests.conftest import DEMO_NOW, DEMO_TODAY

REGION = "141102"
LATER = DEMO_NOW + timedelta(minutes=5)


@pytest.fixture
def reindexed(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The ids passed to ``frontdesk.db.search.reindex_residents``, call by call.

    The real function runs when it exists; until the data layer has one, a stand-in records.
    """
    calls: list[list[int]] = []
    try:
        search = importlib.import_module("frontdesk.db.search")
        real: Callable[[Iterable[int]], None] | None = getattr(search, "reindex_residents", None)
    except ImportError:
        search = types.ModuleType("frontdesk.db.search")
        monkeypatch.setitem(sys.modules, "frontdesk.db.search", search)
        real = None

    def spy(ids: Iterable[int]) -> None:
        ids = list(ids)
        calls.append(ids)
        if real is not None:
            real(ids)

    monkeypatch.setattr(search, "reindex_residents", spy, raising=False)
    return calls


@pytest.fixture
def actor(demo_copy: SqliteDatabase) -> int:
    return int(Staff.select(Staff.id).where(Staff.role == Role.SUPERVISOR).scalar())


def person(
    name: str = "测试员",
    birth: date = date(1990, 5, 17),
    male: bool = True,
    seq: int = 901,
    phone: str = "13912345678",
    relation: str = Relation.OTHER,
    moved_in_on: date | None = None,
) -> ResidentInput:
    seq = seq if seq % 2 == int(male) else seq + 1
    return ResidentInput(
        name=name,
        gender=Gender.MALE if male else Gender.FEMALE,
        birth_date=birth,
        id_number=idcards.make_id(REGION, birth, seq % 1000),
        phone=phone,
        relation=relation,
        moved_in_on=moved_in_on,
    )


def fk(row: Model, name: str) -> Any:
    """The id a foreign key holds, without loading the row it points at."""
    return row.__data__[name]


def counts() -> tuple[int, ...]:
    return tuple(
        model.select().count() for model in (Household, Resident, Move, AuditEntry, ResidentTag)
    )


def living_heads_ok() -> bool:
    """Every household lived in has exactly one living head."""
    heads = fn.SUM((Resident.relation == Relation.HEAD).cast("int"))
    bad = (
        Household.select(Household.id)
        .join(Resident)
        .where(
            (Household.status == HouseholdStatus.ACTIVE)
            & (Resident.status == ResidentStatus.LIVING)
        )
        .group_by(Household.id)
        .having(heads != 1)
        .count()
    )
    empty = (
        Household.select()
        .where(
            (Household.status == HouseholdStatus.ACTIVE)
            & ~fn.EXISTS(
                Resident.select().where(
                    (Resident.household == Household.id)
                    & (Resident.status == ResidentStatus.LIVING)
                )
            )
        )
        .count()
    )
    return bad == 0 and empty == 0


def household_with(size: int) -> Household:
    """An active household with exactly ``size`` living members."""
    living = fn.COUNT(Resident.id)
    return (
        Household.select(Household)
        .join(Resident)
        .where(
            (Household.status == HouseholdStatus.ACTIVE)
            & (Resident.status == ResidentStatus.LIVING)
        )
        .group_by(Household.id)
        .having(living == size)
        .order_by(Household.id)
        .first()
    )


def members(household_id: int) -> list[Resident]:
    return list(
        Resident.select()
        .where((Resident.household == household_id) & (Resident.status == ResidentStatus.LIVING))
        .order_by(Resident.relation != Relation.HEAD, Resident.id)
    )


def vacant_flat() -> int:
    used = Household.select(Household.flat).where(Household.status == HouseholdStatus.ACTIVE)
    return int(Flat.select(Flat.id).where(Flat.id.not_in(used)).order_by(Flat.id).scalar())


# -- validation messages -------------------------------------------------------------------------


def errors_of(data: ResidentInput, **kwargs: object) -> dict[str, str]:
    found = validate(data, DEMO_TODAY, **kwargs)  # type: ignore[arg-type]
    return {name: message.key for name, message in found.errors.items()}


def test_a_valid_resident_passes(demo_db: SqliteDatabase) -> None:
    result = validate(person(), DEMO_TODAY)
    assert result.ok and not result.warnings


def test_bad_check_character(demo_db: SqliteDatabase) -> None:
    good = person().id_number
    wrong = "0" if good[-1] != "0" else "1"
    assert errors_of(replace(person(), id_number=good[:17] + wrong)) == {
        "id_number": "validation.id_check"
    }


def test_malformed_id_number(demo_db: SqliteDatabase) -> None:
    for text in (
        "12345",
        "14110219900517901",
        "1411021990051790YX",
        "１４１１０２１９９００５１７９０１X",
    ):
        assert errors_of(replace(person(), id_number=text)) == {"id_number": "validation.id_format"}


def test_id_with_an_impossible_birth_date(demo_db: SqliteDatabase) -> None:
    first17 = "14110219901317901"
    id_number = first17 + idcards.check_character(first17)
    assert errors_of(replace(person(), id_number=id_number)) == {
        "id_number": "validation.id_birth_invalid"
    }


def test_birth_date_and_gender_must_match_the_id(demo_db: SqliteDatabase) -> None:
    data = person()
    found = validate(replace(data, birth_date=date(1990, 5, 18), gender="F"), DEMO_TODAY)
    assert found.errors["birth_date"].key == "validation.id_birth_mismatch"
    assert found.errors["birth_date"].params == {"id_birth": "1990-05-17"}
    assert found.errors["gender"].key == "validation.id_gender_mismatch"


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True),
        ("19912345678", True),
        ("138 1234 5678", True),
        ("138-1234-5678", True),
        ("0358-1234567", True),
        ("03581234567", True),
        ("010-12345678", True),
        ("12812345678", False),
        ("1381234567", False),
        ("23812345678", False),
        ("358-1234567", False),
        ("电话13812345678", False),
        ("0358-12345", False),
    ],
)
def test_phone_format(demo_db: SqliteDatabase, phone: str, ok: bool) -> None:
    assert phone_ok(normalise_phone(phone)) is ok
    expected = {} if ok else {"phone": "validation.phone_format"}
    assert errors_of(replace(person(), phone=phone)) == expected


def test_required_fields_and_dates(demo_db: SqliteDatabase) -> None:
    data = ResidentInput(name=" ", gender="", birth_date=None, relation="cousin")
    assert errors_of(data) == {
        "name": "validation.required",
        "gender": "validation.required",
        "birth_date": "validation.required",
        "relation": "validation.required",
    }
    future = replace(person(), id_number="", birth_date=DEMO_TODAY + timedelta(days=1))
    assert errors_of(future) == {"birth_date": "validation.date_in_future"}
    early = replace(person(), moved_in_on=date(1980, 1, 1))
    assert errors_of(early) == {"moved_in_on": "validation.moved_in_before_birth"}


def test_duplicate_id_number_names_the_existing_resident(demo_db: SqliteDatabase) -> None:
    existing = Resident.select().where(Resident.id_number.is_null(False)).first()
    data = replace(
        person(),
        id_number=existing.id_number.lower(),
        birth_date=existing.birth_date,
        gender=existing.gender,
    )
    found = validate(data, DEMO_TODAY)
    message = found.errors["id_number"]
    assert message.key == "validation.id_duplicate"
    assert message.params["resident_id"] == existing.id
    assert validate(data, DEMO_TODAY, resident_id=existing.id).ok  # oneself is no duplicate


def test_same_name_and_birth_is_a_warning(demo_db: SqliteDatabase) -> None:
    existing = Resident.select().order_by(Resident.id).first()
    data = replace(person(), name=existing.name, birth_date=existing.birth_date, id_number="")
    found = validate(data, DEMO_TODAY)
    assert found.ok
    assert found.warnings["name"].key == "validation.same_name_birth"
    assert found.warnings["name"].params["resident_id"] == existing.id


def _valid_ids() -> st.SearchStrategy[tuple[str, date, int]]:
    return st.tuples(
        st.text(alphabet="0123456789", min_size=6, max_size=6),
        st.dates(min_value=date(1900, 1, 1), max_value=DEMO_TODAY),
        st.integers(min_value=0, max_value=999),
    )


@given(_valid_ids())
def test_ids_made_by_make_id_always_validate(parts: tuple[str, date, int]) -> None:
    region, birth, seq = parts
    id_number = idcards.make_id(region, birth, seq)
    male = idcards.is_male(id_number)
    data = ResidentInput(
        name="张三", gender="M" if male else "F", birth_date=birth, id_number=id_number
    )
    assert check_fields(data, DEMO_TODAY).ok


@given(_valid_ids(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_caught(
    parts: tuple[str, date, int], position: int, shift: int
) -> None:
    region, birth, seq = parts
    id_number = idcards.make_id(region, birth, seq)
    digit = str((int(id_number[position]) + shift) % 10)
    changed = id_number[:position] + digit + id_number[position + 1 :]
    data = ResidentInput(name="张三", gender="M", birth_date=birth, id_number=changed)
    assert check_fields(data, DEMO_TODAY).errors["id_number"].key == "validation.id_check"


@given(_valid_ids(), st.integers(min_value=0, max_value=16), st.characters())
def test_any_single_character_change_is_refused(
    parts: tuple[str, date, int], position: int, char: str
) -> None:
    region, birth, seq = parts
    id_number = idcards.make_id(region, birth, seq)
    if char == id_number[position]:
        return
    changed = id_number[:position] + char + id_number[position + 1 :]
    data = ResidentInput(name="张三", gender="M", birth_date=birth, id_number=changed)
    assert "id_number" in check_fields(data, DEMO_TODAY).errors


# -- registering ---------------------------------------------------------------------------------


def test_register_household(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    flat = vacant_flat()
    last = Household.select(fn.MAX(Household.number)).scalar()
    before = counts()
    data = HouseholdInput(
        flat_id=flat,
        moved_in_on=date(2026, 11, 1),
        head=person("甲户主", relation=Relation.OTHER),
        members=[
            person("甲配偶", male=False, seq=902, relation=Relation.SPOUSE),
            person("甲小孩", birth=date(2018, 3, 3), seq=903, relation=Relation.CHILD, phone=""),
        ],
    )
    done = register_household(data, actor_id=actor, now=DEMO_NOW)
    after = counts()
    assert after[:4] == (before[0] + 1, before[1] + 3, before[2] + 3, before[3] + 1)
    household = Household.get_by_id(done.household_id)
    assert household.number == f"LJ-{int(last[3:]) + 1:06d}"
    assert fk(household, "flat") == flat and household.status == HouseholdStatus.ACTIVE
    head, spouse, child = (Resident.get_by_id(i) for i in done.resident_ids)
    assert head.relation == Relation.HEAD and spouse.relation == Relation.SPOUSE
    assert child.phone is None and child.moved_in_on == date(2026, 11, 1)
    assert spouse.birth_date < date(2026, 11, 1)
    assert fk(head, "updated_by") == actor and head.version == 1
    moves = Move.select().where(Move.household == done.household_id)
    assert {(m.kind, fk(m, "to_flat")) for m in moves} == {(MoveKind.MOVE_IN, flat)}
    [entry] = audit.entries_for("household", done.household_id)
    assert entry.action == "household.register" and entry.detail["residents"] == list(
        done.resident_ids
    )
    assert reindexed == [list(done.resident_ids)]
    assert living_heads_ok()


def test_a_child_born_after_the_move_in_arrives_at_birth(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    baby = person("丙宝宝", birth=date(2024, 6, 1), seq=905, relation=Relation.CHILD, phone="")
    data = HouseholdInput(
        flat_id=vacant_flat(), moved_in_on=date(2020, 1, 1), head=person("丙户主"), members=[baby]
    )
    done = register_household(data, actor_id=actor, now=DEMO_NOW)
    assert Resident.get_by_id(done.resident_ids[1]).moved_in_on == date(2024, 6, 1)
    assert Resident.get_by_id(done.resident_ids[0]).moved_in_on == date(2020, 1, 1)


def test_a_bad_member_leaves_nothing_written(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    before = counts()
    data = HouseholdInput(
        flat_id=vacant_flat(),
        moved_in_on=date(2026, 11, 1),
        head=person("乙户主"),
        members=[
            person("乙配偶", male=False, seq=902, relation=Relation.SPOUSE),
            person("乙小孩", seq=903, relation=Relation.CHILD, phone="12345"),
            person("乙重复", seq=901, relation=Relation.HEAD),
        ],
    )
    with pytest.raises(ValidationFailed) as caught:
        register_household(data, actor_id=actor, now=DEMO_NOW)
    errors = {name: m.key for name, m in caught.value.validation.errors.items()}
    assert errors == {
        "members.1.phone": "validation.phone_format",
        "members.2.relation": "validation.second_head",
        "members.2.id_number": "validation.id_repeated",
    }
    assert caught.value.key == "validation.failed"
    assert counts() == before and reindexed == []


def test_a_failure_after_the_inserts_rolls_everything_back(
    demo_copy: SqliteDatabase, actor: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ids: Iterable[int]) -> None:
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(editing, "reindex", broken)
    before = counts()
    data = HouseholdInput(flat_id=vacant_flat(), moved_in_on=date(2026, 11, 1), head=person())
    with pytest.raises(RuntimeError):
        register_household(data, actor_id=actor, now=DEMO_NOW)
    assert counts() == before


def test_register_needs_confirmation_for_a_namesake(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    existing = Resident.select().where(Resident.status == ResidentStatus.LIVING).first()
    household = household_with(2)
    data = replace(
        person(), name=existing.name, birth_date=existing.birth_date, id_number="", phone=""
    )
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        register_resident(household.id, data, actor_id=actor, now=DEMO_NOW)
    assert caught.value.needs_confirmation and caught.value.key == "validation.confirm"
    assert counts() == before
    new_id = register_resident(
        household.id, data, actor_id=actor, now=DEMO_NOW, confirm_warnings=True
    )
    assert fk(Resident.get_by_id(new_id), "household") == household.id
    assert [e.action for e in audit.entries_for("resident", new_id)] == ["resident.register"]
    assert reindexed == [[new_id]]


def test_register_refuses_a_second_head_and_a_duplicate_id(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    household = household_with(2)
    with pytest.raises(ValidationFailed) as caught:
        register_resident(
            household.id, replace(person(), relation=Relation.HEAD), actor_id=actor, now=DEMO_NOW
        )
    assert caught.value.validation.errors["relation"].key == "validation.head_exists"
    existing = Resident.get_by_id(1)
    twin = replace(
        person(),
        id_number=existing.id_number or "",
        birth_date=existing.birth_date,
        gender=existing.gender,
    )
    with pytest.raises(ValidationFailed) as caught:
        register_resident(household.id, twin, actor_id=actor, now=DEMO_NOW)
    assert caught.value.validation.errors["id_number"].params["resident_id"] == existing.id
    moved_out = Household.select().where(Household.status == HouseholdStatus.MOVED_OUT).first()
    with pytest.raises(UserError) as refused:
        register_resident(moved_out.id, person(), actor_id=actor, now=DEMO_NOW)
    assert refused.value.key == "resident.household_inactive"


# -- editing -------------------------------------------------------------------------------------


def test_update_resident_bumps_version_audits_and_reindexes(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    row = Resident.select().where(Resident.status == ResidentStatus.LIVING).first()
    new_version = update_resident(
        row.id,
        row.version,
        {"name": "新名字", "phone": "139 0000 1111", "notes": "行动不便"},
        actor_id=actor,
        now=LATER,
    )
    fresh = Resident.get_by_id(row.id)
    assert new_version == fresh.version == row.version + 1
    assert (fresh.name, fresh.phone, fresh.notes) == ("新名字", "13900001111", "行动不便")
    assert fresh.updated_at == LATER and fk(fresh, "updated_by") == actor
    [entry] = audit.entries_for("resident", row.id)
    assert entry.action == "resident.update"
    assert entry.detail["changes"]["name"] == [row.name, "新名字"]
    assert entry.detail["changes"]["phone"][1] == "139****1111"  # masked in the log
    assert reindexed == [[row.id]]


def test_update_with_a_stale_version_is_refused(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    row = Resident.select().where(Resident.status == ResidentStatus.LIVING).first()
    update_resident(row.id, row.version, {"notes": "甲"}, actor_id=actor, now=LATER)
    with pytest.raises(UserError) as caught:
        update_resident(row.id, row.version, {"notes": "乙"}, actor_id=actor, now=LATER)
    assert caught.value.key == "resident.changed_elsewhere"
    assert Resident.get_by_id(row.id).notes == "甲"
    assert len(audit.entries_for("resident", row.id)) == 1


def test_update_without_a_change_writes_nothing(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    row = Resident.select().where(Resident.status == ResidentStatus.LIVING).first()
    same = update_resident(
        row.id, row.version, {"name": f" {row.name} "}, actor_id=actor, now=LATER
    )
    assert same == row.version and audit.entries_for("resident", row.id) == []
    assert reindexed == []


def test_update_validates_and_keeps_the_head_out(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    household = household_with(2)
    head, other = members(household.id)
    with pytest.raises(ValidationFailed) as caught:
        update_resident(other.id, other.version, {"relation": "head"}, actor_id=actor, now=LATER)
    assert caught.value.validation.errors["relation"].key == "validation.use_change_head"
    with pytest.raises(ValidationFailed) as caught:
        update_resident(head.id, head.version, {"phone": "12345"}, actor_id=actor, now=LATER)
    assert caught.value.validation.errors == {
        "phone": editing.Notice("validation.phone_format", {})
    }
    with pytest.raises(ValidationFailed) as caught:
        update_resident(
            head.id, head.version, {"birth_date": date(1901, 1, 1)}, actor_id=actor, now=LATER
        )
    assert caught.value.validation.errors["birth_date"].key == "validation.id_birth_mismatch"
    with pytest.raises(ValueError):
        update_resident(head.id, head.version, {"status": "moved_out"}, actor_id=actor, now=LATER)
    assert Resident.get_by_id(head.id).version == head.version


# -- moving out, death, the head -----------------------------------------------------------------


def test_moving_out_the_head_needs_a_successor(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    household = household_with(3)
    head, _, third = members(household.id)
    assert head.relation == Relation.HEAD
    with pytest.raises(ValidationFailed) as caught:
        move_out_resident(
            head.id, DEMO_TODAY, "迁往太原", version=head.version, actor_id=actor, now=LATER
        )
    assert caught.value.validation.errors["new_head_id"].key == "validation.new_head_required"
    outsider = household_with(1)
    with pytest.raises(ValidationFailed) as caught:
        move_out_resident(
            head.id,
            DEMO_TODAY,
            "迁往太原",
            version=head.version,
            new_head_id=members(outsider.id)[0].id,
            actor_id=actor,
            now=LATER,
        )
    assert caught.value.validation.errors["new_head_id"].key == "validation.new_head_not_member"
    assert len(audit.entries_for("resident", head.id)) == 0

    move_out_resident(
        head.id,
        DEMO_TODAY,
        "迁往太原市，电话 13800001111",
        version=head.version,
        new_head_id=third.id,
        actor_id=actor,
        now=LATER,
    )
    gone = Resident.get_by_id(head.id)
    assert gone.status == ResidentStatus.MOVED_OUT and gone.moved_out_on == DEMO_TODAY
    assert gone.forwarding_contact == "迁往太原市，电话 13800001111"
    assert Resident.get_by_id(third.id).relation == Relation.HEAD
    assert Household.get_by_id(household.id).version == household.version + 1
    last_move = Move.select().where(Move.resident == head.id).order_by(Move.id.desc()).first()
    assert (last_move.kind, fk(last_move, "from_flat"), last_move.note) == (
        MoveKind.MOVE_OUT,
        fk(household, "flat"),
        "迁往太原市",
    )
    assert [e.action for e in audit.entries_for("resident", head.id)] == ["resident.move_out"]
    assert reindexed == [[head.id, third.id]]
    assert living_heads_ok()


def test_moving_out_a_member_and_the_last_one_closes_the_household(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    household = household_with(2)
    head, other = members(household.id)
    with pytest.raises(ValidationFailed) as caught:
        move_out_resident(
            other.id,
            DEMO_TODAY,
            "",
            version=other.version,
            new_head_id=head.id,
            actor_id=actor,
            now=LATER,
        )
    assert caught.value.validation.errors["new_head_id"].key == "validation.new_head_unneeded"
    move_out_resident(other.id, DEMO_TODAY, "", version=other.version, actor_id=actor, now=LATER)
    assert Household.get_by_id(household.id).status == HouseholdStatus.ACTIVE
    move_out_resident(head.id, DEMO_TODAY, "", version=head.version, actor_id=actor, now=LATER)
    closed = Household.get_by_id(household.id)
    assert closed.status == HouseholdStatus.MOVED_OUT and closed.moved_out_on == DEMO_TODAY
    assert Resident.select().where(Resident.household == household.id).count() == 2  # kept
    assert living_heads_ok()


def test_leaving_dates_are_checked(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    household = household_with(2)
    _, other = members(household.id)
    for on, key in [
        (DEMO_TODAY + timedelta(days=1), "validation.date_in_future"),
        (other.moved_in_on - timedelta(days=1), "validation.before_move_in"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            move_out_resident(other.id, on, "", version=other.version, actor_id=actor, now=LATER)
        assert caught.value.validation.errors["on"].key == key
    gone = Resident.select().where(Resident.status == ResidentStatus.MOVED_OUT).first()
    with pytest.raises(UserError) as refused:
        move_out_resident(gone.id, DEMO_TODAY, "", version=gone.version, actor_id=actor, now=LATER)
    assert refused.value.key == "resident.not_living"


def test_record_death_of_the_head(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    household = household_with(2)
    head, spouse = members(household.id)
    on = DEMO_TODAY - timedelta(days=2)
    record_death(
        head.id, on, version=head.version, new_head_id=spouse.id, actor_id=actor, now=LATER
    )
    dead = Resident.get_by_id(head.id)
    assert dead.status == ResidentStatus.DECEASED and dead.died_on == on
    assert dead.version == head.version + 1 and fk(dead, "updated_by") == actor
    assert Resident.get_by_id(spouse.id).relation == Relation.HEAD
    death = Move.select().where((Move.resident == head.id) & (Move.kind == MoveKind.DEATH)).get()
    assert death.on_date == on
    assert [e.action for e in audit.entries_for("resident", head.id)] == ["resident.death"]
    assert living_heads_ok()


def test_move_out_household(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    household = household_with(3)
    people = members(household.id)
    moves_before = Move.select().count()
    audit_before = AuditEntry.select().count()
    with pytest.raises(UserError) as caught:
        move_out_household(
            household.id, DEMO_TODAY, "", version=household.version - 1, actor_id=actor, now=LATER
        )
    assert caught.value.key == "resident.household_changed_elsewhere"
    move_out_household(
        household.id,
        DEMO_TODAY,
        "迁往汾阳市",
        version=household.version,
        actor_id=actor,
        now=LATER,
    )
    fresh = Household.get_by_id(household.id)
    assert fresh.status == HouseholdStatus.MOVED_OUT and fresh.moved_out_on == DEMO_TODAY
    assert fresh.version == household.version + 1 and fresh.updated_at == LATER
    for member in people:
        row = Resident.get_by_id(member.id)
        assert row.status == ResidentStatus.MOVED_OUT and row.forwarding_contact == "迁往汾阳市"
        assert row.version == member.version + 1
    assert Move.select().count() == moves_before + 3
    assert AuditEntry.select().count() == audit_before + 1
    assert sorted(reindexed[0]) == sorted(m.id for m in people)
    with pytest.raises(UserError) as caught:
        move_out_household(
            household.id, DEMO_TODAY, "", version=fresh.version, actor_id=actor, now=LATER
        )
    assert caught.value.key == "resident.household_inactive"
    assert living_heads_ok()


def test_change_head(demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]) -> None:
    household = household_with(3)
    head, _, child = members(household.id)
    audit_before = AuditEntry.select().count()
    with pytest.raises(ValidationFailed) as caught:
        change_head(household.id, head.id, version=household.version, actor_id=actor, now=LATER)
    assert caught.value.validation.errors["new_head_id"].key == "validation.already_head"
    change_head(
        household.id,
        child.id,
        version=household.version,
        old_head_relation=Relation.PARENT,
        actor_id=actor,
        now=LATER,
    )
    assert Resident.get_by_id(head.id).relation == Relation.PARENT
    assert Resident.get_by_id(child.id).relation == Relation.HEAD
    assert Resident.get_by_id(child.id).version == child.version + 1
    assert Household.get_by_id(household.id).version == household.version + 1
    assert AuditEntry.select().count() == audit_before + 1
    [entry] = audit.entries_for("household", household.id)
    assert entry.detail["old_head_id"] == head.id and entry.detail["new_head_id"] == child.id
    with pytest.raises(UserError) as stale:
        change_head(household.id, head.id, version=household.version, actor_id=actor, now=LATER)
    assert stale.value.key == "resident.household_changed_elsewhere"
    with pytest.raises(ValueError):
        change_head(
            household.id,
            head.id,
            version=household.version + 1,
            old_head_relation=Relation.HEAD,
            actor_id=actor,
            now=LATER,
        )
    change_head(household.id, head.id, version=household.version + 1, actor_id=actor, now=LATER)
    assert Resident.get_by_id(child.id).relation == Relation.OTHER  # the default
    assert living_heads_ok()


# -- tags ----------------------------------------------------------------------------------------


def _aged(minimum: int, maximum: int) -> Resident:
    born_after = date(DEMO_TODAY.year - maximum - 1, DEMO_TODAY.month, DEMO_TODAY.day)
    born_before = date(DEMO_TODAY.year - minimum, DEMO_TODAY.month, DEMO_TODAY.day)
    return (
        Resident.select()
        .where(
            (Resident.status == ResidentStatus.LIVING)
            & (Resident.birth_date > born_after)
            & (Resident.birth_date <= born_before)
        )
        .order_by(Resident.id)
        .first()
    )


def test_age_rules_of_tags(demo_copy: SqliteDatabase, actor: int) -> None:
    before = counts()
    for code, who, key in [
        ("elderly_80", _aged(60, 79), "resident.tag_needs_80"),
        ("left_behind_child", _aged(18, 30), "resident.tag_needs_minor"),
    ]:
        with pytest.raises(UserError) as caught:
            add_tag(who.id, code, actor_id=actor, now=DEMO_NOW)
        assert caught.value.key == key
    child = _aged(6, 12)
    add_tag(child.id, "left_behind_child", actor_id=actor, now=DEMO_NOW)
    assert counts()[3:] == (before[3] + 1, before[4] + 1)


def test_remove_and_add_again_keeps_history(demo_copy: SqliteDatabase, actor: int) -> None:
    tag = Tag.get(Tag.code == "elderly_80")
    carried = (
        ResidentTag.select()
        .where((ResidentTag.tag == tag.id) & ResidentTag.ended_at.is_null())
        .first()
    )
    resident_id = fk(carried, "resident")
    with pytest.raises(UserError) as caught:
        add_tag(resident_id, "elderly_80", actor_id=actor, now=DEMO_NOW)
    assert caught.value.key == "resident.tag_already"
    remove_tag(resident_id, "elderly_80", reason="信息有误", actor_id=actor, now=DEMO_NOW)
    closed = ResidentTag.get_by_id(carried.id)
    assert closed.ended_at == DEMO_NOW and fk(closed, "ended_by") == actor
    with pytest.raises(UserError) as caught:
        remove_tag(resident_id, "elderly_80", actor_id=actor, now=DEMO_NOW)
    assert caught.value.key == "resident.tag_not_carried"
    add_tag(resident_id, "elderly_80", since=date(2026, 1, 1), actor_id=actor, now=LATER)
    rows = ResidentTag.select().where(
        (ResidentTag.resident == resident_id) & (ResidentTag.tag == tag.id)
    )
    assert rows.count() == 2
    actions = [e.action for e in audit.entries_for("resident", resident_id)]
    assert actions == ["resident.tag_remove", "resident.tag_add"]
    assert audit.entries_for("resident", resident_id)[0].reason == "信息有误"


def test_tag_refusals(demo_copy: SqliteDatabase, actor: int) -> None:
    gone = Resident.select().where(Resident.status == ResidentStatus.MOVED_OUT).first()
    with pytest.raises(UserError) as caught:
        add_tag(gone.id, "veteran", actor_id=actor, now=DEMO_NOW)
    assert caught.value.key == "resident.not_living"
    adult = _aged(30, 50)
    with pytest.raises(UserError) as caught:
        add_tag(adult.id, "no_such_tag", actor_id=actor, now=DEMO_NOW)
    assert caught.value.key == "resident.tag_unknown"
    with pytest.raises(ValidationFailed) as refused:
        add_tag(
            adult.id, "veteran", since=DEMO_TODAY + timedelta(days=3), actor_id=actor, now=DEMO_NOW
        )
    assert refused.value.validation.errors["since"].key == "validation.date_in_future"


def test_the_demo_keeps_one_living_head(demo_db: SqliteDatabase) -> None:
    assert living_heads_ok()


def test_versions_are_ints_and_times_are_the_given_now(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    household = household_with(2)
    _, other = members(household.id)
    version = update_resident(
        other.id, other.version, {"ethnicity": "回族"}, actor_id=actor, now=datetime(2026, 11, 30)
    )
    version = update_resident(other.id, version, {"ethnicity": "汉族"}, actor_id=actor, now=LATER)
    assert version == other.version + 2
    assert len(audit.entries_for("resident", other.id)) == 2


def test_an_old_flaw_does_not_block_an_unrelated_edit(
    demo_copy: SqliteDatabase, actor: int, reindexed: list[list[int]]
) -> None:
    row = Resident.select().where(Resident.status == ResidentStatus.LIVING).first()
    Resident.update(phone="8888").where(Resident.id == row.id).execute()  # an old import
    version = update_resident(row.id, row.version, {"notes": "已核实"}, actor_id=actor, now=LATER)
    assert version == row.version + 1
    with pytest.raises(ValidationFailed) as caught:
        update_resident(row.id, version, {"phone": "88889"}, actor_id=actor, now=LATER)
    assert set(caught.value.validation.errors) == {"phone"}
