"""Through Pilot: a name over the limit is kept in the field as typed and refused with the message
beside it (it used to be cut to 40 characters by the field and saved)."""

from __future__ import annotations

from typing import Any

import pytest
from peewee import SqliteDatabase
from textual import events
from textual.app import App
from textual.signal import Signal
from textual.widgets import Input, Static

from frontdesk.clock import FixedClock
from frontdesk.db.models import AuditEntry, Resident
from frontdesk.screens.requests.action import RequestActionScreen
from frontdesk.screens.residents.detail import ResidentDetailScreen
from frontdesk.screens.residents.resident_form import ResidentFormScreen
from frontdesk.screens.residents.reveal_reason import RevealReasonScreen
from frontdesk.screens.rooms.cancel_reason import CancelReasonScreen
from tests.conftest import SUPERVISOR, desk_on, settle

SIXTY = "Abdurahman Mamtimin Abdukerim Tursun Ahmatjan Yusupjan Ablimit"[:60]


async def test_an_over_long_name_is_refused_beside_the_field_and_kept_as_typed(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    person: Any = Resident.select().where(Resident.status == "living").order_by(Resident.id).get()
    before = AuditEntry.select().count()
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_resident(person.id)
        await settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ResidentFormScreen)
        name = form.query_one("#f-name", Input)
        assert form.focused is name
        await pilot.press("ctrl+u")
        name.post_message(events.Paste(SIXTY))  # pasted, as names often are
        await pilot.pause()
        assert name.value == SIXTY  # nothing cut off by the field
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still open, with what was pasted
        assert name.value == SIXTY
        message = str(form.query_one("#m-name", Static).render())
        assert "30" in message and "60" in message
        assert form.query_one("#m-name", Static).has_class("-error")

        await pilot.press("ctrl+u")
        await pilot.press(*"Maria Lopez")
        assert str(form.query_one("#m-name", Static).render()) == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert Resident.get_by_id(person.id).name == "Maria Lopez"
    assert AuditEntry.select().count() == before + 1


class _Host(App[None]):
    """A bare app to hold one modal."""

    def __init__(self, modal: Any) -> None:
        super().__init__()
        self.modal = modal
        self.answers: list[Any] = []
        self.language_changed: Signal[str] = Signal(self, "language-changed")  # as the desk's

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.answers.append)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: RevealReasonScreen("reveal.field.phone", "王芳"), "#reveal-text"),
        (lambda: CancelReasonScreen("取消预约", "读书会"), "#cancel-reason"),
        (lambda: RequestActionScreen("升级", "request_detail.field.reason"), "#action-text"),
    ],
)
async def test_a_reason_over_200_characters_is_refused_in_its_box(make: Any, field: str) -> None:
    app = _Host(make())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = app.screen.query_one(field, Input)
        box.focus()
        box.post_message(events.Paste("因" * 201))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.modal and not app.answers  # still open, nothing answered
        assert box.value == "因" * 201
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "200" in shown and "201" in shown
        box.value = "因" * 200
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers  # at the limit it goes through
