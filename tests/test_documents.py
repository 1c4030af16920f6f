"""A resident's document type (居民身份证, 护照 ...) and category (户籍 / 流动 / 寄住) through the
services: registering with a passport, a bad passport number refused beside its field, the
category saved and shown in the detail, the number masked as a passport's and found by F2."""

from __future__ import annotations

from datetime import date

import pytest
from peewee import SqliteDatabase

from frontdesk.db.models import Household, Resident, Staff
from frontdesk.residents.detail import get_detail
from frontdesk.residents.editing import (
    ResidentInput,
    ValidationFailed,
    register_resident,
    update_resident,
)
from frontdesk.residents.search import search_everywhere
from frontdesk.search.listing import match_note
from frontdesk.vocabulary import (
    DocumentType,
    Gender,
    HouseholdStatus,
    Relation,
    ResidentCategory,
    Role,
)
from tests.conftest import DEMO_NOW, DEMO_TODAY

PASSPORT = "E12345678"


@pytest.fixture
def actor(demo_copy: SqliteDatabase) -> int:
    return int(Staff.select(Staff.id).where(Staff.role == Role.SUPERVISOR).scalar())


def _household() -> int:
    row = Household.select(Household.id).where(Household.status == HouseholdStatus.ACTIVE)
    return int(row.order_by(Household.id).scalar())


def _foreigner(number: str = PASSPORT, **changes: str) -> ResidentInput:
    return ResidentInput(
        name="约翰",
        gender=Gender.MALE,
        birth_date=date(1988, 3, 2),
        id_number=number,
        relation=Relation.OTHER,
        ethnicity="其他",
        document_type=changes.get("document_type", DocumentType.PASSPORT),
        category=changes.get("category", ResidentCategory.FLOATING),
    )


def test_a_passport_is_registered_masked_as_one_and_shown_with_its_type(actor: int) -> None:
    new_id = register_resident(_household(), _foreigner(), actor_id=actor, now=DEMO_NOW)
    row = Resident.get_by_id(new_id)
    assert (row.id_number, row.document_type, row.category) == (PASSPORT, "passport", "floating")
    person = get_detail(new_id, DEMO_TODAY, actor_id=actor).person
    assert person.id_number_masked == "E1*****78"
    assert (person.document_type, person.category) == ("passport", "floating")


def test_the_detail_gives_an_id_cards_type_and_category_too(actor: int) -> None:
    row = Resident.select().where(Resident.id_number.is_null(False)).first()
    person = get_detail(row.id, DEMO_TODAY, actor_id=actor).person
    assert (person.document_type, person.category) == (row.document_type, row.category)
    assert person.id_number_masked[6:14] == "*" * 8


@pytest.mark.parametrize("number", ["E123", "E1234-5678", "护照12345", "E" + "1" * 18])
def test_a_bad_passport_number_is_refused_beside_its_field(actor: int, number: str) -> None:
    before = Resident.select().count()
    with pytest.raises(ValidationFailed) as refused:
        register_resident(_household(), _foreigner(number), actor_id=actor, now=DEMO_NOW)
    errors = refused.value.validation.errors
    assert errors["id_number"].key == "validation.document_format"
    assert set(errors) == {"id_number"}
    assert Resident.select().count() == before


def test_an_unknown_document_type_or_category_is_refused_beside_its_field(actor: int) -> None:
    data = _foreigner(document_type="visa", category="tourist")
    with pytest.raises(ValidationFailed) as refused:
        register_resident(_household(), data, actor_id=actor, now=DEMO_NOW)
    errors = refused.value.validation.errors
    assert errors["document_type"].key == errors["category"].key == "validation.required"


def test_editing_changes_the_category_and_the_document(actor: int) -> None:
    new_id = register_resident(_household(), _foreigner(), actor_id=actor, now=DEMO_NOW)
    version = Resident.get_by_id(new_id).version
    update_resident(
        new_id,
        version,
        {"category": ResidentCategory.LODGING, "document_type": DocumentType.HOME_RETURN_PERMIT},
        actor_id=actor,
        now=DEMO_NOW,
    )
    person = get_detail(new_id, DEMO_TODAY, actor_id=actor).person
    assert (person.document_type, person.category) == ("home_return_permit", "lodging")


def test_a_passport_number_typed_whole_finds_its_holder(actor: int) -> None:
    new_id = register_resident(_household(), _foreigner(), actor_id=actor, now=DEMO_NOW)
    for typed in (PASSPORT, PASSPORT.lower(), "E 1234 5678"):
        hits = search_everywhere(typed, today=DEMO_TODAY).hits
        assert [hit.id for hit in hits][:1] == [new_id], typed
        assert hits[0].matched == "id"
        assert match_note(hits[0], typed) == "证件尾号E12345678"  # not 身份证尾号: no ID card
