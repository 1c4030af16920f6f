"""When a person in care is due a visit: the one definition the round, the resident's page, the
supervisor's figures and the reports share. Plain Python over plain values; no database.

The rules, as a grid manager keeps them:

- **Level.** A person's care level follows their special-group tags (a community's setting maps
  each tag to a level; several tags: the highest), unless it was set by hand: the latest level
  set by hand counts until the next one, and "back to the tags" ends it.
- **Routine dues.** Entering care on day ``c`` makes a visit due on ``c + days(level)``; a visit
  that sees the person on day ``v`` meets the open due and makes the next one due on
  ``v + days(level)``. A due not met stays open (overdue) until a visit meets it. When the level
  changes, a due that has not fallen yet moves to ``last visit (or entry) + new days``, never
  before the day of the change; one already overdue stays as it is.
- **Every day counts.** Dues fall on any calendar day, weekends and public holidays included:
  visits are made on weekends and holidays too, and a weekly visit to someone living alone does
  not wait for Monday. (Request due times count working hours; care visits do not.)
- **Pauses.** While a person is in hospital, in a care home or away (``starts_on`` until the day
  the pause ended, else its ``resume_on``), a routine due that would fall inside the pause falls on
  the day it ends. A due already overdue when the pause starts stays overdue.
- **Events.** A major event makes a visit due by its ``due_at`` (24 hours from when it was
  recorded); the first visit that sees the person from the moment it was recorded meets it (a
  visit that morning, before the fall, does not). Events are not paused.
- **Campaigns.** Each person a campaign chose is due by the end of its ``due_on``; the first
  visit seeing them from the campaign's start meets it.
- **End.** When a person dies or moves out, or leaves care, every due not fallen yet ends
  (dropped: it is nobody's to meet); a due already overdue then is kept as missed.
- **From when.** Tags often date from long before the desk kept visits (a disability certified
  in 1997). Care is followed from the community's ``follow_from`` day (``care.settings``): a
  person in care before it counts as entering care on that day, not as overdue since 1997.
- **Attempts.** "Nobody home" (未遇) meets nothing: the due stays, and the attempt is shown.

A due is met **on time** when the visit comes by its ``due_by`` (the end of its day; an event's
``due_at``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from frontdesk.vocabulary import CARE_LEVEL_ORDER, CareLevel

DEFAULT_DAYS: Mapping[CareLevel, int] = {
    CareLevel.HIGH: 7,
    CareLevel.KEY: 30,
    CareLevel.GENERAL: 90,
}


class DueKind(StrEnum):
    ROUTINE = "routine"  # the level's rhythm
    EVENT = "event"  # within 24 hours of a major event
    CAMPAIGN = "campaign"  # a campaign's date


@dataclass(frozen=True)
class TagSpan:
    """A special-group tag carried from ``since`` until ``until`` (exclusive; None: still)."""

    code: str
    since: date
    until: date | None = None


@dataclass(frozen=True)
class LevelSet:
    """A level set by hand on ``on`` (None: back to the tags' level)."""

    on: date
    level: CareLevel | None


@dataclass(frozen=True)
class Pause:
    """No routine due falls from ``starts_on`` until ``until`` (exclusive)."""

    starts_on: date
    until: date


@dataclass(frozen=True)
class Event:
    """A major event as the desk learned of it: recorded at ``recorded_at``, due by ``due_at``."""

    recorded_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class Campaign:
    starts_at: datetime
    due_on: date


@dataclass(frozen=True)
class History:
    """Everything one person's dues follow from, each list in any order."""

    levels: Sequence[tuple[date, CareLevel | None]]  # the level from that day on (see below)
    seen: Sequence[datetime] = ()  # visits that saw the person
    pauses: Sequence[Pause] = ()
    events: Sequence[Event] = ()
    campaigns: Sequence[Campaign] = ()
    gone_on: date | None = None  # died or moved out
    follow_from: date | None = None  # the desk follows visits from this day (see ``dues``)


@dataclass(frozen=True)
class Due:
    kind: DueKind
    due_on: date
    due_by: datetime
    met_at: datetime | None = None

    @property
    def on_time(self) -> bool:
        return self.met_at is not None and self.met_at <= self.due_by

    def overdue(self, now: datetime) -> bool:
        return self.met_at is None and now > self.due_by


@dataclass(frozen=True)
class Dues:
    """A person's dues up to a moment: ``closed`` (met, or missed when care ended) and
    ``open`` (not met yet; some may lie in the future)."""

    closed: tuple[Due, ...]
    open: tuple[Due, ...]
    level: CareLevel | None  # the level at the moment asked about
    in_care_days: tuple[tuple[date, date], ...] = field(default=())  # [from, until) spans

    @property
    def all(self) -> tuple[Due, ...]:
        return self.closed + self.open

    @property
    def next_due(self) -> Due | None:
        return min(self.open, key=lambda due: due.due_by, default=None)


def end_of(day: date) -> datetime:
    """The last moment of ``day``: a due of that day is on time until then."""
    return datetime.combine(day, time.max)


def highest(levels: Iterable[CareLevel | None]) -> CareLevel | None:
    found = {level for level in levels if level is not None}
    return next((level for level in CARE_LEVEL_ORDER if level in found), None)


def level_timeline(
    tags: Sequence[TagSpan],
    set_by_hand: Sequence[LevelSet],
    tag_levels: Mapping[str, CareLevel],
) -> list[tuple[date, CareLevel | None]]:
    """The person's level from each day on where it changes: the latest level set by hand on or
    before the day, else the highest level of the tags carried that day."""
    hand = sorted(set_by_hand, key=lambda change: change.on)
    days = sorted(
        {span.since for span in tags}
        | {span.until for span in tags if span.until is not None}
        | {change.on for change in hand}
    )
    hand_days = [change.on for change in hand]
    timeline: list[tuple[date, CareLevel | None]] = []
    current: CareLevel | None = None
    for day in days:
        index = bisect.bisect_right(hand_days, day) - 1
        level = hand[index].level if index >= 0 else None
        if level is None:
            level = highest(
                tag_levels.get(span.code)
                for span in tags
                if span.since <= day and (span.until is None or day < span.until)
            )
        if level != current:
            timeline.append((day, level))
            current = level
    return timeline


def _shift(day: date, pauses: Sequence[Pause]) -> date:
    """``day``, or the end of the pause it falls in (repeatedly, for pauses end to end)."""
    moved = True
    while moved:
        moved = False
        for pause in pauses:
            if pause.starts_on <= day < pause.until:
                day = pause.until
                moved = True
    return day


def _followed(
    levels: Sequence[tuple[date, CareLevel | None]], start: date | None
) -> list[tuple[date, CareLevel | None]]:
    """The timeline from ``start`` on: the level in force that day first, then later changes."""
    ordered = sorted(levels, key=lambda change: change[0])
    if start is None:
        return ordered
    before = [change for change in ordered if change[0] <= start]
    later = [change for change in ordered if change[0] > start]
    return ([(start, before[-1][1])] if before else []) + later


def dues(history: History, days: Mapping[CareLevel, int], now: datetime) -> Dues:
    """The person's dues as they stand at ``now`` (what happened after ``now`` is not seen)."""
    today = now.date()
    gone = history.gone_on if history.gone_on is not None and history.gone_on <= today else None
    pauses = sorted(
        (p for p in history.pauses if p.starts_on <= today and p.until > p.starts_on),
        key=lambda p: p.starts_on,
    )
    seen = sorted(at for at in history.seen if at <= now)
    closed: list[Due] = []
    open_: list[Due] = []

    # -- routine: walk the level changes and visits in time order
    changes = sorted(
        (day, level)
        for day, level in _followed(history.levels, history.follow_from)
        if day <= today and (gone is None or day < gone)
    )
    spans: list[tuple[date, date]] = []
    level: CareLevel | None = None
    anchor: date | None = None
    routine: date | None = None  # the open routine due
    entered: date | None = None

    def close_routine(on: date) -> None:
        """Care ends on ``on``: a due fallen before it is missed, a later one dropped."""
        nonlocal routine
        if routine is not None and routine < on:
            closed.append(Due(DueKind.ROUTINE, routine, end_of(routine)))
        routine = None

    steps: list[tuple[datetime, int, CareLevel | None]] = [
        (datetime.combine(day, time.min), 0, lvl) for day, lvl in changes
    ]
    for at in seen:
        steps.append((at, 1, None))
    steps.sort(key=lambda step: (step[0], step[1]))
    for at, kind, new_level in steps:
        if gone is not None and at.date() >= gone:
            break
        day = at.date()
        if kind == 0:  # the level changes from this day on
            if level is None and new_level is not None:
                entered = day
                anchor = day
                routine = _shift(day + timedelta(days=days[new_level]), pauses)
            elif level is not None and new_level is None:
                close_routine(day)
                assert entered is not None
                spans.append((entered, day))
                entered = None
            elif new_level is not None and routine is not None and routine >= day:
                # not fallen yet: the new rhythm, never before the day of the change
                assert anchor is not None
                routine = _shift(max(anchor + timedelta(days=days[new_level]), day), pauses)
            level = new_level
        else:
            if level is not None and routine is not None:
                closed.append(Due(DueKind.ROUTINE, routine, end_of(routine), met_at=at))
                anchor = day
                routine = _shift(day + timedelta(days=days[level]), pauses)
    if level is not None:
        assert entered is not None
        spans.append((entered, gone or date.max))
        if routine is not None:
            if gone is not None:
                close_routine(gone)
            else:
                open_.append(Due(DueKind.ROUTINE, routine, end_of(routine)))

    # -- events and campaigns: each met by the first visit from its start
    starts: list[tuple[datetime, DueKind, date, datetime]] = []
    for event in history.events:
        start = event.recorded_at
        if start <= now:
            starts.append((start, DueKind.EVENT, event.due_at.date(), event.due_at))
    for campaign in history.campaigns:
        if campaign.starts_at <= now:
            starts.append(
                (campaign.starts_at, DueKind.CAMPAIGN, campaign.due_on, end_of(campaign.due_on))
            )
    for start, kind_, due_on, due_by in sorted(starts):
        index = bisect.bisect_left(seen, start)
        met = seen[index] if index < len(seen) else None
        if gone is not None and (met is None or met.date() >= gone):
            if due_on < gone:
                closed.append(Due(kind_, due_on, due_by))
            continue
        due = Due(kind_, due_on, due_by, met_at=met)
        (closed if met is not None else open_).append(due)

    current = level if gone is None else None
    return Dues(
        closed=tuple(sorted(closed, key=lambda d: d.due_by)),
        open=tuple(sorted(open_, key=lambda d: d.due_by)),
        level=current,
        in_care_days=tuple(spans),
    )
