"""The palette's 导入居民 and 导入记录 (issue 13, "the same in the program for the supervisor"):
preview, refused rows, writing only the valid rows with the bar, stopping midway, undo from the
list, the column mapping saved; only who may import sees them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Input, ProgressBar, Static

from frontdesk.app_palette import desk_commands
from frontdesk.clock import FixedClock
from frontdesk.db.models import Resident, Staff
from frontdesk.roster import runs, writing
from frontdesk.roster.mappings import saved_mapping
from frontdesk.roster.plan import plan_residents
from frontdesk.roster.writing import write_plan
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.progress import WorkProgress
from frontdesk.screens.office.roster_import import RosterImportScreen
from frontdesk.screens.office.roster_imports import ImportsScreen
from frontdesk.screens.office.roster_mapping import MappingScreen
from tests.conftest import RECEPTION, SNAPSHOT_SIZE, SUPERVISOR, desk_on, settle
from tests.test_roster_import import _empty_flats, _family, _workbook


def _roster(folder: Path, *, bad: bool = True) -> Path:
    flats = _empty_flats(2)
    rows = [row for n, flat in enumerate(flats) for row in _family(flat, 300 + n)]
    if bad:
        wrong = list(rows[0])
        wrong[1], wrong[4] = "坏号码", 1.41102197003021e17  # Excel made the ID a number
        rows.append(wrong)
    return _workbook(folder / "人口台账.xlsx", rows)


async def _previewed(pilot: Any, path: str) -> RosterImportScreen:
    app = pilot.app
    app.push_screen(RosterImportScreen())
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, RosterImportScreen)
    screen.query_one("#ri-path", Input).value = path
    await pilot.press("enter")
    await settle(pilot)
    return screen


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def test_work_progress_crosses_threads_as_a_value() -> None:
    work = WorkProgress()
    work.start()
    work.report(0.4)
    work.report(0.2)  # never goes back
    assert work.share == 0.4 and not work.stop_asked()
    work.ask_stop()
    assert work.stop_asked()
    work.report(7)
    assert work.share == 1.0
    work.start()
    assert work.share == 0.0 and not work.stop_asked() and work.running


async def test_preview_then_only_the_valid_rows_then_undo_from_the_list(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    path = _roster(tmp_path)
    before = Resident.select().count()
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _previewed(pilot, str(path))
        assert screen.found is not None
        counts = screen.found.plan.counts
        assert (counts["new"], counts["refused"]) == (6, 1)
        summary = _text(screen, "#ri-summary")
        assert "新增 6 人" in summary and "有错 1" in summary
        assert "婚姻状况" in summary  # the unknown column
        assert "错误说明" in summary and list(tmp_path.glob("人口台账-错误-*.xlsx"))
        table = screen.query_one("#ri-rows", DataTable)
        assert table.row_count == 1
        assert "坏号码" in [str(c) for c in table.get_row_at(0)]
        assert "Excel" in _text(screen, "#ri-detail")
        assert Resident.select().count() == before  # a preview writes nothing
        assert screen.check_action("write", ()) is None  # shown, off, and the line says why
        assert "v 只导入无误的行" in _text(screen, "#ri-status")
        await pilot.press("w")
        await pilot.pause()
        assert app.screen is screen

        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("1")
        await settle(pilot)
        assert screen.done is not None and screen.done.new == 6
        bar = screen.query_one("#ri-progress", ProgressBar)
        assert screen.work.share == 1.0 and bar.progress == bar.total
        assert f"导入 {screen.done.import_id} 完成" in _text(screen, "#ri-status")
        assert Resident.select().count() == before + 6
        import_id = screen.done.import_id

        await pilot.press("i")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, ImportsScreen)
        assert listing.items[0].id == import_id and listing.items[0].status == "done"
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("1")
        await settle(pilot)
        assert f"导入 {import_id} 已撤销" in _text(listing, "#rl-status")
        assert listing.items[0].status == "undone"
    assert Resident.select().count() == before
    assert runs.summary(import_id).status == "undone"


async def test_escape_while_writing_takes_everything_back(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _roster(tmp_path, bad=False)
    before = Resident.select().count()
    monkeypatch.setattr(writing, "FIRST_BATCH", 1, raising=False)
    monkeypatch.setattr(writing, "BATCH", 1, raising=False)
    monkeypatch.setattr(writing, "_next_size", lambda *args: 1, raising=False)
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _previewed(pilot, str(path))
        assert screen.check_action("write", ()) is True
        reported = WorkProgress.report

        def report_then_escape(work: WorkProgress, share: float) -> None:
            reported(work, share)
            assert work.running
            work.ask_stop()  # what Escape does, at a moment the test knows: one batch written

        monkeypatch.setattr(WorkProgress, "report", report_then_escape)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("1")
        await settle(pilot)
        assert screen.done is None and not screen.work.running
        assert "已取消，写入的内容已全部撤回" in _text(screen, "#ri-status")
        assert Resident.select().count() == before
        (latest, *_rest) = runs.imports(actor_id=None)
        assert latest.status == "undone"

        # previewed again (the stopped write spent its plan): a second write is whole
        assert screen.found is not None and screen.found.plan.counts["new_households"] == 2
        monkeypatch.setattr(WorkProgress, "report", reported)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("1")
        await settle(pilot)
        assert screen.done is not None and (screen.done.new, screen.done.households) == (6, 2)
    assert Resident.select().count() == before + 6


async def test_escape_asks_the_write_to_stop(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _previewed(pilot, str(_roster(tmp_path, bad=False)))
        screen.work.start()  # as the write does
        await pilot.press("escape")
        assert screen.work.stop_asked() and app.screen is screen
        screen.work.finish()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_a_changed_mapping_is_saved_and_comes_back(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    path = _roster(tmp_path, bad=False)
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _previewed(pilot, str(path))
        assert screen.found is not None and "notes" in screen.found.plan.table.fields.values()
        await pilot.press("m")
        await settle(pilot)
        mapping = app.screen
        assert isinstance(mapping, MappingScreen)
        table = mapping.query_one("#rm-table", DataTable)
        table.move_cursor(row=list(mapping.mapping).index("备注"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        app.screen.dismiss("-")  # 不导入, the last choice
        await pilot.pause()
        assert mapping.mapping["备注"] == ""
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is screen and screen.found is not None
        assert "notes" not in screen.found.plan.table.fields.values()
        headers = list(screen.found.plan.table.headers)
        await pilot.press("escape")
        await settle(pilot)
        saved = saved_mapping("residents", headers, actor_id=app.desk.operator_id)
        assert saved is not None and saved["备注"] == ""
        again = await _previewed(pilot, str(path))  # a new screen: the saved mapping is used
        assert again.found is not None
        assert "notes" not in again.found.plan.table.fields.values()


@pytest.mark.parametrize(("who", "sees"), [(SUPERVISOR, True), (RECEPTION, False)])
async def test_only_who_may_import_sees_the_palette_entries(
    demo_db: SqliteDatabase, clock: FixedClock, who: str, sees: bool
) -> None:
    app = desk_on(demo_db, clock, "zh", who)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in desk_commands(app, app.screen)]
        assert ("导入居民" in titles) is sees
        assert ("导入记录" in titles) is sees


@pytest.mark.parametrize("language", ["zh", "en"])
def test_preview_snapshot(
    snap_compare: Any,
    app_factory: Any,
    demo_db: SqliteDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    _roster(tmp_path)
    monkeypatch.chdir(tmp_path)  # the path shown, and the error workbook's, are the same each run
    monkeypatch.setenv("HOME", str(tmp_path))

    async def run(pilot: Any) -> None:
        await _previewed(pilot, "人口台账.xlsx")

    assert snap_compare(app_factory(language), terminal_size=SNAPSHOT_SIZE, run_before=run)


async def test_updates_are_written_when_ticked_and_block_the_earlier_undo(
    demo_copy: SqliteDatabase, clock: FixedClock, tmp_path: Path
) -> None:
    flats = _empty_flats(1)
    actor = int(Staff.get(Staff.username == SUPERVISOR).id)
    first = write_plan(
        plan_residents(
            _workbook(tmp_path / "a.xlsx", _family(flats[0], 200)),
            actor_id=actor,
            today=clock.today(),
        ),
        actor_id=actor,
        now=clock.now(),
    )
    rows = _family(flats[0], 200)
    rows[1][5] = "13800001111"  # the wife gave a phone
    rows[2][9] = "流动人口"  # the son lives here without being registered here
    path = _workbook(tmp_path / "b.xlsx", rows)
    app = desk_on(demo_copy, clock, "zh", SUPERVISOR)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _previewed(pilot, str(path))
        assert screen.shown_list == "updates"
        table = screen.query_one("#ri-rows", DataTable)
        cells = [str(c) for c in table.get_row_at(0)]
        assert cells[1] == "试妻二零零" and "→ 138****1111" in cells[2]
        son = [str(c) for c in table.get_row_at(1)]
        assert son[1] == "试子二零零" and "人员类别 户籍 → 流动" in son[2]  # as the desk says
        assert screen.check_action("write", ()) is True
        await pilot.press("w")  # the update not ticked: nothing would be written
        await pilot.pause()
        assert app.screen is screen and "没有要写入的内容" in _text(screen, "#ri-status")
        await pilot.press("space")
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("1")
        await settle(pilot)
        assert screen.done is not None and screen.done.updated == 2
        wife: Any = Resident.get(Resident.name == "试妻二零零")
        assert wife.phone == "13800001111"

        await pilot.press("i")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, ImportsScreen)
        assert [item.id for item in listing.items[:2]] == [screen.done.import_id, first.import_id]
        await pilot.press("down", "u")
        await pilot.pause()
        await pilot.press("1")
        await settle(pilot)
        status = listing.query_one("#rl-status", Static)
        assert f"导入 {first.import_id} 不能撤销" in str(status.render())
        assert status.has_class("-error")
    assert runs.summary(first.import_id).status == "done"
