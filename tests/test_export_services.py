"""The exports as services (frontdesk.exporting): what each writes, masked or full, the audit
entry each leaves, and who is refused — another community's records, a full export without a
supervisor or a reason. Files are read back with python-calamine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from python_calamine import CalamineWorkbook

from frontdesk.audit.search import AuditFilters
from frontdesk.clock import FixedClock
from frontdesk.db.models import (
    AuditEntry,
    Community,
    GridL3,
    GridL4,
    Resident,
    ResidentTag,
    Room,
    Staff,
    Tag,
)
from frontdesk.errors import UserError
from frontdesk.exporting import (
    BookingSelection,
    Period,
    RequestSelection,
    ResidentSelection,
    export_audit,
    export_bookings,
    export_households,
    export_places,
    export_requests,
    export_residents,
)
from frontdesk.masking import mask_id, mask_numbers_in, mask_phone
from frontdesk.permissions import PermissionDenied
from frontdesk.search.query import SearchFilters
from frontdesk.vocabulary import Role
from tests.roles import staff_of

RESIDENT_HEADERS = [
    "姓名",
    "性别",
    "民族",
    "证件类型",
    "公民身份号码",
    "出生日期",
    "联系电话",
    "与户主关系",
    "户号",
    "户主姓名",
    "小区",
    "楼栋",
    "单元",
    "门牌号",
    "人员类别",
    "网格",
    "特殊人群",
    "备注",
    "紧急联系人",
    "入住日期",
]


def _rows(path: Path, sheet: int = 0) -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[sheet]).to_python()


def _last_entry() -> Any:
    return AuditEntry.select().order_by(AuditEntry.id.desc()).first()


def _someone_tagged(sensitive: bool) -> Any:
    return (
        Resident.select(Resident, Tag.code.alias("tag_code"))
        .join(ResidentTag, on=(ResidentTag.resident == Resident.id))
        .join(Tag, on=(Tag.id == ResidentTag.tag))
        .where(
            (Tag.sensitive == sensitive)
            & ResidentTag.ended_at.is_null()
            & (Resident.status == "living")
            & Resident.phone.is_null(False)
        )
        .order_by(Resident.id)
        .objects()
        .first()
    )


def test_residents_masked_by_default(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    desk = staff_of("reception")
    result = export_residents(
        ResidentSelection(), tmp_path / "r.xlsx", actor_id=desk, now=clock.now()
    )
    assert (
        result.masked
        and result.rows == Resident.select().where(Resident.status == "living").count()
    )
    rows = _rows(result.path)
    assert rows[0][0].startswith("丽景街社区 · 居民名单 · 在住 · 导出于 2026-11-29 10:30 · 已打码")
    assert rows[1] == RESIDENT_HEADERS
    person = _someone_tagged(sensitive=True)
    found = [
        row for row in rows[2:] if row[8] and row[0] == person.name and row[5] == person.birth_date
    ]
    assert found, person.name
    row = found[0]
    assert row[4] == mask_id(person.id_number) and isinstance(row[4], str)
    assert row[6] == mask_phone(person.phone)
    from frontdesk.i18n import _

    assert _(f"tag.{person.tag_code}") not in row[16]  # a sensitive group stays hidden
    assert len(rows) == result.rows + 2
    contact = RESIDENT_HEADERS.index("紧急联系人")
    cell = next(r[contact] for r in rows[2:] if r[0] == person.name and r[4] == row[4])
    assert cell == mask_numbers_in(person.emergency_contact)  # numbers masked
    contacts = [r[contact] for r in rows[2:] if r[contact]]
    assert contacts and all("****" in c for c in contacts)


def test_full_export_by_a_supervisor_with_a_reason_is_audited(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    lead = staff_of("supervisor")
    result = export_residents(
        ResidentSelection(),
        tmp_path / "full.xlsx",
        actor_id=lead,
        now=clock.now(),
        full=True,
        reason="街道人口核查",
    )
    assert not result.masked
    rows = _rows(result.path)
    assert "完整（未打码）" in rows[0][0]
    person = _someone_tagged(sensitive=True)
    row = next(r for r in rows[2:] if r[4] == person.id_number)
    assert row[6] == person.phone and isinstance(row[4], str)
    assert (row[RESIDENT_HEADERS.index("紧急联系人")] or "") == person.emergency_contact
    written = {r[RESIDENT_HEADERS.index("紧急联系人")] for r in rows[2:]} - {"", None}
    assert written and all("****" not in c for c in written)  # in full
    from frontdesk.i18n import _

    assert _(f"tag.{person.tag_code}") in row[16].split("、")
    entry = _last_entry()
    assert entry.action == "export.residents_full" and entry.actor_id == lead
    assert entry.reason == "街道人口核查"
    detail = json.loads(entry.detail)
    assert detail["file"] == "full.xlsx" and detail["rows"] == result.rows
    assert detail["masked"] is False and detail["filters"] == {"status": "living"}


@pytest.mark.parametrize("role", ["reception", "grid_manager", "subdistrict"])
def test_a_full_export_needs_a_supervisor(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path, role: str
) -> None:
    with pytest.raises(UserError) as refused:
        export_residents(
            ResidentSelection(),
            tmp_path / "x.xlsx",
            actor_id=staff_of(role),
            now=clock.now(),
            full=True,
            reason="想看",
        )
    assert refused.value.key == "export.full_needs_supervisor"
    assert not (tmp_path / "x.xlsx").exists()


def test_a_full_export_needs_a_reason_and_the_command_line_never_makes_one(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    with pytest.raises(UserError) as refused:
        export_residents(
            ResidentSelection(),
            tmp_path / "x.xlsx",
            actor_id=staff_of("supervisor"),
            now=clock.now(),
            full=True,
            reason="  ",
        )
    assert refused.value.key == "export.reason_required"
    with pytest.raises(UserError) as refused:
        export_residents(
            ResidentSelection(),
            tmp_path / "x.xlsx",
            actor_id=None,
            now=clock.now(),
            command_line=True,
            full=True,
            reason="命令行",
        )
    assert refused.value.key == "export.full_needs_supervisor"


def test_no_operator_and_not_the_command_line_is_refused(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    with pytest.raises(UserError):
        export_residents(ResidentSelection(), tmp_path / "x.xlsx", actor_id=None, now=clock.now())
    assert not (tmp_path / "x.xlsx").exists()


def test_every_export_writes_one_audit_entry(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    lead = staff_of("supervisor")
    now = clock.now()
    before = AuditEntry.select().count()
    export_residents(ResidentSelection(), tmp_path / "1.xlsx", actor_id=lead, now=now)
    export_households(ResidentSelection(), tmp_path / "2.xlsx", actor_id=lead, now=now)
    export_requests(RequestSelection(), tmp_path / "3.xlsx", actor_id=lead, now=now)
    export_bookings(BookingSelection(), tmp_path / "4.xlsx", actor_id=lead, now=now)
    export_audit(AuditFilters(), tmp_path / "5.xlsx", actor_id=lead, now=now)
    export_places(tmp_path / "6.xlsx", actor_id=lead, now=now)
    entries = list(AuditEntry.select().where(AuditEntry.id > 0).order_by(AuditEntry.id))[before:]
    assert [e.action for e in entries] == [
        "export.residents",
        "export.households",
        "export.requests",
        "export.bookings",
        "export.audit",
        "export.places",
    ]
    assert {e.actor_id for e in entries} == {lead}
    assert [json.loads(e.detail)["file"] for e in entries] == [f"{n}.xlsx" for n in range(1, 7)]


def test_households_whole_one_row_per_member_head_first(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    result = export_households(
        ResidentSelection(search=SearchFilters(tag="left_behind_child")),
        tmp_path / "h.xlsx",
        actor_id=staff_of("supervisor"),
        now=clock.now(),
    )
    rows = _rows(result.path)
    assert rows[1][:9] == [
        "户号",
        "小区",
        "楼栋",
        "单元",
        "门牌号",
        "网格",
        "户主姓名",
        "在住人数",
        "姓名",
    ]
    numbers = [row[0] for row in rows[2:]]
    assert numbers == sorted(numbers)  # households together
    by_household: dict[str, list[list[Any]]] = {}
    for row in rows[2:]:
        by_household.setdefault(row[0], []).append(row)
    assert by_household
    for members in by_household.values():
        assert any("留守儿童" in str(m[15]) for m in members)  # the group asked for shows
        assert len(members) == members[0][7]  # every living member, the count beside each
        assert members[0][9] == "户主"  # the head first
    # the whole household: the grandparents who keep the child are there too
    assert any("留守儿童" not in str(row[15]) for row in rows[2:])


def test_requests_of_a_period_mask_the_reporter(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    from datetime import date

    from frontdesk.db.models import Request

    period = Period(date(2026, 11, 1), date(2026, 11, 29))
    result = export_requests(
        RequestSelection(period=period),
        tmp_path / "q.xlsx",
        actor_id=staff_of("reception"),
        now=clock.now(),
    )
    rows = _rows(result.path)
    assert "2026-11-01 至 2026-11-29" in rows[0][0]
    assert result.rows == len(rows) - 2 > 0
    first = Request.get(Request.number == rows[2][0])
    assert rows[2][1] == first.created_at
    assert rows[2][8] == first.reporter_name[0] + "*" * (len(first.reporter_name) - 1)
    assert rows[2][9] == mask_phone(first.reporter_phone)
    assert all(date(2026, 11, 1) <= row[1].date() <= date(2026, 11, 29) for row in rows[2:])


def test_bookings_dates_and_times_are_real(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    from datetime import date, time

    room: Any = Room.select().order_by(Room.id).first()
    result = export_bookings(
        BookingSelection(room_id=room.id),
        tmp_path / "b.xlsx",
        actor_id=staff_of("reception"),
        now=clock.now(),
    )
    rows = _rows(result.path)[2:]
    assert rows and all(row[3] == room.name for row in rows)
    assert isinstance(rows[0][0], date) and isinstance(rows[0][1], time)


def test_places_in_the_import_layout(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    result = export_places(tmp_path / "p.xlsx", actor_id=staff_of("supervisor"), now=clock.now())
    book = CalamineWorkbook.from_path(str(result.path))
    assert book.sheet_names[0] == "楼栋" and "功能室" in book.sheet_names
    rows = _rows(result.path)
    assert rows[1][:6] == ["小区", "楼栋", "单元", "层数", "每层户数", "网格"]
    rooms = book.get_sheet_by_name("功能室").to_python()
    assert rooms[1] == ["名称", "容纳人数", "用途"]
    assert len(rooms) - 2 == Room.select().count()


# ------------------------------------------------------------------------ another community


def _two_communities() -> tuple[int, int]:
    ids = [c.id for c in Community.select(Community.id).order_by(Community.id)]
    return ids[0], ids[1]


def _desk_of(community: int) -> int:
    row: Any = (
        Staff.select(Staff.id)
        .where((Staff.role == Role.RECEPTION) & (Staff.community == community) & Staff.active)
        .order_by(Staff.id)
        .first()
    )
    return int(row.id)


def _grid_of(community: int) -> int:
    row: Any = (
        GridL4.select(GridL4.id)
        .join(GridL3)
        .where(GridL3.community == community)
        .order_by(GridL4.id)
        .first()
    )
    return int(row.id)


def test_a_desk_cannot_export_another_communitys_grid(
    district: SqliteDatabase, tmp_path: Path
) -> None:
    home, other = _two_communities()
    desk = _desk_of(home)
    now = FixedClock(__import__("tests.conftest", fromlist=["DEMO_NOW"]).DEMO_NOW).now()
    with pytest.raises(PermissionDenied):
        export_residents(
            ResidentSelection(search=SearchFilters(grid_l4_id=_grid_of(other))),
            tmp_path / "a.xlsx",
            actor_id=desk,
            now=now,
        )
    with pytest.raises(PermissionDenied):
        export_residents(
            ResidentSelection(community_id=other), tmp_path / "b.xlsx", actor_id=desk, now=now
        )
    with pytest.raises(PermissionDenied):
        export_requests(
            RequestSelection(grid_l4_id=_grid_of(other)),
            tmp_path / "c.xlsx",
            actor_id=desk,
            now=now,
        )
    room: Any = Room.select().where(Room.community == other).first()
    with pytest.raises(PermissionDenied):
        export_bookings(
            BookingSelection(room_id=room.id), tmp_path / "d.xlsx", actor_id=desk, now=now
        )
    assert not list(tmp_path.glob("*.xlsx"))
    # a screen's filters naming the other community narrow to nothing, never widen
    result = export_residents(
        ResidentSelection(search=SearchFilters(communities=frozenset({other}))),
        tmp_path / "e.xlsx",
        actor_id=desk,
        now=now,
    )
    assert result.rows == 0
    # and everything the desk exports is its own community's
    own = export_residents(ResidentSelection(), tmp_path / "f.xlsx", actor_id=desk, now=now)
    name = Community.get_by_id(home).name
    assert _rows(own.path)[0][0].startswith(name) and own.rows > 0
    other_name = Community.get_by_id(other).name
    assert other_name not in _rows(own.path)[0][0]
