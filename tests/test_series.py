"""Weekly series: stale edits refused, the past and the begun never rewritten, the booking rules
obeyed, bounds checked before the write lock, and two desks interleaving edits lose nothing."""

from __future__ import annotations

import sqlite3
import time as clock_time
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.bookings import booking as booking_service
from frontdesk.bookings.attendance import check_in, mark_no_shows
from frontdesk.bookings.booking import create_booking
from frontdesk.bookings.rules import Booker, BookingInput, BookingRefused, load_room
from frontdesk.bookings.series import (
    SeriesInput,
    cancel_series,
    change_series,
    create_series,
    load_series,
)
from frontdesk.db.base import database_proxy
from frontdesk.db.models import Booking, BookingSeries, Room, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import ROLE_CAN, Can
from tests.roles import staff_of

MONDAY = date(2026, 11, 30)
CREATED = datetime(2026, 11, 30, 7, 0)  # the series is booked early on Monday ...
NOW = datetime(2026, 12, 2, 10, 30)  # ... and edited on Wednesday, during its 10:00 occurrence
CLUB = Booker("organisation", "书法爱好者协会", "03581234567")
LIVE = ("booked", "checked_in")


def room(code: str) -> int:
    return int(Room.get(Room.code == code).id)


def clear(room_id: int, since: date) -> None:
    """Free the room from ``since`` on (the demo books it) so the test owns its hours."""
    Booking.update(status="cancelled").where(
        (Booking.room == room_id) & (Booking.starts_at >= datetime.combine(since, time.min))
    ).execute()


def weekly(room_id: int, **changes: Any) -> SeriesInput:
    base = SeriesInput(
        room_id=room_id,
        title="书法课",
        weekdays=(0, 1, 2, 4),
        start_time=time(10, 0),
        end_time=time(11, 0),
        starts_on=MONDAY,
        until_on=date(2026, 12, 25),
        booker=CLUB,
        attendees=8,
    )
    return replace(base, **changes)


def rows_of(series_ids: set[int]) -> list[Any]:
    return list(
        Booking.select()
        .where(Booking.series.in_(list(series_ids)))
        .order_by(Booking.occurrence_date, Booking.id)
    )


def state(row: Any) -> tuple[Any, ...]:
    return (
        row.id,
        row.series_id,
        row.occurrence_date,
        row.room_id,
        row.starts_at,
        row.ends_at,
        row.status,
        row.title,
        row.version,
    )


def begun_series(room_id: int) -> int:
    """Mon 11-30 a no-show, Tue 12-01 past (left booked), Wed 12-02 checked in and under way,
    the rest ahead — seen at ``NOW``."""
    saved = create_series(weekly(room_id), skip_conflicts=False, actor_id=staff_of(), now=CREATED)
    mark_no_shows(datetime(2026, 11, 30, 10, 15))
    wednesday = Booking.get(
        (Booking.series == saved.series_id) & (Booking.occurrence_date == date(2026, 12, 2))
    )
    check_in(wednesday.id, actor_id=staff_of("reception"), now=datetime(2026, 12, 2, 9, 50))
    return saved.series_id


# ------------------------------------------------------------------------------ stale edits


def test_a_stale_whole_series_edit_is_refused_naming_who_changed_it(
    demo_copy: SqliteDatabase,
) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    saved = create_series(
        weekly(meeting, starts_on=date(2026, 12, 3)),
        skip_conflicts=False,
        actor_id=staff_of(),
        now=NOW,
    )
    one = rows_of({saved.series_id})[-1]
    desk_1 = load_series(saved.series_id, actor_id=staff_of())  # both desks open the series
    desk_2 = load_series(saved.series_id, actor_id=staff_of())
    moved = replace(desk_2.data, title="书法课（新）", start_time=time(14, 0), end_time=time(15, 0))
    change_series(
        one.id,
        "all",
        moved,
        series_id=desk_2.id,
        version=desk_2.version,
        actor_id=staff_of(),
        now=NOW,
    )
    with pytest.raises(UserError) as refused:  # desk 1 changes only the attendees, stale
        change_series(
            one.id,
            "all",
            replace(desk_1.data, attendees=12),
            series_id=desk_1.id,
            version=desk_1.version,
            actor_id=staff_of("reception"),
            now=NOW,
        )
    assert refused.value.key == "series.changed_elsewhere"
    supervisor = Staff.get_by_id(staff_of()).display_name
    assert supervisor in str(refused.value) and "12-02 10:30" in str(refused.value)
    stored = load_series(saved.series_id, actor_id=staff_of()).data
    assert (stored.title, stored.start_time, stored.attendees) == ("书法课（新）", time(14, 0), 8)
    assert {r.starts_at.time() for r in rows_of({saved.series_id}) if r.status in LIVE} == {
        time(14, 0)
    }
    with pytest.raises(UserError) as cancelled:  # a stale cancel too
        cancel_series(
            one.id,
            "all",
            "停课",
            series_id=desk_1.id,
            version=desk_1.version,
            actor_id=staff_of("reception"),
            now=NOW,
        )
    assert cancelled.value.key == "series.changed_elsewhere"


def test_this_and_following_turns_an_end_date_into_a_count(demo_copy: SqliteDatabase) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    saved = create_series(
        weekly(meeting, starts_on=date(2026, 12, 3)),
        skip_conflicts=False,
        actor_id=staff_of(),
        now=NOW,
    )
    rows = rows_of({saved.series_id})
    split = rows[3]
    seen = load_series(saved.series_id, actor_id=staff_of())
    tail = replace(seen.data, starts_on=split.occurrence_date, until_on=None, occurrences=3)
    result = change_series(
        split.id,
        "following",
        tail,
        series_id=seen.id,
        version=seen.version,
        actor_id=staff_of(),
        now=NOW,
    )
    successor = BookingSeries.get_by_id(result.series_id)
    assert (successor.until_on, successor.occurrences) == (None, 3)
    assert len(result.booked) == 3 and result.booked[0] == split.occurrence_date
    old = BookingSeries.get_by_id(saved.series_id)
    assert old.until_on == split.occurrence_date - timedelta(days=1) and old.occurrences is None
    live = [r for r in rows_of({saved.series_id, result.series_id}) if r.status in LIVE]
    assert len(live) == 3 + 3


def test_an_edit_after_another_desk_split_the_series_is_refused_not_a_crash(
    demo_copy: SqliteDatabase,
) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    saved = create_series(
        weekly(meeting, starts_on=date(2026, 12, 3), until_on=None, occurrences=12),
        skip_conflicts=False,
        actor_id=staff_of(),
        now=NOW,
    )
    rows = rows_of({saved.series_id})
    stale = load_series(saved.series_id, actor_id=staff_of())
    first = load_series(saved.series_id, actor_id=staff_of())
    split = change_series(  # desk 1: from the 4th date on, in the afternoon
        rows[3].id,
        "following",
        replace(
            first.data,
            starts_on=rows[3].occurrence_date,
            start_time=time(15, 0),
            end_time=time(16, 0),
        ),
        series_id=first.id,
        version=first.version,
        actor_id=staff_of(),
        now=NOW,
    )
    later = rows[6]  # desk 2, stale: this and following from the 7th date, by count
    with pytest.raises(UserError) as refused:
        change_series(
            later.id,
            "following",
            replace(stale.data, starts_on=later.occurrence_date, title="改"),
            series_id=stale.id,
            version=stale.version,
            actor_id=staff_of("reception"),
            now=NOW,
        )
    assert refused.value.key == "series.changed_elsewhere"
    # reloaded, desk 2 splits the successor (a count) again, with an end date now
    fresh = load_series(split.series_id, actor_id=staff_of())
    again = change_series(
        later.id,
        "following",
        replace(
            fresh.data,
            starts_on=later.occurrence_date,
            until_on=date(2026, 12, 31),
            occurrences=None,
        ),
        series_id=fresh.id,
        version=fresh.version,
        actor_id=staff_of("reception"),
        now=NOW,
    )
    assert again.booked and again.booked[0] == later.occurrence_date


# ------------------------------------------------------------------- the past stays the past


def test_an_edit_never_touches_past_begun_checked_in_or_no_show_occurrences(
    demo_copy: SqliteDatabase,
) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    series_id = begun_series(meeting)
    before = {r.occurrence_date: state(r) for r in rows_of({series_id})}
    thursday_blocker = create_booking(  # Friday 10:30 is taken: "skip conflicts" will skip it
        BookingInput(
            meeting, datetime(2026, 12, 4, 11, 0), datetime(2026, 12, 4, 12, 0), "调解", CLUB
        ),
        actor_id=staff_of(),
        now=NOW,
    )
    assert thursday_blocker
    seen = load_series(series_id, actor_id=staff_of())
    wednesday = before[date(2026, 12, 2)]
    saved = change_series(
        wednesday[0],
        "all",
        replace(seen.data, start_time=time(10, 30), end_time=time(11, 30)),
        series_id=seen.id,
        version=seen.version,
        skip_conflicts=True,
        actor_id=staff_of(),
        now=NOW,
    )
    after = {r.occurrence_date: r for r in rows_of({series_id})}
    for day in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)):
        assert state(after[day]) == before[day]  # no-show, past, checked in: as they were
    assert after[date(2026, 12, 2)].status == "checked_in"
    assert after[date(2026, 12, 4)].status == "cancelled"  # the conflict, skipped
    assert after[date(2026, 12, 7)].starts_at == datetime(2026, 12, 7, 10, 30)
    assert saved.applies_from == date(2026, 12, 4) and saved.kept == 3
    assert saved.summary is not None and saved.summary.key == "series.applies_kept"
    assert "12-04" in saved.summary.text() and "3" in saved.summary.text()
    # this and following from Monday (the past): the begun ones stay in the first series
    seen = load_series(series_id, actor_id=staff_of())
    split = change_series(
        before[date(2026, 11, 30)][0],
        "following",
        replace(seen.data, starts_on=date(2026, 11, 30), title="书法课·下"),
        series_id=seen.id,
        version=seen.version,
        actor_id=staff_of(),
        now=NOW,
    )
    again = {r.occurrence_date: r for r in rows_of({series_id, split.series_id})}
    for day in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)):
        assert state(again[day]) == before[day]
    assert again[date(2026, 12, 7)].title == "书法课·下"
    # cancelling the whole series keeps the checked-in occurrence
    seen = load_series(split.series_id, actor_id=staff_of())
    count = cancel_series(
        again[date(2026, 12, 7)].id,
        "all",
        "停课",
        series_id=seen.id,
        version=seen.version,
        actor_id=staff_of(),
        now=NOW,
    )
    assert count >= 1
    assert Booking.get_by_id(before[date(2026, 12, 2)][0]).status == "checked_in"


def test_today_started_but_not_checked_in_is_not_moved(demo_copy: SqliteDatabase) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    saved = create_series(
        weekly(meeting, weekdays=(2, 3)), skip_conflicts=False, actor_id=staff_of(), now=CREATED
    )
    rows = {r.occurrence_date: r for r in rows_of({saved.series_id})}
    today = state(rows[date(2026, 12, 2)])  # 10:00, begun at 10:30, not checked in yet
    seen = load_series(saved.series_id, actor_id=staff_of())
    change_series(
        rows[date(2026, 12, 3)].id,
        "all",
        replace(seen.data, weekdays=(3,)),
        series_id=seen.id,
        version=seen.version,
        actor_id=staff_of(),
        now=NOW,
    )
    assert state(Booking.get_by_id(today[0])) == today  # not cancelled for leaving the weekdays


# ----------------------------------------------------------------------------- the rules


def test_series_obey_quota_days_ahead_and_length_unless_exempt(demo_copy: SqliteDatabase) -> None:
    women = room("women_home")  # 480 minutes a week per booker, 60 days ahead, 180 minutes
    clear(women, MONDAY)
    assert Can.EXEMPT_BOOKING_RULES in ROLE_CAN["supervisor"]
    assert Can.EXEMPT_BOOKING_RULES not in ROLE_CAN["reception"]
    five_long = weekly(
        women,
        weekdays=(0, 1, 2, 3, 4),
        start_time=time(18, 0),
        end_time=time(20, 30),
        starts_on=date(2026, 12, 7),
        until_on=date(2026, 12, 11),
    )
    with pytest.raises(BookingRefused) as refused:
        create_series(five_long, skip_conflicts=False, actor_id=staff_of("reception"), now=NOW)
    keys = {p.key for p in refused.value.problems}
    assert "series.conflicts" in keys and "booking.quota" in keys
    assert "12-10、12-11" in str(refused.value.problems[0].text())  # three fit in 480 minutes
    far = weekly(women, starts_on=date(2027, 6, 7), until_on=date(2027, 6, 30))
    with pytest.raises(BookingRefused) as too_far:
        create_series(far, skip_conflicts=False, actor_id=staff_of("reception"), now=NOW)
    assert "booking.too_far" in {p.key for p in too_far.value.problems}
    long = weekly(women, start_time=time(14, 0), end_time=time(17, 30), starts_on=date(2026, 12, 7))
    with pytest.raises(BookingRefused) as too_long:
        create_series(long, skip_conflicts=False, actor_id=staff_of("reception"), now=NOW)
    assert "booking.too_long" in {p.key for p in too_long.value.problems}
    # the leadership books the center's own programmes beyond the limits
    for data in (five_long, far, long):
        saved = create_series(data, skip_conflicts=False, actor_id=staff_of(), now=NOW)
        assert saved.booked and not saved.skipped


def test_a_title_edit_does_not_judge_an_exempt_series_again(demo_copy: SqliteDatabase) -> None:
    women = room("women_home")
    clear(women, MONDAY)
    programme = weekly(
        women,
        weekdays=(0, 1, 2, 3, 4),
        start_time=time(18, 0),
        end_time=time(20, 30),
        starts_on=date(2026, 12, 7),
        until_on=date(2026, 12, 18),
    )
    saved = create_series(programme, skip_conflicts=False, actor_id=staff_of(), now=NOW)
    first = rows_of({saved.series_id})[0]
    seen = load_series(saved.series_id, actor_id=staff_of())
    result = change_series(
        first.id,
        "all",
        replace(seen.data, title="巧手课堂"),
        series_id=seen.id,
        version=seen.version,
        actor_id=staff_of("reception"),
        now=NOW,
    )
    assert not result.skipped and len(result.booked) == 10


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"weekdays": (7,)}, "series.weekday_invalid"),
        ({"weekdays": (-1, 2)}, "series.weekday_invalid"),
        ({"until_on": None, "occurrences": 261}, "series.too_many"),
        ({"until_on": date(2028, 1, 1)}, "series.span_too_long"),
        ({"weekdays": (0, 1, 2, 3, 4, 5, 6), "until_on": date(2027, 11, 30)}, "series.too_many"),
        ({"weekdays": (0,), "until_on": None, "occurrences": 60}, "series.span_too_long"),
    ],
)
def test_bad_weekdays_and_unbounded_series_are_refused_before_the_write_lock(
    demo_copy: SqliteDatabase, changes: dict[str, Any], key: str
) -> None:
    meeting = room("meeting")
    data = weekly(meeting, **changes)
    before = BookingSeries.select().count()
    holder = sqlite3.connect(demo_copy.database, timeout=1)
    holder.execute("BEGIN IMMEDIATE")  # another desk holds the write lock meanwhile
    try:
        began = clock_time.perf_counter()
        with pytest.raises(BookingRefused) as refused:
            create_series(data, skip_conflicts=True, actor_id=staff_of(), now=NOW)
        assert clock_time.perf_counter() - began < 1.0  # refused at once, not after the lock
    finally:
        holder.rollback()
        holder.close()
    assert key in {p.key for p in refused.value.problems}
    assert BookingSeries.select().count() == before


# ------------------------------------------------------------------------- short write lock


def test_free_slots_are_looked_for_after_the_write_transaction(
    demo_copy: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = room("meeting")
    clear(meeting, MONDAY)
    start = datetime(2026, 12, 3, 9, 0)
    create_booking(
        BookingInput(meeting, start, start + timedelta(hours=2), "议事会", CLUB),
        actor_id=staff_of(),
        now=NOW,
    )
    inside: list[bool] = []
    real = booking_service.nearest_free

    def watched(*args: Any, **kwargs: Any) -> Any:
        inside.append(database_proxy.obj.in_transaction())
        return real(*args, **kwargs)

    monkeypatch.setattr(booking_service, "nearest_free", watched)
    with pytest.raises(BookingRefused) as refused:
        create_booking(
            BookingInput(meeting, start, start + timedelta(hours=1), "调解", CLUB),
            actor_id=staff_of(),
            now=NOW,
        )
    assert inside == [False] and refused.value.suggestions
    slot = refused.value.suggestions[0]
    assert slot.starts_at >= start + timedelta(hours=2) or slot.room_id != meeting
    assert load_room(meeting).id == meeting


def test_a_series_read_once_judges_as_each_date_asked_alone(demo_copy: SqliteDatabase) -> None:
    from frontdesk.bookings.rules import problems_for, stored_around

    for code in ("women_home", "reading", "lecture_hall"):
        rules = load_room(room(code))
        days = [date(2026, 11, 30) + timedelta(days=n) for n in range(14)]
        stored = stored_around(rules, days)
        for day in days:
            for hour in (9, 14, 16, 19):
                start = datetime.combine(day, time(hour, 0))
                data = BookingInput(rules.id, start, start + timedelta(hours=2), "课", CLUB, 5)
                alone = problems_for(data, rules, now=NOW)
                assert problems_for(data, rules, now=NOW, stored=stored) == alone
