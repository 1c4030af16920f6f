"""The emergency contact (紧急联系人) at the desk: typed into the resident form, shown masked on
the resident's page with u to reveal it, the reveal asking why and audited."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase
from textual import events
from textual.widgets import Input, Static

from frontdesk.clock import FixedClock
from frontdesk.db.models import AuditEntry, Resident
from frontdesk.screens.residents.detail import ResidentDetailScreen
from frontdesk.screens.residents.resident_form import ResidentFormScreen
from frontdesk.screens.residents.reveal_reason import RevealReasonScreen
from tests.conftest import SUPERVISOR, desk_on, settle

CONTACT = "李明（儿子）138 0000 1234"


def _person_text(screen: Any) -> str:
    return str(screen.query_one("#person", Static).render())


def _keys(screen: Any) -> set[str]:
    return {key for key, binding in screen.active_bindings.items() if binding.enabled}


async def test_typed_in_the_form_masked_on_the_page_and_revealed_with_a_reason(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    person: Any = (
        Resident.select()
        .where((Resident.status == "living") & (Resident.emergency_contact == ""))
        .order_by(Resident.id)
        .first()
    )
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(person.id)
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ResidentDetailScreen)
        assert "紧急联系人 —" in _person_text(detail)
        assert "u" not in _keys(detail)  # nothing to reveal
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ResidentFormScreen)
        # gender, birth, document, ID, phone → the emergency contact
        await pilot.press(*["tab"] * 6)
        assert form.focused is form.query_one("#f-emergency_contact", Input)
        box = form.query_one("#f-emergency_contact", Input)
        box.post_message(events.Paste(CONTACT))  # as pasted: the keys have no （ ）
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail
        shown = _person_text(detail)
        assert "紧急联系人 李明（儿子）138 **** 1234（u 查看完整）" in shown
        assert "0000" not in shown
        assert Resident.get_by_id(person.id).emergency_contact == CONTACT
        assert "u" in _keys(detail)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, RevealReasonScreen)
        await pilot.press("4")  # 家属联系
        await settle(pilot)
        assert app.screen is detail
        assert f"紧急联系人 {CONTACT}" in _person_text(detail)
        assert "u" not in _keys(detail)  # shown in full already
    entry: Any = AuditEntry.get(AuditEntry.action == "resident.reveal_emergency_contact")
    assert entry.entity_id == person.id and entry.reason == "reveal.reason.family"
    update: Any = AuditEntry.get(AuditEntry.action == "resident.update")
    assert "0000" not in update.detail  # masked in the log
