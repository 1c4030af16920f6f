"""The administrative division of an ID number (GB/T 2260): the table, historical codes known,
and an unknown division as a warning the clerk confirms, in the service and at the form."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from peewee import SqliteDatabase, fn
from textual.widgets import Input, Select, Static

from frontdesk import divisions, idcards
from frontdesk.clock import FixedClock
from frontdesk.db.models import Household, Resident, Staff
from frontdesk.demo.org import REGION_CODE
from frontdesk.demo.people import SHANXI_REGIONS, XINJIANG_REGIONS
from frontdesk.residents.editing import ResidentInput, ValidationFailed, register_resident
from frontdesk.residents.validation import check_fields
from frontdesk.screens.residents.detail import ResidentDetailScreen
from frontdesk.screens.residents.resident_form import ResidentFormScreen
from frontdesk.vocabulary import Gender, HouseholdStatus, Relation, ResidentStatus, Role
from tests.conftest import DEMO_NOW, DEMO_TODAY, SUPERVISOR, desk_on, settle

# -- the table -------------------------------------------------------------------------------------


def test_lishi_district_is_known_whatever_the_birth_year() -> None:
    # python-stdnum refuses 141102 for anyone born before 2003, when 吕梁地区 became 吕梁市
    assert divisions.is_known("141102")
    assert divisions.name_of("141102") == "离石区"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("142331", "离石县"),  # 离石县 until 1996 (MCA lists 1980-1995), then 离石市
        ("142302", "离石市"),  # 1996-2003 (MCA 199612-200212), then 吕梁市离石区 141102
        ("142300", "吕梁地区"),  # a prefecture code, abolished 2003
        ("110103", "崇文区"),  # merged into 东城区 in 2010 (MCA 200912 is its last list)
        ("110104", "宣武区"),  # merged into 西城区 in 2010
        ("130521", "邢台县"),  # abolished 2020, 国函〔2020〕78号 (yescallop/areacodes 2019-2020)
        ("230702", "伊春区"),  # merged into 伊美区 in 2019, 国函〔2019〕63号
        ("330103", "下城区"),  # merged into 拱墅区 in 2021
        ("360105", "湾里区"),  # merged into 新建区 in 2019, 国函〔2019〕105号
        ("653228", "和康县"),  # set up in December 2024
        ("140105", "小店区"),  # today's
    ],
)
def test_historical_and_current_codes_are_known(code: str, name: str) -> None:
    assert divisions.is_known(code)
    assert name in divisions.names_of(code)


def test_a_renamed_code_keeps_its_names_newest_last() -> None:
    assert divisions.names_of("130502") == ("桥东区", "襄都区")  # 邢台 renamed it in 2020
    assert divisions.name_of("130502") == "襄都区"


MADE_UP = ["000000", "999999", "123456", "141199", "990000", "", "14110", "14110X", "１４１１０２"]


@pytest.mark.parametrize("code", MADE_UP)
def test_made_up_codes_are_unknown(code: str) -> None:
    assert not divisions.is_known(code)
    assert divisions.name_of(code) is None


def test_residence_permits_and_foreigners_cards() -> None:
    # 港澳台居民居住证: 810000 Hong Kong, 820000 Macao, 830000 Taiwan
    assert all(divisions.is_known(code) for code in ("810000", "820000", "830000"))
    # 外国人永久居留身份证 (2023): 9, the issuing province, the nationality
    assert divisions.is_known("911156")
    assert not divisions.is_known("999156")


def test_every_demo_region_is_known() -> None:
    regions = {REGION_CODE, *SHANXI_REGIONS, *XINJIANG_REGIONS}
    assert [code for code in sorted(regions) if not divisions.is_known(code)] == []


def test_the_data_file_is_well_formed() -> None:
    lines = [
        line
        for line in divisions.DATA.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    codes = [line.split(" ", 1)[0] for line in lines]
    assert codes == sorted(set(codes))
    assert all(len(c) == 6 and c.isascii() and c.isdigit() for c in codes)
    assert all(len(line.split(" ")) == 2 and line.split(" ")[1] for line in lines)
    assert divisions.count() == len(codes) > 7000
    # every code lies in a province the table knows
    assert {c[:2] for c in codes} <= {c[:2] for c in codes if c.endswith("0000")}


def test_importing_the_module_reads_nothing() -> None:
    code = (
        "import frontdesk.residents.validation, frontdesk.divisions as d;"
        "print(d._table.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


# -- the resident's checks -------------------------------------------------------------------------

BORN = date(1990, 5, 17)


def _person(region: str, *, seq: int = 901) -> ResidentInput:
    return ResidentInput(
        name="测试员",
        gender=Gender.MALE,
        birth_date=BORN,
        id_number=idcards.make_id(region, BORN, seq),
        phone="13912345678",
        relation=Relation.OTHER,
    )


def test_an_unknown_division_is_a_warning_beside_the_id_number() -> None:
    found = check_fields(_person("999999"), DEMO_TODAY)
    assert found.ok and not found.errors
    warning = found.warnings["id_number"]
    assert (warning.key, warning.params) == ("validation.id_division_unknown", {"code": "999999"})


def test_a_known_division_asks_nothing() -> None:
    for region in ("141102", "142331", "830000"):
        assert check_fields(_person(region), DEMO_TODAY).warnings == {}


def test_a_wrong_check_character_is_the_only_message() -> None:
    number = idcards.make_id("999999", BORN, 901)
    broken = number[:17] + ("0" if number[17] != "0" else "1")
    found = check_fields(replace(_person("999999"), id_number=broken), DEMO_TODAY)
    assert found.errors["id_number"].key == "validation.id_check"
    assert "id_number" not in found.warnings


def _household_of_two() -> Household:
    living = fn.COUNT(Resident.id)
    return (
        Household.select(Household)
        .join(Resident)
        .where(
            (Household.status == HouseholdStatus.ACTIVE)
            & (Resident.status == ResidentStatus.LIVING)
        )
        .group_by(Household.id)
        .having(living == 2)
        .order_by(Household.id)
        .first()
    )


def test_registering_with_an_unknown_division_needs_confirmation(
    demo_copy: SqliteDatabase,
) -> None:
    actor = int(Staff.select(Staff.id).where(Staff.role == Role.SUPERVISOR).scalar())
    household = _household_of_two()
    data = _person("000000")
    before = Resident.select().count()
    with pytest.raises(ValidationFailed) as caught:
        register_resident(household.id, data, actor_id=actor, now=DEMO_NOW)
    assert caught.value.needs_confirmation
    assert caught.value.validation.warnings["id_number"].params == {"code": "000000"}
    assert Resident.select().count() == before
    new_id = register_resident(
        household.id, data, actor_id=actor, now=DEMO_NOW, confirm_warnings=True
    )
    assert Resident.get_by_id(new_id).id_number == data.id_number


# -- at the form -----------------------------------------------------------------------------------


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_the_form_warns_beside_the_id_number_and_saves_on_confirm(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    head = (
        Resident.select()
        .where((Resident.relation == Relation.HEAD) & (Resident.status == ResidentStatus.LIVING))
        .order_by(Resident.id)
        .first()
    )
    number = idcards.make_id("999999", date(2019, 6, 1), 124)  # even: a girl
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(head.id)
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ResidentDetailScreen)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ResidentFormScreen) and form.person is None
        await pilot.press(*"小区号")
        form.query_one("#f-id_number", Input).focus()
        await pilot.press(*number)  # fills in the birth date and gender
        form.query_one("#f-relation", Select).value = Relation.CHILD.value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#m-id_number").has_class("-warning")
        assert "999999" in _text(form, "#m-id_number")
        assert "行政区划" in _text(form, "#m-id_number")
        assert form.query_one("#form-confirm").display
        assert not Resident.select().where(Resident.id_number == number).exists()

        await pilot.press("ctrl+s")  # the deliberate confirm
        await settle(pilot)
        assert app.screen is detail
    new = Resident.get(Resident.id_number == number)
    assert (new.name, new.birth_date, new.gender) == ("小区号", date(2019, 6, 1), "F")
