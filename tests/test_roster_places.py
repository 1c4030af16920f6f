"""The places import (issue 13, "Set up a real community"): a 楼栋台账 planned (what is new, what
is there, the rows refused and why), written in short transactions, imported again unchanged,
taken back whole; a new community on an empty database; a supervisor only in their community."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from peewee import SqliteDatabase

from frontdesk.db.imports import REMOVAL_ORDER
from frontdesk.db.models import (
    Building,
    Community,
    Compound,
    District,
    Flat,
    GridL3,
    GridL4,
    OpeningHours,
    Room,
    Staff,
    Subdistrict,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied
from frontdesk.roster import runs
from frontdesk.roster.places import NewCommunity, PlacesPlan, plan_places
from frontdesk.roster.places_rows import opening_hours, place_number
from frontdesk.roster.places_write import import_places
from frontdesk.roster.reading import read_book
from frontdesk.vocabulary import Role
from tests.conftest import DEMO_NOW

NOW = DEMO_NOW
HEADER = ["小区", "楼栋", "单元", "层数", "每层户数", "网格", "楼型", "地址"]
ROOMS: list[list[Any]] = [
    ["名称", "容纳人数", "用途"],
    ["妇女之家", 20, "手工课"],
    ["议事室", 12, ""],
]
LJ = NewCommunity("丽景街社区", "lj", "莲花池街道", "离石区", "141102")


def workbook(path: Path, rows: list[list[Any]], rooms: list[list[Any]] | None = None) -> Path:
    """A 楼栋台账 under a title row, and a rooms sheet."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("楼栋")
    sheet.write(0, 0, "丽景街社区楼栋台账")
    for r, row in enumerate([HEADER, *rows], start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    if rooms:
        room_sheet = book.add_worksheet("功能室")
        for r, row in enumerate(rooms):
            for c, value in enumerate(row):
                room_sheet.write(r, c, value)
    book.close()
    return path


BASIC: list[list[Any]] = [
    ["宏泰学府苑", "1号楼", 1, 6, 2, "1-1", "步梯", "龙凤大道1号"],
    [None, "1号楼", 2, 6, 2, "1-1", "步梯", None],  # 小区 merged over its rows
    ["宏泰学府苑", "三号楼", 1, 18, 4, "1-2", None, None],
    ["丽景花园", "2栋", None, 11, 2, "2-1", "电梯", None],
]


def counts() -> dict[str, int]:
    db: Any = Community._meta.database
    return {
        table: int(db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table in REMOVAL_ORDER
    }


def plan_of(path: Path, community: str | NewCommunity, actor_id: int | None = None) -> PlacesPlan:
    return plan_places(read_book(path), community, actor_id=actor_id)


def test_a_new_community_on_an_empty_database(empty_db: SqliteDatabase, tmp_path: Path) -> None:
    path = workbook(tmp_path / "places.xlsx", BASIC, ROOMS)
    plan = plan_of(path, LJ)
    assert plan.refused == []
    assert plan.compounds == [("丽景花园", ""), ("宏泰学府苑", "龙凤大道1号")]
    assert [(b.compound, b.number, b.floors, b.kind, b.units, b.flats) for b in plan.buildings] == [
        ("丽景花园", 2, 11, "tower", 1, 22),
        ("宏泰学府苑", 1, 6, "walkup", 2, 24),
        ("宏泰学府苑", 3, 18, "tower", 1, 72),  # 三号楼; 楼型 empty, 18 floors: a tower
    ]
    assert plan.counts()["flats"] == 118
    assert plan.grids_l3 == [("1", "第1网格"), ("2", "第2网格")]
    assert plan.grids_l4 == [("1-1", "1-1网格"), ("1-2", "1-2网格"), ("2-1", "2-1网格")]

    result = import_places(plan, actor_id=None, now=NOW)
    assert not result.cancelled
    community: Any = Community.get(Community.code == "LJ")
    assert result.community_id == community.id
    assert community.subdistrict.name == "莲花池街道"
    assert community.subdistrict.district.region_code == "141102"
    flats = {
        (f.unit.building.number, f.unit.number, f.number, f.grid_l4.code)
        for f in Flat.select().join(Unit).join(Building)
    }
    assert (1, 2, 101, "1-1") in flats and (1, 2, 602, "1-1") in flats
    assert (3, 1, 1804, "1-2") in flats and (3, 1, 1805, "1-2") not in flats
    room: Any = Room.get(Room.name == "妇女之家")
    assert (room.code, room.capacity, room.purpose) == ("women_home", 20, "手工课")
    hours = [
        (h.weekday, h.opens, h.closes)
        for h in OpeningHours.select().where(OpeningHours.room == room)
    ]
    assert (0, dt.time(8, 30), dt.time(12, 0)) in hours and (
        4,
        dt.time(14, 0),
        dt.time(21, 0),
    ) in hours
    assert not any(weekday >= 5 for weekday, _o, _c in hours)
    assert runs.summary(result.import_id).status == "done"


def test_importing_again_changes_nothing(empty_db: SqliteDatabase, tmp_path: Path) -> None:
    path = workbook(tmp_path / "places.xlsx", BASIC, ROOMS)
    import_places(plan_of(path, LJ), actor_id=None, now=NOW)
    before = counts()
    again = plan_of(path, "LJ")
    assert again.empty
    assert again.unchanged == {
        "grids": 5,
        "compounds": 2,
        "buildings": 3,
        "units": 4,
        "flats": 118,
        "rooms": 2,
    }
    with pytest.raises(UserError) as error:
        import_places(again, actor_id=None, now=NOW)
    assert error.value.key == "places_import.nothing"
    assert counts() == before


def test_undo_leaves_the_database_as_it_was(empty_db: SqliteDatabase, tmp_path: Path) -> None:
    before = counts()
    path = workbook(tmp_path / "places.xlsx", BASIC, ROOMS)
    result = import_places(plan_of(path, LJ), actor_id=None, now=NOW)
    assert counts() != before
    runs.undo(result.import_id, actor_id=None, now=NOW)
    assert counts() == before  # the community, subdistrict and district too


def test_cancel_between_batches_takes_everything_back(
    empty_db: SqliteDatabase, tmp_path: Path
) -> None:
    before = counts()
    rows = [["大院", n, None, 18, 4, "1-1", None, None] for n in range(1, 30)]  # 2,088 flats
    plan = plan_of(workbook(tmp_path / "big.xlsx", rows), LJ)
    batches: list[float] = []
    result = import_places(
        plan,
        actor_id=None,
        now=NOW,
        progress=batches.append,
        cancel=lambda: len(batches) >= 3,
    )
    assert result.cancelled and len(batches) == 3
    assert counts() == before
    assert runs.summary(result.import_id).undo_reason == "cancelled"


def test_refused_rows_say_why(empty_db: SqliteDatabase, tmp_path: Path) -> None:
    rows = [
        ["宏泰学府苑", "3号楼", 1, 6, 2, "1-1", None, None],  # 3
        ["宏泰学府苑", "三号楼", 2, 6, 2, "1-1", None, None],  # 3 too
        ["宏泰学府苑", "3号楼", 2, 6, 3, "1-1", None, None],  # unit 2 again, 3 a floor
        ["宏泰学府苑", "3号楼", 3, 7, 2, "1-1", None, None],  # building 3 with other floors
        ["宏泰学府苑", "5号楼", 1, 0, 2, "1-1", None, None],
        ["宏泰学府苑", "6号楼", 1, 61, 2, "1-1", None, None],
        ["宏泰学府苑", "7号楼", 1, 6, 0, "1-1", None, None],
        ["宏泰学府苑", "8号楼", 1, 6, 21, "1-1", None, None],
        ["宏泰学府苑", "A座", 1, 6, 2, "2", "飞机", None],
        ["宏泰学府苑", "9号楼", 1, 6, 2, None, None, None],
    ]
    plan = plan_of(workbook(tmp_path / "bad.xlsx", rows), LJ)
    refused = {refusal.row: " / ".join(refusal.reasons) for refusal in plan.refused}
    assert sorted(refused) == [5, 6, 7, 8, 9, 10, 11, 12]  # rows 3 and 4 (the header is row 2)
    assert "第 4 行已有" in refused[5]
    assert "层数或楼型" in refused[6]
    assert "层数“0”" in refused[7] and "层数“61”" in refused[8]
    assert "每层户数“0”" in refused[9] and "每层户数“21”" in refused[10]
    assert "楼栋“A座”" in refused[11] and "网格“2”" in refused[11] and "楼型“飞机”" in refused[11]
    assert "没有网格" in refused[12]
    assert [(u.building, u.unit) for u in plan.units] == [(3, 1), (3, 2)]


def test_building_and_unit_numbers_as_written() -> None:
    assert [place_number(text) for text in ("3", "3号楼", "三号楼", "十二栋", "3#", 7, "A座")] == [
        3,
        3,
        3,
        12,
        3,
        7,
        None,
    ]
    weekdays = opening_hours("周一至周五 8:30-12:00，14:00-17:30")
    assert weekdays is not None and len(weekdays) == 10
    assert opening_hours("每天 9:00-17:00") == tuple(
        (day, dt.time(9), dt.time(17)) for day in range(7)
    )
    assert opening_hours("全天开放") is None


def test_a_taller_building_gets_its_new_flats_and_none_is_removed(
    empty_db: SqliteDatabase, tmp_path: Path
) -> None:
    import_places(plan_of(workbook(tmp_path / "a.xlsx", BASIC), LJ), actor_id=None, now=NOW)
    rows = [
        ["宏泰学府苑", 1, 1, 8, 2, "1-1", "步梯", None],  # 6 → 8 floors
        ["宏泰学府苑", 1, 2, 8, 1, "1-1", "步梯", None],  # 2 → 1 a floor: the xx02 flats listed
    ]
    plan = plan_of(workbook(tmp_path / "b.xlsx", rows), "LJ")
    assert plan.taller == [("宏泰学府苑", 1, 6, 8)]
    assert [(f.unit, f.number) for f in plan.flats] == [
        (1, 701),
        (1, 702),
        (1, 801),
        (1, 802),
        (2, 701),
        (2, 801),
    ]
    assert plan.not_in_file == [f"宏泰学府苑 1-2-{n}" for n in (102, 202, 302, 402, 502, 602)]
    flats = Flat.select().count()
    result = import_places(plan, actor_id=None, now=NOW)
    assert Flat.select().count() == flats + 6  # nothing removed
    building: Any = Building.get(Building.number == 1)
    assert building.floors == 8
    runs.undo(result.import_id, actor_id=None, now=NOW)
    assert Building.get_by_id(building.id).floors == 6
    assert Flat.select().count() == flats


def test_the_new_community_is_checked(empty_db: SqliteDatabase, tmp_path: Path) -> None:
    path = workbook(tmp_path / "places.xlsx", BASIC)
    for community, key in (
        (NewCommunity("丽景街社区", "L", "莲花池街道", "离石区", "141102"), "bad_code"),
        (NewCommunity("丽景街社区", "LJ", "莲花池街道", "离石区", "14110"), "bad_region"),
        (NewCommunity("", "LJ", "莲花池街道", "离石区", "141102"), "name_required"),
        (NewCommunity("丽景街社区", "LJ", " ", "离石区", "141102"), "subdistrict_required"),
    ):
        with pytest.raises(UserError) as error:
            plan_of(path, community)
        assert error.value.key == f"places_import.{key}"
    plan = plan_of(path, NewCommunity("丽景街社区", "LJ", "莲花池街道", "离石区", "999999"))
    assert plan.warnings == ["行政区划代码 999999 不在 GB/T 2260 中，请核对（仍可导入）"]
    import_places(plan, actor_id=None, now=NOW)
    with pytest.raises(UserError) as error:
        plan_of(path, LJ)
    assert error.value.key == "places_import.code_taken"
    with pytest.raises(UserError) as error:
        plan_of(path, "XX")
    assert error.value.key == "places_import.no_such_community"


def test_a_second_community_reuses_its_district_and_subdistrict(
    demo_copy: SqliteDatabase, tmp_path: Path
) -> None:
    districts, subdistricts = District.select().count(), Subdistrict.select().count()
    path = workbook(tmp_path / "places.xlsx", BASIC)
    plan = plan_of(path, NewCommunity("新社区", "XQ", "莲花池街道", "离石区", "141102"))
    assert plan.district_id is not None and plan.subdistrict_id is not None
    result = import_places(plan, actor_id=None, now=NOW)
    assert (District.select().count(), Subdistrict.select().count()) == (districts, subdistricts)
    assert Compound.select().where(Compound.community == result.community_id).count() == 2


def _supervisor(community_id: int) -> int:
    found = (
        Staff.select(Staff.id)
        .where(
            (Staff.role == Role.SUPERVISOR)
            & (Staff.community == community_id)
            & (Staff.active == True)  # noqa: E712
        )
        .scalar()
    )
    assert found is not None
    return int(found)


def test_a_supervisor_imports_into_their_own_community_only(
    district: SqliteDatabase, tmp_path: Path
) -> None:
    first, second = (c.id for c in Community.select().order_by(Community.id))
    code_b = Community.get_by_id(second).code
    code_a = Community.get_by_id(first).code
    path = workbook(tmp_path / "places.xlsx", [["新建小区", 1, 1, 6, 2, "1-1", None, None]])
    supervisor_a = _supervisor(first)
    with pytest.raises(PermissionDenied):
        plan_of(path, code_b, actor_id=supervisor_a)
    plan = plan_of(path, code_b, actor_id=_supervisor(second))
    with pytest.raises(PermissionDenied):  # checked again when writing
        import_places(plan, actor_id=supervisor_a, now=NOW)
    # without anyone signed in: not into a community that has staff
    with pytest.raises(UserError) as error:
        plan_of(path, code_a)
    assert error.value.key == "places_import.needs_user"
    # a supervisor does not make communities
    with pytest.raises(UserError) as error:
        plan_of(path, NewCommunity("新社区", "XQ", "莲花池街道", "离石区", "141102"), supervisor_a)
    assert error.value.key == "places_import.new_community_from_command_line"
    result = import_places(plan_of(path, code_a, supervisor_a), actor_id=supervisor_a, now=NOW)
    assert runs.summary(result.import_id).community_id == first
    grid: Any = (
        GridL4.select()
        .join(GridL3)
        .where((GridL3.community == first) & (GridL4.code == "1-1"))
        .get()
    )
    new_flats = (
        Flat.select().join(Unit).join(Building).join(Compound).where(Compound.name == "新建小区")
    )
    assert {flat.grid_l4_id for flat in new_flats} == {grid.id}  # the existing grid 1-1


def test_merged_cells_read_as_the_cell_above(empty_db: SqliteDatabase, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["宏泰学府苑", "1号楼", "1单元", 6, 2, "1-1", "步梯", None],
        [None, None, "2单元", None, None, None, None, None],  # 小区 and 楼栋 merged downwards
        [None, "2号楼", 1, 11, 2, "1-2", None, "龙凤大道1号"],
        [None, None, 2, None, 3, None, None, None],  # its own flats a floor
        [None, None, None, None, None, None, None, None],
        ["丽景花园", None, 1, 6, 2, "1-1", None, None],  # no building: not the one above
    ]
    plan = plan_of(workbook(tmp_path / "merged.xlsx", rows), LJ)
    assert [
        (u.compound, u.building, u.unit, u.floors, u.flats_per_floor, u.grid) for u in plan.units
    ] == [
        ("宏泰学府苑", 1, 1, 6, 2, "1-1"),
        ("宏泰学府苑", 1, 2, 6, 2, "1-1"),
        ("宏泰学府苑", 2, 1, 11, 2, "1-2"),
        ("宏泰学府苑", 2, 2, 11, 3, "1-2"),
    ]
    assert plan.compounds == [("宏泰学府苑", "龙凤大道1号")]
    assert [(r.row, r.reasons) for r in plan.refused] == [(8, ("没有楼栋",))]


def test_places_added_meanwhile_take_the_import_back(
    empty_db: SqliteDatabase, tmp_path: Path
) -> None:
    import_places(plan_of(workbook(tmp_path / "a.xlsx", BASIC), LJ), actor_id=None, now=NOW)
    rows: list[list[Any]] = [
        ["新小区", 1, 1, 6, 2, "1-1", None, None],
        ["新小区", 2, 1, 6, 2, "1-1", None, None],
    ]
    plan = plan_of(workbook(tmp_path / "b.xlsx", rows), "LJ")
    Compound.create(community=Community.get().id, name="新小区")  # a desk, meanwhile
    before = counts()
    with pytest.raises(UserError) as error:
        import_places(plan, actor_id=None, now=NOW)
    assert error.value.key == "places_import.changed_meanwhile"
    assert counts() == before


def test_who_may_take_back_an_import_that_made_its_community(
    empty_db: SqliteDatabase, tmp_path: Path
) -> None:
    from frontdesk.auth.signin import first_account
    from frontdesk.roster.places import authorise, community_of_import

    result = import_places(
        plan_of(workbook(tmp_path / "a.xlsx", BASIC), LJ), actor_id=None, now=NOW
    )
    assert runs.summary(result.import_id).community_id is None  # its community goes with it
    assert community_of_import(result.import_id) == result.community_id
    authorise(None, community_of_import(result.import_id))  # no staff yet: the command line
    first_account("lead", "李主任", "supervisor", community="LJ", now=NOW)
    with pytest.raises(UserError) as error:
        authorise(None, community_of_import(result.import_id))
    assert error.value.key == "places_import.needs_user"


def test_a_flat_the_file_puts_in_another_grid_stays_in_its_own(
    empty_db: SqliteDatabase, tmp_path: Path
) -> None:
    import_places(plan_of(workbook(tmp_path / "a.xlsx", BASIC), LJ), actor_id=None, now=NOW)
    regridded = [[*row[:5], "1-2", *row[6:]] if row[1] == "1号楼" else row for row in BASIC]
    plan = plan_of(workbook(tmp_path / "b.xlsx", regridded), "LJ")
    assert plan.empty and plan.unchanged["flats"] == 118
    assert len(plan.other_grid) == 24
    assert plan.other_grid[0] == ("宏泰学府苑 1-1-101", "1-1", "1-2")
