"""Two desks holding stale copies of a series interleave creates, moves, cancels and edits
(this, following, all) at random: no overlap, no stored exception dropped or rewritten, no past
or begun occurrence touched, never two live occurrences for one date."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from frontdesk.bookings.booking import cancel_booking, change_booking, create_booking
from frontdesk.bookings.rules import BookingInput
from frontdesk.bookings.series import SeriesInput, change_series, load_series
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import Booking, SeriesException
from frontdesk.errors import UserError
from tests.roles import staff_of
from tests.test_series import CLUB, LIVE, MONDAY, NOW, begun_series, clear, room, state

# ------------------------------------------------------------- two desks, random interleaving

OPS = ("reload", "move", "cancel", "retitle", "following", "all", "book")
op_strategy = st.tuples(
    st.integers(0, 1),  # which desk
    st.sampled_from(OPS),
    st.integers(0, 40),  # which occurrence (of those the desk sees)
    st.integers(-3, 2),  # half hours to shift
    st.integers(0, 3),  # what a series edit changes
    st.booleans(),  # skip conflicts
)


@pytest.fixture(scope="module")
def series_base(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("series") / "base.db"
    shutil.copy(demo_file, path)
    db = open_database(path, create=False, now=FixedClock(NOW).now)
    clear(room("meeting"), MONDAY)
    begun_series(room("meeting"))
    db.close()
    yield path


class Desk:
    """What one desk has loaded: bookings and series as they were when it last looked."""

    def __init__(self, actor: int) -> None:
        self.actor = actor
        self.bookings: dict[int, Any] = {}
        self.series: dict[int, Any] = {}

    def reload(self, room_id: int) -> None:
        rows: list[Any] = list(
            Booking.select().where(
                (Booking.room == room_id)
                & (Booking.starts_at >= datetime.combine(MONDAY, time.min))
            )
        )
        self.bookings = {r.id: r for r in rows}
        ids = {r.series_id for r in rows if r.series_id}
        self.series = {sid: load_series(sid, actor_id=self.actor) for sid in ids}

    def occurrences(self) -> list[Any]:
        return sorted(
            (r for r in self.bookings.values() if r.series_id and r.status in LIVE),
            key=lambda r: (r.occurrence_date, r.id),
        )


def _exceptions() -> dict[int, tuple[Any, ...]]:
    found = {}
    stored: list[Any] = list(SeriesException.select())
    for e in stored:
        b: Any = Booking.get_by_id(e.booking_id) if e.booking_id else None
        found[e.id] = (
            e.occurrence_date,
            e.kind,
            e.booking_id,
            None if b is None else (b.room_id, b.starts_at, b.ends_at, b.status, b.title),
        )
    return found


def _check(
    room_id: int, frozen: dict[int, tuple[Any, ...]], before: dict[int, Any], acted: int | None
) -> None:
    live: list[Any] = list(
        Booking.select().where((Booking.room == room_id) & Booking.status.in_(LIVE))
    )
    for a in live:
        for b in live:
            if a.id < b.id:
                assert not (a.starts_at < b.ends_at and b.starts_at < a.ends_at), (a.id, b.id)
    for booking_id, was in frozen.items():
        assert state(Booking.get_by_id(booking_id)) == was  # the past is never touched
    now = _exceptions()
    for eid, (day, kind, bid, booked) in before.items():
        assert eid in now, "a stored exception was dropped"
        if acted is not None and bid == acted:
            continue  # the desk changed that very occurrence on its own: its new state counts
        assert now[eid] == (day, kind, bid, booked), "an exception was rewritten"
    series_live = [r for r in live if r.series_id is not None]
    days = [r.occurrence_date for r in series_live]
    assert len(days) == len(set(days)), "two live occurrences for one date"
    exceptions: list[Any] = list(
        SeriesException.select().where(SeriesException.kind == "cancelled")
    )
    cancelled = {(e.series_id, e.occurrence_date) for e in exceptions}
    assert not [r for r in series_live if (r.series_id, r.occurrence_date) in cancelled]


def _series_edit(desk: Desk, target: Any, variant: int, shift: int, scope: str) -> SeriesInput:
    seen = desk.series[target.series_id].data
    if variant == 0:
        start = datetime.combine(MONDAY, time(10, 0)) + timedelta(minutes=30 * shift)
        new = replace(seen, start_time=start.time(), end_time=(start + timedelta(hours=1)).time())
    elif variant == 1:
        new = replace(seen, weekdays=(0, 2, 4) if shift % 2 else (1, 3))
    elif variant == 2:
        new = replace(seen, title=f"书法课{shift + 3}")
    else:
        new = replace(seen, until_on=None, occurrences=3 + shift + 3)
    if scope == "following":
        new = replace(new, starts_on=target.occurrence_date)
    return new


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(op_strategy, min_size=1, max_size=10))
def test_two_desks_with_stale_copies_never_overlap_lose_an_exception_or_touch_the_past(
    series_base: Path, ops: list[tuple[int, str, int, int, int, bool]]
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="series-"))
    path = folder / "desk.db"
    shutil.copy(series_base, path)
    db = open_database(path, create=False, now=FixedClock(NOW).now)
    try:
        meeting = room("meeting")
        desks = [Desk(staff_of()), Desk(staff_of("reception"))]
        for desk in desks:
            desk.reload(meeting)
        frozen = {
            r.id: state(r)
            for r in Booking.select().where(
                (Booking.room == meeting)
                & ((Booking.starts_at <= NOW) | Booking.status.in_(("checked_in", "no_show")))
            )
        }
        assert any(v[6] == "checked_in" for v in frozen.values())
        for which, kind, pick, shift, variant, skip in ops:
            desk = desks[which]
            before = _exceptions()
            acted: int | None = None
            if kind == "reload":
                desk.reload(meeting)
                continue
            targets = desk.occurrences()
            try:
                if kind == "book":
                    day = date(2026, 12, 2) + timedelta(days=pick % 20)
                    start = datetime.combine(day, time(8, 30)) + timedelta(minutes=30 * (shift + 3))
                    create_booking(
                        BookingInput(meeting, start, start + timedelta(hours=1), "临时会议", CLUB),
                        actor_id=desk.actor,
                        now=NOW,
                    )
                elif not targets:
                    continue
                else:
                    target = targets[pick % len(targets)]
                    if kind in ("move", "cancel", "retitle"):
                        acted = target.id
                    if kind == "move":
                        delta = timedelta(minutes=30 * shift)
                        data = BookingInput(
                            meeting,
                            target.starts_at + delta,
                            target.ends_at + delta,
                            target.title,
                            CLUB,
                            target.attendees,
                        )
                        change_booking(
                            target.id, target.version, data, actor_id=desk.actor, now=NOW
                        )
                    elif kind == "retitle":
                        data = BookingInput(
                            meeting,
                            target.starts_at,
                            target.ends_at,
                            "单次调整",
                            CLUB,
                            target.attendees,
                        )
                        change_booking(
                            target.id, target.version, data, actor_id=desk.actor, now=NOW
                        )
                    elif kind == "cancel":
                        cancel_booking(
                            target.id, target.version, "请假", actor_id=desk.actor, now=NOW
                        )
                    else:
                        seen = desk.series[target.series_id]
                        change_series(
                            target.id,
                            "following" if kind == "following" else "all",
                            _series_edit(desk, target, variant, shift, kind),
                            series_id=seen.id,
                            version=seen.version,
                            skip_conflicts=skip,
                            actor_id=desk.actor,
                            now=NOW,
                        )
                event(f"{kind}: done")
                desk.reload(meeting)  # a desk sees its own change
                if acted in frozen:  # a desk's own act on that occurrence (an extension)
                    frozen[acted] = state(Booking.get_by_id(acted))
            except UserError as refused:
                event(f"{kind}: {refused.key}")
                acted = None
                if refused.key.endswith("changed_elsewhere"):
                    desk.reload(meeting)  # "reload before changing it"
            _check(meeting, frozen, before, acted)
    finally:
        db.close()
        shutil.rmtree(folder, ignore_errors=True)
