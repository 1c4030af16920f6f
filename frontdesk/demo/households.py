"""Who lives together: household compositions with ages that make sense.

A composition is a list of ``Member`` specs: relation to the head, gender, age in years, and
whose surname the member carries (``NEW`` for an own surname: spouses keep theirs). The head is
always first. Ages keep children 20–44 years younger than the head, parents 22–43 years older,
spouses of the other gender within a few years, grandchildren over 40 years younger.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from frontdesk.vocabulary import Relation

HEAD = Relation.HEAD.value
SPOUSE = Relation.SPOUSE.value
CHILD = Relation.CHILD.value
PARENT = Relation.PARENT.value
GRANDCHILD = Relation.GRANDCHILD.value
OTHER = Relation.OTHER.value

NEW = -1  # an own surname


class Member(NamedTuple):
    relation: str
    male: bool
    age: float
    surname_of: int  # index of the member whose surname this one carries, or NEW


# Household sizes (living members) and their shares: mean 2.65 like 丽景街社区 (7982 / 3014).
SIZE_SHARES = {1: 0.20, 2: 0.30, 3: 0.27, 4: 0.13, 5: 0.07, 6: 0.03}

# size -> [(kind, share)]
KINDS: dict[int, list[tuple[str, float]]] = {
    1: [("elderly_single", 0.38), ("young_single", 0.37), ("middle_single", 0.25)],
    2: [
        ("elderly_couple", 0.33),
        ("middle_couple", 0.25),
        ("young_couple", 0.20),
        ("single_parent", 0.10),
        ("adult_with_parent", 0.12),
    ],
    3: [
        ("nuclear1", 0.69),
        ("skipgen1", 0.04),
        ("couple_parent", 0.10),
        ("single_parent2", 0.05),
        ("elderly_couple_child", 0.12),
    ],
    4: [
        ("nuclear2", 0.55),
        ("nuclear1_parent", 0.25),
        ("skipgen2", 0.04),
        ("elderly_couple_child_inlaw", 0.16),
    ],
    5: [("nuclear1_parents", 0.45), ("nuclear2_parent", 0.30), ("threegen1", 0.25)],
    6: [("nuclear2_parents", 0.60), ("threegen2", 0.40)],
}
TENANT_KINDS = {1: ["young_single", "middle_single"], 2: ["young_couple", "middle_couple"]}
SKIP_GENERATION = {"skipgen1", "skipgen2"}


def sizes(rng: random.Random, households: int, residents: int) -> list[int]:
    """``households`` sizes (1..6) adding up to exactly ``residents``."""
    if residents < households:
        raise ValueError("fewer residents than households")
    population = list(SIZE_SHARES)
    drawn = rng.choices(population, weights=list(SIZE_SHARES.values()), k=households)
    total = sum(drawn)
    largest = max(population)
    while total != residents:
        index = int(rng.random() * households)
        if total > residents and drawn[index] > 1:
            drawn[index] -= 1
            total -= 1
        elif total < residents and drawn[index] < largest:
            drawn[index] += 1
            total += 1
        elif total < residents and min(drawn) == largest:
            drawn[index] += 1  # more than six a household on average: let it grow
            total += 1
    return drawn


def pick_kind(rng: random.Random, size: int, tenant: bool) -> str:
    if tenant and size in TENANT_KINDS:
        options = TENANT_KINDS[size]
        return options[int(rng.random() * len(options))]
    kinds = KINDS.get(size)
    if kinds is None:
        return "big"
    roll = rng.random()
    for kind, share in kinds:
        if roll < share:
            return kind
        roll -= share
    return kinds[-1][0]


class Composer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def u(self, low: float, high: float) -> float:
        return low + self.rng.random() * (high - low)

    # -- building blocks ---------------------------------------------------------------------

    def head(self, age: float, male_share: float) -> list[Member]:
        return [Member(HEAD, self.rng.random() < male_share, age, NEW)]

    def couple(self, head_age: float, head_male_share: float = 0.82) -> list[Member]:
        head_male = self.rng.random() < head_male_share
        older_husband = self.u(-2, 6)  # how much older the husband is
        if head_male:
            spouse_age = max(20.0, head_age - older_husband)
        else:
            spouse_age = max(22.0, head_age + older_husband)
        return [
            Member(HEAD, head_male, head_age, NEW),
            Member(SPOUSE, not head_male, spouse_age, NEW),
        ]

    def children(self, family: list[Member], count: int, relation: str = CHILD) -> None:
        """Add ``count`` children of the first one or two members of ``family``."""
        parents = family[:2] if len(family) > 1 and family[1].relation == SPOUSE else family[:1]
        father = next((i for i, m in enumerate(parents) if m.male), NEW)
        younger = min(member.age for member in parents)
        age = younger - (20 + self.rng.random() * min(9.0, max(0.0, younger - 20)))
        for _ in range(count):
            surname_of = father if father != NEW and self.rng.random() < 0.92 else 0
            family.append(Member(relation, self.rng.random() < 0.52, max(age, 0.05), surname_of))
            age -= self.u(1.5, 7)

    def parents(self, family: list[Member], count: int) -> None:
        """Add the head's mother (and father) as ``parent``."""
        head_age = family[0].age
        mother = min(head_age + self.u(22, 36), 97.5)
        if count == 2:
            father = min(mother + self.u(0, 5), head_age + 43, 99.0)
            family.append(Member(PARENT, True, father, 0))
            family.append(Member(PARENT, False, mother, NEW))
        elif self.rng.random() < 0.72:
            family.append(Member(PARENT, False, mother, NEW))
        else:
            father = min(mother + self.u(0, 5), head_age + 43, 99.0)
            family.append(Member(PARENT, True, father, 0))

    def married_child(self, family: list[Member], grandchildren: int) -> None:
        """Add a grown child of the head, the child's spouse (``other``) and their children."""
        head = family[0]
        son = self.rng.random() < 0.75
        age = head.age - self.u(22, min(32.0, head.age - 22))  # 22 or older
        child_surname = 0 if (head.male or len(family) == 1) else 1
        family.append(Member(CHILD, son, age, child_surname))
        in_law_age = age - self.u(-2, 5) if son else age + self.u(-2, 5)
        family.append(Member(OTHER, not son, max(20.0, in_law_age), NEW))
        father = len(family) - 2 if son else len(family) - 1
        younger = min(age, in_law_age)
        gc_age = younger - (20 + self.rng.random() * min(10.0, max(0.0, younger - 20)))
        for _ in range(grandchildren):
            family.append(Member(GRANDCHILD, self.rng.random() < 0.52, max(gc_age, 0.05), father))
            gc_age -= self.u(1.5, 6)

    # -- compositions ------------------------------------------------------------------------

    def compose(self, kind: str, size: int) -> list[Member]:
        u = self.u
        rng = self.rng
        family: list[Member]
        if kind == "elderly_single":
            family = self.head(rng.triangular(60, 96, 72), 0.35)
        elif kind == "young_single":
            family = self.head(u(20, 38), 0.55)
        elif kind == "middle_single":
            family = self.head(u(38, 60), 0.5)
        elif kind == "elderly_couple":
            family = self.couple(rng.triangular(60, 90, 66), 0.9)
        elif kind == "middle_couple":
            family = self.couple(u(45, 62))
        elif kind == "young_couple":
            family = self.couple(u(23, 36))
        elif kind == "single_parent":
            family = self.head(u(30, 55), 0.3)
            self.children(family, 1)
        elif kind == "adult_with_parent":
            family = self.head(u(30, 62), 0.5)
            self.parents(family, 1)
        elif kind == "nuclear1":
            family = self.couple(u(25, 56))
            self.children(family, 1)
        elif kind in SKIP_GENERATION:  # grandparents with the children of parents working away
            youngest = u(1, 16)
            family = self.couple(min(youngest + u(45, 60), 80.0), 0.8)
            ages = [youngest] if kind == "skipgen1" else [min(youngest + u(1.5, 5), 16.5), youngest]
            for age in ages:
                family.append(Member(GRANDCHILD, rng.random() < 0.52, age, 0))
        elif kind == "couple_parent":
            family = self.couple(u(32, 60))
            self.parents(family, 1)
        elif kind == "single_parent2":
            family = self.head(u(32, 52), 0.3)
            self.children(family, 2)
        elif kind == "elderly_couple_child":
            family = self.couple(u(55, 80), 0.88)
            self.children(family, 1)
        elif kind == "nuclear2":
            family = self.couple(u(28, 55))
            self.children(family, 2)
        elif kind == "nuclear1_parent":
            family = self.couple(u(30, 55))
            self.children(family, 1)
            self.parents(family, 1)
        elif kind == "elderly_couple_child_inlaw":
            family = self.couple(u(50, 78), 0.88)
            self.married_child(family, 0)
        elif kind == "nuclear1_parents":
            family = self.couple(u(28, 52))
            self.children(family, 1)
            self.parents(family, 2)
        elif kind == "nuclear2_parent":
            family = self.couple(u(30, 52))
            self.children(family, 2)
            self.parents(family, 1)
        elif kind == "threegen1":
            family = self.couple(u(52, 80), 0.85)
            self.married_child(family, 1)
        elif kind == "nuclear2_parents":
            family = self.couple(u(30, 50))
            self.children(family, 2)
            self.parents(family, 2)
        elif kind == "threegen2":
            family = self.couple(u(55, 80), 0.85)
            self.married_child(family, 2)
        else:  # "big": an unusually large family, children to fill it
            family = self.couple(u(40, 55))
            self.parents(family, 2)
            self.children(family, max(0, size - 4))
        if len(family) != size:
            raise AssertionError(f"{kind}: {len(family)} members, wanted {size}")
        return family
