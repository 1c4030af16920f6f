"""The one way a screen calls a service: answers, races, refusals, crashes, the log."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.app import ComposeResult
from textual.widgets import Static

from frontdesk.clock import FixedClock
from frontdesk.db.models import Resident
from frontdesk.errors import UserError
from frontdesk.logbook import log_path, safe_arguments
from frontdesk.screens.base.screen import DeskModal, DeskScreen
from frontdesk.vocabulary import Changes
from tests.conftest import desk_on, settle


def count_residents() -> int:
    return Resident.select().count()  # needs the connection the base opens


def refuse(key: str) -> int:
    raise UserError(key)


def crash(resident_id: int, name: str) -> int:
    raise ValueError("broken on purpose")


class Probe(DeskScreen):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[object] = []
        self.refusals: list[str] = []
        self.failures = 0
        self.reloads = 0

    def compose(self) -> ComposeResult:
        yield Static("probe")

    def shows(self, changes: Changes) -> bool:
        return changes.touches("resident")

    def refresh_data(self) -> None:
        self.reloads += 1


async def test_an_answer_reaches_the_ui_thread(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock)
    async with app.run_test() as pilot:
        probe = Probe()
        await app.push_screen(probe)
        ui_thread = threading.get_ident()
        seen: list[int] = []

        def shown(count: int) -> None:
            seen.append(threading.get_ident())
            probe.answers.append(count)

        probe.call(count_residents, shown)
        await settle(pilot)
        assert probe.answers and int(str(probe.answers[0])) > 1000
        assert seen == [ui_thread]


async def test_only_the_latest_answer_of_a_race_is_shown(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock)
    release = threading.Event()

    def slow(answer: str) -> str:
        release.wait(5)
        return answer

    async with app.run_test() as pilot:
        probe = Probe()
        await app.push_screen(probe)
        probe.call(partial(slow, "old"), probe.answers.append, group="q", latest=True)
        await pilot.pause()
        probe.call(partial(str, "new"), probe.answers.append, group="q", latest=True)
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert probe.answers == ["new"]


async def test_a_refusal_shows_its_message_or_goes_to_the_screen(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock)
    async with app.run_test() as pilot:
        probe = Probe()
        await app.push_screen(probe)
        probe.call(partial(refuse, "validation.required"), probe.answers.append)
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["必填"]
        probe.call(
            partial(refuse, "validation.required"),
            probe.answers.append,
            refused=lambda error: probe.refusals.append(error.key),
        )
        await settle(pilot)
        assert probe.refusals == ["validation.required"] and probe.answers == []


async def test_a_crash_is_shown_logged_without_personal_data_and_the_screen_recovers(
    demo_copy: SqliteDatabase, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTDESK_STRICT", "0")  # as at a real desk
    app = desk_on(demo_copy, clock)
    async with app.run_test() as pilot:
        probe = Probe()
        await app.push_screen(probe)

        def recovered() -> None:
            probe.failures += 1

        probe.call(partial(crash, 4321, "王秀英"), probe.answers.append, failed=recovered)
        await settle(pilot)
        assert probe.failures == 1 and probe.answers == []
        (shown,) = [n.message for n in app._notifications]
        assert "broken on purpose" in shown and str(log_path()) in shown
        assert app.screen is probe  # still working
    log = Path(log_path()).read_text(encoding="utf-8")
    assert "test_screen_base.crash(4321, <str>) failed: ValueError: broken on purpose" in log
    assert "王秀英" not in log


async def test_a_crash_fails_the_test_suite(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    app = desk_on(demo_copy, clock)
    with pytest.raises(ValueError, match="broken on purpose"):
        async with app.run_test() as pilot:
            probe = Probe()
            await app.push_screen(probe)
            probe.call(partial(crash, 1, "x"))
            await settle(pilot)


async def test_a_screen_follows_changes_on_top_and_catches_up_when_back(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = desk_on(demo_copy, clock)
    async with app.run_test() as pilot:
        probe = Probe()
        await app.push_screen(probe)
        app.data_changed.publish(Changes(frozenset({("booking", 1)})))
        await pilot.pause()
        assert probe.reloads == 0  # not what it shows
        app.data_changed.publish(Changes(frozenset({("resident", 1)})))
        await pilot.pause()
        assert probe.reloads == 1
        modal: DeskModal[None] = DeskModal()
        await app.push_screen(modal)
        app.data_changed.publish(Changes(frozenset({("resident", 2)})))
        await pilot.pause()
        assert probe.reloads == 2  # still seen under a pop-up: at once
        await pilot.press("escape")  # every modal closes on Escape
        await settle(pilot)
        assert app.screen is probe
        # two screens over it (Textual counts the one right under the top as still seen)
        await app.push_screen(DeskScreen())
        await app.push_screen(DeskScreen())
        app.data_changed.publish(Changes(frozenset({("resident", 3)})))
        await pilot.pause()
        assert probe.reloads == 2  # hidden: later
        app.pop_screen()
        app.pop_screen()
        await settle(pilot)
        assert app.screen is probe and probe.reloads == 3


def test_the_log_keeps_record_ids_and_only_the_type_of_anything_else() -> None:
    args: Any = (12, "张三", None, True)
    assert safe_arguments(args, {"actor_id": 3, "phone": "13800000000"}) == (
        "12, <str>, None, True, actor_id=3, phone=<str>"
    )
