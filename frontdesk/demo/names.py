"""Fake Chinese names: Faker zh_CN's pools read once, widened with given names of each era.

Faker is never called per name (too slow for a district): its surname weights and given-name
lists are read from the provider class and drawn from with the generator's own ``Random``.
"""

from __future__ import annotations

import random
from itertools import accumulate

# Rare compound surnames, with weights on Faker's scale (王 is 7.17).
COMPOUND_SURNAMES = {"欧阳": 0.02, "司马": 0.01, "上官": 0.008, "诸葛": 0.006, "司徒": 0.008}

# Characters of given names by the era a person was born in, leaning male / female.
# Two-character names take one from ``FIRST`` and one from ``SECOND``.
OLD, MIDDLE, YOUNG = 0, 1, 2  # born before 1965, 1965-1994, 1995 on

MALE_FIRST = (
    "建国志德永文明学玉海保福春忠振金庆长树世",
    "建伟晓志海俊文宏永军利立小卫东新旭家国宝",
    "子浩宇梓俊博一嘉思天睿文明泽皓家奕宸锦晨",
)
MALE_SECOND = (
    "国华民明林平生军成强山才义祥贵喜荣发全忠",
    "军伟峰杰涛斌明辉勇刚强鹏波龙亮飞平宇华超",
    "轩宇涵睿泽辰阳然航铭博豪杰恒瑞霖哲诚琪彬",
)
FEMALE_FIRST = (
    "秀桂玉凤淑翠金爱春兰素彩美月巧荣银瑞兴丽",
    "晓丽红海春小雪艳丹美静慧俊亚彩瑞婷燕玉文",
    "梓欣子思语诗雨佳可一若紫梦雅安芷婉依嘉心",
)
FEMALE_SECOND = (
    "英兰珍芳梅琴花霞荣莲娥香云仙凤枝贞萍清华",
    "丽燕霞娟艳红梅芳静敏琴华萍玲莉娜英洁蓉珍",
    "涵萱怡琪彤妍琳悦蕊瑶菲雯然晴馨茜淇桐静宁",
)

# A tiny share of Uyghur and Kazakh residents: "given name·father's name".
MINORITY_ETHNICITIES = ("维吾尔族", "维吾尔族", "维吾尔族", "哈萨克族")
MINORITY_MALE = ("艾力", "艾尔肯", "吐尔逊", "亚森", "阿不都", "努尔兰", "塔依尔", "艾合买提")
MINORITY_FEMALE = ("阿依古丽", "古丽娜尔", "帕提古丽", "努尔古丽", "热依拉", "阿依努尔", "米娜瓦尔")
MINORITY_FATHERS = ("买买提", "吐尔逊", "艾山", "阿不力孜", "热合曼", "玉素甫", "库尔班", "依明")

# Han names with another ethnicity on the register: (ethnicity, share of residents).
OTHER_ETHNICITIES = (("回族", 0.004), ("满族", 0.002), ("蒙古族", 0.002))


def era(birth_year: int) -> int:
    if birth_year < 1965:
        return OLD
    if birth_year < 1995:
        return MIDDLE
    return YOUNG


class Names:
    """Draws surnames and given names from ``rng``."""

    BATCH = 4096

    def __init__(self, rng: random.Random) -> None:
        from faker.providers.person.zh_CN import Provider

        self.rng = rng
        weights = dict(Provider.last_names)
        for surname, weight in COMPOUND_SURNAMES.items():
            weights.setdefault(surname, weight)
        self._surnames = list(weights)
        self._cum = list(accumulate(weights.values()))
        self._buffer: list[str] = []
        self._faker_male = tuple(Provider.first_names_male)
        self._faker_female = tuple(Provider.first_names_female)

    def surname(self) -> str:
        if not self._buffer:
            self._buffer = self.rng.choices(self._surnames, cum_weights=self._cum, k=self.BATCH)
        return self._buffer.pop()

    def given(self, male: bool, birth_year: int) -> str:
        rng = self.rng
        index = era(birth_year)
        roll = rng.random()
        if roll < 0.3:
            pool = self._faker_male if male else self._faker_female
            return pool[int(rng.random() * len(pool))]
        second = MALE_SECOND[index] if male else FEMALE_SECOND[index]
        if roll < 0.42:
            return second[int(rng.random() * len(second))]
        first = MALE_FIRST[index] if male else FEMALE_FIRST[index]
        a = first[int(rng.random() * len(first))]
        b = second[int(rng.random() * len(second))]
        if a == b and index != YOUNG:
            return a  # 丽丽-style doubles only for the young
        return a + b

    def full(self, surname: str, male: bool, birth_year: int) -> str:
        return surname + self.given(male, birth_year)

    def person(self, male: bool, birth_year: int) -> str:
        """A whole name with a fresh surname (staff, visitors)."""
        return self.surname() + self.given(male, birth_year)

    def minority_given(self, male: bool) -> str:
        pool = MINORITY_MALE if male else MINORITY_FEMALE
        return self.rng.choice(pool)

    def minority_father(self) -> str:
        return self.rng.choice(MINORITY_FATHERS)

    def minority_ethnicity(self) -> str:
        return self.rng.choice(MINORITY_ETHNICITIES)

    def han_ethnicity(self) -> str:
        """汉族 mostly; now and then 回族, 满族 or 蒙古族."""
        roll = self.rng.random()
        for ethnicity, share in OTHER_ETHNICITIES:
            if roll < share:
                return ethnicity
            roll -= share
        return "汉族"
