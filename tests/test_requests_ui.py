"""Walk-in requests through Pilot, keyboard only: the intake from anywhere (F6) and from a
resident's detail (r), duplicates attached instead of logged twice, the queue (F4), and the
detail's actions (start, escalate, resolve, close, reopen) with a stale copy refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase, fn
from textual.widgets import Checkbox, DataTable, Footer, Input, OptionList, Select, Static

from frontdesk.app import FrontdeskApp, make_app
from frontdesk.clock import FixedClock
from frontdesk.db.models import (
    GridL4,
    Request,
    RequestEvent,
    RequestReporter,
    Resident,
    Staff,
)
from frontdesk.requests import lifecycle
from frontdesk.requests.detail import get_request
from frontdesk.requests.intake import (
    Logged,
    Place,
    Reporter,
    RequestInput,
    create_request,
    possible_duplicates,
)
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.requests.action import RequestActionScreen
from frontdesk.screens.requests.detail import RequestDetailScreen
from frontdesk.screens.requests.logged import RequestLoggedScreen
from frontdesk.screens.requests.queue import RequestsScreen
from frontdesk.screens.requests.request_form import RequestFormScreen
from frontdesk.screens.residents.detail import ResidentDetailScreen
from frontdesk.screens.residents.search import ResidentsScreen
from tests.conftest import DEMO_NOW, GRID_MANAGER, SUPERVISOR, desk_on
from tests.conftest import settle as _settle
from tests.roles import staff_of


def _app(db: SqliteDatabase, clock: FixedClock, language: str = "zh") -> FrontdeskApp:
    return desk_on(db, clock, language, SUPERVISOR)


async def _keys(pilot: Any, *keys: str) -> None:
    """Press each key and let the workers it started finish (as a clerk waits for the list)."""
    for key in keys:
        await pilot.press(key)
        await _settle(pilot)


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


@pytest.fixture(autouse=True)
def slips_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "slips"
    monkeypatch.setenv("FRONTDESK_SLIPS", str(folder))
    yield folder


def _unique_names() -> set[str]:
    counts: Any = Resident.select(Resident.name, fn.COUNT(Resident.id)).group_by(Resident.name)
    return {name for name, n in counts.tuples() if n == 1}


def _reporters(category: str = "lighting") -> Iterator[Resident]:
    """Living residents with a unique name and a phone, whose flat has a present grid manager
    and no open request of ``category`` in the building."""
    unique = _unique_names()
    query = (
        Resident.select()
        .where((Resident.status == "living") & Resident.phone.is_null(False))
        .order_by(Resident.id)
    )
    for resident in query:
        household = resident.household
        if resident.name not in unique or household.status != "active":
            continue
        flat = household.flat
        manager = GridL4.get_by_id(flat.grid_l4_id).manager
        if manager is None or manager.away:
            continue
        if possible_duplicates(category, Place(flat_id=flat.id), DEMO_NOW, actor_id=staff_of()):
            continue
        yield resident


def _reporter() -> Resident:
    return next(_reporters())


def _log(resident: Resident, category: str = "lighting") -> Logged:
    return create_request(
        RequestInput(
            category=category,
            urgency="normal",
            description="楼道灯不亮",
            reporter=Reporter(name="", resident_id=resident.id),
            place=Place(),
        ),
        actor_id=staff_of(),
        now=DEMO_NOW,
    )


def _address(resident: Resident) -> str:
    flat = resident.household.flat
    unit = flat.unit
    return f"{unit.building.compound.name} {unit.building.number}-{unit.number}-{flat.number}"


# ---------------------------------------------------------------------------------- the intake


async def test_log_a_request_keyboard_only_from_the_residents_screen(
    demo_copy: SqliteDatabase, clock: FixedClock, slips_here: Path
) -> None:
    resident = _reporter()
    flat = resident.household.flat
    manager = GridL4.get_by_id(flat.grid_l4_id).manager
    before = Request.select().count()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f2")
        assert isinstance(app.screen, ResidentsScreen)
        await _keys(pilot, "f6")
        form = app.screen
        assert isinstance(form, RequestFormScreen)
        assert form.focused is not None and form.focused.id == "f-reporter"
        # who: found by the residents search, Enter takes the first (exact) name
        await _keys(pilot, *resident.name)
        hits = form.query_one("#reporter-hits", OptionList)
        assert hits.display and hits.get_option_at_index(0).id == str(resident.id)
        await _keys(pilot, "enter")
        assert form.reporter is not None and form.reporter.resident_id == resident.id
        # where: their flat, already filled in and kept; the focus goes on to the next empty
        # field (the place's detail), so typing never replaces the flat (issue 12, point 4)
        assert form.query_one("#f-place", Input).value == _address(resident)
        assert form.place is not None and form.place.place.flat_id == flat.id
        assert form.focused is not None and form.focused.id == "f-place_text"
        await _keys(pilot, *"楼道", "enter")
        assert form.place is not None and form.place.place.flat_id == flat.id
        # what: the category list opens on Enter, "1" is 照明维修, Enter takes it and moves on
        assert form.focused is not None and form.focused.id == "f-category"
        await _keys(pilot, "enter", "1", "enter")
        assert form.focused is not None and form.focused.id == "f-description"
        await _keys(pilot, *"楼道灯不亮", "enter")
        assert form.focused is not None and form.focused.id == "f-urgency"  # 一般 already
        assert not form.duplicates
        await _keys(pilot, "ctrl+s")
        confirmation = app.screen
        assert isinstance(confirmation, RequestLoggedScreen)
        row: Any = Request.get(Request.number == confirmation.logged.number)
        body = _text(confirmation, "#logged-body")
        assert row.number in body and row.number.startswith("LJ-20261129-")
        assert manager.display_name in body and manager.phone in body
        assert f"{row.due_at:%Y-%m-%d %H:%M}" in body
        assert (row.flat_id, row.holder_id, row.reporter_id) == (flat.id, manager.id, resident.id)
        assert (row.category.code, row.urgency, row.status) == ("lighting", "normal", "assigned")
        assert (row.description, row.place_text) == ("楼道灯不亮", "楼道")
        # the slip, into the folder configured for slips
        await _keys(pilot, "p")
        slip = slips_here / f"{row.number}.txt"
        assert slip.exists() and row.number in slip.read_text(encoding="utf-8")
        await _keys(pilot, "escape", "f4")
        assert isinstance(app.screen, RequestsScreen)
        table = app.screen.query_one("#rq-table", DataTable)
        assert str(row.id) in [key.value for key in table.rows]
    assert Request.select().count() == before + 1


async def test_a_visitor_reports_a_public_place_in_a_grid(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    grid: Any = GridL4.select().where(GridL4.code == "2-3").get()
    app = _app(demo_copy, clock, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f6")
        form = app.screen
        assert isinstance(form, RequestFormScreen)
        await _keys(pilot, *"Zhang Wei from Taiyuan")
        hits = form.query_one("#reporter-hits", OptionList)
        last = hits.get_option_at_index(hits.option_count - 1)
        assert last.id == "visitor"
        for _ in range(hits.option_count - 1):
            await pilot.press("down")
        await _keys(pilot, "enter")
        assert form.visitor and form.focused is not None and form.focused.id == "f-phone"
        await _keys(pilot, *"13900001111", "enter", *"2-3网格", "enter")
        assert form.place is not None and form.place.place.grid_l4_id == grid.id
        await _keys(pilot, *"east gate", "enter", "enter", "7", "enter", *"rubbish", "ctrl+s")
        assert isinstance(app.screen, RequestLoggedScreen)
        row: Any = Request.get(Request.number == app.screen.logged.number)
    assert (row.reporter_kind, row.reporter_name, row.reporter_phone) == (
        "visitor",
        "Zhang Wei from Taiyuan",
        "13900001111",
    )
    assert (row.grid_l4_id, row.place_text, row.category.code) == (
        grid.id,
        "east gate",
        "sanitation",
    )
    assert row.holder_id == grid.manager_id


async def test_enter_before_the_search_answers_takes_the_right_resident(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    resident = _reporter()
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f6")
        await pilot.press(*resident.name, "enter")  # a practised clerk does not wait
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, RequestFormScreen)
        assert form.reporter is not None and form.reporter.resident_id == resident.id
        await _settle(pilot)
        assert form.place is not None and form.place.place.flat_id == resident.household.flat_id


async def test_r_on_a_residents_detail_fills_in_reporter_and_flat(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    resident = next(_reporters("plumbing"))
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(resident.id)
        await _settle(pilot)
        assert isinstance(app.screen, ResidentDetailScreen)
        await _keys(pilot, "r")
        form = app.screen
        assert isinstance(form, RequestFormScreen)
        assert form.query_one("#f-reporter", Input).value == resident.name
        assert form.place is not None and form.place.place.flat_id == resident.household.flat_id
        assert form.focused is not None and form.focused.id == "f-category"
        await _keys(pilot, "enter", "2", "enter", *"厨房水管漏水", "ctrl+s")
        assert isinstance(app.screen, RequestLoggedScreen)
        row: Any = Request.get(Request.number == app.screen.logged.number)
        await _keys(pilot, "enter")
        assert isinstance(app.screen, ResidentDetailScreen)
    assert (row.reporter_id, row.flat_id) == (resident.id, resident.household.flat_id)
    assert row.category.code == "plumbing"


async def test_escape_closes_the_intake_and_writes_nothing(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    before = Request.select().count()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f4", "f6", *"楼道灯", "escape")
        assert isinstance(app.screen, ChoiceScreen)  # something typed: asked first
        await _keys(pilot, "enter")  # the first answer: keep editing
        assert isinstance(app.screen, RequestFormScreen)
        await _keys(pilot, "escape", "2")  # throw it away
        assert isinstance(app.screen, RequestsScreen)
        await _keys(pilot, "f6", "ctrl+s")  # nothing filled in: messages, no request
        form = app.screen
        assert isinstance(form, RequestFormScreen)
        assert form.query_one("#m-reporter", Static).has_class("-error")
        assert form.query_one("#m-description", Static).has_class("-error")
        await _keys(pilot, "escape")  # nothing typed: closed at once
        assert isinstance(app.screen, RequestsScreen)
    assert Request.select().count() == before


# ------------------------------------------------------------------------------- duplicates


def _neighbours() -> tuple[Resident, Resident]:
    """Two of ``_reporters()`` in the same building, in different flats."""
    seen: dict[int, Resident] = {}
    for resident in _reporters():
        flat = resident.household.flat
        building = flat.unit.building_id
        first = seen.get(building)
        if first is not None and first.household.flat_id != flat.id:
            return first, resident
        seen.setdefault(building, resident)
    raise AssertionError("no two such neighbours")


async def test_a_second_report_is_attached_to_the_first(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    first_reporter, second_reporter = _neighbours()
    first = _log(first_reporter)
    before = Request.select().count()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        # the reporter picked, the focus skips the flat filled in: Enter leaves the detail empty
        await _keys(pilot, "f6", *second_reporter.name, "enter", "enter")
        form = app.screen
        assert isinstance(form, RequestFormScreen)
        await _keys(pilot, "enter", "1", "enter")
        # offered as soon as category and place are known
        assert [c.id for c in form.duplicates] == [first.id]
        assert form.query_one("#row-duplicates").display
        await _keys(pilot, *"楼道灯还是不亮", "ctrl+s")
        # the first Ctrl+S stops on them, the list has the focus: Enter attaches
        assert isinstance(app.screen, RequestFormScreen)
        assert form.query_one("#m-duplicates", Static).has_class("-warning")
        assert form.focused is form.query_one("#f-duplicates", OptionList)
        await _keys(pilot, "enter")
        assert not isinstance(app.screen, RequestFormScreen)
    assert Request.select().count() == before  # no new request
    detail = get_request(first.id, DEMO_NOW, actor_id=staff_of())
    assert [r.name for r in detail.reporters] == [first_reporter.name, second_reporter.name]
    extra: Any = RequestReporter.get(RequestReporter.request == first.id)
    assert (extra.resident_id, extra.note) == (second_reporter.id, "楼道灯还是不亮")
    assert detail.timeline[-1].kind == "reporter_attached"


async def test_ctrl_s_twice_logs_a_new_one_anyway(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    first_reporter, second_reporter = _neighbours()
    first = _log(first_reporter)
    before = Request.select().count()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f4")
        queue = app.screen
        assert isinstance(queue, RequestsScreen)
        await _keys(pilot, "n", *second_reporter.name, "enter", "enter")
        await _keys(pilot, "enter", "1", "enter", *"另一盏灯", "ctrl+s")
        assert isinstance(app.screen, RequestFormScreen)
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, RequestLoggedScreen)
        logged = app.screen.logged
        assert logged.id != first.id
        await _keys(pilot, "enter")
        assert app.screen is queue  # and it has reloaded: the new request is in it
        table = queue.query_one("#rq-table", DataTable)
        assert {str(first.id), str(logged.id)} <= {key.value for key in table.rows}
    assert Request.select().count() == before + 1


# ------------------------------------------------------------------------------------ queue


async def test_queue_sorted_by_due_time_with_counts_and_filters(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f4")
        screen = app.screen
        assert isinstance(screen, RequestsScreen) and screen.page is not None
        dues: list[Any] = [row.due_at for row in screen.page.rows]
        assert dues == sorted(dues) and len(dues) == screen.page.total
        counts = _text(screen, "#rq-counts")
        assert "处理中 14" in counts and "已关闭 263" in counts
        overdue = sum(row.overdue for row in screen.page.rows)
        assert 0 < overdue < len(dues)
        await _keys(pilot, "o")
        assert all(row.overdue for row in screen.page.rows)
        assert len(screen.page.rows) == overdue
        await _keys(pilot, "ctrl+r")
        assert len(screen.page.rows) == len(dues)
        # "mine": what the signed-in supervisor holds (escalated to the community)
        await _keys(pilot, "m")
        assert screen.query_one("#filter-mine", Checkbox).value
        assert app.desk.operator is not None
        me = app.desk.operator.name
        assert screen.page.rows and all(row.holder_name == me for row in screen.page.rows)


# ----------------------------------------------------------------------------------- detail


async def test_detail_start_escalate_resolve_close_reopen(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    resident = _reporter()
    logged = _log(resident)
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f4")
        table = app.screen.query_one("#rq-table", DataTable)
        table.move_cursor(row=table.get_row_index(str(logged.id)))
        await _keys(pilot, "enter")
        detail = app.screen
        assert isinstance(detail, RequestDetailScreen) and detail.detail is not None
        summary = _text(detail, "#rd-summary")
        assert logged.number in summary and logged.holder_name in summary

        await _keys(pilot, "s")
        assert Request.get_by_id(logged.id).status == "in_progress"

        await _keys(pilot, "e")
        assert isinstance(app.screen, RequestActionScreen)
        await _keys(pilot, *"需要社区协调物业", "enter")
        row: Any = Request.get_by_id(logged.id)
        assert row.level == "community" and Staff.get_by_id(row.holder_id).role == "supervisor"
        assert "社区" in _text(detail, "#rd-summary")
        assert "需要社区协调物业" in _text(detail, "#rd-timeline")

        await _keys(pilot, "r")  # how, and at which level: 1 网格
        assert isinstance(app.screen, RequestActionScreen)
        await _keys(pilot, "1", *"已更换灯泡", "enter")
        row = Request.get_by_id(logged.id)
        assert (row.status, row.resolved_level, row.resolution) == (
            "resolved",
            "grid",
            "已更换灯泡",
        )

        await _keys(pilot, "c")
        assert Request.get_by_id(logged.id).status == "closed"

        await _keys(pilot, "o", *"灯又坏了", "enter")
        row = Request.get_by_id(logged.id)
        assert row.status == "assigned" and row.resolved_at is None
        kinds = [e.kind for e in get_request(logged.id, DEMO_NOW, actor_id=staff_of()).timeline]
        assert kinds == [
            "created",
            "assigned",
            "status",
            "escalated",
            "resolved",
            "closed",
            "reopened",
        ]
        await _keys(pilot, "escape")
        assert isinstance(app.screen, RequestsScreen)


async def test_a_stale_copy_is_refused_and_reloaded(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    logged = _log(_reporter())
    app = _app(demo_copy, clock, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(RequestDetailScreen(logged.id))
        await _settle(pilot)
        detail = app.screen
        assert isinstance(detail, RequestDetailScreen)
        # another desk starts it in the same instant, before this desk's next look for changes
        app.change_watch = None
        lifecycle.start(logged.id, 1, actor_id=staff_of(), now=DEMO_NOW)
        await _keys(pilot, "e", *"stuck", "enter")
        assert detail.stale
        assert "someone else" in _text(detail, "#rd-status").lower()
        who = Staff.get_by_id(staff_of()).display_name
        assert any(f"changed by {who}" in str(n.message) for n in app._notifications)
        assert Request.get_by_id(logged.id).level == "grid"
        await _keys(pilot, "ctrl+r")
        assert not detail.stale and detail.detail is not None
        assert detail.detail.status == "in_progress"
        await _keys(pilot, "e", *"stuck", "enter")
        assert Request.get_by_id(logged.id).level == "community"


# ------------------------------------------------------------------------ keys and palette


def _footer_width(screen: Any) -> int:
    footer = screen.query_one(Footer)
    return max(key.region.right for key in footer.children) - footer.region.x


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_footers_fit_80_columns(
    demo_copy: SqliteDatabase, clock: FixedClock, language: str
) -> None:
    logged = _log(_reporter())
    app = _app(demo_copy, clock, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f4")
        screens = [app.screen]
        for status in ("assigned", "in_progress", "resolved", "closed"):
            Request.update(status=status).where(Request.id == logged.id).execute()
            app.push_screen(RequestDetailScreen(logged.id))
            await _settle(pilot)
            screens.append(app.screen)
            assert _footer_width(app.screen) <= 80, status
            await _keys(pilot, "escape")
        assert _footer_width(screens[0]) <= 80
        await _keys(pilot, "f2")
        assert _footer_width(app.screen) <= 80  # F6 is not in it: it would not fit


async def test_every_action_is_in_the_palette(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    logged = _log(_reporter())
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "ctrl+p", *"登记来访诉求")
        await pilot.pause(0.3)
        await _keys(pilot, "enter")
        assert isinstance(app.screen, RequestFormScreen)
        await _keys(pilot, "escape", "f4")
        queue_titles = [title for title, _help, _cb in app.screen.palette_commands()]
        assert any("超期" in t for t in queue_titles) and any("我的" in t for t in queue_titles)
        app.push_screen(RequestDetailScreen(logged.id))
        await _settle(pilot)
        titles = [title for title, _help, _cb in app.screen.palette_commands()]
        for word in ("开始处理", "备注", "转派", "升级", "办结", "回执"):
            assert any(word in t for t in titles), word
        assert not any("重新打开" in t for t in titles)  # not in this status


async def test_the_screens_follow_a_language_switch(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    logged = _log(_reporter())
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f4", "ctrl+g", "enter", "down", "enter")  # grid 1-1
        queue = app.screen
        assert isinstance(queue, RequestsScreen) and queue.filters.grid_l4_id is not None
        app.set_language("en")
        await _settle(pilot)
        assert "In progress" in _text(queue, "#rq-counts")
        assert queue.query_one("#filter-grid", Select).value == queue.filters.grid_l4_id
        app.push_screen(RequestDetailScreen(logged.id))
        await _settle(pilot)
        app.set_language("zh")
        await _settle(pilot)
        assert "派单给" in _text(app.screen, "#rd-timeline")
        await _keys(pilot, "f6", *"3-2-1001")
        app.set_language("en")
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, RequestFormScreen)
        assert form.query_one("#f-reporter", Input).value == "3-2-1001"
        assert "visitor" in str(
            form.query_one("#reporter-hits", OptionList)
            .get_option_at_index(form.query_one("#reporter-hits", OptionList).option_count - 1)
            .prompt
        )


async def test_the_app_sweeps_overdue_requests(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    swept = RequestEvent.kind.in_(["overdue", "escalated"])
    before = RequestEvent.select().where(swept).count()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.sweep_requests()  # what the one-minute timer runs
        await _settle(pilot)
    assert RequestEvent.select().where(swept).count() > before


async def test_the_confirmation_says_when_a_stand_in_holds_it(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    resident = next(_reporters("locksmith"))
    grid: Any = GridL4.get_by_id(resident.household.flat.grid_l4_id)
    Staff.update(away=True).where(Staff.id == grid.manager_id).execute()
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_resident(resident.id)
        await _settle(pilot)
        await _keys(pilot, "r", "enter", "3", "enter", *"钥匙锁在家里", "tab", "enter", "down")
        await _keys(pilot, "enter", "ctrl+s")  # 紧急
        confirmation = app.screen
        assert isinstance(confirmation, RequestLoggedScreen)
        assert confirmation.logged.standing_in
        assert "网格员不在岗" in _text(confirmation, "#logged-body")
        row: Any = Request.get(Request.number == confirmation.logged.number)
    assert row.urgency == "urgent" and row.holder_id != grid.manager_id


async def test_a_grid_managers_queue_starts_at_their_own_requests(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    app = make_app(
        db_path=Path(demo_db.database),
        clock=clock,
        language="zh",
        demo=True,
        steady_cursor=True,
        operator=GRID_MANAGER,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, RequestsScreen)  # F4 first, not the home figures
        assert screen.query_one("#filter-mine", Checkbox).value
        assert screen.filters.holder_id == app.desk.operator_id
        assert app.desk.operator is not None
        me = app.desk.operator.name
        assert screen.page is not None and screen.page.rows
        assert all(row.holder_name == me for row in screen.page.rows)
        await _keys(pilot, "m")  # everyone's open requests
        assert any(row.holder_name != me for row in screen.page.rows)


async def test_a_request_logged_at_another_desk_appears_without_a_key(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    app = _app(demo_copy, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "f4")
        screen = app.screen
        assert isinstance(screen, RequestsScreen) and screen.page is not None
        before = {row.number for row in screen.page.rows}
        person = Resident.select().where(Resident.status == "living").first()
        logged = create_request(
            RequestInput(
                reporter=Reporter(person.name, "", person.id),
                place=Place(),
                category="lighting",
                urgency="normal",
                description="另一台电脑登记的：楼道灯不亮",
            ),
            actor_id=staff_of("reception"),
            now=DEMO_NOW,
        )
        assert logged.number not in before
        for _ in range(30):  # the desk looks every second; no key is pressed
            await pilot.pause(0.1)
            if screen.page and logged.number in {r.number for r in screen.page.rows}:
                break
        assert logged.number in {row.number for row in screen.page.rows}
