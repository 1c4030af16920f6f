"""Who lives in a community and who left: households in their flats, each with one living head,
and their history — grown children who moved away, migrant parents of left-behind children,
whole households that moved out, the deceased. The shapes are in ``people``, the rows written
from them in ``people_rows``."""

from __future__ import annotations

import datetime as dt

from frontdesk.demo.context import DAYS_PER_YEAR, Context
from frontdesk.demo.households import (
    CHILD,
    GRANDCHILD,
    HEAD,
    NEW,
    OTHER,
    PARENT,
    SIZE_SHARES,
    SKIP_GENERATION,
    SPOUSE,
    Composer,
    Member,
    pick_kind,
    sizes,
)
from frontdesk.demo.org import REGION_CODE
from frontdesk.demo.people import (
    ACTIVE,
    CHILD_MOVED_AWAY,
    DECEASED,
    DECEASED_PARENT,
    DECEASED_SPOUSE,
    DESTINATIONS,
    FLOATING_OTHERS,
    FLOATING_TENANTS,
    HOUSEHOLD_MOVED_OUT,
    LIVING,
    MIGRANT_PARENTS,
    MINORITY_RESIDENTS,
    MOVED_OUT,
    MOVED_OUT_HOUSEHOLDS,
    SHANXI_REGIONS,
    TENANT_SHARE,
    WORK_PLACES,
    XINJIANG_REGIONS,
    Household,
    People,
    Person,
)
from frontdesk.demo.people_rows import write_people
from frontdesk.demo.places import Flat
from frontdesk.demo.staff import Account


class PeopleMaker:
    def __init__(self, ctx: Context, code: str, reception: list[Account]) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.code = code
        self.clerk = reception[0].id
        self.composer = Composer(ctx.rng)
        self.households: list[Household] = []
        self.living: list[Person] = []

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def shift(day: dt.date, years: float) -> dt.date:
        """``day`` moved ``years`` back (forward when negative)."""
        return dt.date.fromordinal(day.toordinal() - int(years * DAYS_PER_YEAR))

    def birth(self, age: float, on: dt.date) -> dt.date:
        """A birth date giving ``age`` (plus a fraction of a year) on ``on``."""
        return dt.date.fromordinal(
            on.toordinal() - max(1, int((age + self.rng.random()) * DAYS_PER_YEAR))
        )

    def phone_for(self, age: float) -> str | None:
        roll = self.rng.random()
        if age < 14:
            return None
        if age < 18:
            return self.ctx.phones.new() if roll < 0.6 else None
        if age >= 80:
            return self.ctx.phones.new() if roll < 0.65 else None
        return self.ctx.phones.new() if roll < 0.94 else None

    def new_household(
        self, flat: Flat, kind: str, moved_in: dt.date, region: str, tenant: bool
    ) -> Household:
        table = self.ctx.tables.household
        household_id = table.new_id()
        number = f"{self.code}-{len(self.households) + 1:06d}"
        household = Household(household_id, number, flat, kind, ACTIVE, moved_in, region, tenant)
        self.households.append(household)
        return household

    def names_for(self, family: list[Member], minority: bool, born: list[dt.date]) -> list[str]:
        names = self.ctx.names
        result: list[str] = []
        surnames: list[str] = []
        givens: list[str] = []
        for index, member in enumerate(family):
            if minority:
                given = names.minority_given(member.male)
                father = member.surname_of
                if member.relation != HEAD and father not in (NEW, index) and family[father].male:
                    father_name = givens[father]
                else:
                    father_name = names.minority_father()
                givens.append(given)
                surnames.append("")
                result.append(f"{given}·{father_name}")
                continue
            surname = names.surname() if member.surname_of == NEW else surnames[member.surname_of]
            given = names.given(member.male, born[index].year)
            surnames.append(surname)
            givens.append(given)
            result.append(surname + given)
        return result

    def name_like(
        self, household: Household, male: bool, born: dt.date, surname: str | None = None
    ) -> str:
        """A name for a former member: a minority name in a minority household."""
        names = self.ctx.names
        if household.region in XINJIANG_REGIONS:
            return f"{names.minority_given(male)}·{names.minority_father()}"
        return (surname or names.surname()) + names.given(male, born.year)

    def add_person(
        self,
        household: Household,
        relation: str,
        name: str,
        male: bool,
        birth: dt.date,
        status: str,
    ) -> Person:
        person = Person(
            self.ctx.tables.resident.new_id(),
            household,
            relation,
            name,
            male,
            birth,
            household.region,
            status,
            max(household.moved_in, birth),
        )
        household.members.append(person)
        if status == LIVING:
            self.living.append(person)
        return person

    def fill(
        self, household: Household, family: list[Member], on: dt.date, status: str
    ) -> list[Person]:
        """Members of ``family`` with ages as on ``on``."""
        born = [self.birth(member.age, on) for member in family]
        minority = household.region in XINJIANG_REGIONS
        names = self.names_for(family, minority, born)
        return [
            self.add_person(household, member.relation, name, member.male, birth, status)
            for member, birth, name in zip(family, born, names, strict=True)
        ]

    def father_surname(self, household: Household) -> str | None:
        """The surname the head's children carry: the head's husband's line."""
        head = household.members[0]
        if head.male:
            return _surname(head.name)
        husband = next((p for p in household.members if p.relation == SPOUSE and p.male), None)
        return _surname(husband.name) if husband else None

    def forwarding(self, phone: str) -> str:
        if self.rng.random() < 0.4:
            return phone
        destination = DESTINATIONS[int(self.rng.random() * len(DESTINATIONS))]
        return f"迁往{destination}，电话 {phone}"

    def last_day(self) -> dt.date:
        """The latest day a former member left: a little before today."""
        return self.ctx.today - dt.timedelta(days=10)

    # -- the community -----------------------------------------------------------------------

    def make(self, flats: list[Flat], households: int, residents: int) -> People:
        rng = self.rng
        sizes_list = sizes(rng, households, residents)
        occupied_count = min(len(flats), max(1, round(households / (1 + TENANT_SHARE))))
        tenant_count = households - occupied_count
        occupied = sorted(rng.sample(range(len(flats)), occupied_count))
        shared = set(rng.sample(occupied, min(tenant_count, len(occupied))))
        small = [index for index, size in enumerate(sizes_list) if size <= 2]
        tenant_indexes = set(rng.sample(small, min(tenant_count, len(small))))
        if len(tenant_indexes) < tenant_count:  # hardly any small households: take any
            rest = [i for i in range(len(sizes_list)) if i not in tenant_indexes]
            tenant_indexes.update(rest[: tenant_count - len(tenant_indexes)])
        primary_sizes = [s for i, s in enumerate(sizes_list) if i not in tenant_indexes]
        tenant_sizes = [s for i, s in enumerate(sizes_list) if i in tenant_indexes]
        vacant = [flats[i] for i in sorted(set(range(len(flats))) - set(occupied))]

        families = round(households * MINORITY_RESIDENTS)  # as many families as people
        minority = set(rng.sample(range(len(occupied)), min(families, len(occupied))))
        for slot, flat_index in enumerate(occupied):
            flat = flats[flat_index]
            self.active_household(
                flat, primary_sizes[slot], tenant=False, minority=slot in minority
            )
            if flat_index in shared:
                self.active_household(flat, tenant_sizes.pop(), tenant=True)
        while tenant_sizes:  # more households than flats can take one each
            flat = flats[occupied[len(tenant_sizes) % len(occupied)]]
            self.active_household(flat, tenant_sizes.pop(), tenant=True)

        gone = min(len(vacant), round(households * MOVED_OUT_HOUSEHOLDS))
        for flat in rng.sample(vacant, gone):
            self.moved_out_household(flat)

        self.write()
        return People(self.households, self.living)

    def active_household(self, flat: Flat, size: int, tenant: bool, minority: bool = False) -> None:
        rng = self.rng
        ctx = self.ctx
        kind = pick_kind(rng, size, tenant)
        if minority:
            region = XINJIANG_REGIONS[int(rng.random() * len(XINJIANG_REGIONS))]
        elif rng.random() < (FLOATING_TENANTS if tenant else FLOATING_OTHERS):
            region = SHANXI_REGIONS[int(rng.random() * len(SHANXI_REGIONS))]
        else:
            region = REGION_CODE
        family = self.composer.compose(kind, size)
        head_age = family[0].age
        if tenant or region != REGION_CODE:
            years_here = 0.1 + rng.random() * 3
        else:
            years_here = 0.1 + rng.random() ** 0.8 * min(26.0, max(0.5, head_age - 20))
        moved_in = self.shift(ctx.today, years_here)
        moved_in = min(moved_in, ctx.today - dt.timedelta(days=20))
        household = self.new_household(flat, kind, moved_in, region, tenant)
        people = self.fill(household, family, ctx.today, LIVING)
        for person, member in zip(people, family, strict=True):
            person.phone = self.phone_for(member.age)

        # Former members: the deceased, children who moved away, migrant parents.
        if kind == "elderly_single" and rng.random() < DECEASED_SPOUSE:
            self.deceased_spouse(household)
        elif (
            40 <= head_age < 70
            and PARENT not in [m.relation for m in family]
            and rng.random() < DECEASED_PARENT
        ):
            self.deceased_parent(household)
        if head_age >= 45 and kind not in SKIP_GENERATION and rng.random() < CHILD_MOVED_AWAY:
            self.child_moved_away(household)
        if kind in SKIP_GENERATION and rng.random() < MIGRANT_PARENTS:
            self.migrant_parents(household)

    def deceased_spouse(self, household: Household) -> None:
        ctx = self.ctx
        head = household.members[0]
        first = max(household.moved_in + dt.timedelta(days=60), self.shift(ctx.today, 10))
        if first > self.last_day():
            return
        died = ctx.day_between(first, self.last_day())
        husband_older = -2 + 8 * self.rng.random()
        birth = self.shift(head.birth, -husband_older if head.male else husband_older)
        name = self.name_like(household, not head.male, birth)
        person = self.add_person(household, SPOUSE, name, not head.male, birth, DECEASED)
        person.died = died

    def deceased_parent(self, household: Household) -> None:
        ctx = self.ctx
        head = household.members[0]
        male = self.rng.random() < 0.55
        birth = self.shift(head.birth, 24 + 12 * self.rng.random())
        first = max(
            household.moved_in + dt.timedelta(days=30),
            self.shift(ctx.today, 8),
            self.shift(birth, -55),  # not before the age of 55
        )
        if first > self.last_day():
            return
        surname = _surname(head.name) if male else None
        name = self.name_like(household, male, birth, surname)
        person = self.add_person(household, PARENT, name, male, birth, DECEASED)
        person.died = ctx.day_between(first, self.last_day())

    def child_moved_away(self, household: Household) -> None:
        ctx = self.ctx
        head = household.members[0]
        birth = self.shift(head.birth, -(22 + 12 * self.rng.random()))
        first = max(household.moved_in + dt.timedelta(days=60), self.shift(birth, -18.5))
        if first >= self.last_day():
            return
        if self.rng.random() < 0.6:  # most moved away in the last few years
            first = max(first, self.shift(ctx.today, 5))
        male = self.rng.random() < 0.5
        name = self.name_like(household, male, birth, self.father_surname(household))
        person = self.add_person(household, CHILD, name, male, birth, MOVED_OUT)
        person.moved_out = ctx.day_between(first, self.last_day())
        person.phone = ctx.phones.new()
        person.forwarding = self.forwarding(person.phone)

    def migrant_parents(self, household: Household) -> None:
        """The parents of left-behind children, registered here, working far away."""
        ctx = self.ctx
        rng = self.rng
        head = household.members[0]
        children = [p for p in household.members if p.relation == GRANDCHILD]
        earliest = self.shift(head.birth, -20)  # 20 years younger than the head at least
        birth = max(self.shift(min(p.birth for p in children), 22 + 8 * rng.random()), earliest)
        place = WORK_PLACES[int(rng.random() * len(WORK_PLACES))]
        first = max(household.moved_in, max(p.birth for p in children))
        left = ctx.day_between(first, self.last_day())
        # The son (the children carry his surname, the head's) and often his wife.
        couple: list[tuple[str, bool, dt.date, str | None]] = [
            (CHILD, True, birth, _surname(head.name))
        ]
        if rng.random() < 0.6:
            in_law_birth = max(self.shift(birth, 2 - 5 * rng.random()), earliest)
            couple.append((OTHER, False, in_law_birth, None))
        for relation, male, born, surname in couple:
            name = self.name_like(household, male, born, surname)
            person = self.add_person(household, relation, name, male, born, MOVED_OUT)
            person.moved_out = max(left, person.moved_in + dt.timedelta(days=1))
            person.phone = ctx.phones.new()
            person.forwarding = f"在{place}务工，电话 {person.phone}"

    def moved_out_household(self, flat: Flat) -> None:
        ctx = self.ctx
        rng = self.rng
        left = ctx.day_between(self.shift(ctx.today, 8), ctx.today - dt.timedelta(days=20))
        moved_in = self.shift(left, 1 + rng.random() * 15)
        size = rng.choices(list(SIZE_SHARES)[:4], weights=list(SIZE_SHARES.values())[:4])[0]
        kind = pick_kind(rng, size, tenant=False)
        household = self.new_household(flat, kind, moved_in, REGION_CODE, tenant=False)
        household.status = HOUSEHOLD_MOVED_OUT
        household.moved_out = left
        family = self.composer.compose(kind, size)
        destination = DESTINATIONS[int(rng.random() * len(DESTINATIONS))]
        for person, member in zip(
            self.fill(household, family, left, MOVED_OUT), family, strict=True
        ):
            person.moved_out = left
            if member.age >= 16:
                person.phone = ctx.phones.new()
                person.forwarding = self.forwarding(person.phone)
            else:
                person.forwarding = f"随家人迁往{destination}"

    # -- rows -------------------------------------------------------------------------------

    def write(self) -> None:
        write_people(self.ctx, self.households, self.clerk)


def _surname(name: str) -> str:
    """The surname of a generated Han name (compound surnames are two characters)."""
    from frontdesk.demo.names import COMPOUND_SURNAMES

    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def _given(name: str) -> str:
    if "·" in name:
        return name.split("·")[0]
    return name[len(_surname(name)) :]
