"""Special groups (特殊群体) and who carries them, by rules a grid manager would recognise.

Only living residents carry tags. ``elderly_80`` goes to every resident of 80 or more; the
left-behind children are the minors living with grandparents while their parents work away;
``elderly_alone`` goes to residents of 60 or more who are the only living member of their
household, and ``elderly_alone_no_kin`` to some of those; ``floating`` to everyone whose ID
number was issued outside 离石区.
"""

from __future__ import annotations

import datetime as dt

from frontdesk.dates import add_years, age_on
from frontdesk.demo.context import Context
from frontdesk.demo.households import CHILD, GRANDCHILD, SKIP_GENERATION
from frontdesk.demo.org import REGION_CODE
from frontdesk.demo.people import MOVED_OUT, People, Person

# Tags that call for a grid manager's visits.
CARE_TAGS = frozenset(
    {
        "elderly_alone_no_kin",
        "elderly_alone",
        "elderly_80",
        "left_behind_child",
        "disabled",
        "subsistence",
        "extreme_poverty",
        "attention",
    }
)
ATTENTION_NOTES = (
    "独居且患有慢性病，需每周电话联系",
    "家庭矛盾较多，需持续关注",
    "近期失业，家庭经济困难",
    "行动不便，出行需协助",
    "子女长期在外，老人身体较差",
    "刚出院，需定期回访",
)
NO_KIN_SHARE = 0.3  # of the elderly living alone with no child on the register


class Tagger:
    def __init__(self, ctx: Context, tag_ids: dict[str, int]) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.tag_ids = tag_ids
        self.latest = ctx.today - dt.timedelta(days=3)

    def tag(self, person: Person, code: str, since: dt.date, note: str = "") -> None:
        ctx = self.ctx
        since = min(max(since, person.birth), self.latest)
        table = ctx.tables.resident_tag
        manager = person.household.flat.grid.manager.id
        table.add(
            table.new_id(),
            person.id,
            self.tag_ids[code],
            since,
            note,
            ctx.entered_at(since),
            manager,
        )
        person.tags.append(code)

    def some_day(self, first: dt.date) -> dt.date:
        """A day between ``first`` and a little before today."""
        return self.ctx.day_between(first, self.latest)

    def community(self, people: People) -> None:
        today = self.ctx.today
        rng = self.rng
        attention_left = max(2, round(len(people.living) * 0.002))
        for household in people.active():
            living = household.living()
            members = household.members
            alone = len(living) == 1
            left_behind = household.kind in SKIP_GENERATION and not any(
                p.relation == CHILD for p in living
            )
            last_change = max(
                [household.moved_in]
                + [p.moved_out or p.died or household.moved_in for p in members]
            )
            roll = rng.random()
            disabled_here = False
            for person in living:
                age = age_on(person.birth, today)
                if age >= 80:
                    self.tag(person, "elderly_80", add_years(person.birth, 80))
                if alone and age >= 60:
                    since = max(last_change, add_years(person.birth, 60))
                    no_child = not any(p.relation == CHILD for p in members)
                    if no_child and rng.random() < NO_KIN_SHARE:
                        self.tag(person, "elderly_alone_no_kin", since)
                        if rng.random() < 0.4:
                            self.tag(person, "extreme_poverty", self.some_day(since))
                    self.tag(person, "elderly_alone", since)
                if left_behind and age < 18 and person.relation == GRANDCHILD:
                    gone = [p.moved_out for p in members if p.status == MOVED_OUT and p.moved_out]
                    self.tag(person, "left_behind_child", max([person.moved_in, *gone]))
                if rng.random() < (0.04 if age >= 60 else 0.008):
                    disabled_here = True
                    self.tag(
                        person, "disabled", self.some_day(max(person.birth, add_years(today, -30)))
                    )
                if person.male and 22 <= age < 76 and rng.random() < 0.02:
                    self.tag(person, "veteran", add_years(person.birth, 21 + int(rng.random() * 6)))
                if age >= 18:
                    share = 0.05 if age < 30 else (0.08 if age < 60 else 0.11)
                    if rng.random() < share:
                        joined = add_years(person.birth, 20 + int(rng.random() * min(20, age - 17)))
                        self.tag(person, "party_member", joined)
                if person.region != REGION_CODE:
                    self.tag(person, "floating", person.moved_in)
            poor = roll < 0.015 + (0.05 if disabled_here else 0) + (0.03 if alone else 0)
            if poor:
                since = self.some_day(max(household.moved_in, add_years(today, -6)))
                for person in living:
                    self.tag(person, "subsistence", since)
            if attention_left and rng.random() < 0.003:
                person = living[int(rng.random() * len(living))]
                if age_on(person.birth, today) >= 18:
                    note = ATTENTION_NOTES[int(rng.random() * len(ATTENTION_NOTES))]
                    self.tag(person, "attention", self.some_day(add_years(today, -1)), note)
                    attention_left -= 1
