"""The resident forms through Pilot, keyboard only: messages beside the field, the warning that
needs a deliberate confirm, the head, moving out, tags, and Escape that writes nothing."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase, fn
from textual.widgets import DataTable, Input, Select, Static

from frontdesk import i18n, idcards
from frontdesk.app import FrontdeskApp, make_app
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import AuditEntry, Household, Resident, ResidentTag
from frontdesk.i18n import catalog
from frontdesk.residents.addresses import addresses
from frontdesk.residents.detail import age
from frontdesk.residents.flats import flats_at
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.forms import FormScreen, parse_date
from frontdesk.screens.residents.change_head import ChangeHeadScreen
from frontdesk.screens.residents.detail import ResidentDetailScreen
from frontdesk.screens.residents.household_form import HouseholdFormScreen
from frontdesk.screens.residents.move_out import MoveOutScreen
from frontdesk.screens.residents.record_death import RecordDeathScreen
from frontdesk.screens.residents.resident_form import ResidentFormScreen
from frontdesk.screens.residents.search import ResidentsScreen
from frontdesk.screens.residents.tags_form import TagsScreen
from tests.conftest import DEMO_NOW, DEMO_TODAY, SUPERVISOR, desk_on
from tests.conftest import settle as _settle

SCREENS = Path(__file__).resolve().parent.parent / "frontdesk" / "screens"
FORM_MODULES = [
    "base/forms",
    "residents/resident_form",
    "residents/household_form",
    "residents/fields",
    "residents/move_out",
    "residents/record_death",
    "residents/change_head",
    "residents/tags_form",
    "residents/detail",
    "residents/search",
]
PREFIXES = ("form.", "validation.", "detail.palette.", "residents.palette.")


def _app(db: SqliteDatabase, clock: FixedClock, language: str = "zh") -> FrontdeskApp:
    return desk_on(db, clock, language, SUPERVISOR)


async def _type(pilot: Any, text: str) -> None:
    await pilot.press(*text)


async def _choose(pilot: Any, steps: int) -> None:
    """On a focused Select: open it, go down ``steps`` options, take that one."""
    await pilot.press("enter")
    await pilot.pause()
    for _ in range(steps):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def _rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _audits() -> int:
    return int(AuditEntry.select().count())


async def _open_detail(pilot: Any, resident_id: int) -> ResidentDetailScreen:
    pilot.app.open_resident(resident_id)
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ResidentDetailScreen) and screen.detail is not None
    return screen


def _family() -> tuple[Household, Resident, Resident]:
    """A household of at least three living members: its head and a living child or spouse."""
    sizes = (
        Resident.select(Resident.household, fn.COUNT(Resident.id).alias("n"))
        .where(Resident.status == "living")
        .group_by(Resident.household)
        .having(fn.COUNT(Resident.id) >= 3)
        .order_by(Resident.household)
    )
    for row in sizes:
        members = list(
            Resident.select()
            .where((Resident.household == row.household_id) & (Resident.status == "living"))
            .order_by(Resident.id)
        )
        head = next((m for m in members if m.relation == "head"), None)
        other = next((m for m in members if m.relation in ("spouse", "child")), None)
        if head is not None and other is not None:
            return Household.get_by_id(row.household_id), head, other
    raise AssertionError("the demo has no family")


def _young_adult() -> Resident:
    for resident in Resident.select().where(Resident.status == "living").order_by(Resident.id):
        if 20 <= age(resident.birth_date, DEMO_TODAY) < 60 and resident.id_number:
            return resident
    raise AssertionError("the demo has no young adult")


def _empty_flat_text() -> str:
    """A flat nobody lives in, as typed at the desk with its compound: one match."""
    lived = Household.select(Household.flat).where(Household.status == "active")
    for flat_id in range(1, 5000):
        found = addresses([flat_id]).get(flat_id)
        if found is None or lived.where(Household.flat == flat_id).exists():
            continue
        text = f"{found.compound} {found.short}"
        if len(flats_at(text, 1)) == 1:
            return text
    raise AssertionError("the demo has no empty flat")


@pytest.fixture
def writable(demo_copy: SqliteDatabase) -> Iterator[SqliteDatabase]:
    yield demo_copy


# -- editing a person ------------------------------------------------------------------------------


async def test_bad_phone_shows_beside_the_field_then_the_fix_saves(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    person = _young_adult()
    before = _audits()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _open_detail(pilot, person.id)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ResidentFormScreen)
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # gender, birth, document, ID → phone
        assert form.focused is form.query_one("#f-phone", Input)
        await _type(pilot, "12345")
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is form  # still open, with what was typed
        assert form.query_one("#f-phone", Input).value == "12345"
        assert "11 位手机号" in _text(form, "#m-phone")
        assert _text(form, "#m-name") == ""
        assert Resident.get_by_id(person.id).phone == person.phone
        assert _audits() == before

        await pilot.press("ctrl+u")
        await _type(pilot, "13912345678")
        assert _text(form, "#m-phone") == ""  # the message goes with the change
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is detail
        assert "139****5678" in _text(detail, "#person")
    assert Resident.get_by_id(person.id).phone == "13912345678"
    entries = list(AuditEntry.select().order_by(AuditEntry.id))[before:]
    assert [e.action for e in entries] == ["resident.update"]
    assert "13912345678" not in entries[0].detail  # masked in the log too


async def test_a_version_conflict_keeps_the_form_open(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    person = _young_adult()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_detail(pilot, person.id)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ResidentFormScreen)
        Resident.update(version=Resident.version + 1).where(Resident.id == person.id).execute()
        await pilot.press("end")
        await _type(pilot, "某")
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is form
        assert "已被其他人修改" in _text(form, "#form-status")
    assert Resident.get_by_id(person.id).name == person.name


# -- registering -----------------------------------------------------------------------------------


async def _start_household(pilot: Any, flat_text: str) -> HouseholdFormScreen:
    await pilot.press("f2")
    await pilot.press("ctrl+n")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, HouseholdFormScreen)
    await _type(pilot, flat_text)
    await _settle(pilot)
    assert form.selected("flat_id") is not None  # one match: chosen
    await pilot.press("tab", "tab", "tab")  # flat, moved in → the head's name
    assert form.focused is form.query_one("#f-head-name", Input)
    return form


async def _type_head(pilot: Any, name: str, gender_steps: int, born: date, id_number: str) -> None:
    await _type(pilot, name)
    await pilot.press("tab")
    await _choose(pilot, gender_steps)
    await pilot.press("tab")
    if id_number:  # the date of birth is filled in from the ID number
        await pilot.press("tab", "tab")  # the document (居民身份证) → the ID number
        await _type(pilot, id_number)
    else:
        await _type(pilot, f"{born:%Y-%m-%d}")
        await pilot.press("tab", "tab", "tab")  # document, ID number left empty → phone


async def test_a_duplicate_id_is_refused_with_the_owners_name_and_a_way_to_them(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    owner = _young_adult()
    flat_text = _empty_flat_text()
    households, before = Household.select().count(), _audits()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _start_household(pilot, flat_text)
        steps = 1 if owner.gender == "M" else 2
        await _type_head(pilot, "新来的", steps, owner.birth_date, str(owner.id_number))
        assert form.query_one("#f-head-birth_date", Input).value == f"{owner.birth_date:%Y-%m-%d}"
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is form
        message = _text(form, "#m-head-id_number")
        assert owner.name in message and "已登记" in message
        assert form.query_one("#form-open-existing").display
        await pilot.press("ctrl+o")
        await _settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
        assert app.screen.resident_id == owner.id
    assert Household.select().count() == households
    assert _audits() == before


async def test_same_name_and_birth_warns_then_saves_on_confirm(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    twin = _young_adult()
    flat_text = _empty_flat_text()
    before = Resident.select().where(Resident.name == twin.name).count()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _start_household(pilot, flat_text)
        steps = 1 if twin.gender == "M" else 2
        await _type_head(pilot, twin.name, steps, twin.birth_date, "")
        await _type(pilot, "13800001111")
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is form
        assert twin.name in _text(form, "#m-head-name")
        assert form.query_one("#m-head-name").has_class("-warning")
        assert "再按 Ctrl+S" in _text(form, "#form-status")
        assert form.query_one("#form-confirm").display
        assert Resident.select().where(Resident.name == twin.name).count() == before

        await pilot.press("ctrl+s")  # the deliberate confirm
        await _settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
        new = Resident.get_by_id(app.screen.resident_id)
        assert (new.name, new.birth_date, new.relation) == (twin.name, twin.birth_date, "head")
        assert new.phone == "13800001111"
        assert "★" in _rows(app.screen.query_one("#members", DataTable))[0][0]
    assert Resident.select().where(Resident.name == twin.name).count() == before + 1


async def test_a_new_households_members_get_their_messages_in_their_own_block(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    flat_text = _empty_flat_text()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _start_household(pilot, flat_text)
        await _type_head(pilot, "测试户主甲", 1, date(1980, 1, 1), "")
        await _type(pilot, "13800003333")
        await pilot.press("ctrl+n")  # member 1, left empty: ignored
        await pilot.press("ctrl+p")  # member 2, from the palette
        await _type(pilot, "添加成员")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen is form and form.members == 2
        assert form.focused is form.query_one("#f-members-1-relation", Select)
        await _choose(pilot, 1)  # spouse
        await pilot.press("tab")
        await _type(pilot, "测试配偶乙")
        await pilot.press("tab")
        await _choose(pilot, 2)  # female
        await pilot.press("tab")
        await _type(pilot, "1982-02-02")
        await pilot.press("tab", "tab", "tab")  # document, ID → phone
        await _type(pilot, "999")
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is form
        assert "11 位手机号" in _text(form, "#m-members-1-phone")
        assert _text(form, "#m-members-0-phone") == ""
        assert form.focused is form.query_one("#f-members-1-phone", Input)
        await pilot.press("ctrl+u")
        await _type(pilot, "0358-1234567")
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
        rows = _rows(app.screen.query_one("#members", DataTable))
        assert [(r[0], r[1].rstrip(" ◀")) for r in rows] == [
            ("户主 ★", "测试户主甲"),
            ("配偶", "测试配偶乙"),
        ]
    spouse = Resident.get(Resident.name == "测试配偶乙")
    assert (spouse.gender, spouse.phone, spouse.relation) == ("F", "0358-1234567", "spouse")


async def test_a_member_added_with_a_bad_id_check_character_then_fixed(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    household, head, _other = _family()
    born = date(2019, 6, 1)
    good = idcards.make_id("141102", born, 124)  # even: female
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _open_detail(pilot, head.id)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ResidentFormScreen) and form.person is None
        await _type(pilot, "小新")
        await pilot.press("tab", "tab", "tab", "tab")  # gender, birth, document → ID
        await _type(pilot, bad)
        await pilot.press("tab", "tab", "tab")  # phone, emergency contact → relation
        await _choose(pilot, 2)  # blank, spouse, child
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert "校验位" in _text(form, "#m-id_number")
        assert "必填" in _text(form, "#m-gender")
        assert form.focused is form.query_one("#f-gender", Select)  # the first to correct
        await pilot.press("tab", "tab", "tab", "ctrl+u")  # birth, document → ID
        await _type(pilot, good)  # fills in the date of birth and gender
        assert form.query_one("#f-gender", Select).value == "F"
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is detail
        names = [row[1] for row in _rows(detail.query_one("#members", DataTable))]
        assert "小新" in names
    new = Resident.get(Resident.name == "小新")
    assert (new.household_id, new.relation, new.birth_date) == (household.id, "child", born)


# -- the household ---------------------------------------------------------------------------------


async def test_change_head_shows_the_new_head_with_the_star(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    household, head, other = _family()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _open_detail(pilot, other.id)
        await pilot.press("h")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ChangeHeadScreen)
        assert form.selected("new_head_id") == other.id  # the person on screen
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is detail
        rows = _rows(detail.query_one("#members", DataTable))
        starred = [row for row in rows if "★" in row[0]]
        assert len(starred) == 1 and starred[0][1].startswith(other.name)
    heads = Resident.select().where(
        (Resident.household == household.id)
        & (Resident.status == "living")
        & (Resident.relation == "head")
    )
    assert [r.id for r in heads] == [other.id]
    assert Resident.get_by_id(head.id).relation in {"spouse", "parent", "other"}


async def test_moving_a_member_out_keeps_them_as_a_former_resident(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    household, head, other = _family()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _open_detail(pilot, other.id)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MoveOutScreen)
        assert form.selected("scope") == "person"
        await pilot.press("tab", "tab")  # scope, date → forwarding contact
        await _type(pilot, "迁往太原市，电话13800002222")
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is detail
        assert detail.query_one("#former").display
        assert "迁出" in _text(detail, "#former")
        mine = next(r for r in _rows(detail.query_one("#members", DataTable)) if "◀" in r[1])
        assert mine[4] == "迁出"
        await pilot.press("escape")
        head_view = await _open_detail(pilot, head.id)
        row = next(
            r for r in _rows(head_view.query_one("#members", DataTable)) if other.name in r[1]
        )
        assert row[4] == "迁出"
    moved = Resident.get_by_id(other.id)
    assert moved.status == "moved_out" and moved.moved_out_on == DEMO_TODAY
    assert Household.get_by_id(household.id).status == "active"


async def test_the_head_leaving_alone_needs_a_successor(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    _household, head, _other = _family()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_detail(pilot, head.id)
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordDeathScreen)
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is form
        assert "新户主" in _text(form, "#m-new_head_id")
        assert Resident.get_by_id(head.id).status == "living"


# -- tags ------------------------------------------------------------------------------------------


async def test_a_tag_against_its_rule_shows_the_rule(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    person = _young_adult()
    tags_before = ResidentTag.select().where(ResidentTag.resident == person.id).count()
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_detail(pilot, person.id)
        await pilot.press("t")
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, TagsScreen)
        index = form.codes.index("elderly_80")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("space", "ctrl+s")
        await _settle(pilot)
        assert app.screen is form
        years = age(person.birth_date, DEMO_TODAY)
        assert _text(form, "#m-tags") == f"高龄老人标签只用于 80 岁及以上的居民（此人 {years} 岁）"
        await pilot.press("space")  # untick it, tick party member instead
        assert isinstance(form, TagsScreen)
        party = form.codes.index("party_member")
        for _ in range(abs(party - index)):
            await pilot.press("down" if party > index else "up")
        await pilot.press("space", "ctrl+s")
        await _settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
        assert "党员" in _text(app.screen, "#person")
    assert ResidentTag.select().where(ResidentTag.resident == person.id).count() == tags_before + 1


# -- Escape and the palette ------------------------------------------------------------------------


async def test_escape_on_every_form_writes_nothing(
    writable: SqliteDatabase, clock: FixedClock
) -> None:
    _household, head, _other = _family()
    before = (_audits(), Resident.select().count(), Household.select().count())
    versions = {
        r.id: r.version for r in Resident.select().where(Resident.household == head.household_id)
    }
    app = _app(writable, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _open_detail(pilot, head.id)
        for key, form_type in [
            ("e", ResidentFormScreen),
            ("a", ResidentFormScreen),
            ("h", ChangeHeadScreen),
            ("o", MoveOutScreen),
            ("d", RecordDeathScreen),
            ("t", TagsScreen),
        ]:
            await pilot.press(key)
            await _settle(pilot)
            assert isinstance(app.screen, form_type), key
            if key == "t":
                await pilot.press("space")
            else:
                await _type(pilot, "x1")
            form = app.screen
            typed = form.something_typed()  # (a list to choose from takes no typing)
            await pilot.press("escape")  # something typed: asked first (issue 12, point 7)
            await _settle(pilot)
            if typed:
                assert isinstance(app.screen, ChoiceScreen), key
                await pilot.press("escape")  # keep editing: the form, as it was
                await _settle(pilot)
                assert app.screen is form and form.something_typed(), key
                await pilot.press("escape", "2")  # then throw it away
                await _settle(pilot)
            assert app.screen is detail, key
        await pilot.press("escape")
        await pilot.press("f2", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, HouseholdFormScreen)
        await _type(pilot, "1-1-101")
        await _settle(pilot)
        await pilot.press("escape", "2")
        await _settle(pilot)
        assert isinstance(app.screen, ResidentsScreen)
    assert (_audits(), Resident.select().count(), Household.select().count()) == before
    assert versions == {
        r.id: r.version for r in Resident.select().where(Resident.household == head.household_id)
    }


async def test_palette_offers_the_screens_own_commands(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    _household, head, _other = _family()
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_detail(pilot, head.id)
        await pilot.press("ctrl+p")
        await _type(pilot, "更换户主")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, ChangeHeadScreen)
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.press("f2", "ctrl+p")
        await _type(pilot, "登记新户")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, HouseholdFormScreen)


async def test_forms_follow_the_language_and_keep_what_was_typed(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    person = _young_adult()
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_detail(pilot, person.id)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("end")
        await _type(pilot, "乙")
        app.set_language("en")
        await _settle(pilot)
        assert _text(form, "#form-title").startswith("Edit resident")
        assert form.query_one("#f-name", Input).value == f"{person.name}乙"


# -- pieces ----------------------------------------------------------------------------------------


def test_dates_read_as_typed_at_the_desk() -> None:
    assert parse_date("2026-11-29") == date(2026, 11, 29)
    assert parse_date(" 2026/1/5 ") == date(2026, 1, 5)
    assert parse_date("20261129") == date(2026, 11, 29)
    assert parse_date("") is None
    for bad in ("2026-13-01", "29.11.2026", "昨天", "2026-02-30"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_flats_are_found_as_typed_at_the_desk(demo_db: SqliteDatabase) -> None:
    everywhere = flats_at("1-1-101", 1)
    assert len(everywhere) > 1
    assert {c.address.short for c in everywhere} == {"1-1-101"}
    one = everywhere[0].address
    assert [c.flat_id for c in flats_at(f"{one.compound} 1-1-101", 1)] == [one.flat_id]
    spoken = f"{one.compound}1号楼1单元101室"
    assert [c.flat_id for c in flats_at(spoken, 1)] == [one.flat_id]
    assert flats_at("3-2", 1) == [] and flats_at("张三", 1) == []
    assert flats_at("1-1-101", 999) == []


def _form_keys() -> set[str]:
    """Every catalog-looking string literal of the form modules."""
    keys = set()
    for module in FORM_MODULES:
        tree = ast.parse((SCREENS / f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith(PREFIXES)
            ):
                keys.add(node.value)
    return keys


def test_every_form_string_is_in_both_catalogs() -> None:
    keys = _form_keys()
    assert len(keys) > 40
    for language in i18n.LANGUAGES:
        missing = sorted(keys - set(catalog(language)))
        assert not missing, f"{language} lacks {missing}"


# -- snapshots -------------------------------------------------------------------------------------


@pytest.fixture
def form_app(demo_file: Path) -> Any:
    def build(language: str) -> Any:
        clock = FixedClock(DEMO_NOW)
        open_database(demo_file, create=False, now=clock.now)
        return make_app(
            db_path=demo_file,
            clock=clock,
            language=language,
            demo=True,
            steady_cursor=True,
            operator=SUPERVISOR,
        )

    return build


@pytest.mark.parametrize("language", ["zh", "en"])
def test_edit_form_snapshot(snap_compare: Any, form_app: Any, language: str) -> None:
    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        for key in ("f2", *"3-2-1001", "enter", "e", *["tab"] * 5, *"12345"):
            await pilot.press(key)
            await _settle(pilot)
        await pilot.press("ctrl+s")
        await _settle(pilot)

    assert snap_compare(form_app(language), terminal_size=(80, 24), run_before=run_before)
