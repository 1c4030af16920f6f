"""Resident search: every kind of query, ranking, filters, and any string at all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import SqliteDatabase

from frontdesk import idcards
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import (
    Building,
    Community,
    Compound,
    District,
    Flat,
    GridL3,
    GridL4,
    Household,
    Resident,
    ResidentTag,
    Subdistrict,
    Tag,
    Unit,
)
from frontdesk.db.search import PHONES, rebuild_index, reindex_residents
from frontdesk.pinyin import full_pinyin, initials, normalise_name, split_name
from frontdesk.residents.search import SearchFilters, parse_address
from frontdesk.residents.search import search_everywhere as search

TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 10, 0)

# name, gender, birth, phone, compound, building, unit, flat
PEOPLE = [
    ("李慧", "F", date(1985, 3, 2), "13812345678", "宏泰学府苑", 3, 2, 1001),
    ("张伟", "M", date(1983, 7, 9), "13900001111", "宏泰学府苑", 3, 2, 1101),
    ("王慧敏", "F", date(1990, 1, 5), "15011112222", "宏泰学府苑", 3, 2, 901),
    ("单雄信", "M", date(1970, 5, 5), "18600003333", "泰化龙凤苑", 1, 1, 101),
    ("曾小贤", "M", date(1988, 8, 8), "18600004444", "泰化龙凤苑", 1, 1, 102),
    ("解晓东", "M", date(1960, 2, 2), "18600005555", "泰化龙凤苑", 1, 1, 201),
    ("欧阳娜娜", "F", date(2000, 6, 1), "18600006666", "泰化龙凤苑", 1, 1, 202),
    ("司马光", "M", date(1950, 1, 1), None, "泰化龙凤苑", 2, 1, 101),
    ("阿依古丽·买买提", "F", date(1995, 9, 9), "18600007777", "泰化龙凤苑", 2, 1, 102),
    ("李", "M", date(1940, 4, 4), "18600008888", "泰化龙凤苑", 2, 1, 201),
    ("朴明", "M", date(2015, 4, 4), None, "泰化龙凤苑", 2, 1, 202),
]


def _build(path: Path) -> SqliteDatabase:
    db = open_database(path, create=True, now=FixedClock(NOW).now)
    district = District.create(name="离石区", region_code="141102")
    sub = Subdistrict.create(district=district, name="莲花池街道")
    community = Community.create(subdistrict=sub, name="丽景街社区", code="LJ")
    l3 = GridL3.create(community=community, code="2", name="第2网格")
    grids = [GridL4.create(grid_l3=l3, code=f"2-{n}", name=f"2-{n}网格") for n in (1, 2, 3)]
    tag = Tag.get(Tag.code == "left_behind_child")  # installed with the schema
    units: dict[tuple[str, int, int], Unit] = {}
    for number, (name, gender, birth, phone, compound, b, u, f) in enumerate(PEOPLE, start=1):
        key = (compound, b, u)
        if key not in units:
            comp, _ = Compound.get_or_create(community=community, name=compound)
            building, _ = Building.get_or_create(
                compound=comp, number=b, defaults={"floors": 18, "kind": "tower"}
            )
            units[key] = Unit.create(building=building, number=u, flats_per_floor=2)
        grid = grids[0] if compound == "宏泰学府苑" else grids[2]
        flat = Flat.create(unit=units[key], grid_l4=grid, **Flat.derived(f))
        household = Household.create(
            flat=flat, number=f"LJ-{number:06d}", moved_in_on=TODAY, created_at=NOW, updated_at=NOW
        )
        resident = Resident.create(
            household=household,
            relation="head",
            name=name,
            gender=gender,
            birth_date=birth,
            id_number=idcards.make_id("141102", birth, 10 + number * 2 + (gender == "M")),
            phone=phone,
            moved_in_on=TODAY,
            created_at=NOW,
            updated_at=NOW,
        )
        if name == "朴明":
            ResidentTag.create(resident=resident, tag=tag, since=TODAY, created_at=NOW)
    with db.atomic():
        rebuild_index()
    return db


@pytest.fixture(scope="module")
def people_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "people.db"
    _build(path).close()
    return path


@pytest.fixture
def people(people_file: Path) -> Iterator[SqliteDatabase]:
    db = open_database(people_file, create=False, now=FixedClock(NOW).now)
    yield db
    db.close()


def names(query: str, filters: SearchFilters | None = None) -> list[str]:
    return [hit.name for hit in search(query, filters, today=TODAY).hits]


@pytest.mark.usefixtures("people")
class TestQueryKinds:
    def test_whole_and_part_names_from_one_character(self) -> None:
        assert names("李慧")[0] == "李慧"
        assert set(names("慧")) == {"李慧", "王慧敏"}
        assert names("李")[0] == "李"  # the exact name first, then names starting with it
        assert names("李")[1] == "李慧"

    def test_compound_surnames(self) -> None:
        assert names("欧阳") == ["欧阳娜娜"]
        assert names("司马") == ["司马光"]
        assert split_name("欧阳娜娜") == ("欧阳", "娜娜")

    def test_pinyin_full_initials_any_case_and_spaces(self) -> None:
        for query in ("lihui", "LiHui", "li hui", "LI HUI", "lih"):
            assert names(query)[0] == "李慧", query
        assert "李慧" in names("lh")
        assert names("oyn") == ["欧阳娜娜"]

    def test_polyphonic_surnames_read_as_surnames(self) -> None:
        assert names("shanxiongxin") == ["单雄信"]
        assert names("danxiongxin") == []
        assert names("zengxiaoxian") == ["曾小贤"]
        assert names("xiexiaodong") == ["解晓东"]
        assert names("piaoming") == ["朴明"]
        assert full_pinyin("区志强") == ["ouzhiqiang"]
        assert initials("尉迟恭") == ["ycg"]

    def test_names_with_a_middle_dot(self) -> None:
        for query in ("阿依古丽", "买买提", "阿依古丽·买买提", "阿依古丽买买提", "阿依古丽•买买提"):
            assert names(query) == ["阿依古丽·买买提"], query
        assert names("ayiguli") == ["阿依古丽·买买提"]

    def test_phone_fragments_anywhere(self) -> None:
        assert names("138") == ["李慧"]
        assert names("5678") == ["李慧"]
        assert names("1234") == ["李慧"]
        assert names("13812345678") == ["李慧"]
        assert names("00003333") == ["单雄信"]
        assert names("12") == []  # under three digits is not a phone fragment
        assert search("138", today=TODAY).hits[0].phone == "138****5678"

    def test_id_number_tails_any_case(self) -> None:
        resident = Resident.get(Resident.name == "李慧")
        assert resident.id_number is not None
        tail = resident.id_number[-6:]
        assert "李慧" in names(tail.lower())
        assert "李慧" in names(resident.id_number[-4:])
        assert names(resident.id_number) == ["李慧"]

    def test_addresses(self) -> None:
        for query in (
            "3-2-1001",
            "3号楼2单元1001",
            "3号楼2单元1001室",
            "学府苑3-2-1001",
            "宏泰学府苑 3号楼 2单元 1001室",
            "3栋2单元1001",
        ):
            assert names(query) == ["李慧"], query
        assert set(names("3号楼")) == {"李慧", "张伟", "王慧敏"}
        assert set(names("学府苑 3-2")) == {"李慧", "张伟", "王慧敏"}
        assert "单雄信" in names("龙凤苑")
        assert names("LJ-000001") == ["李慧"]
        assert names("lj1") == ["李慧"]
        assert parse_address("13812345678") is None
        # while the flat number is being typed: 3-2-10 holds floor 10 (and 101–109)
        assert set(names("3-2-10")) == {"李慧"}
        assert set(names("3-2-1")) == {"李慧", "张伟"}
        assert set(names("3-2-9")) == {"王慧敏"}

    def test_filters(self) -> None:
        grid_21 = GridL4.get(GridL4.code == "2-1").id
        assert set(names("", SearchFilters(grid_l4_id=grid_21))) == {"李慧", "张伟", "王慧敏"}
        assert names("", SearchFilters(tag="left_behind_child")) == ["朴明"]
        assert names("", SearchFilters(age_min=80)) == ["李"]
        assert set(names("", SearchFilters(age_max=11))) == {"朴明"}
        assert names("李", SearchFilters(age_max=50)) == ["李慧"]
        assert names("") == []  # no query, no narrowing filter: nothing to list

    def test_sensitive_tags_are_masked_unless_filtered(self) -> None:
        plain = search("朴明", today=TODAY).hits[0]
        assert plain.tags == () and plain.hidden_tags == 1
        filtered = search("", SearchFilters(tag="left_behind_child"), today=TODAY).hits[0]
        assert filtered.tags == ("left_behind_child",) and filtered.hidden_tags == 0


def test_status_filter_and_reindex_after_a_change(tmp_path: Path) -> None:
    db = _build(tmp_path / "change.db")
    try:
        assert names("张伟") == ["张伟"]
        with db.atomic():
            Resident.update(
                name="张卫", phone="17700009999", status="moved_out", moved_out_on=TODAY
            ).where(Resident.name == "张伟").execute()
            reindex_residents([r.id for r in Resident.select().where(Resident.name == "张卫")])
        assert names("张伟", SearchFilters(status=None)) == []
        assert names("张卫") == []  # moved out: not among those living here
        assert names("张卫", SearchFilters(status="moved_out")) == ["张卫"]
        assert names("0009999", SearchFilters(status=None)) == ["张卫"]  # the phone index reloaded
    finally:
        db.close()


ALPHABET = st.sampled_from(
    [*"李慧王欧阳·%_'\"\\ -*?[]()$^.0123456789xXlihuLH号楼单元室", "", "\x00", "🙂", "ǜ"]
)


@pytest.mark.usefixtures("people")
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.text(max_size=12), st.lists(ALPHABET, max_size=10).map("".join)))
def test_any_query_is_safe_and_matches_literally(query: str) -> None:
    result = search(query, today=TODAY)
    assert result.total >= len(result.hits)
    for hit in result.hits:
        resident = Resident.get_by_id(hit.id)
        if hit.matched == "name":
            assert normalise_name(query.replace(" ", "")) in normalise_name(resident.name)
        elif hit.matched == "phone":
            digits = "".join(query.split())
            assert digits in (resident.phone or "")
        elif hit.matched == "id":
            assert str(resident.id_number).upper().endswith("".join(query.split()).upper())
    for special in ("%", "_", "'", "\\", '"', "%%", "_%"):
        assert search(special, today=TODAY).hits == []


def test_phone_index_follows_the_database(people: SqliteDatabase) -> None:
    assert list(PHONES.find("13812345678")) == [Resident.get(Resident.name == "李慧").id]
    assert list(PHONES.find("abc")) == []


@pytest.mark.usefixtures("people")
def test_filter_words_typed_into_the_box() -> None:
    assert names("留守儿童") == ["朴明"]
    assert names("留守儿童 2-3网格") == ["朴明"]
    assert names("2-3网格 留守儿童") == ["朴明"]
    assert names("left-behind child grid 2-3") == ["朴明"]
    assert names("留守儿童 2-1网格") == []
    assert set(names("2-1网格")) == {"李慧", "张伟", "王慧敏"}
    assert set(names("第2网格 慧")) == {"李慧", "王慧敏"}
    applied = search("留守儿童 2-3网格", today=TODAY).filters
    assert (applied.tag, applied.grid_l4_code) == ("left_behind_child", "2-3")
