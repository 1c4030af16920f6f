"""When a visit is due (``frontdesk.care.cadence``): the rules, by example and by hypothesis.

Chosen and tested here: dues fall on any calendar day, weekends and public holidays included
(visits are made on weekends too; care visits do not count working hours as request due times
do).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.care.cadence import (
    DEFAULT_DAYS,
    Campaign,
    DueKind,
    Event,
    History,
    LevelSet,
    Pause,
    TagSpan,
    dues,
    end_of,
    level_timeline,
)
from frontdesk.vocabulary import CareLevel

D0 = date(2026, 1, 5)  # a Monday
HIGH, KEY, GENERAL = CareLevel.HIGH, CareLevel.KEY, CareLevel.GENERAL
DAYS = dict(DEFAULT_DAYS)


def at(day: int, hour: int = 10) -> datetime:
    return datetime.combine(D0 + timedelta(days=day), time(hour))


def d(day: int) -> date:
    return D0 + timedelta(days=day)


def routine_open(history: History, now: datetime) -> list[date]:
    return [due.due_on for due in dues(history, DAYS, now).open if due.kind == DueKind.ROUTINE]


# ---------------------------------------------------------------- examples


def test_entering_care_makes_the_first_visit_due_after_the_levels_days() -> None:
    history = History(levels=[(d(0), HIGH)])
    assert routine_open(history, at(1)) == [d(7)]


def test_a_visit_meets_the_due_and_the_next_falls_days_after_it() -> None:
    history = History(levels=[(d(0), KEY)], seen=[at(10)])
    state = dues(history, DAYS, at(11))
    assert [(due.due_on, due.met_at) for due in state.closed] == [(d(30), at(10))]
    assert state.closed[0].on_time
    assert routine_open(history, at(11)) == [d(40)]


def test_a_late_visit_is_not_on_time_and_the_due_stayed_open_until_it() -> None:
    history = History(levels=[(d(0), HIGH)], seen=[at(9)])
    assert dues(history, DAYS, at(8)).open[0].overdue(at(8))  # day 7 passed, nobody came
    late = dues(history, DAYS, at(9, 12)).closed[0]
    assert late.due_on == d(7) and late.met_at == at(9) and not late.on_time


def test_dues_fall_on_weekends_and_public_holidays() -> None:
    # a Saturday visit: the next weekly visit is due the next Saturday, not moved to Monday
    saturday = 5
    history = History(levels=[(d(0), HIGH)], seen=[at(saturday)])
    (due,) = routine_open(history, at(saturday, 12))
    assert due.weekday() == 5
    # National Day 2026-10-01 (a public holiday): a due falling on it stays on it
    start = date(2026, 9, 24)
    holiday = History(levels=[(start, HIGH)])
    assert [x.due_on for x in dues(holiday, DAYS, datetime(2026, 9, 25)).open] == [
        date(2026, 10, 1)
    ]


def test_a_pause_moves_a_due_falling_inside_it_to_the_day_it_ends() -> None:
    history = History(levels=[(d(0), HIGH)], pauses=[Pause(d(5), d(20))])
    assert routine_open(history, at(6)) == [d(20)]
    # ended early: the pause's real end counts
    ended = History(levels=[(d(0), HIGH)], pauses=[Pause(d(5), d(12))])
    assert routine_open(ended, at(6)) == [d(12)]


def test_a_due_already_overdue_when_a_pause_starts_stays_overdue() -> None:
    history = History(levels=[(d(0), HIGH)], pauses=[Pause(d(10), d(20))])
    assert routine_open(history, at(11)) == [d(7)]


def test_raising_the_level_brings_a_due_forward_but_never_before_the_change() -> None:
    history = History(levels=[(d(0), GENERAL), (d(20), HIGH)])
    assert routine_open(history, at(21)) == [d(20)]  # 0 + 7 is past: due the day of the change
    lowered = History(levels=[(d(0), HIGH), (d(3), KEY)])
    assert routine_open(lowered, at(4)) == [d(30)]


def test_leaving_care_drops_a_due_not_fallen_and_keeps_one_missed() -> None:
    dropped = dues(History(levels=[(d(0), HIGH), (d(3), None)]), DAYS, at(30))
    assert dropped.open == () and dropped.closed == () and dropped.level is None
    missed = dues(History(levels=[(d(0), HIGH), (d(10), None)]), DAYS, at(30))
    assert [(x.due_on, x.met_at) for x in missed.closed] == [(d(7), None)]


def test_death_or_moving_out_ends_every_due() -> None:
    history = History(
        levels=[(d(0), HIGH)],
        events=[Event(at(8), at(9))],
        campaigns=[Campaign(at(8), d(12))],
        gone_on=d(10),
    )
    state = dues(history, DAYS, at(30))
    assert state.open == ()
    assert {(x.kind, x.due_on) for x in state.closed} == {
        (DueKind.ROUTINE, d(7)),  # fell before: missed
        (DueKind.EVENT, d(9)),  # fell before: missed
    }  # the campaign's day came after: nobody's


def test_an_event_is_due_within_24_hours_and_met_by_the_first_visit_after_it() -> None:
    history = History(levels=[(d(0), KEY)], events=[Event(at(3, 9), at(4, 9))], seen=[at(4, 8)])
    state = dues(history, DAYS, at(5))
    event = next(x for x in state.closed if x.kind == DueKind.EVENT)
    assert event.met_at == at(4, 8) and event.on_time
    unmet = History(levels=[], events=[Event(at(3, 9), at(4, 9))])
    (due,) = dues(unmet, DAYS, at(4, 10)).open
    assert due.overdue(at(4, 10)) and not due.overdue(at(4, 8))


def test_a_visit_before_the_event_was_recorded_does_not_meet_it() -> None:
    # seen at 09:00, the fall recorded at 10:30 the same day: a visit is still due
    history = History(levels=[(d(0), KEY)], events=[Event(at(3, 10), at(4, 10))], seen=[at(3, 9)])
    (event,) = [x for x in dues(history, DAYS, at(3, 12)).open if x.kind == DueKind.EVENT]
    assert event.met_at is None and event.due_by == at(4, 10)


def test_a_campaign_is_met_by_a_visit_from_its_start() -> None:
    history = History(
        levels=[(d(0), GENERAL)], campaigns=[Campaign(at(10), d(12))], seen=[at(9), at(11)]
    )
    state = dues(history, DAYS, at(13))
    campaign = next(x for x in state.closed if x.kind == DueKind.CAMPAIGN)
    assert campaign.met_at == at(11) and campaign.on_time


def test_care_is_followed_from_the_desks_first_day_not_from_an_old_tag() -> None:
    old = History(levels=[(date(1997, 3, 1), KEY)], follow_from=d(0))
    assert routine_open(old, at(1)) == [d(30)]


def test_level_timeline_takes_the_highest_tag_and_a_level_set_by_hand() -> None:
    levels = {"elderly_alone": HIGH, "disabled": KEY, "elderly_80": GENERAL}
    tags = [
        TagSpan("elderly_80", d(0)),
        TagSpan("elderly_alone", d(10), d(20)),
        TagSpan("veteran", d(0)),  # not a care tag
    ]
    assert level_timeline(tags, [], levels) == [(d(0), GENERAL), (d(10), HIGH), (d(20), GENERAL)]
    hand = [LevelSet(d(5), KEY), LevelSet(d(15), None)]
    assert level_timeline(tags, hand, levels) == [
        (d(0), GENERAL),
        (d(5), KEY),
        (d(15), HIGH),
        (d(20), GENERAL),
    ]


# ---------------------------------------------------------------- hypothesis

HORIZON = 150
levels_st = st.sampled_from([HIGH, KEY, GENERAL, None])


@st.composite
def histories(draw: st.DrawFn) -> tuple[History, datetime]:
    change_days = sorted(draw(st.sets(st.integers(0, HORIZON), max_size=5)))
    levels = [(d(day), draw(levels_st)) for day in change_days]
    seen = [
        at(day, hour)
        for day, hour in draw(
            st.lists(st.tuples(st.integers(0, HORIZON), st.integers(0, 23)), max_size=12)
        )
    ]
    pauses = [
        Pause(d(start), d(start + length))
        for start, length in draw(
            st.lists(st.tuples(st.integers(0, HORIZON), st.integers(1, 40)), max_size=3)
        )
    ]
    events = [
        Event(at(day, hour), at(day, hour) + timedelta(hours=24))
        for day, hour in draw(
            st.lists(st.tuples(st.integers(0, HORIZON), st.integers(0, 23)), max_size=3)
        )
    ]
    campaigns = [
        Campaign(at(day, 9), d(day + span))
        for day, span in draw(
            st.lists(st.tuples(st.integers(0, HORIZON), st.integers(0, 5)), max_size=2)
        )
    ]
    gone = draw(st.none() | st.integers(1, HORIZON + 10))
    now = at(draw(st.integers(0, HORIZON + 20)), draw(st.integers(0, 23)))
    history = History(
        levels=levels,
        seen=seen,
        pauses=pauses,
        events=events,
        campaigns=campaigns,
        gone_on=None if gone is None else d(gone),
    )
    return history, now


def reference_routine(
    history: History, now: datetime
) -> tuple[list[tuple[date, datetime | None]], date | None]:
    """The routine rules stepped a day at a time: (closed dues as (day, met), the open due)."""
    today = now.date()
    changes = dict(history.levels)
    seen = sorted(x for x in history.seen if x <= now)

    def shift(day: date) -> date:
        moved = True
        while moved:
            moved = False
            for pause in history.pauses:
                if pause.starts_on <= today and pause.starts_on <= day < pause.until:
                    day, moved = pause.until, True
        return day

    closed: list[tuple[date, datetime | None]] = []
    level = None
    anchor = None
    due: date | None = None
    day = min([*changes, D0])
    while day <= today:
        if history.gone_on is not None and day >= history.gone_on:
            if due is not None and due < history.gone_on:
                closed.append((due, None))
            return closed, None
        if day in changes:
            new = changes[day]
            if level is None and new is not None:
                anchor, due = day, shift(day + timedelta(days=DAYS[new]))
            elif level is not None and new is None:
                if due is not None and due < day:
                    closed.append((due, None))
                due = None
            elif new is not None and due is not None and due >= day:
                assert anchor is not None
                due = shift(max(anchor + timedelta(days=DAYS[new]), day))
            level = new
        for visit in (x for x in seen if x.date() == day):
            if level is not None and due is not None:
                closed.append((due, visit))
                anchor, due = day, shift(day + timedelta(days=DAYS[level]))
        day += timedelta(days=1)
    return closed, due


@settings(max_examples=300, deadline=None)
@given(histories())
def test_routine_dues_follow_the_rules_day_by_day(case: tuple[History, datetime]) -> None:
    history, now = case
    state = dues(history, DAYS, now)
    closed, open_due = reference_routine(history, now)

    def order(due: tuple[date, datetime | None]) -> tuple[date, datetime]:
        return due[0], due[1] or datetime.min

    routine = [(x.due_on, x.met_at) for x in state.closed if x.kind == DueKind.ROUTINE]
    assert sorted(routine, key=order) == sorted(closed, key=order)
    assert [x.due_on for x in state.open if x.kind == DueKind.ROUTINE] == (
        [open_due] if open_due is not None else []
    )


@settings(max_examples=300, deadline=None)
@given(histories())
def test_next_due_is_the_last_visit_plus_the_levels_days_when_nothing_else_happened(
    case: tuple[History, datetime],
) -> None:
    history, now = case
    level = history.levels[0][1] if history.levels else None
    simple = History(levels=history.levels[:1], seen=history.seen)
    state = dues(simple, DAYS, now)
    if level is None or simple.levels[0][0] > now.date():
        assert not [x for x in state.open if x.kind == DueKind.ROUTINE]
        return
    start = simple.levels[0][0]
    after = [x for x in simple.seen if x <= now and x.date() >= start]
    anchor = max(after).date() if after else start
    assert [x.due_on for x in state.open] == [anchor + timedelta(days=DAYS[level])]
    assert len(state.closed) == len(after)  # each visit met exactly one due


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(0, HORIZON), st.integers(0, 23))
def test_one_more_visit_never_leaves_more_overdue(
    case: tuple[History, datetime], day: int, hour: int
) -> None:
    history, now = case
    more = History(
        levels=history.levels,
        seen=[*history.seen, at(day, hour)],
        pauses=history.pauses,
        events=history.events,
        campaigns=history.campaigns,
        gone_on=history.gone_on,
    )
    before = sum(1 for x in dues(history, DAYS, now).open if x.overdue(now))
    after = sum(1 for x in dues(more, DAYS, now).open if x.overdue(now))
    assert after <= before


@settings(max_examples=200, deadline=None)
@given(histories())
def test_events_and_campaigns_are_met_by_the_first_visit_from_their_start(
    case: tuple[History, datetime],
) -> None:
    history, now = case
    state = dues(history, DAYS, now)
    seen = sorted(x for x in history.seen if x <= now)
    gone = history.gone_on if history.gone_on and history.gone_on <= now.date() else None
    for due in state.all:
        if due.kind == DueKind.ROUTINE:
            continue
        assert due.met_at is None or due.met_at in seen
        if due.met_at is not None:
            assert gone is None or due.met_at.date() < gone
    if gone is not None:
        assert state.open == ()
    for due in state.open:
        assert due.kind != DueKind.ROUTINE or not any(
            p.starts_on <= due.due_on < p.until for p in history.pauses if p.starts_on <= now.date()
        )


def test_end_of_a_day_is_its_last_moment() -> None:
    assert end_of(d(0)) < datetime.combine(d(1), time.min)


def test_a_level_changed_on_the_day_a_due_falls_takes_the_new_rhythm() -> None:
    history = History(levels=[(d(0), KEY), (d(30), GENERAL)])
    assert routine_open(history, at(31)) == [d(90)]
