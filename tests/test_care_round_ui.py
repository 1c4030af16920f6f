"""Today's round (F12) through Pilot, keyboard only: the grid manager's round, a visit recorded
from it in a few keys (counted), an attempt that keeps the person on the round, a concern that
opens a linked request, a visit recorded at another desk showing here, the reception kept out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase
from textual.widgets import DataTable, Input, OptionList, Static

from frontdesk.app import FrontdeskApp
from frontdesk.care.round import Round, todays_round
from frontdesk.care.visits import VisitInput, record_visit
from frontdesk.clock import FixedClock
from frontdesk.db.audit import AuditEntry
from frontdesk.db.models import Request, Staff, Visit, VisitPerson
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.care.household_pick import HouseholdPickScreen
from frontdesk.screens.care.request_offer import RequestOfferScreen
from frontdesk.screens.care.round import RoundScreen
from frontdesk.screens.care.visit_form import VisitFormScreen
from frontdesk.screens.residents.reveal_reason import RevealReasonScreen
from frontdesk.vocabulary import AreaState, CareArea, VisitMode, VisitOutcome
from tests.conftest import DEMO_NOW, GRID_MANAGER, RECEPTION, SUPERVISOR, desk_on
from tests.conftest import settle as _settle

MAX_KEYS = 30


def _gm() -> int:
    return int(Staff.get(Staff.username == GRID_MANAGER).id)


def _round() -> Round:
    return todays_round(actor_id=_gm(), now=DEMO_NOW)


def _app(db: SqliteDatabase, clock: FixedClock, language: str = "zh") -> FrontdeskApp:
    return desk_on(db, clock, language, GRID_MANAGER)


class Keys:
    """Presses keys, each followed by a settle, and counts them."""

    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot
        self.count = 0

    async def __call__(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            self.count += 1
            await _settle(self.pilot)

    async def type(self, text: str) -> None:
        """A note typed: the issue counts keys *plus the notes*, so not counted."""
        for char in text:
            await self.pilot.press(char)
        await _settle(self.pilot)


def _rows(screen: RoundScreen) -> list[str]:
    table = screen.query_one("#cr-table", DataTable)
    return [" ".join(str(cell) for cell in table.get_row_at(n)) for n in range(table.row_count)]


def _on_table(screen: RoundScreen, resident_id: int) -> bool:
    return any(key.endswith(f"-{resident_id}") for key in screen.stops)


@pytest.fixture(autouse=True)
def slips_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "slips"
    monkeypatch.setenv("FRONTDESK_SLIPS", str(folder))
    yield folder


async def test_the_round_shows_the_grid_managers_stops_and_counts(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    found = _round()
    assert found.stops
    async with _app(demo_db, clock).run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("f12")
        screen = pilot.app.screen
        assert isinstance(screen, RoundScreen)
        counts = str(screen.query_one("#cr-counts", Static).render())
        assert counts == f"今日 {found.people} 人，逾期 {found.overdue} 人"
        rows = _rows(screen)
        first = found.stops[0]
        assert first.address in rows[0] and first.people[0].name in rows[0]
        late = [p for s in found.stops for p in s.people if p.overdue_days]
        assert all(any(f"逾期{p.overdue_days}天" in row for row in rows) for p in late)


async def test_a_visit_from_the_round_in_a_few_keys_takes_them_off_it(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    stop = _round().stops[0]
    due = {p.resident_id for p in stop.people}
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12")
        screen = pilot.app.screen
        assert isinstance(screen, RoundScreen)
        await keys("enter")  # the first stop, as the round lists it
        assert isinstance(pilot.app.screen, VisitFormScreen)
        await keys("ctrl+s")  # everything as it is: in person, seen, now, all areas ok
        assert pilot.app.screen is screen
        assert keys.count <= MAX_KEYS
        assert not any(_on_table(screen, rid) for rid in due)
    visit: Any = Visit.select().order_by(Visit.id.desc()).first()
    assert visit.household_id == stop.household_id and visit.created_by_id == _gm()
    assert (visit.mode, visit.outcome) == (VisitMode.IN_PERSON.value, VisitOutcome.SEEN.value)
    assert visit.visited_at == DEMO_NOW.replace(second=0)
    seen = {vp.resident_id for vp in VisitPerson.select().where(VisitPerson.visit == visit.id)}
    assert seen == due
    left = {p.resident_id for s in _round().stops for p in s.people}
    assert not due & left


async def test_an_attempt_keeps_the_person_on_the_round_with_the_miss_shown(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    stop = _round().stops[0]
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "enter", "o", "ctrl+s")
        screen = pilot.app.screen
        assert isinstance(screen, RoundScreen)
        assert keys.count <= MAX_KEYS
        assert _on_table(screen, stop.people[0].resident_id)
        assert "11-29" in [str(cell) for cell in _column(screen, "attempt")]  # under 未遇
    visit: Any = Visit.select().order_by(Visit.id.desc()).first()
    assert visit.outcome == VisitOutcome.NOT_HOME.value and visit.health is None
    assert stop.people[0].resident_id in {p.resident_id for p in _round().stops[0].people}


async def test_a_concern_opens_a_linked_request_on_one_key(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    stop = _round().stops[0]
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "enter", "2", "d")  # by phone; home safety a concern, its note next
        await keys.type("燃气灶打火不着")
        await keys("enter", "ctrl+s")
        offer = pilot.app.screen
        assert isinstance(offer, RequestOfferScreen)
        assert offer.summary == "走访发现居家安全需关注：燃气灶打火不着"
        await keys("enter")  # yes: open it, the summary as it is
        assert keys.count <= MAX_KEYS
        assert isinstance(pilot.app.screen, RoundScreen)
    visit: Any = Visit.select().order_by(Visit.id.desc()).first()
    assert visit.household_id == stop.household_id and visit.mode == VisitMode.PHONE.value
    assert visit.safety == AreaState.CONCERN.value and visit.safety_note == "燃气灶打火不着"
    assert visit.health == AreaState.OK.value
    request: Any = Request.get_by_id(visit.request_id)
    assert request.category.code == "safety" and "燃气灶打火不着" in request.description


async def test_escape_skips_the_request_and_asks_before_dropping_a_typed_form(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "enter", "a", "escape")  # a concern toggled, the note box focused
        assert isinstance(pilot.app.screen, ChoiceScreen)  # throw it away?
        await keys("escape")  # no: keep on editing
        assert isinstance(pilot.app.screen, VisitFormScreen)
        await keys("ctrl+s")
        assert isinstance(pilot.app.screen, RequestOfferScreen)  # the request offer
        await keys("escape")
        assert isinstance(pilot.app.screen, RoundScreen)
    visit: Any = Visit.select().order_by(Visit.id.desc()).first()
    assert visit.health == AreaState.CONCERN.value and visit.request_id is None


async def test_a_time_that_is_not_one_is_refused_beside_its_field(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    before = Visit.select().count()
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "enter", "shift+tab")  # to the time
        await keys("ctrl+u")
        await keys.type("2026-11-30 09:00")  # tomorrow: the service refuses it
        await keys("ctrl+s")
        form = pilot.app.screen
        assert isinstance(form, VisitFormScreen)
        message = str(form.query_one("#m-visited_at", Static).render())
        assert message and form.query_one("#m-visited_at").has_class("-error")
    assert Visit.select().count() == before


async def test_a_visit_recorded_at_another_desk_shows_here_within_two_seconds(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    stop = _round().stops[0]
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("f12")
        screen = pilot.app.screen
        assert isinstance(screen, RoundScreen)
        assert _on_table(screen, stop.people[0].resident_id)
        # the other desk: the same file, its own connection and session
        record_visit(
            VisitInput(
                household_id=stop.household_id,
                mode=VisitMode.IN_PERSON,
                outcome=VisitOutcome.SEEN,
                visited_at=DEMO_NOW,
                seen=tuple(p.resident_id for p in stop.people),
                areas={CareArea.HEALTH: (AreaState.OK, "")},
            ),
            actor_id=_gm(),
            now=DEMO_NOW,
        )
        for _ in range(20):  # the desk looks every second; no key is pressed
            await pilot.pause(0.1)
            if not _on_table(screen, stop.people[0].resident_id):
                break
        assert not _on_table(screen, stop.people[0].resident_id)


async def test_reception_has_no_round(demo_db: SqliteDatabase, clock: FixedClock) -> None:
    async with desk_on(demo_db, clock, "zh", RECEPTION).run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("f12")
        assert not isinstance(pilot.app.screen, RoundScreen)
        assert not pilot.app.check_action("switch_mode", ("care",))


async def test_p_writes_the_slip_without_phones(
    demo_db: SqliteDatabase, clock: FixedClock, slips_here: Path
) -> None:
    async with _app(demo_db, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "p")
        assert isinstance(pilot.app.screen, ChoiceScreen)
        await keys("1")  # without phones
    written = list(slips_here.glob("round-*.txt"))
    assert [p.name for p in written] == [f"round-2026-11-29-{GRID_MANAGER}.txt"]
    assert _round().stops[0].address in written[0].read_text(encoding="utf-8")


async def test_a_supervisor_chooses_whose_round_and_a_grid_manager_cannot(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    found = _round()
    async with desk_on(demo_db, clock, "zh", SUPERVISOR).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "w")
        chooser = pilot.app.screen
        assert isinstance(chooser, ChoiceScreen)
        number = next(n for n, (key, _label) in enumerate(chooser.options, 1) if key == str(_gm()))
        await keys(str(number))
        screen = pilot.app.screen
        assert isinstance(screen, RoundScreen) and screen.staff_id == _gm()
        counts = str(screen.query_one("#cr-counts", Static).render())
        assert (
            counts == f"{found.staff_name}的走访：  今日 {found.people} 人，逾期 {found.overdue} 人"
        )
    async with _app(demo_db, clock).run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("f12", "w")
        assert isinstance(pilot.app.screen, RoundScreen)  # no chooser for a grid manager
        assert not pilot.app.screen.check_action("whose", ())


async def test_a_grid_managers_home_counts_todays_round(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    found = _round()
    async with _app(demo_db, clock).run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("f5")
        line = pilot.app.screen.query_one("#home-round", Static)
        assert line.display
        assert str(line.render()) == f"今日走访 {found.people} 人（逾期 {found.overdue}）· F12"


async def test_a_visit_recorded_on_a_second_desk_shows_on_the_first(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """Two desks, one file: the grid manager records at one, the round at the other follows."""
    stop = _round().stops[0]
    first, second = _app(demo_copy, clock), _app(demo_copy, clock)
    async with first.run_test(size=(80, 24)) as one, second.run_test(size=(80, 24)) as two:
        await Keys(one)("f12")
        shown = one.app.screen
        assert isinstance(shown, RoundScreen) and _on_table(shown, stop.people[0].resident_id)
        await Keys(two)("f12", "enter", "ctrl+s")
        assert isinstance(two.app.screen, RoundScreen)
        for _ in range(20):  # within 2 s, no key pressed at the first desk
            await one.pause(0.1)
            if not _on_table(shown, stop.people[0].resident_id):
                break
        assert not _on_table(shown, stop.people[0].resident_id)


async def test_the_palette_records_a_visit_for_a_household_found_as_in_f2(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    stop = _round().stops[0]
    flat = stop.address.split()[-1]  # 1-1-302
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f5", "ctrl+p")
        await keys.type("记录走访")
        await keys("enter")
        assert isinstance(pilot.app.screen, HouseholdPickScreen)
        await keys.type(flat)
        await keys("enter")
        form = pilot.app.screen
        assert isinstance(form, VisitFormScreen)
        assert form.form.household_id == stop.household_id
        assert set(form.seen_at_start) == {p.resident_id for p in stop.people}
        await keys("ctrl+s")
    visit: Any = Visit.select().order_by(Visit.id.desc()).first()
    assert visit.household_id == stop.household_id


async def test_p_with_phones_asks_why_and_the_reveal_is_audited(
    demo_copy: SqliteDatabase, clock: FixedClock, slips_here: Path
) -> None:
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "p", "2")  # with phones: why?
        asked = pilot.app.screen
        assert isinstance(asked, RevealReasonScreen)
        # the walk's own reasons, not the resident page's (a leak upstairs, the police)
        choices = asked.query_one("#reveal-choices", OptionList)
        shown = [str(choices.get_option_at_index(n).prompt) for n in range(choices.option_count)]
        assert shown == [
            "1. 入户走访需联系本人或家属",
            "2. 寒潮、集中走访需联系",
            "3. 其他（请填写说明）",
        ]
        await keys("4")  # no such choice: nothing happens
        assert pilot.app.screen is asked
        await keys("1")  # 入户走访需联系本人或家属
        assert isinstance(pilot.app.screen, RoundScreen)
    written = list(slips_here.glob("round-*.txt"))
    assert [p.name for p in written] == [f"round-2026-11-29-{GRID_MANAGER}-phones.txt"]
    entry: Any = AuditEntry.get(AuditEntry.action == "care.slip_reveal")
    assert entry.reason == "care_slip.reason.visit" and entry.actor_id == _gm()


async def test_the_slips_other_reason_asks_for_the_text(
    demo_copy: SqliteDatabase, clock: FixedClock, slips_here: Path
) -> None:
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "p", "2", "3")  # other: the text is required
        assert isinstance(pilot.app.screen, RevealReasonScreen)
        await keys.type("社区书记要求核对")
        await keys("enter")
        assert isinstance(pilot.app.screen, RoundScreen)
    entry: Any = AuditEntry.get(AuditEntry.action == "care.slip_reveal")
    assert entry.reason == "社区书记要求核对"


def _column(screen: RoundScreen, column: str) -> list[object]:
    table = screen.query_one("#cr-table", DataTable)
    return list(table.get_column(column))


async def test_ages_have_their_own_right_aligned_column(
    demo_db: SqliteDatabase, clock: FixedClock
) -> None:
    """Name and age were one cell ("惠波 82" / "雷玉兰 77"): the ages did not line up."""
    people = [p for s in _round().stops for p in s.people]
    async with _app(demo_db, clock, "en").run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("f12")
        screen = pilot.app.screen
        assert isinstance(screen, RoundScreen)
        table = screen.query_one("#cr-table", DataTable)
        headings = [str(c.label) for c in table.columns.values()]
        assert headings[1:3] == ["Name", "Age"]
        names = _column(screen, "person")[: len(people)]
        ages = _column(screen, "age")[: len(people)]
        assert [str(n) for n in names] == [p.name for p in people]
        assert [str(a) for a in ages] == [str(p.age) for p in people]
        assert all(getattr(a, "justify", None) == "right" for a in ages)


async def test_a_miss_shows_on_each_person_of_the_stop(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """A 未遇 to a household of two: both of them were missed, so both rows say when."""
    stops = _round().stops
    index = next(n for n, s in enumerate(stops) if len(s.people) > 1)
    rows_before = sum(len(s.people) for s in stops[:index])
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", *["down"] * rows_before, "enter", "o", "ctrl+s")
        screen = pilot.app.screen
        assert isinstance(screen, RoundScreen)
        assert screen.round is not None
        stop = next(s for s in screen.round.stops if s.household_id == stops[index].household_id)
        attempts = [
            str(cell)
            for key, cell in zip(screen.stops, _column(screen, "attempt"), strict=False)
            if key.startswith(f"t{stop.household_id}-")
        ]
        assert attempts == ["11-29"] * len(stop.people)


async def test_a_campaign_started_at_another_desk_shows_on_the_round(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """Another desk (the supervisor's) starts a campaign on the same file: the round reloads with
    its people marked 集中走访, no key pressed here."""
    from datetime import timedelta

    from frontdesk.care.campaigns import start_campaign

    before = {p.resident_id for s in _round().stops for p in s.people}
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        await Keys(pilot)("f12")
        screen = pilot.app.screen
        assert isinstance(screen, RoundScreen)
        lead = Staff.get(Staff.username == SUPERVISOR).id
        start_campaign(
            "寒潮来袭",
            ("elderly_80",),
            due_on=DEMO_NOW.date() + timedelta(days=2),
            actor_id=lead,
            now=DEMO_NOW,
        )
        added = {p.resident_id for s in _round().stops for p in s.people} - before
        assert added  # the campaign put someone of this grid manager's on today's round
        for _ in range(30):  # within 3 s
            await pilot.pause(0.1)
            if all(_on_table(screen, rid) for rid in added):
                break
        assert all(_on_table(screen, rid) for rid in added)


def test_the_round_follows_campaigns_and_settings_of_other_desks() -> None:
    from frontdesk.vocabulary import Changes

    shows = RoundScreen.shows
    for entity in ("visit", "resident", "household", "care_campaign", "setting"):
        assert shows(RoundScreen(), Changes(frozenset({(entity, 1)})))
    assert not shows(RoundScreen(), Changes(frozenset({("booking", 1)})))


async def test_the_hint_says_what_a_to_e_do_and_enter_comes_back(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """``d`` already puts the cursor in 居家安全's note: the hint said "Tab 到说明框", and Tab
    took the clerk on to 服务需求's note."""
    for language, wanted in (("zh", "a–e 需关注并写说明 · Enter 回到表单"), ("en", "Enter back")):
        async with _app(demo_copy, clock, language).run_test(size=(80, 24)) as pilot:
            await Keys(pilot)("f12", "enter")
            form = pilot.app.screen
            assert isinstance(form, VisitFormScreen)
            hint = str(form.query_one("#form-help", Static).render())
            assert wanted in hint and "Tab" not in hint
            await Keys(pilot)("d")
            assert form.focused is form.query_one("#f-safety_note")
            await Keys(pilot)("enter")
            assert form.focused is form.query_one("#f-seen")


async def test_a_concern_without_a_note_lets_the_clerk_say_what_it_is(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    """No note: the summary is not "走访发现居家安全需关注：居家安全" but its first part, for the
    clerk to finish (typed on at its end here)."""
    async with _app(demo_copy, clock).run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "enter", "d", "enter", "ctrl+s")
        offer = pilot.app.screen
        assert isinstance(offer, RequestOfferScreen)
        assert offer.query_one("#offer-summary", Input).value == "走访发现居家安全需关注"
        await keys.type(" 楼道堆放杂物")
        await keys("enter")
        assert isinstance(pilot.app.screen, RoundScreen)
    visit: Any = Visit.select().order_by(Visit.id.desc()).first()
    request: Any = Request.get_by_id(visit.request_id)
    assert request.description == "走访发现居家安全需关注 楼道堆放杂物"


async def test_the_requests_summary_is_written_in_chinese_on_an_english_desk(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    async with _app(demo_copy, clock, "en").run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("f12", "enter", "d")
        await keys.type("gas hob will not light")
        await keys("enter", "ctrl+s", "enter")
        assert isinstance(pilot.app.screen, RoundScreen)
    visit: Any = Visit.select().order_by(Visit.id.desc()).first()
    request: Any = Request.get_by_id(visit.request_id)
    assert request.description == "走访发现居家安全需关注：gas hob will not light"
