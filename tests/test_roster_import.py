"""Importing residents from a workbook (issue 13): the preview, the write in short
transactions under one import id, importing again, and taking the import back whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from peewee import SqliteDatabase

from frontdesk.audit import chain
from frontdesk.audit.log import entries_for
from frontdesk.clock import FixedClock
from frontdesk.db.models import (
    Building,
    Compound,
    Flat,
    Household,
    Resident,
    ResidentTag,
    RosterImport,
    SearchKey,
    Staff,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.idcards import make_id
from frontdesk.roster import runs
from frontdesk.roster.plan import plan_residents
from frontdesk.roster.writing import Cancelled, write_plan
from frontdesk.vocabulary import Role

HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "公民身份号码",
    "联系电话",
    "与户主关系",
    "户主姓名",
    "现住址",
    "人员类别",
    "特殊人群",
    "备注",
    "婚姻状况",
]


@pytest.fixture
def actor(demo_copy: SqliteDatabase) -> int:
    return int(
        Staff.select(Staff.id)
        .where((Staff.role == Role.SUPERVISOR) & (Staff.username == "lead-lj-1"))
        .scalar()
    )


def _empty_flats(count: int) -> list[tuple[str, int, int, int]]:
    """Flats of the demo community nobody lives in: (compound, building, unit, flat)."""
    rows: Any = (
        Flat.select(Compound.name, Building.number, Unit.number, Flat.number)
        .join(Unit)
        .join(Building)
        .join(Compound)
        .where(Flat.id.not_in(Household.select(Household.flat)))
        .order_by(Flat.id)
        .limit(count)
        .tuples()
    )
    return list(rows)


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("人口台账")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, "丽景街社区实有人口信息表")
    sheet.write_row(1, 0, ["填报单位：丽景街社区", "", "", "填报日期：2026年11月"])
    sheet.write_row(2, 0, HEADER)
    for n, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(3 + n, c, value)
            elif value is not None:
                sheet.write(3 + n, c, value)
    book.close()
    return path


def _cn(seq: int) -> str:
    return "".join("零一二三四五六七八九"[int(d)] for d in str(seq))


def _family(flat: tuple[str, int, int, int], seq: int) -> list[list[object]]:
    compound, building, unit, number = flat
    n = _cn(seq)
    address = f"{compound}{building}号楼{unit}单元{number}"
    head = make_id("141102", dt.date(1970, 3, 2), seq * 2 + 1)
    wife = make_id("141102", dt.date(1972, 6, 9), seq * 2)
    child = make_id("141102", dt.date(2005, 1, 20), seq * 2 + 3)
    head_row = [1, f"试户{n}", "男", "汉", head, "13912340000", "户主", f"试户{n}", address]
    wife_row = [2, f"试妻{n}", "女", "汉族", wife, "", "妻子", f"试户{n}", address]
    child_row = [3, f"试子{n}", "男", "回", child, "", "长子", f"试户{n}", address]
    return [
        [*head_row, "户籍", "独居老人", "", "已婚"],
        [*wife_row, "流动人口", "", "", "已婚"],
        [*child_row, "", "", "在读", "未婚"],
    ]


def test_a_roster_is_previewed_imported_and_taken_back_whole(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path, actor: int
) -> None:
    flats = _empty_flats(3)
    rows = [row for n, flat in enumerate(flats) for row in _family(flat, 100 + n)]
    bad = list(rows[0])
    bad[1], bad[4] = "坏号码", 1.41102197003021e17  # Excel turned the ID into a number
    rows.append(bad)
    path = _workbook(tmp_path / "人口台账.xlsx", rows)
    residents_before = Resident.select().count()
    households_before = Household.select().count()

    plan = plan_residents(path, actor_id=actor, today=clock.today())
    counts = plan.counts
    assert counts["new"] == 9 and counts["refused"] == 1 and counts["new_households"] == 3
    assert plan.table.unknown == ["婚姻状况"]  # listed, never silently dropped
    (refused,) = plan.refused()
    assert refused.row.errors["id_number"].key == "roster.id_was_a_number"
    assert Resident.select().count() == residents_before  # nothing written by a preview

    with pytest.raises(UserError) as refused_all:
        write_plan(plan, actor_id=actor, now=clock.now())
    assert refused_all.value.key == "roster.has_refused"
    done = write_plan(plan, actor_id=actor, now=clock.now(), only_valid=True)
    assert (done.new, done.households, done.skipped) == (9, 3, 1)
    assert Resident.select().count() == residents_before + 9
    wife: Any = Resident.get(Resident.name == "试妻一零零")
    assert (wife.relation, wife.category, wife.gender) == ("spouse", "floating", "F")
    child: Any = Resident.get(Resident.name == "试子一零零")
    assert (child.relation, child.ethnicity, child.notes) == ("child", "回族", "在读")
    head: Any = Resident.get(Resident.name == "试户一零零")
    assert head.household_id == wife.household_id == child.household_id
    assert [t.tag.code for t in ResidentTag.select().where(ResidentTag.resident == head.id)] == [
        "elderly_alone"
    ]
    assert SearchKey.select().where(SearchKey.resident_id == head.id).count() > 0
    assert [e.action for e in entries_for("resident", head.id)] == ["resident.import"]
    summary = runs.summary(done.import_id)
    assert summary.status == "done" and summary.file_name == "人口台账.xlsx"
    assert len(summary.sha256) == 64

    again = plan_residents(path, actor_id=actor, today=clock.today())
    assert again.counts["unchanged"] == 9 and again.counts["new"] == 0

    runs.undo(done.import_id, actor_id=actor, now=clock.now())
    assert Resident.select().count() == residents_before
    assert Household.select().count() == households_before
    assert SearchKey.select().where(SearchKey.resident_id == head.id).count() == 0
    assert runs.summary(done.import_id).status == "undone"
    assert [e.action for e in entries_for("resident", head.id)] == [
        "resident.import",
        "resident.import_removed",
    ]
    assert chain.verify().intact
    with pytest.raises(UserError):
        runs.undo(done.import_id, actor_id=actor, now=clock.now())


def test_an_update_is_applied_only_when_confirmed_and_undone_to_the_old_value(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path, actor: int
) -> None:
    flats = _empty_flats(1)
    path = _workbook(tmp_path / "a.xlsx", _family(flats[0], 200))
    first = write_plan(
        plan_residents(path, actor_id=actor, today=clock.today()),
        actor_id=actor,
        now=clock.now(),
    )
    rows = _family(flats[0], 200)
    rows[1][5] = "13800001111"  # the wife gave a phone
    path2 = _workbook(tmp_path / "b.xlsx", rows)
    plan = plan_residents(path2, actor_id=actor, today=clock.today())
    assert plan.counts["update"] == 1 and plan.counts["unchanged"] == 2
    (update,) = [p for p in plan.people if p.action == "update"]
    assert update.changes == {"phone": (None, "13800001111")} or update.changes == {
        "phone": ("", "13800001111")
    }
    with pytest.raises(UserError) as nothing:
        write_plan(plan, actor_id=actor, now=clock.now())  # updates not confirmed
    assert nothing.value.key == "roster.nothing_to_write"
    second = write_plan(plan, actor_id=actor, now=clock.now(), apply_updates=True)
    wife: Any = Resident.get(Resident.name == "试妻二零零")
    assert wife.phone == "13800001111" and wife.version == 2
    with pytest.raises(UserError) as blocked:
        runs.undo(first.import_id, actor_id=actor, now=clock.now())  # changed since
    assert blocked.value.key == "roster.undo_blocked"
    runs.undo(second.import_id, actor_id=actor, now=clock.now())
    wife = Resident.get(Resident.name == "试妻二零零")
    assert wife.phone is None and wife.version == 3
    assert chain.verify().intact


def test_cancelling_midway_takes_back_every_batch_written(
    demo_copy: SqliteDatabase,
    clock: FixedClock,
    tmp_path: Path,
    actor: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from frontdesk.roster import writing

    monkeypatch.setattr(writing, "FIRST_BATCH", 3)
    monkeypatch.setattr(writing, "MIN_BATCH", 3)
    monkeypatch.setattr(writing, "MAX_BATCH", 3)
    flats = _empty_flats(4)
    rows = [row for n, flat in enumerate(flats) for row in _family(flat, 300 + n)]
    path = _workbook(tmp_path / "c.xlsx", rows)
    before = Resident.select().count()
    plan = plan_residents(path, actor_id=actor, today=clock.today())
    asked = iter([False, False, True])
    with pytest.raises(Cancelled):
        write_plan(plan, actor_id=actor, now=clock.now(), cancel=lambda: next(asked))
    assert Resident.select().count() == before
    (last,) = RosterImport.select().order_by(RosterImport.id.desc()).limit(1)
    assert last.status == "undone" and last.undo_reason == "cancelled"


def test_an_import_that_stopped_midway_is_taken_back(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path, actor: int
) -> None:
    flats = _empty_flats(1)
    path = _workbook(tmp_path / "d.xlsx", _family(flats[0], 400))
    before = Resident.select().count()
    done = write_plan(
        plan_residents(path, actor_id=actor, today=clock.today()), actor_id=actor, now=clock.now()
    )
    # as if the program died before finishing: still "writing", silent since
    RosterImport.update(status="writing").where(RosterImport.id == done.import_id).execute()
    later = clock.now() + runs.STOPPED_AFTER + dt.timedelta(seconds=1)
    assert runs.take_back_stopped(later) == [done.import_id]
    assert Resident.select().count() == before
    assert runs.summary(done.import_id).undo_reason == "stopped"


def test_a_grid_manager_cannot_import(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    manager = int(Staff.select(Staff.id).where(Staff.role == Role.GRID_MANAGER).scalar())
    path = _workbook(tmp_path / "e.xlsx", _family(_empty_flats(1)[0], 450))
    with pytest.raises(UserError):
        plan_residents(path, actor_id=manager, today=clock.today())


def test_a_row_of_someone_who_moved_out_is_refused_not_registered(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path, actor: int
) -> None:
    rows = _family(_empty_flats(1)[0], 470)
    book = xlsxwriter.Workbook(str(tmp_path / "s.xlsx"))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [*HEADER, "状态"])
    for n, row in enumerate(rows):
        sheet.write_row(1 + n, 0, [*row, "迁出" if n == 2 else "在住"])
    book.close()
    plan = plan_residents(tmp_path / "s.xlsx", actor_id=actor, today=clock.today())
    (refused,) = plan.refused()
    assert refused.row.errors["status"].key == "roster.not_living"
    assert plan.counts["new"] == 2
