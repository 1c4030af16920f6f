"""The rest of a community's care records around the visits: two pauses (one in hospital until
next week, one away that ended early), one or two households paired with a volunteer, major
events of the last days (most met by a visit within 24 hours, one or two still open) and a
campaign started yesterday (寒潮来袭: every 独居老人 within two days).

Pauses and volunteers are set before the walks (they shape the visits); events and the
campaign after them (they follow the last visits). Each goes to a household with one person in
care at the high level whose history is steady and that no grid's round needs (``target``)."""

from __future__ import annotations

import datetime as dt

from frontdesk.demo.care_texts import (
    ASSIGNMENT_NOTE,
    AWAY_REASON,
    CAMPAIGN_TAG,
    CAMPAIGN_TITLE,
    EVENTS,
    HOSPITAL_REASON,
    OPEN_EVENTS,
)
from frontdesk.demo.visits import CareMaker, Home
from frontdesk.vocabulary import CareEventKind, CareLevel, CarePauseKind

EVENT_HOURS = dt.timedelta(hours=24)


def _days(count: int) -> dt.timedelta:
    return dt.timedelta(days=count)


class Records:
    def __init__(self, maker: CareMaker, community_id: int, supervisor: int) -> None:
        self.maker = maker
        self.ctx = maker.ctx
        self.today = maker.today
        self.community_id = community_id
        self.supervisor = supervisor
        self.used: set[int] = set()

    def _pick(self, homes: list[Home]) -> Home | None:
        """One of ``homes`` not picked before (the maker's random source)."""
        left = [home for home in homes if home.household.id not in self.used]
        if not left:
            return None
        home = left[int(self.maker.rng.random() * len(left))]
        self.used.add(home.household.id)
        return home

    def _candidates(self) -> list[Home]:
        maker = self.maker
        return [
            home
            for home in maker.homes
            if home.target is None
            and len(home.members) == 1
            and home.members[0].changes[-1][1] == CareLevel.HIGH
            and maker.steady(home)
        ]

    # -- before the walks ---------------------------------------------------------------------

    def before_walks(self) -> None:
        candidates = self._candidates()
        today = self.today
        home = self._pick(candidates)
        if home is not None:  # in hospital since four days ago, back next week
            self._pause(home, CarePauseKind.HOSPITAL, today - _days(4), today + _days(7), None)
        home = self._pick(candidates)
        if home is not None:  # away for five weeks, back a week early
            self._pause(
                home, CarePauseKind.AWAY, today - _days(75), today - _days(30), today - _days(36)
            )
        for _ in range(1 + (self.maker.rng.random() < 0.5)):
            home = self._pick(candidates)
            if home is not None:
                self._assign(home)

    def _pause(
        self,
        home: Home,
        kind: CarePauseKind,
        starts: dt.date,
        resume: dt.date,
        ended: dt.date | None,
    ) -> None:
        maker = self.maker
        member = home.members[0]
        member.pause = (starts, ended or resume)
        created = maker.moment(starts)
        ended_at = maker.moment(ended) if ended else None
        reason = HOSPITAL_REASON if kind == CarePauseKind.HOSPITAL else AWAY_REASON
        table = self.ctx.tables.care_pause
        table.add(
            table.new_id(),
            member.person.id,
            kind.value,
            starts,
            resume,
            ended,
            reason,
            created,
            home.manager,
            ended_at,
            home.manager if ended else None,
        )

    def _assign(self, home: Home) -> None:
        maker = self.maker
        rng = maker.rng
        home.volunteer = maker.volunteers[int(rng.random() * len(maker.volunteers))]
        home.assigned_on = self.today - _days(20 + int(rng.random() * 25))
        table = self.ctx.tables.care_assignment
        table.add(
            table.new_id(),
            home.household.id,
            None,
            home.volunteer,
            ASSIGNMENT_NOTE,
            maker.moment(home.assigned_on),
            home.manager,
            None,
            None,
        )

    # -- after the walks ----------------------------------------------------------------------

    def after_walks(self) -> None:
        today = self.today
        candidates = [
            home
            for home in self._candidates()
            if home.members[0].pause is None and not home.volunteer and home.last is not None
        ]
        kinds = self.maker.rng.sample(sorted(EVENTS), 3)
        for kind in kinds:  # met within the 24 hours
            note, purpose = EVENTS[kind]
            home = self._pick([h for h in candidates if h.last and h.last < today - _days(2)])
            if home is not None:
                self._met_event(home, kind, note, purpose)
        opened = 1 + (self.maker.rng.random() < 0.5)
        for number, (kind, note) in enumerate(OPEN_EVENTS[:opened]):
            day = today - _days(1 - number)  # yesterday evening, this morning
            home = self._pick([h for h in candidates if h.last and h.last < day])
            if home is not None:
                hour = dt.time(18) if number == 0 else dt.time(6, 40)
                created = dt.datetime.combine(day, hour) + _minutes(self.maker.rng.random() * 60)
                self._event(home, kind, day, created, note)
        self._campaign()

    def _event(
        self, home: Home, kind: CareEventKind, day: dt.date, created: dt.datetime, note: str
    ) -> None:
        table = self.ctx.tables.care_event
        person = home.members[0].person
        due = created + EVENT_HOURS
        table.add(table.new_id(), person.id, kind.value, day, due, note, created, home.manager)

    def _met_event(self, home: Home, kind: CareEventKind, note: str, purpose: str) -> None:
        maker = self.maker
        assert home.last is not None
        first = max(home.last + _days(1), self.today - _days(6))
        span = (self.today - _days(2) - first).days
        day = first + _days(int(maker.rng.random() * (span + 1)))
        created = maker.moment(day)
        self._event(home, kind, day, created, note)
        at = created + _minutes(60 + maker.rng.random() * 240)
        person = home.members[0].person
        maker.visit(home, at.date(), [person], at=at, purpose=purpose, in_person=True)
        home.last = at.date()

    def _campaign(self) -> None:
        maker = self.maker
        tables = self.ctx.tables
        yesterday = self.today - _days(1)
        starts = dt.datetime.combine(yesterday, dt.time(15)) + _minutes(maker.rng.random() * 60)
        campaign_id = tables.care_campaign.new_id()
        tables.care_campaign.add(
            campaign_id,
            self.community_id,
            CAMPAIGN_TITLE,
            CAMPAIGN_TAG,
            None,
            starts,
            self.today + _days(1),
            starts,
            self.supervisor,
        )
        members = tables.care_campaign_member
        for person in maker.people.living:
            if CAMPAIGN_TAG in person.tags:
                members.add(members.new_id(), campaign_id, person.id)


def _minutes(count: float) -> dt.timedelta:
    return dt.timedelta(minutes=int(count))
