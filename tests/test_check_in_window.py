"""Check-in is accepted only from 30 minutes before the start until the booking would become a
no-show (15 minutes after the start): never for a future occurrence, never after the grace."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from peewee import SqliteDatabase

from frontdesk.bookings.attendance import (
    EARLY_CHECK_IN,
    NO_SHOW_AFTER,
    check_in,
    check_in_window,
    may_check_in,
)
from frontdesk.bookings.booking import create_booking, get_booking
from frontdesk.errors import UserError
from frontdesk.vocabulary import BookingStatus
from tests.roles import staff_of
from tests.test_bookings import MONDAY, NOW, booking, free_start, room

moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31))


@given(moments, st.integers(-24 * 60, 24 * 60))
def test_the_window_runs_from_half_an_hour_before_until_the_no_show(
    starts_at: datetime, minutes: int
) -> None:
    now = starts_at + timedelta(minutes=minutes)
    assert may_check_in(BookingStatus.BOOKED, starts_at, now) == (-30 <= minutes < 15)
    opens, closes = check_in_window(starts_at)
    assert (opens, closes) == (starts_at - EARLY_CHECK_IN, starts_at + NO_SHOW_AFTER)
    for status in BookingStatus:
        if status != BookingStatus.BOOKED:
            assert not may_check_in(status, starts_at, now)


def _booked(minutes: int = 60) -> tuple[int, datetime]:
    fitness = room("fitness")
    start = free_start(fitness, MONDAY, timedelta(minutes=minutes))
    return create_booking(booking(fitness, start, minutes), actor_id=staff_of(), now=NOW), start


def test_a_future_occurrence_is_not_checked_in(demo_copy: SqliteDatabase) -> None:
    booking_id, start = _booked()
    with pytest.raises(UserError) as refused:
        check_in(booking_id, actor_id=staff_of(), now=NOW)  # days before
    assert refused.value.key == "booking.too_early"
    assert f"{start - EARLY_CHECK_IN:%Y-%m-%d %H:%M}" in str(refused.value)
    with pytest.raises(UserError, match="签到最早从"):
        check_in(booking_id, actor_id=staff_of(), now=start - timedelta(minutes=31))
    assert get_booking(booking_id, actor_id=staff_of()).status == "booked"


def test_half_an_hour_before_the_start_it_is_checked_in(demo_copy: SqliteDatabase) -> None:
    booking_id, start = _booked()
    check_in(booking_id, actor_id=staff_of(), now=start - EARLY_CHECK_IN)
    assert get_booking(booking_id, actor_id=staff_of()).status == "checked_in"


def test_once_it_would_be_a_no_show_it_is_refused(demo_copy: SqliteDatabase) -> None:
    """Before the program marks it (mark_no_shows runs every minute or so), the desk cannot
    check in a booking 15 minutes late: the end of the booking is not the limit."""
    booking_id, start = _booked(120)
    with pytest.raises(UserError) as refused:
        check_in(booking_id, actor_id=staff_of(), now=start + NO_SHOW_AFTER)
    assert refused.value.key == "booking.check_in_closed"
    assert f"{start + NO_SHOW_AFTER:%H:%M}" in str(refused.value)
    assert get_booking(booking_id, actor_id=staff_of()).status == "booked"
    check_in(booking_id, actor_id=staff_of(), now=start + NO_SHOW_AFTER - timedelta(minutes=1))
    assert get_booking(booking_id, actor_id=staff_of()).status == "checked_in"
