"""Ctrl+E on the list screens: what the list shows (its query and filters) exported as .xlsx;
masked on Enter, a supervisor's full export only with a reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from python_calamine import CalamineWorkbook
from textual.widgets import Input, Select

from frontdesk.clock import FixedClock
from frontdesk.db.models import AuditEntry, GridL4
from frontdesk.screens.base.export import ExportDialog
from frontdesk.screens.office.audit_log import AuditLogScreen
from frontdesk.screens.requests.queue import RequestsScreen
from frontdesk.screens.residents.search import ResidentsScreen
from tests.conftest import SUPERVISOR, desk_on, settle


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "exports"
    monkeypatch.setenv("FRONTDESK_EXPORTS", str(folder))
    monkeypatch.delenv("FRONTDESK_OUTBOX", raising=False)
    yield folder


def _rows(path: Path) -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def _exported(folder: Path, kind: str) -> Path:
    found = sorted(folder.glob(f"{kind}-*.xlsx"))
    assert len(found) == 1, found
    return found[0]


async def _wait_for_file(pilot: Any, folder: Path, kind: str) -> Path:
    await settle(pilot)
    return _exported(folder, kind)


async def test_ctrl_e_exports_the_residents_list_with_its_filters(
    demo_copy: SqliteDatabase, clock: FixedClock, exports: Path
) -> None:
    grid: Any = GridL4.select().order_by(GridL4.id).first()
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResidentsScreen)
        screen.query_one("#filter-l4", Select).value = grid.id
        await settle(pilot)
        screen.query_one("#search", Input).focus()
        await pilot.press("ctrl+e")  # from the search box too
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")  # masked
        path = await _wait_for_file(pilot, exports, "residents")
    rows = _rows(path)
    assert f"网格 {grid.code}" in rows[0][0] and "已打码" in rows[0][0]
    assert rows[2:] and {row[15] for row in rows[2:]} == {grid.code}
    entry: Any = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert entry.action == "export.residents"
    assert json.loads(entry.detail)["filters"]["grid_l4"] == grid.code


async def test_a_full_export_from_the_screen_asks_the_reason(
    demo_copy: SqliteDatabase, clock: FixedClock, exports: Path
) -> None:
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("2")  # full: no reason yet, the box asks for it
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert not list(exports.glob("*.xlsx"))
        for key in "区里核查":
            await pilot.press(key)
        await pilot.press("enter")
        path = await _wait_for_file(pilot, exports, "residents")
    assert "完整（未打码）" in _rows(path)[0][0]
    entry: Any = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert entry.action == "export.residents_full" and entry.reason == "区里核查"


async def test_a_desk_gets_no_full_choice(
    demo_copy: SqliteDatabase, clock: FixedClock, exports: Path
) -> None:
    app = desk_on(demo_copy, clock, "zh", "desk-lj-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert not dialog.full_allowed
        await pilot.press("escape")
        await settle(pilot)
        assert not list(exports.glob("*.xlsx"))


async def test_ctrl_e_on_the_request_queue_and_the_audit_log(
    demo_copy: SqliteDatabase, clock: FixedClock, exports: Path
) -> None:
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, RequestsScreen)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("enter")
        requests = await _wait_for_file(pilot, exports, "requests")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, AuditLogScreen)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("enter")
        audit = await _wait_for_file(pilot, exports, "audit")
    assert _rows(requests)[1][0] == "编号"
    assert _rows(audit)[1][0] == "时间"


async def test_ctrl_e_on_the_rooms_exports_the_lists_bookings(
    demo_copy: SqliteDatabase, clock: FixedClock, exports: Path
) -> None:
    app = desk_on(demo_copy, clock, "zh", "desk-lj-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+e")  # the grid: not what it exports
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        await pilot.press("l")  # the list
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")
        path = await _wait_for_file(pilot, exports, "bookings")
    rows = _rows(path)
    assert "2026-11-29 至 2026-12-12" in rows[0][0]
    assert rows[1][:4] == ["日期", "开始", "结束", "功能室"]
