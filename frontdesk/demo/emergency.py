"""The demo's emergency contacts (紧急联系人): most people in a care group get one — an old
person's son or daughter (a nephew, a niece), a left-behind child's father or mother working away,
a 孤寡 old person's neighbour — with a made-up mobile.

Drawn after everything else is written, each person from a ``random.Random`` of their own (a
constant and their id), never from the demo's ``ctx.rng``: nothing else the demo generates
changes, and the same seed gives the same contacts.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from frontdesk.db.models import Resident, ResidentTag, Tag, database_proxy
from frontdesk.vocabulary import ResidentStatus

SEED = 14_000_014
SHARE = 0.85  # of the people in care who have one on record
CARE_TAGS = (
    "elderly_alone_no_kin",
    "elderly_alone",
    "elderly_80",
    "left_behind_child",
    "disabled",
    "subsistence",
    "extreme_poverty",
    "attention",
)
ELDERLY = frozenset({"elderly_alone_no_kin", "elderly_alone", "elderly_80"})
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡郭何高林罗梁宋郑谢韩唐冯"
MEN = ("伟", "强", "磊", "军", "勇", "杰", "涛", "明", "建国", "海军", "志强", "晓东")
WOMEN = ("芳", "娟", "敏", "静", "丽", "艳", "霞", "秀英", "桂兰", "丽娟", "晓红", "玉梅")
MOBILE_PREFIXES = "130 133 135 136 138 139 150 151 152 155 158 159 177 180 182 186 187 188 189 199"
PREFIXES: tuple[str, ...] = tuple(MOBILE_PREFIXES.split(" "))
CITIES = ("太原", "北京", "西安", "鄂尔多斯", "天津", "石家庄", "郑州")


def _mobile(rng: random.Random) -> str:
    number = f"{rng.choice(PREFIXES)}{rng.randrange(100_000_000):08d}"
    if rng.random() < 0.3:  # as people write it down
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return number


def _surname(name: str) -> str:
    return name[0] if "·" not in name and len(name) >= 2 else ""


def _contact(rng: random.Random, name: str, gender: str, tags: set[str], child: bool) -> str:
    own = _surname(name) or rng.choice(SURNAMES)
    other = rng.choice(SURNAMES)
    if child and "left_behind_child" not in tags:
        if rng.random() < 0.5:
            who, relation = own + rng.choice(MEN), "父亲"
        else:
            who, relation = other + rng.choice(WOMEN), "母亲"
    elif "left_behind_child" in tags:
        if rng.random() < 0.6:
            who, relation = own + rng.choice(MEN), "父亲"
        else:
            who, relation = other + rng.choice(WOMEN), "母亲"
        relation += f"，在{rng.choice(CITIES)}务工"
    elif "elderly_alone_no_kin" in tags:
        who = other + rng.choice(WOMEN + MEN)
        relation = rng.choice(("邻居", "邻居", "结对志愿者"))
    elif ELDERLY & tags:
        roll = rng.random()
        children_surname = own if gender == "M" else other
        if roll < 0.45:
            who, relation = children_surname + rng.choice(MEN), "儿子"
        elif roll < 0.85:
            who, relation = children_surname + rng.choice(WOMEN), "女儿"
        else:
            who, relation = own + rng.choice(MEN), rng.choice(("侄子", "外甥"))
    else:
        roll = rng.random()
        if roll < 0.4:
            who, relation = own + rng.choice(MEN), rng.choice(("哥哥", "弟弟"))
        elif roll < 0.8:
            who, relation = own + rng.choice(WOMEN), rng.choice(("姐姐", "妹妹"))
        else:
            who, relation = other + rng.choice(WOMEN + MEN), "邻居"
    return f"{who}（{relation}）{_mobile(rng)}"


def add_emergency_contacts(today: date) -> int:
    """Give most living people in a care group an emergency contact; how many got one."""
    adult = today.replace(year=today.year - 18) if (today.month, today.day) != (2, 29) else today
    rows: Any = (
        Resident.select(Resident.id, Resident.name, Resident.gender, Resident.birth_date, Tag.code)
        .join(ResidentTag, on=ResidentTag.resident == Resident.id)
        .join(Tag, on=ResidentTag.tag == Tag.id)
        .where(
            (Resident.status == ResidentStatus.LIVING.value)
            & ResidentTag.ended_at.is_null()
            & Tag.code.in_(CARE_TAGS)
        )
        .tuples()
    )
    people: dict[int, tuple[str, str, bool, set[str]]] = {}
    for rid, name, gender, born, code in rows:
        people.setdefault(rid, (name, gender, born > adult, set()))[3].add(code)
    updates = []
    for rid in sorted(people):
        rng = random.Random(SEED * 1_000_003 + rid)
        if rng.random() >= SHARE:
            continue
        name, gender, child, tags = people[rid]
        updates.append((_contact(rng, name, gender, tags, child), rid))
    database_proxy.obj.cursor().executemany(
        "UPDATE resident SET emergency_contact = ? WHERE id = ?", updates
    )
    return len(updates)
