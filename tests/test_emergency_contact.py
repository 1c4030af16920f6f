"""A resident's emergency contact (紧急联系人): one line, saved and refused like the other
one-line texts, masked on the page and in the audit log, revealed only with a reason (audited).
No Textual."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from peewee import SqliteDatabase

from frontdesk import audit
from frontdesk.audit.names import action_label
from frontdesk.clock import FixedClock
from frontdesk.db.models import AuditEntry, Household, Resident, ResidentTag, Staff, Tag
from frontdesk.demo.emergency import CARE_TAGS
from frontdesk.masking import mask_numbers_in
from frontdesk.residents.detail import get_detail
from frontdesk.residents.editing import (
    ResidentInput,
    ValidationFailed,
    register_resident,
    update_resident,
)
from frontdesk.residents.privacy import REVEAL_FIELDS, reveal
from frontdesk.roster.plan import plan_residents
from frontdesk.roster.writing import write_plan
from frontdesk.vocabulary import HouseholdStatus, ResidentStatus, Role
from tests.conftest import DEMO_NOW, DEMO_TODAY

LATER = DEMO_NOW + timedelta(minutes=5)
CONTACT = "李明（儿子）138 0000 1234"


@pytest.fixture
def actor(demo_copy: SqliteDatabase) -> int:
    return int(Staff.select(Staff.id).where(Staff.role == Role.SUPERVISOR).scalar())


def _living() -> Resident:
    return (
        Resident.select()
        .where((Resident.status == ResidentStatus.LIVING) & (Resident.emergency_contact == ""))
        .order_by(Resident.id)
        .first()
    )


def test_an_edit_saves_it_and_the_log_keeps_it_masked(actor: int) -> None:
    row = _living()
    update_resident(
        row.id, row.version, {"emergency_contact": f" {CONTACT} "}, actor_id=actor, now=LATER
    )
    assert Resident.get_by_id(row.id).emergency_contact == CONTACT
    [entry] = audit.entries_for("resident", row.id)
    assert entry.detail["changes"]["emergency_contact"] == ["", "李明（儿子）138 **** 1234"]
    assert "0000" not in str(entry.detail)


def test_a_new_member_can_have_one(actor: int) -> None:
    household = (
        Household.select().where(Household.status == HouseholdStatus.ACTIVE).order_by(Household.id)
    ).first()
    new = register_resident(
        household.id,
        ResidentInput(
            name="测试员",
            gender="M",
            birth_date=DEMO_TODAY - timedelta(days=365 * 30),
            relation="other",
            emergency_contact=CONTACT,
        ),
        actor_id=actor,
        now=LATER,
        confirm_warnings=True,
    )
    assert Resident.get_by_id(new).emergency_contact == CONTACT


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("李" * 201, "text.too_long"),
        ("李明\n13800001234", "text.one_line"),
        ("李明\x07 13800001234", "text.control"),
    ],
)
def test_too_long_or_control_characters_are_refused(actor: int, text: str, key: str) -> None:
    row = _living()
    with pytest.raises(ValidationFailed) as caught:
        update_resident(row.id, row.version, {"emergency_contact": text}, actor_id=actor, now=LATER)
    assert caught.value.validation.errors["emergency_contact"].key == key
    assert Resident.get_by_id(row.id).emergency_contact == ""
    assert audit.entries_for("resident", row.id) == []


def test_masked_on_the_page_and_revealed_with_a_reason(actor: int) -> None:
    row = _living()
    Resident.update(emergency_contact="王芳（女儿）13912345678").where(
        Resident.id == row.id
    ).execute()
    person = get_detail(row.id, DEMO_TODAY, actor_id=actor).person
    assert person.emergency_contact_masked == "王芳（女儿）139****5678"
    assert person.has_emergency_contact
    assert "emergency_contact" in REVEAL_FIELDS
    value = reveal(
        row.id,
        "emergency_contact",
        "老人摔倒，联系家属",
        choice="reveal.reason.family",
        actor_id=actor,
        now=LATER,
    )
    assert value == "王芳（女儿）13912345678"
    [entry] = audit.entries_for("resident", row.id)
    assert entry.action == "resident.reveal_emergency_contact"
    assert entry.reason == "老人摔倒，联系家属"
    assert "13912345678" not in str(entry.detail)
    assert action_label(entry.action) != entry.action  # named in the catalog


def test_a_number_written_with_spaces_is_masked_too() -> None:
    assert mask_numbers_in("李明（儿子）138 0000 1234") == "李明（儿子）138 **** 1234"
    assert (
        mask_numbers_in("王芳 0351-1234567，李明 13800001234")
        == "王芳 0351-****567，李明 138****1234"
    )
    assert mask_numbers_in("李明（儿子）住在 3 号楼") == "李明（儿子）住在 3 号楼"


def test_the_demo_gives_most_people_in_care_one(demo_db: SqliteDatabase) -> None:
    in_care = (
        Resident.select(Resident.id)
        .join(ResidentTag, on=ResidentTag.resident == Resident.id)
        .join(Tag, on=ResidentTag.tag == Tag.id)
        .where(
            (Resident.status == ResidentStatus.LIVING)
            & ResidentTag.ended_at.is_null()
            & Tag.code.in_(CARE_TAGS)
        )
        .distinct()
    )
    cared = {r.id for r in in_care}
    having = {r.id for r in Resident.select(Resident.id).where(Resident.emergency_contact != "")}
    assert having <= cared  # only people in care
    assert 0.75 < len(having) / len(cared) < 0.95
    sample = Resident.get_by_id(min(having)).emergency_contact
    assert re.fullmatch(r"\w{2,3}（[^）]+）1[3-9]\d[ ]?\d{4}[ ]?\d{4}", sample), sample


def test_a_rosters_emergency_contact_column_is_read_and_written(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    from tests.test_roster_import import HEADER, _empty_flats, _family

    lead = int(Staff.select(Staff.id).where(Staff.username == "lead-lj-1").scalar())
    rows = _family(_empty_flats(1)[0], 300)
    rows[0].append("试子（儿子）139 1234 0000")
    rows[2].append("李" * 201)  # too long: refused beside its column
    path = tmp_path / "台账.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("人口台账")
    sheet.write_row(0, 0, [*HEADER, "紧急联系电话"])
    for n, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(1 + n, c, value)
            elif value is not None:
                sheet.write(1 + n, c, value)
    book.close()
    plan = plan_residents(path, actor_id=lead, today=clock.today())
    (refused,) = plan.refused()
    assert refused.row.errors["emergency_contact"].key == "text.too_long"
    write_plan(plan, actor_id=lead, now=clock.now(), only_valid=True)
    head: Any = Resident.get(Resident.name == "试户三零零")
    assert head.emergency_contact == "试子（儿子）139 1234 0000"
    wife: Any = Resident.get(Resident.name == "试妻三零零")
    assert wife.emergency_contact == ""  # optional


def test_importing_again_updates_it_masked_in_the_preview_and_the_log(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    from frontdesk.screens.office.roster_files import preview, update_rows
    from tests.test_roster_import import HEADER, _empty_flats, _family

    lead = int(Staff.select(Staff.id).where(Staff.username == "lead-lj-1").scalar())
    rows = _family(_empty_flats(1)[0], 301)

    def book(extra: list[str]) -> Path:
        path = tmp_path / f"台账{len(extra)}{extra[0][:1] if extra else ''}.xlsx"
        workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
        sheet = workbook.add_worksheet("人口台账")
        sheet.write_row(0, 0, [*HEADER, "紧急联系人"])
        for n, row in enumerate(rows):
            for c, value in enumerate([*row, extra[n] if n < len(extra) else ""]):
                if isinstance(value, str):
                    sheet.write_string(1 + n, c, value)
                elif value is not None:
                    sheet.write(1 + n, c, value)
        workbook.close()
        return path

    write_plan(
        plan_residents(book([]), actor_id=lead, today=clock.today()),
        actor_id=lead,
        now=clock.now(),
        only_valid=True,
    )
    head: Any = Resident.get(Resident.name == "试户三零一")
    assert head.emergency_contact == ""
    changed = book(["试子（儿子）139 1234 5678"])
    again = plan_residents(changed, actor_id=lead, today=clock.today())
    (planned,) = [p for p in again.people if p.action == "update"]
    assert planned.changes == {"emergency_contact": ("", "试子（儿子）139 1234 5678")}
    shown = preview(changed, actor_id=lead, today=clock.today(), now=clock.now())
    (line,) = [text for _, name, text in update_rows(shown) if name == "试户三零一"]
    assert "139 **** 5678" in line and "1234" not in line
    write_plan(again, actor_id=lead, now=clock.now(), only_valid=True, apply_updates=True)
    assert Resident.get_by_id(head.id).emergency_contact == "试子（儿子）139 1234 5678"
    logged: Any = (
        AuditEntry.select()
        .where(AuditEntry.action == "resident.import_update")
        .order_by(AuditEntry.id.desc())
        .first()
    )
    assert "1234" not in logged.detail and "139 **** 5678" in logged.detail
