"""Households and residents of a community as the demo builds them: ``Person``, ``Household``,
``People``, and the shares of the community's make-up (tenants, the floating population,
minorities, who moved out or died).

Every active household lives in a flat (about 3% of the occupied flats also hold a tenant
household) and has exactly one living head. On top of the living residents come former ones:
grown children who moved away from a household that still lives here, migrant parents of
left-behind children, whole households that moved out (their flat is empty now), and the
deceased. Each has a ``Move`` row for moving in, and one for moving out or dying. ``population``
makes them, ``people_rows`` writes their rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from frontdesk.demo.places import Flat
from frontdesk.vocabulary import HouseholdStatus, ResidentStatus

LIVING = ResidentStatus.LIVING.value
MOVED_OUT = ResidentStatus.MOVED_OUT.value
DECEASED = ResidentStatus.DECEASED.value
ACTIVE = HouseholdStatus.ACTIVE.value
HOUSEHOLD_MOVED_OUT = HouseholdStatus.MOVED_OUT.value

TENANT_SHARE = 0.03  # of occupied flats, holding a second household
FLOATING_TENANTS = 0.7
FLOATING_OTHERS = 0.015
MINORITY_RESIDENTS = 1 / 1500  # Uyghur and Kazakh families: about 1 resident in 1,500
MOVED_OUT_HOUSEHOLDS = 0.012  # of active households
DECEASED_SPOUSE = 0.35  # of elderly living alone
DECEASED_PARENT = 0.03  # of households with a head of 40-70
CHILD_MOVED_AWAY = 0.13  # of households with a head of 45 or more
MIGRANT_PARENTS = 0.8  # of grandparent-and-grandchildren households

# Floating population from elsewhere in Shanxi: 太原 districts and 吕梁 counties.
SHANXI_REGIONS = (
    *("140105", "140106", "140107", "140108", "140109", "140110"),
    *("141121", "141122", "141123", "141124", "141125", "141126", "141127", "141128"),
    *("141129", "141130", "141181", "141182"),
)
XINJIANG_REGIONS = ("650102", "650103", "654002")
DESTINATIONS = (
    "太原市小店区",
    "太原市万柏林区",
    "太原市迎泽区",
    "晋中市榆次区",
    "汾阳市",
    "孝义市",
    "柳林县",
    "交城县",
    "北京市朝阳区",
    "西安市雁塔区",
    "天津市滨海新区",
    "石家庄市长安区",
)
WORK_PLACES = ("太原市", "北京市", "西安市", "鄂尔多斯市", "天津市", "郑州市")


@dataclass(slots=True, eq=False)
class Person:
    id: int
    household: Household
    relation: str
    name: str
    male: bool
    birth: dt.date
    region: str
    status: str
    moved_in: dt.date
    phone: str | None = None
    moved_out: dt.date | None = None
    died: dt.date | None = None
    forwarding: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Household:
    id: int
    number: str
    flat: Flat
    kind: str
    status: str
    moved_in: dt.date
    region: str
    tenant: bool
    moved_out: dt.date | None = None
    members: list[Person] = field(default_factory=list)

    def living(self) -> list[Person]:
        return [person for person in self.members if person.status == LIVING]


@dataclass
class People:
    households: list[Household]  # active ones first
    living: list[Person]

    def active(self) -> list[Household]:
        return [household for household in self.households if household.status == ACTIVE]
