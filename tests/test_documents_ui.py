"""The document type and category on the resident forms, keyboard only: 护照 chosen before the
number (the field then says 证件号码), a bad passport number refused beside its field, the
category chosen, both saved, shown in the detail and loaded again by the edit form."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase
from textual.widgets import Input, Label, Select, Static

from frontdesk.clock import FixedClock
from frontdesk.db.models import Resident
from frontdesk.screens.residents.household_form import HouseholdFormScreen
from frontdesk.screens.residents.resident_form import ResidentFormScreen
from tests.conftest import desk_on
from tests.conftest import settle as _settle
from tests.test_resident_forms_ui import _choose, _family, _open_detail, _text, _type

PASSPORT_STEPS = 3  # 居民身份证, 港澳台居民居住证, 外国人永久居留身份证, 护照
FLOATING_STEPS = 1  # 户籍, 流动


def _label(form: Any, name: str) -> str:
    return str(form.query_one(f"#row-{name} .field-label", Label).render())


async def test_a_new_member_with_a_passport_and_a_category(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    _household, head, _other = _family()
    app = desk_on(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await _open_detail(pilot, head.id)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ResidentFormScreen)
        assert form.selected("document_type") == "id_card"
        assert form.selected("category") == "registered"
        assert _label(form, "id_number") == "身份证号"
        await _type(pilot, "约翰")
        await pilot.press("tab")
        await _choose(pilot, 1)  # male
        await pilot.press("tab")
        await _type(pilot, "1988-03-02")
        await pilot.press("tab")
        assert form.focused is form.query_one("#f-document_type", Select)
        await _choose(pilot, PASSPORT_STEPS)
        assert form.selected("document_type") == "passport"
        assert _label(form, "id_number") == "证件号码"
        assert "E12345678" in str(form.query_one("#f-id_number", Input).placeholder)
        await pilot.press("tab")
        await _type(pilot, "E123")  # too short for any document
        await pilot.press("tab", "tab")  # phone → relation
        await _choose(pilot, 5)  # blank, spouse, child, parent, grandchild, other
        await pilot.press("tab")
        assert form.focused is form.query_one("#f-category", Select)
        await _choose(pilot, FLOATING_STEPS)
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is form
        assert "5 到 18 位字母和数字" in _text(form, "#m-id_number")
        assert form.focused is form.query_one("#f-id_number", Input)
        await pilot.press("ctrl+u")
        await _type(pilot, "e12345678")
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is detail
        new = Resident.get(Resident.name == "约翰")
        assert (new.id_number, new.document_type, new.category) == (
            "E12345678",
            "passport",
            "floating",
        )

        shown = await _open_detail(pilot, new.id)
        person = _text(shown, "#person")
        assert "护照 E1*****78" in person and "人员类别 流动" in person
        await pilot.press("e")  # the edit form loads both
        await pilot.pause()
        edit = app.screen
        assert isinstance(edit, ResidentFormScreen) and edit.person is not None
        assert edit.selected("document_type") == "passport"
        assert edit.selected("category") == "floating"
        assert _label(edit, "id_number") == "证件号码"
        # … phone, emergency contact, relation → category
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab", "tab", "tab")
        assert edit.focused is edit.query_one("#f-category", Select)
        await _choose(pilot, 1)  # 流动 → 寄住
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.screen is shown
        assert "人员类别 寄住" in _text(shown, "#person")
    assert Resident.get_by_id(new.id).category == "lodging"


async def test_the_household_forms_number_follows_each_persons_document(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_db, clock, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2", "ctrl+n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, HouseholdFormScreen)
        await pilot.press("ctrl+n")
        await _settle(pilot)
        member = form.query_one("#f-members-0-document_type", Select)
        member.focus()
        await _choose(pilot, PASSPORT_STEPS)
        assert _label(form, "members-0-id_number") == "Document number"
        assert _label(form, "head-id_number") == "ID number"  # the head's stays an ID card
        assert not form._blank("members.0.")  # a document chosen is something typed
        app.set_language("zh")
        await _settle(pilot)
        assert form.selected("members.0.document_type") == "passport"
        assert _label(form, "members-0-id_number") == "证件号码"
        assert str(form.query_one("#m-members-0-id_number", Static).render()) == ""
