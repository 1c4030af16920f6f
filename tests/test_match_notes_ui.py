"""The lists of people found say why each was found and tell namesakes apart (issue 12, points 9
and 19): F2's results and the intake's reporter list, at 80×24."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase
from rich.cells import cell_len
from textual.widgets import DataTable, Input, Select

from frontdesk.clock import FixedClock
from frontdesk.db.models import Resident
from frontdesk.screens.requests.request_form import RequestFormScreen
from frontdesk.screens.residents.search import ResidentsScreen
from frontdesk.screens.rooms.booking_form import BookingFormScreen
from frontdesk.widgets.picker import PickList
from tests.conftest import SUPERVISOR, desk_on, settle
from tests.test_rooms_ui import MONDAY, _free_at, _move_to, _open_monday, _room

NAMESAKES = "余玉珍"  # two of them in the test demo


async def _keys(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _a_mobile() -> tuple[int, str]:
    phones = Resident.select().where(Resident.phone.startswith("1")).order_by(Resident.id)
    person = next(p for p in phones if p.phone and len(p.phone) == 11)
    return person.id, str(person.phone)


def _one_of_a_name() -> str:
    living = Resident.select(Resident.name).where(Resident.status == "living")
    names = [str(r.name) for r in living.order_by(Resident.id).limit(200)]
    return next(
        n
        for n in names
        if len(n) == 3
        and names.count(n) == 1
        and Resident.select().where(Resident.name.startswith(n)).count() == 1
    )


def _row(table: DataTable[Any], key: str) -> dict[str, str]:
    return {str(column.value): str(table.get_cell(key, column)) for column in table.columns}


async def test_f2_says_a_phone_fragment_matched_without_unmasking(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    resident_id, phone = _a_mobile()
    typed = phone[3:10]  # the hidden middle and three shown digits
    app = desk_on(demo_db, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f2", *typed)
        screen = app.screen
        assert isinstance(screen, ResidentsScreen)
        table = screen.query_one("#results", DataTable)
        row = _row(table, str(resident_id))
        assert row["note"] == f"电话含{typed}"
        assert row["phone"] == phone[:3] + "****" + phone[7:]  # masked as ever


async def test_f2_tells_namesakes_apart_by_their_id_ends(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f2", *NAMESAKES)
        table = app.screen.query_one("#results", DataTable)
        assert table.row_count >= 2
        notes = []
        for key in table.rows:
            row = _row(table, str(key.value))
            id_number = str(Resident.get_by_id(int(str(key.value))).id_number)
            assert row["note"] == f"身份证尾号{id_number[-4:]}"
            notes.append(row["note"])
        assert len(set(notes)) == len(notes)
        await _keys(pilot, "ctrl+r", *_one_of_a_name())  # no namesake: no note column at all
        assert table.row_count == 1
        assert "note" not in [str(column.value) for column in table.columns]


async def test_the_reporter_list_shows_age_flat_and_id_ends_in_line(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    for language, age, id_end in (("zh", "岁", "身份证尾号"), ("en", " y", "ID ends ")):
        app = desk_on(demo_db, clock, language, SUPERVISOR)
        async with app.run_test(size=(80, 24)) as pilot:
            await _keys(pilot, "f6", *NAMESAKES)
            form = app.screen
            assert isinstance(form, RequestFormScreen)
            hits = form.query_one("#reporter-hits", PickList)
            lines = [str(hits.get_option_at_index(n).prompt) for n in range(hits.option_count - 1)]
            assert len(lines) >= 2
            for hit, line in zip(form.hits, lines, strict=True):
                assert f"{hit.age}{age}" in line and hit.address in line
                assert line.endswith(f"{id_end}{hit.id_tail}")
                assert hit.id_tail and hit.phone in line
            # the columns line up in cells: the address starts at the same cell in every line
            starts = {
                cell_len(line[: line.index(hit.address)])
                for hit, line in zip(form.hits, lines, strict=True)
            }
            assert len(starts) == 1
            assert all(cell_len(line) <= hits.size.width for line in lines)


async def test_the_reporter_list_says_a_phone_fragment_matched(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    resident_id, phone = _a_mobile()
    typed = phone[3:10]
    app = desk_on(demo_db, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f6", *typed)
        hits = app.screen.query_one("#reporter-hits", PickList)
        line = str(hits.get_option(str(resident_id)).prompt)
        assert line.endswith(f"电话含{typed}")
        assert phone[:3] + "****" + phone[7:] in line and phone not in line


async def test_the_booking_form_lists_namesakes_with_age_and_id_ends(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    reading = _room("reading")
    start = _free_at(reading, [MONDAY])
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_monday(pilot)
        await _move_to(pilot, screen, reading, start)
        await _keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, BookingFormScreen)
        form.query_one("#f-kind", Select).value = "resident"
        await settle(pilot)
        form.query_one("#f-resident", Input).focus()
        await _keys(pilot, *NAMESAKES)
        results = form.query_one("#f-resident-results", PickList)
        lines = [str(results.get_option_at_index(n).prompt) for n in range(results.option_count)]
        assert len(lines) == len(form.hits) >= 2
        for hit, line in zip(form.hits, lines, strict=True):
            assert f"{hit.age}岁" in line and line.endswith(f"身份证尾号{hit.id_tail}")
        assert all(cell_len(line) <= results.size.width for line in lines)
