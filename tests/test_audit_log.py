"""The audit log: who may read it, the filters, paging, masking, the export (itself audited),
the append-only table, and the supervisor's screen (Pilot and 80×24 snapshots)."""

from __future__ import annotations

import ast
import csv
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from peewee import IntegrityError, SqliteDatabase
from textual.widgets import DataTable, Input, Select, Static

from frontdesk import audit, i18n
from frontdesk.app import FrontdeskApp, make_app
from frontdesk.audit import (
    COUNT_CAP,
    KNOWN_ACTIONS,
    AuditFilters,
    action_choices,
    action_key,
    export_entries,
    mask_text,
    operator_choices,
    search_entries,
)
from frontdesk.auth.signin import SignInFailed, sign_in
from frontdesk.bookings.booking import cancel_booking
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database, write
from frontdesk.db.models import AuditEntry, Booking, Community, Request, Resident, Staff
from frontdesk.errors import UserError
from frontdesk.i18n import catalog
from frontdesk.permissions import PermissionDenied
from frontdesk.requests.lifecycle import add_note
from frontdesk.residents.privacy import REVEAL_FIELDS, reveal
from frontdesk.residents.tagging import add_tag
from frontdesk.screens.office.audit_log import COLUMNS, AuditLogScreen, fit, one_line
from frontdesk.vocabulary import Relation, RequestEventKind
from tests.conftest import DEMO_NOW, SNAPSHOT_SIZE, SUPERVISOR, press_then_settle
from tests.conftest import settle as _settle
from tests.roles import staff_of

PACKAGE = Path(__file__).resolve().parent.parent / "frontdesk"
PHONE_REASON = "派出所王警官来电 13812345678 核实身份证 14110219800101123X"


@dataclass(frozen=True)
class Seeded:
    """What ``seed_log`` wrote about, for the tests to look for."""

    resident_id: int
    resident_name: str
    household_id: int
    other_id: int  # another resident, in another household
    request_id: int
    request_number: str
    booking_id: int
    reception: int
    grid_manager: int
    supervisor: int


def seed_log() -> Seeded:
    """A morning at the desk, through the services, at fixed times (plus one a year ago)."""
    head: Any = (
        Resident.select()
        .where(
            (Resident.status == "living")
            & Resident.phone.is_null(False)
            & Resident.id_number.is_null(False)
            & (Resident.relation == Relation.HEAD.value)
        )
        .order_by(Resident.id)
        .first()
    )
    other: Any = (
        Resident.select()
        .where(
            (Resident.status == "living")
            & Resident.phone.is_null(False)
            & (Resident.household != head.household_id)
            & (Resident.name != head.name)
        )
        .order_by(Resident.id.desc())
        .first()
    )
    request: Any = Request.select().order_by(Request.id).first()
    booking: Any = (
        Booking.select()
        .where((Booking.status == "booked") & (Booking.starts_at > DEMO_NOW))
        .order_by(Booking.starts_at, Booking.id)
        .first()
    )
    reception, grid_manager, supervisor = (
        staff_of("reception"),
        staff_of("grid_manager"),
        staff_of("supervisor"),
    )
    day = DEMO_NOW.date()

    def at(hour: int, minute: int, on: date = day) -> datetime:
        return datetime(on.year, on.month, on.day, hour, minute)

    reveal(
        other.id,
        "phone",
        "",
        choice="reveal.reason.family",
        actor_id=reception,
        now=at(16, 0, date(2025, 12, 30)),
    )
    sign_in(SUPERVISOR, "lead2026", now=at(8, 30))
    with pytest.raises(SignInFailed):
        sign_in("desk-lj-1", "not-the-password", now=at(8, 41))
    reveal(head.id, "phone", "", choice="reveal.reason.police", actor_id=reception, now=at(9, 5))
    reveal(head.id, "id_number", PHONE_REASON, actor_id=reception, now=at(9, 10))
    add_note(
        request.id,
        "居民来电 0358-1234567 催办，楼上 3-2-1101 仍在漏水",
        actor_id=reception,
        now=at(9, 30),
    )
    cancel_booking(booking.id, booking.version, "老师生病，改期", actor_id=reception, now=at(9, 45))
    add_tag(head.id, "party_member", actor_id=supervisor, now=at(10, 0))
    reveal(other.id, "phone", "联系楼上漏水", actor_id=grid_manager, now=at(10, 10))
    # a household-level entry, as ``household.move_out`` writes it
    write(
        lambda: audit.record(
            "household.move_out",
            "household",
            head.household_id,
            actor_id=supervisor,
            at=at(10, 20),
            detail={"on": day, "residents": [head.id]},
        )
    )
    return Seeded(
        resident_id=head.id,
        resident_name=head.name,
        household_id=head.household_id,
        other_id=other.id,
        request_id=request.id,
        request_number=request.number,
        booking_id=booking.id,
        reception=reception,
        grid_manager=grid_manager,
        supervisor=supervisor,
    )


SEEDED_ENTRIES = 10  # sign-in, failed sign-in, 4 reveals, note, cancel, tag, household


@pytest.fixture
def seeded(demo_copy: SqliteDatabase) -> Seeded:
    return seed_log()


def _all(filters: AuditFilters, actor: int) -> list[audit.LogRow]:
    return search_entries(filters, actor_id=actor, page_size=1000, today=DEMO_NOW.date()).rows


# -- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reception", "grid_manager", "subdistrict"])
def test_only_the_leadership_reads_the_log(
    demo_copy: SqliteDatabase, tmp_path: Path, role: str
) -> None:
    actor = staff_of(role)
    with pytest.raises(PermissionDenied):
        search_entries(AuditFilters(), actor_id=actor)
    with pytest.raises(PermissionDenied):
        action_choices(actor_id=actor)
    with pytest.raises(PermissionDenied):
        operator_choices(actor_id=actor)
    with pytest.raises(PermissionDenied):
        export_entries(AuditFilters(), tmp_path / "x.csv", actor_id=actor, now=DEMO_NOW)
    assert not (tmp_path / "x.csv").exists()
    with pytest.raises(UserError):  # nobody signed in
        search_entries(AuditFilters(), actor_id=None)


def test_the_supervisor_reads_it(seeded: Seeded) -> None:
    page = search_entries(AuditFilters(), actor_id=seeded.supervisor)
    assert page.total == SEEDED_ENTRIES and not page.more and page.pages == 1
    assert len(page.rows) == SEEDED_ENTRIES
    names = {c.id: c.name for c in operator_choices(actor_id=seeded.supervisor)}
    assert seeded.reception in names and seeded.supervisor in names
    assert set(KNOWN_ACTIONS) <= set(action_choices(actor_id=seeded.supervisor))


def test_each_sees_only_their_scope(seeded: Seeded, tmp_path: Path) -> None:
    """A supervisor reads their community's entries; another community's and the
    installation's own (a global setting, an account without a community) only their owners."""
    lead: Any = Staff.get_by_id(seeded.supervisor)
    other = Community.create(subdistrict=lead.community.subdistrict_id, name="凤山社区", code="FS")
    fs_lead = Staff.create(
        username="lead-fs-1",
        display_name="凤山书记",
        role="supervisor",
        community=other.id,
        password_hash="x",
        created_at=DEMO_NOW,
        updated_at=DEMO_NOW,
    )
    admin = staff_of("admin")

    def one(action: str, actor: int, **extra: Any) -> None:
        write(lambda: audit.record(action, "setting", None, actor_id=actor, at=DEMO_NOW, **extra))

    one("settings.changed", fs_lead.id, community_id=other.id)  # 凤山's own setting
    one("settings.reset", admin)  # a global setting: the installation's
    write(lambda: audit.record("staff.created", "staff", fs_lead.id, actor_id=admin, at=DEMO_NOW))
    mine = _all(AuditFilters(), seeded.supervisor)
    assert len(mine) == SEEDED_ENTRIES and {r.community for r in mine} == {"丽景街社区"}
    theirs = _all(AuditFilters(), fs_lead.id)
    assert [(r.action, r.community) for r in theirs] == [
        ("staff.created", "凤山社区"),  # an account of 凤山: 凤山's entry
        ("settings.changed", "凤山社区"),
    ]
    installation = _all(AuditFilters(), admin)
    assert [(r.action, r.community) for r in installation] == [("settings.reset", "")]
    one("settings.odd_thing", fs_lead.id, community_id=other.id)  # an action of theirs only
    assert "settings.odd_thing" in action_choices(actor_id=fs_lead.id)
    assert "settings.odd_thing" not in action_choices(actor_id=seeded.supervisor)
    assert fs_lead.id not in {c.id for c in operator_choices(actor_id=seeded.supervisor)}
    count = export_entries(AuditFilters(), tmp_path / "fs.csv", actor_id=fs_lead.id, now=DEMO_NOW)
    assert count == 3


# -- the list ------------------------------------------------------------------------------------


def test_newest_first_with_operator_record_and_reason(seeded: Seeded) -> None:
    rows = _all(AuditFilters(), seeded.supervisor)
    times = [row.at for row in rows]
    assert times == sorted(times, reverse=True)
    assert rows[0].action == "household.move_out"
    assert rows[-1].at.year == 2025
    reception = Staff.get_by_id(seeded.reception).display_name
    by_action = {(row.action, row.at.hour, row.at.minute): row for row in rows}
    police = by_action[("resident.reveal_phone", 9, 5)]
    assert police.operator == reception
    assert police.record == seeded.resident_name
    assert police.reason == "派出所查询"  # a quick choice is stored as its key, shown in words
    note = by_action[(f"request.{RequestEventKind.NOTE.value}", 9, 30)]
    assert note.record == seeded.request_number
    cancelled = by_action[("booking.cancel", 9, 45)]
    booking: Any = Booking.get_by_id(seeded.booking_id)
    assert cancelled.record == f"{booking.starts_at:%m-%d} {booking.title}"
    assert cancelled.reason == "老师生病，改期"
    household = by_action[("household.move_out", 10, 20)]
    assert household.record == f"{seeded.resident_name}户"
    failed = by_action[("auth.sign_in_failed", 8, 41)]
    assert failed.record == failed.operator  # the account that was tried


def test_labels_take_a_few_queries_per_page_not_one_per_row(seeded: Seeded) -> None:
    db = AuditEntry._meta.database.obj
    statements: list[str] = []
    original = db.execute_sql

    def counting(sql: str, *args: Any, **kwargs: Any) -> Any:
        statements.append(sql)
        return original(sql, *args, **kwargs)

    db.execute_sql = counting
    try:
        search_entries(AuditFilters(), actor_id=seeded.supervisor)
    finally:
        db.execute_sql = original
    # permission (2), count, page, and one per kind of record (resident, household, request,
    # booking, staff): 10 rows of 5 kinds
    assert len(statements) <= 9, statements


def test_filter_by_operator(seeded: Seeded) -> None:
    rows = _all(AuditFilters(operator_id=seeded.grid_manager), seeded.supervisor)
    assert [row.action for row in rows] == ["resident.reveal_phone"]
    rows = _all(AuditFilters(operator_id=seeded.reception), seeded.supervisor)
    # four reveals and writes, and the failed sign-in on the account (its "operator")
    assert len(rows) == 6 and {row.actor_id for row in rows} == {seeded.reception}


def test_filter_by_action_and_by_family(seeded: Seeded) -> None:
    rows = _all(AuditFilters(action="resident.reveal_phone"), seeded.supervisor)
    assert len(rows) == 3 and {r.action for r in rows} == {"resident.reveal_phone"}
    rows = _all(AuditFilters(action="resident."), seeded.supervisor)
    assert {r.action for r in rows} == {
        "resident.reveal_phone",
        "resident.reveal_id_number",
        "resident.tag_add",
    }
    rows = _all(AuditFilters(action="auth."), seeded.supervisor)
    assert {r.action for r in rows} == {"auth.sign_in", "auth.sign_in_failed"}
    # "_" is no wildcard: resident.reveal_ does not find resident.revealXphone-like names
    assert _all(AuditFilters(action="resident_"), seeded.supervisor) == []


def test_filter_by_dates_inclusive(seeded: Seeded) -> None:
    day = DEMO_NOW.date()
    today = _all(AuditFilters(since=day, until=day), seeded.supervisor)
    assert len(today) == SEEDED_ENTRIES - 1
    assert _all(AuditFilters(until=date(2025, 12, 30)), seeded.supervisor)[0].at.year == 2025
    assert len(_all(AuditFilters(since=date(2025, 12, 31)), seeded.supervisor)) == 9
    assert _all(AuditFilters(since=date(2026, 11, 30)), seeded.supervisor) == []


def test_filter_by_person_finds_the_resident_and_their_household(seeded: Seeded) -> None:
    page = search_entries(
        AuditFilters(person=seeded.resident_name),
        actor_id=seeded.supervisor,
        today=DEMO_NOW.date(),
    )
    assert page.people == 1
    assert {(r.entity, r.entity_id) for r in page.rows} == {
        ("resident", seeded.resident_id),
        ("household", seeded.household_id),
    }
    assert {r.action for r in page.rows} == {
        "resident.reveal_phone",
        "resident.reveal_id_number",
        "resident.tag_add",
        "household.move_out",
    }
    # by a phone fragment and by the tail of the ID number, as the resident search reads them
    head: Any = Resident.get_by_id(seeded.resident_id)
    by_phone = _all(AuditFilters(person=head.phone[-8:]), seeded.supervisor)
    assert ("resident", seeded.resident_id) in {(r.entity, r.entity_id) for r in by_phone}
    by_id = _all(AuditFilters(person=head.id_number[-6:]), seeded.supervisor)
    assert ("resident", seeded.resident_id) in {(r.entity, r.entity_id) for r in by_id}
    # with the other filters
    rows = _all(
        AuditFilters(person=seeded.resident_name, action="resident.reveal_phone"),
        seeded.supervisor,
    )
    assert len(rows) == 1
    nobody = search_entries(
        AuditFilters(person="查无此人名字"), actor_id=seeded.supervisor, today=DEMO_NOW.date()
    )
    assert nobody.people == 0 and nobody.total == 0 and nobody.rows == []


def test_paging(seeded: Seeded) -> None:
    everything = _all(AuditFilters(), seeded.supervisor)
    seen = []
    for number in range(4):
        page = search_entries(AuditFilters(), actor_id=seeded.supervisor, page=number, page_size=3)
        assert page.total == SEEDED_ENTRIES and page.pages == 4 and page.page == number
        seen += [row.id for row in page.rows]
    assert seen == [row.id for row in everything]
    beyond = search_entries(AuditFilters(), actor_id=seeded.supervisor, page=9, page_size=3)
    assert beyond.rows == [] and beyond.total == SEEDED_ENTRIES


# -- masking -------------------------------------------------------------------------------------


def test_numbers_that_look_like_ids_or_phones_are_masked() -> None:
    assert mask_text("电话 13812345678") == "电话 138****5678"
    assert mask_text("身份证 14110219800101123X") == "身份证 **************123X"
    assert mask_text("座机 0358-1234567") == "座机 0358-****567"
    assert mask_text("手机 138 1234 5678 ") == "手机 138 **** 5678 "
    assert mask_text("手机 138-1234-5678") == "手机 *********5678"
    # not masked: dates, addresses, request numbers, small numbers
    kept = "2026-11-29 来访，3-2-1101 漏水，同 LJ-20261129-0007，共 12 人，户号 LJ-000123"
    assert mask_text(kept) == kept
    assert mask_text("") == ""


def test_cells_are_cut_to_their_width_in_terminal_cells() -> None:
    assert fit("岳一瑶", 6) == "岳一瑶"
    assert fit("巧手编织小组活动", 9) == "巧手编织⋯"  # 8 cells and the mark
    assert fit("Booking cancelled", 10) == "Booking c⋯"
    assert one_line("第一行\n第二行  王·芳") == "第一行 第二行 王・芳"


@pytest.mark.parametrize(
    "text",
    ["13812345678", "14110219800101123X", "0358-12345678", "1234567", "99999999999999"],
)
def test_no_seven_digits_survive(text: str) -> None:
    masked = mask_text(f"说明：{text}。")
    assert not re.search(r"[0-9]{5}", masked), masked
    assert len(masked) == len(text) + 4


def test_reasons_and_details_come_masked(seeded: Seeded) -> None:
    rows = _all(AuditFilters(action="resident.reveal_id_number"), seeded.supervisor)
    assert rows[0].reason == "派出所王警官来电 138****5678 核实身份证 **************123X"
    assert "13812345678" not in rows[0].detail and "138****5678" in rows[0].detail
    note = _all(AuditFilters(action="request.note"), seeded.supervisor)[0]
    assert note.reason == "居民来电 0358-****567 催办，楼上 3-2-1101 仍在漏水"


# -- export --------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_export_writes_every_matching_entry_masked_and_is_audited(
    seeded: Seeded, tmp_path: Path
) -> None:
    path = tmp_path / "out" / "audit.csv"
    filters = AuditFilters(operator_id=seeded.reception)
    count = export_entries(filters, path, actor_id=seeded.supervisor, now=DEMO_NOW)
    assert count == 6
    rows = _read_csv(path)
    assert rows[0] == [
        "时间",
        "操作人",
        "操作",
        "操作代码",
        "对象",
        "对象类型",
        "对象编号",
        "原因",
        "详情",
        "社区",
        "系统账户",
    ]
    assert len(rows) == 1 + count
    assert {r[9] for r in rows[1:]} == {"丽景街社区"}  # the desk's community, its OS account
    assert all(r[10] for r in rows[1:])
    body = "\n".join(",".join(row) for row in rows)
    assert "13812345678" not in body and "14110219800101123X" not in body
    assert "138****5678" in body
    reveal_row = next(r for r in rows if r[3] == "resident.reveal_id_number")
    assert reveal_row[0] == f"{DEMO_NOW:%Y-%m-%d} 09:10:00"
    assert reveal_row[2] == "查看身份证号" and reveal_row[4] == seeded.resident_name
    assert reveal_row[5] == "居民" and reveal_row[6] == str(seeded.resident_id)
    assert path.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    # the export is an entry itself, with what was exported
    latest: Any = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert latest.action == "audit.export" and latest.actor_id == seeded.supervisor
    assert latest.at == DEMO_NOW and latest.entity == "audit_entry"
    detail = json.loads(latest.detail)
    assert detail == {"file": "audit.csv", "rows": 6, "filters": {"operator_id": seeded.reception}}
    shown = _all(AuditFilters(action="audit.export"), seeded.supervisor)
    assert shown[0].operator == Staff.get_by_id(seeded.supervisor).display_name
    assert shown[0].record == "操作日志"


def test_export_header_follows_the_language(seeded: Seeded, tmp_path: Path) -> None:
    i18n.set_language("en")
    path = tmp_path / "audit-en.csv"
    count = export_entries(
        AuditFilters(person=seeded.resident_name), path, actor_id=seeded.supervisor, now=DEMO_NOW
    )
    rows = _read_csv(path)
    assert rows[0][:3] == ["Time", "Operator", "Action"]
    assert count == 4 and {row[2] for row in rows[1:]} >= {"Phone shown", "ID number shown"}
    assert {row[5] for row in rows[1:]} == {"Resident", "Household"}


def test_export_of_nothing_writes_the_header(demo_copy: SqliteDatabase, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    assert (
        export_entries(AuditFilters(person="查无此人名字"), path, actor_id=staff_of(), now=DEMO_NOW)
        == 0
    )
    assert len(_read_csv(path)) == 1
    assert AuditEntry.select().where(AuditEntry.action == "audit.export").count() == 1


# -- the table -----------------------------------------------------------------------------------


def test_the_audit_table_refuses_update_and_delete(seeded: Seeded) -> None:
    db = AuditEntry._meta.database.obj
    before = AuditEntry.select().count()
    with pytest.raises(IntegrityError, match="append-only"):
        db.execute_sql("UPDATE audit_entry SET reason = 'nothing happened'")
    with pytest.raises(IntegrityError, match="append-only"):
        db.execute_sql("DELETE FROM audit_entry WHERE id = (SELECT max(id) FROM audit_entry)")
    assert AuditEntry.select().count() == before
    assert AuditEntry.select().where(AuditEntry.reason == "nothing happened").count() == 0


def _plan(filters: AuditFilters, actor: int) -> str:
    from frontdesk.audit.search import _base, _people, _scope

    people = _people(filters.person, actor, DEMO_NOW.date()) if filters.person else None
    sql, params = _base(filters, people, _scope(actor)).limit(50).sql()
    db = AuditEntry._meta.database.obj
    return " | ".join(row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))


def test_every_filter_is_driven_by_an_index(seeded: Seeded) -> None:
    day = DEMO_NOW.date()
    lead = seeded.supervisor  # one community: its entries, newest first, by its index
    assert "audit_entry_community_id_at (community_id=?)" in _plan(AuditFilters(), lead)
    assert "audit_entry_community_id_at (community_id=? AND at>? AND at<?)" in _plan(
        AuditFilters(since=day, until=day), lead
    )
    assert "USING INDEX audit_entry_actor_id_at (actor_id=?" in _plan(
        AuditFilters(operator_id=seeded.reception, since=day), seeded.supervisor
    )
    assert "audit_entry_entity_entity_id (entity=? AND entity_id=?)" in _plan(
        AuditFilters(person=seeded.resident_name), seeded.supervisor
    )
    for filters in (AuditFilters(action="auth."), AuditFilters(person=seeded.resident_name)):
        assert not re.search(r"SCAN (t1|audit_entry)(?! USING)", _plan(filters, seeded.supervisor))


def test_counting_stops_at_the_cap() -> None:
    assert COUNT_CAP >= 10_000


# -- action names --------------------------------------------------------------------------------


def _written_actions() -> tuple[set[str], set[str]]:
    """Action names passed to ``audit.record`` in the code: literals (also through a variable
    assigned in the module), and the constant start of f-strings."""
    literal: set[str] = set()
    prefixes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        # a helper passing its first parameter on as the action: what its callers pass
        calls: dict[str, list[ast.expr]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
                calls.setdefault(node.func.id, []).append(node.args[0])
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.args.args and node.name in calls:
                assigned.setdefault(node.args.args[0].arg, []).extend(calls[node.name])
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            if not (
                isinstance(func, ast.Attribute)
                and func.attr == "record"
                and isinstance(func.value, ast.Name)
                and func.value.id == "audit"
            ):
                continue
            first = node.args[0]
            values = assigned.get(first.id, []) if isinstance(first, ast.Name) else [first]
            assert values, f"{path.name}: cannot tell the action of {ast.unparse(node)}"
            for value in values:  # "a" / f"a.{b}" / "a" if x else "b"
                formatted = [n for n in ast.walk(value) if isinstance(n, ast.JoinedStr)]
                inside = {id(n) for f in formatted for n in ast.walk(f)}
                for part in formatted:
                    head = part.values[0]
                    assert isinstance(head, ast.Constant), ast.unparse(part)
                    prefixes.add(str(head.value))
                for leaf in ast.walk(value):
                    text = isinstance(leaf, ast.Constant) and isinstance(leaf.value, str)
                    if text and id(leaf) not in inside:
                        literal.add(str(getattr(leaf, "value", "")))
    return literal, prefixes


def test_every_action_the_code_writes_has_a_name_in_both_languages() -> None:
    literal, prefixes = _written_actions()
    assert "auth.sign_in" in literal and "resident.reveal_" in prefixes
    missing = sorted(literal - set(KNOWN_ACTIONS))
    assert not missing, f"add to audit.KNOWN_ACTIONS and the catalogs: {missing}"
    for prefix in prefixes:
        assert any(a.startswith(prefix) for a in KNOWN_ACTIONS), prefix
    assert {f"resident.reveal_{f}" for f in REVEAL_FIELDS} <= set(KNOWN_ACTIONS)
    assert {f"request.{k.value}" for k in RequestEventKind} <= set(KNOWN_ACTIONS)
    assert audit.EXPORT_ACTION in KNOWN_ACTIONS
    for language in i18n.LANGUAGES:
        keys = set(catalog(language))
        assert not sorted(action_key(a) for a in KNOWN_ACTIONS if action_key(a) not in keys)
        assert not sorted(f for f in audit.FAMILIES if f"audit.family.{f}" not in keys)
        assert not sorted(e for e in audit.ENTITIES if f"audit.entity.{e}" not in keys)
        assert not sorted(c for c in audit.EXPORT_COLUMNS if f"audit.col.{c}" not in keys)
        assert "screen.audit_log" in keys
        screen_keys = {f"audit_log.col.{c}" for c in COLUMNS}
        screen_keys |= {f"audit_log.filter.{n}" for n in ("since", "until")}
        screen_keys |= {f"audit_log.palette.filter_{n}" for n in ("operator", "action", "since")}
        screen_keys |= {"audit_log.operator_item", "audit_log.operator_inactive"}
        screen_keys |= {"audit_log.palette.open_screen", "audit_log.palette.open_screen_help"}
        assert not sorted(screen_keys - keys)


def test_an_unknown_action_shows_its_raw_name(seeded: Seeded) -> None:
    write(
        lambda: audit.record(
            "staff.something_new", "staff", seeded.reception, actor_id=None, at=DEMO_NOW
        )
    )
    assert audit.action_label("staff.something_new") == "staff.something_new"
    assert "staff.something_new" in action_choices(actor_id=seeded.supervisor)
    row = _all(AuditFilters(action="staff."), seeded.supervisor)[0]
    assert row.operator == "系统"  # no one signed in: a sweep
    i18n.set_language("en")
    assert _all(AuditFilters(action="staff."), seeded.supervisor)[0].operator == "System"
    assert audit.action_label("auth.sign_in") == "Signed in"


# -- the screen ----------------------------------------------------------------------------------


def _app(db_path: Path, language: str = "zh") -> FrontdeskApp:
    clock = FixedClock(DEMO_NOW)
    open_database(db_path, create=False, now=clock.now)
    return make_app(
        db_path=db_path,
        clock=clock,
        language=language,
        demo=True,
        steady_cursor=True,
        operator=SUPERVISOR,
    )


@pytest.fixture
def exports_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "exports"
    monkeypatch.setenv(audit.EXPORTS_ENV, str(folder))
    return folder


def _column(table: DataTable[Any], column: str) -> list[str]:
    return [str(table.get_cell(row, column)) for row in table.rows]


async def test_the_screen_filters_pages_and_exports(
    seeded: Seeded, demo_copy: SqliteDatabase, exports_here: Path
) -> None:
    app = _app(Path(demo_copy.database))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await app.push_screen(AuditLogScreen())
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        table = screen.query_one("#au-table", DataTable)
        assert table.row_count == SEEDED_ENTRIES
        assert _column(table, "action")[0] == "整户迁出"
        counts = str(screen.query_one("#au-counts", Static).render())
        assert f"共 {SEEDED_ENTRIES} 条" in counts

        # the action filter: pick "查看电话" from the list
        action = screen.query_one("#au-action", Select)
        labels = [str(option[0]) for option in action._options]
        assert "居民（全部）" in labels and "查看电话" in labels
        action.value = "resident.reveal_phone"
        await _settle(pilot)
        assert _column(table, "action") == ["查看电话"] * 3
        assert "reveal.reason" not in " ".join(_column(table, "reason"))
        detail = str(screen.query_one("#au-detail-body", Static).render())
        assert detail.startswith("原因：")

        # and a resident typed in the person box, then dates
        screen.query_one("#au-person", Input).value = seeded.resident_name
        await _settle(pilot)
        assert _column(table, "record") == [seeded.resident_name]
        screen.query_one("#au-since", Input).value = "2026-13-01"
        await _settle(pilot)
        assert "日期看不懂" in str(screen.query_one("#au-counts", Static).render())
        screen.query_one("#au-since", Input).value = "11-30"  # this year, after the entries
        await _settle(pilot)
        assert table.row_count == 0

        # Ctrl+R clears, x exports under the filters
        table.focus()
        await pilot.press("ctrl+r")
        await _settle(pilot)
        assert table.row_count == SEEDED_ENTRIES
        action.value = "resident."
        await _settle(pilot)
        assert table.row_count == 5
        await pilot.press("x")
        await _settle(pilot)
        files = list(exports_here.glob("audit-*.csv"))
        assert len(files) == 1 and len(_read_csv(files[0])) == 1 + 5
        assert any(str(files[0]) in str(n.message) for n in app._notifications)
        exported: Any = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
        assert exported.action == "audit.export"
        assert json.loads(exported.detail)["filters"] == {"action": "resident."}

        # Enter opens the resident an entry is about; Escape comes back, Escape leaves
        await pilot.press("enter")
        await _settle(pilot)
        assert type(app.screen).__name__ == "ResidentDetailScreen"
        await pilot.press("escape")
        await _settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await _settle(pilot)
        assert not isinstance(app.screen, AuditLogScreen)


async def test_it_opens_with_the_focus_in_the_person_box(
    seeded: Seeded, demo_copy: SqliteDatabase
) -> None:
    """F9: typing goes to the person box at once; ↓ goes on into the list at the next entry,
    Enter in the box or the list opens the highlighted entry; x is offered only in the list
    (in the box it is a letter)."""
    app = _app(Path(demo_copy.database))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await pilot.press("f9")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        box = screen.query_one("#au-person", Input)
        table = screen.query_one("#au-table", DataTable)
        assert app.focused is box
        assert "x" not in screen.active_bindings  # typed into the box, not an export
        await pilot.press("down")
        await _settle(pilot)
        assert app.focused is table and table.cursor_row == 1
        assert "x" in screen.active_bindings
        await pilot.press("ctrl+f", *seeded.resident_name)  # back into the box, a name typed
        await _settle(pilot)
        assert app.focused is box and box.value == seeded.resident_name
        assert _column(table, "record")[:2] == [f"{seeded.resident_name}户", seeded.resident_name]
        await pilot.press("down", "enter")  # ↓ then Enter: the second entry, about them
        await _settle(pilot)
        assert type(app.screen).__name__ == "ResidentDetailScreen"
        await pilot.press("escape")
        await _settle(pilot)
        assert app.screen is screen and table.cursor_row == 1
        await pilot.press("ctrl+f", "enter")  # Enter in the box: the highlighted one opens
        await _settle(pilot)
        assert type(app.screen).__name__ == "ResidentDetailScreen"


async def test_page_down_moves_through_the_pages(
    seeded: Seeded, demo_copy: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("frontdesk.screens.office.audit_log.PAGE_SIZE", 4)
    app = _app(Path(demo_copy.database))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await app.push_screen(AuditLogScreen())
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        table = screen.query_one("#au-table", DataTable)
        first = _column(table, "time")
        assert table.row_count == 4 and "第 1/3 页" in str(
            screen.query_one("#au-counts", Static).render()
        )
        await pilot.press("pagedown")  # to the bottom of the page
        await _settle(pilot)
        assert table.cursor_row == 3
        await pilot.press("pagedown")  # on to the next page
        await _settle(pilot)
        assert "第 2/3 页" in str(screen.query_one("#au-counts", Static).render())
        assert _column(table, "time") != first and table.cursor_row == 0
        await pilot.press("pageup")  # back, onto the last row of page 1
        await _settle(pilot)
        assert _column(table, "time") == first and table.cursor_row == 3


async def test_the_language_switch_keeps_the_filters(
    seeded: Seeded, demo_copy: SqliteDatabase
) -> None:
    app = _app(Path(demo_copy.database))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await app.push_screen(AuditLogScreen())
        await _settle(pilot)
        screen = app.screen
        screen.query_one("#au-action", Select).value = "auth."
        await _settle(pilot)
        app.set_language("en")
        await _settle(pilot)
        await _settle(pilot)
        table = screen.query_one("#au-table", DataTable)
        assert set(_column(table, "action")) == {"Signed in", "Sign-in failed"}
        assert screen.query_one("#au-action", Select).value == "auth."


async def test_a_folder_that_cannot_be_written_is_said_not_crashed(
    seeded: Seeded, demo_copy: SqliteDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """x falls back to the current folder; k (the anchor has no fallback) says why it could not."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(audit.EXPORTS_ENV, str(blocker / "exports"))  # under a file: no folder
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    app = _app(Path(demo_copy.database))
    async with app.run_test(size=SNAPSHOT_SIZE) as pilot:
        await app.push_screen(AuditLogScreen())
        await _settle(pilot)
        await pilot.press("ctrl+t", "x")  # in the list (in the person box x is a letter)
        await _settle(pilot)
        files = list(here.glob("audit-*.csv"))
        assert len(files) == 1 and len(_read_csv(files[0])) == 1 + SEEDED_ENTRIES
        assert any(str(files[0]) in str(n.message) for n in app._notifications)
        table = app.screen.query_one("#au-table", DataTable)
        assert _column(table, "action")[0] == "导出操作日志"  # the list read again
        await pilot.press("k")
        await _settle(pilot)
        failed = [n for n in app._notifications if str(n.message).startswith("导出失败：")]
        assert len(failed) == 1 and failed[0].severity == "error"
        assert not list(here.glob("audit-anchor-*"))


# -- snapshots -----------------------------------------------------------------------------------


@pytest.fixture
def audit_file(demo_file: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the demo with the seeded morning in its log."""
    path = tmp_path / "audit.db"
    shutil.copy(demo_file, path)
    db = open_database(path, create=False, now=FixedClock(DEMO_NOW).now)
    seed_log()
    db.close()
    yield path


@pytest.mark.parametrize("language", ["zh", "en"])
def test_snapshot(snap_compare: Any, audit_file: Path, language: str) -> None:
    app = _app(audit_file, language)

    async def open_log(pilot: Any) -> None:
        await pilot.app.push_screen(AuditLogScreen())
        await press_then_settle("down", "down")(pilot)

    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=open_log)
