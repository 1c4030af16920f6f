"""The center's seven rooms, their hours, closures, weekly series and bookings around today.

Bookings cover about two weeks back and four weeks ahead. They keep to the opening hours, to
the room's capacity and limits, stay clear of closures and holidays, and no two live
(non-cancelled) bookings of a room overlap. Past bookings are mostly checked in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from frontdesk.dates import age_on
from frontdesk.demo.context import Context
from frontdesk.demo.people import People, Person
from frontdesk.demo.room_specs import (
    CANCEL_REASONS,
    ONE_OFFS,
    ROOMS,
    Interval,
    RoomSpec,
    organisations,
)
from frontdesk.demo.staff import Account
from frontdesk.vocabulary import BookerKind, BookingStatus, SeriesExceptionKind

T = dt.time

DAYS_BACK = 14
DAYS_AHEAD = 28


@dataclass(frozen=True)
class SeriesPlan:
    room: str
    title: str
    weekdays: str
    start: dt.time
    end: dt.time
    starts_on: dt.date
    until_on: dt.date | None
    occurrences: int | None
    booker: Person | str  # a resident or an organisation
    attendees: int
    notes: str


def _booker(booker: Person | str) -> tuple[str, int | None, str, str]:
    """(booker_kind, resident id, name, phone) of a resident or an organisation."""
    if isinstance(booker, Person):
        return BookerKind.RESIDENT.value, booker.id, booker.name, booker.phone or ""
    return BookerKind.ORGANISATION.value, None, booker, ""


@dataclass
class Room:
    id: int
    spec: RoomSpec


class RoomMaker:
    def __init__(
        self,
        ctx: Context,
        community_id: int,
        community: str,
        subdistrict: str,
        reception: list[Account],
        people: People,
    ) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.community_id = community_id
        self.reception = reception
        self.orgs = organisations(community, subdistrict)
        self.first = ctx.today - dt.timedelta(days=DAYS_BACK)
        self.last = ctx.today + dt.timedelta(days=DAYS_AHEAD)
        self.rooms: dict[str, Room] = {}
        self.live: dict[tuple[str, dt.date], list[tuple[dt.datetime, dt.datetime]]] = {}
        self.closed: list[tuple[str | None, dt.datetime, dt.datetime]] = []
        self.quota: dict[tuple[str, str, int], int] = {}
        today = ctx.today
        self.bookers = [p for p in people.living if p.phone and 25 <= age_on(p.birth, today) < 75][
            :400
        ]

    # -- rooms and closures ------------------------------------------------------------------

    def make(self) -> None:
        tables = self.ctx.tables
        for sort, spec in enumerate(ROOMS, start=1):
            room = Room(tables.room.new_id(), spec)
            self.rooms[spec.code] = room
            tables.room.add(
                room.id,
                self.community_id,
                spec.code,
                spec.name,
                spec.purpose,
                spec.capacity,
                spec.max_booking_minutes,
                spec.max_days_ahead,
                spec.weekly_quota_minutes,
                sort,
            )
            for weekday in range(7):
                for opens, closes in spec.hours(weekday):
                    tables.opening_hours.add(
                        tables.opening_hours.new_id(), room.id, weekday, opens, closes
                    )
        self.closures()
        self.series()
        self.one_offs()

    def clerk(self) -> int:
        return self.reception[int(self.rng.random() * len(self.reception))].id

    def add_closure(self, code: str | None, start: dt.datetime, end: dt.datetime, why: str) -> None:
        ctx = self.ctx
        table = ctx.tables.closure
        room_id = self.rooms[code].id if code else None
        created = min(start - dt.timedelta(days=3), ctx.now - dt.timedelta(hours=20))
        created = created.replace(hour=10, minute=int(self.rng.random() * 50))
        table.add(
            table.new_id(), self.community_id, room_id, start, end, why, created, self.clerk()
        )
        self.closed.append((code, start, end))

    def closures(self) -> None:
        ctx = self.ctx
        midnight = dt.time(0, 0)
        day = self.first
        while day <= self.last:  # the whole center is closed on public holidays
            name = ctx.holidays.get(day)
            starts_run = day == self.first or ctx.holidays.get(day - dt.timedelta(days=1)) != name
            if name and starts_run:
                end = day
                while ctx.holidays.get(end + dt.timedelta(days=1)) == name:
                    end += dt.timedelta(days=1)
                self.add_closure(
                    None,
                    dt.datetime.combine(day, midnight),
                    dt.datetime.combine(end + dt.timedelta(days=1), midnight),
                    f"{name}放假，服务中心闭馆",
                )
            day += dt.timedelta(days=1)
        repair = ctx.today + dt.timedelta(days=3)
        self.add_closure(
            "fitness",
            dt.datetime.combine(repair, midnight),
            dt.datetime.combine(repair + dt.timedelta(days=2), midnight),
            "器材检修维护",
        )
        check = ctx.today - dt.timedelta(days=9)
        self.add_closure(
            "lecture_hall",
            dt.datetime.combine(check, dt.time(14, 0)),
            dt.datetime.combine(check, dt.time(18, 0)),
            "音响设备检修",
        )

    # -- checks ------------------------------------------------------------------------------

    def free(self, code: str, start: dt.datetime, end: dt.datetime) -> bool:
        if start.date() in self.ctx.holidays:
            return False
        for room, first, last in self.closed:
            if (room is None or room == code) and start < last and first < end:
                return False
        return all(
            not (start < last and first < end)
            for first, last in self.live.get((code, start.date()), [])
        )

    def within_hours(self, spec: RoomSpec, start: dt.datetime, end: dt.datetime) -> bool:
        return start.date() == end.date() and any(
            opens <= start.time() and end.time() <= closes
            for opens, closes in spec.hours(start.weekday())
        )

    # -- bookings ----------------------------------------------------------------------------

    def add_booking(
        self,
        code: str,
        start: dt.datetime,
        end: dt.datetime,
        title: str,
        booker: Person | str,
        attendees: int,
        created: dt.datetime,
        *,
        series: int | None = None,
        cancel: str | None = None,
        notes: str = "",
    ) -> int:
        """One booking; ``cancel`` is the reason it was cancelled, "" for never, ``None`` for
        cancelled now and then (one-off bookings only: a series occurrence is called off
        through an exception)."""
        ctx = self.ctx
        rng = self.rng
        now = ctx.now
        table = ctx.tables.booking
        booking_id = table.new_id()
        created = min(created, now - dt.timedelta(minutes=30), start - dt.timedelta(hours=1))
        status = BookingStatus.BOOKED.value
        checked_in = cancelled = cancelled_by = None
        reason = ""
        roll = rng.random()
        if cancel is None and roll < (0.04 if end <= now else 0.05):
            cancel = CANCEL_REASONS[int(rng.random() * len(CANCEL_REASONS))]
        if cancel:
            status = BookingStatus.CANCELLED.value
            latest = min(now, start) - dt.timedelta(minutes=10)
            span = max(0, int((latest - created).total_seconds() // 60))
            cancelled = created + dt.timedelta(minutes=int(rng.random() * span))
            cancelled_by = self.clerk()
            reason = cancel
        elif end <= now:
            if rng.random() < 0.06:
                status = BookingStatus.NO_SHOW.value
            else:
                status = BookingStatus.CHECKED_IN.value
                checked_in = start - dt.timedelta(minutes=int(rng.random() * 11))
        if status != BookingStatus.CANCELLED.value:
            self.live.setdefault((code, start.date()), []).append((start, end))
        updated = max(created, checked_in or created, cancelled or created)
        kind, resident, name, phone = _booker(booker)
        table.add(
            booking_id,
            self.rooms[code].id,
            series,
            start.date() if series else None,
            start,
            end,
            title,
            kind,
            resident,
            name,
            phone,
            attendees,
            notes,
            status,
            checked_in,
            cancelled,
            cancelled_by,
            reason,
            created,
            self.clerk(),
            updated,
            2 if updated != created else 1,
        )
        return booking_id

    def series(self) -> None:
        rng = self.rng
        monday = self.ctx.today - dt.timedelta(days=self.ctx.today.weekday())
        homework_start = monday - dt.timedelta(weeks=7)
        instructor = self.bookers[int(rng.random() * len(self.bookers))] if self.bookers else None
        plans = [
            SeriesPlan(
                "homework",
                "四点半课堂",
                "01234",
                T(16, 30),
                T(18, 30),
                homework_start,
                homework_start + dt.timedelta(weeks=22, days=-3),  # a Friday in the spring
                None,
                self.orgs["youth"],
                18,
                "课后作业辅导，留守儿童优先",
            ),
            SeriesPlan(
                "women_home",
                "插花课",
                "2",
                T(19, 0),
                T(20, 30),
                monday - dt.timedelta(weeks=5, days=-2),
                None,
                12,
                self.orgs["women"],
                15,
                "花材由妇联统一采购",
            ),
            SeriesPlan(
                "art",
                "剪纸兴趣班",
                "5",
                T(9, 30),
                T(11, 30),
                monday - dt.timedelta(weeks=6, days=-5),
                monday + dt.timedelta(weeks=10, days=5),
                None,
                instructor or self.orgs["civilisation"],
                16,
                "吕梁剪纸非遗传承，自带剪刀",
            ),
        ]
        for plan in plans:
            self.one_series(plan)

    def one_series(self, plan: SeriesPlan) -> None:
        """The series row, its bookings inside the window, and exceptions for its holidays."""
        ctx = self.ctx
        tables = ctx.tables
        series_id = tables.booking_series.new_id()
        created = dt.datetime.combine(plan.starts_on - dt.timedelta(days=4), T(10, 15))
        kind, resident, name, phone = _booker(plan.booker)
        tables.booking_series.add(
            series_id,
            self.rooms[plan.room].id,
            plan.title,
            plan.weekdays,
            plan.start,
            plan.end,
            plan.starts_on,
            plan.until_on,
            plan.occurrences,
            kind,
            resident,
            name,
            phone,
            plan.attendees,
            plan.notes,
            created,
            self.clerk(),
        )
        dates: list[dt.date] = []
        day = plan.starts_on
        while (plan.until_on is None or day <= plan.until_on) and (
            plan.occurrences is None or len(dates) < plan.occurrences
        ):
            if str(day.weekday()) in plan.weekdays:
                dates.append(day)
            day += dt.timedelta(days=1)
        exceptions = 0
        for day in dates:
            holiday = ctx.holidays.get(day)
            first = dt.datetime.combine(day, plan.start)
            last = dt.datetime.combine(day, plan.end)
            if holiday:
                self.exception(series_id, day, None, f"{holiday}放假停课", created)
                exceptions += 1
                continue
            if not (self.first <= day <= self.last) or not self.free(plan.room, first, last):
                continue
            if (
                plan.room == "homework"
                and not exceptions
                and day > ctx.today + dt.timedelta(days=7)
            ):
                # No holiday in this term so far: one lesson called off, as an example.
                reason = "辅导老师参加培训，停课一次"
                booking = self.add_booking(
                    plan.room,
                    first,
                    last,
                    plan.title,
                    plan.booker,
                    plan.attendees,
                    created,
                    series=series_id,
                    cancel=reason,
                )
                self.exception(series_id, day, booking, reason, ctx.now - dt.timedelta(days=1))
                exceptions += 1
                continue
            self.add_booking(
                plan.room,
                first,
                last,
                plan.title,
                plan.booker,
                plan.attendees,
                created,
                series=series_id,
                cancel="",
            )

    def exception(
        self, series_id: int, day: dt.date, booking: int | None, note: str, created: dt.datetime
    ) -> None:
        table = self.ctx.tables.series_exception
        table.add(
            table.new_id(),
            series_id,
            day,
            SeriesExceptionKind.CANCELLED.value,
            booking,
            note,
            min(created, self.ctx.now),
            self.clerk(),
        )

    def one_offs(self) -> None:
        ctx = self.ctx
        rng = self.rng
        day = self.first
        while day <= self.last:
            for code, room in self.rooms.items():
                spec = room.spec
                hours = spec.hours(day.weekday())
                if not hours or day > ctx.today + dt.timedelta(days=spec.max_days_ahead):
                    continue
                wanted = rng.choice((0, 1, 1, 2, 2, 3) if day.weekday() < 5 else (0, 1, 1, 2))
                if code == "homework":
                    wanted = 1 if rng.random() < 0.3 else 0
                for _ in range(wanted):
                    self.try_one_off(code, spec, day, hours)
            day += dt.timedelta(days=1)

    def try_one_off(
        self, code: str, spec: RoomSpec, day: dt.date, hours: tuple[Interval, ...]
    ) -> None:
        rng = self.rng
        title, who, lengths, (fewest, most) = rng.choice(ONE_OFFS[code])
        booker: Person | str
        if who == "resident":
            if not self.bookers:
                return
            booker = self.bookers[int(rng.random() * len(self.bookers))]
            key = f"r{booker.id}"
        else:
            booker = self.orgs[who]
            key = booker
        minutes = min(rng.choice(lengths), spec.max_booking_minutes)
        for _ in range(4):
            opens, closes = rng.choice(hours)
            first = dt.datetime.combine(day, opens)
            last_start = dt.datetime.combine(day, closes) - dt.timedelta(minutes=minutes)
            slots = int((last_start - first).total_seconds() // 1800)
            if slots < 0:
                continue
            start = first + dt.timedelta(minutes=30 * int(rng.random() * (slots + 1)))
            end = start + dt.timedelta(minutes=minutes)
            if not self.within_hours(spec, start, end) or not self.free(code, start, end):
                continue
            week = day.isocalendar()[1]
            used = self.quota.get((code, key, week), 0)
            if spec.weekly_quota_minutes is not None and used + minutes > spec.weekly_quota_minutes:
                return
            self.quota[(code, key, week)] = used + minutes
            attendees = min(spec.capacity, fewest + int(rng.random() * (most - fewest + 1)))
            created = start - dt.timedelta(
                days=1 + int(rng.random() * 10), hours=int(rng.random() * 5)
            )
            self.add_booking(code, start, end, title, booker, attendees, created)
            return
