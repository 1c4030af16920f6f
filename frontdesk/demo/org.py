"""The district, its subdistricts and communities, and how big each community is."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import product
from string import ascii_uppercase

DISTRICT = "离石区"
REGION_CODE = "141102"

# Model values of 丽景街社区: everything else scales from these.
MODEL_RESIDENTS = 7982
MODEL_HOUSEHOLDS = 3014
MODEL_GRIDS_L3 = 12
MODEL_GRIDS_L4 = 40

# (name, ASCII code for usernames)
SUBDISTRICTS = (
    ("莲花池街道", "lhc"),
    ("滨河街道", "bh"),
    ("凤山街道", "fs"),
    ("城北街道", "cb"),
    ("西属巴街道", "xsb"),
    ("田家会街道", "tjh"),
    ("交口街道", "jk"),
)
COMMUNITIES_PER_SUBDISTRICT = 6

FIRST_COMMUNITY = ("丽景街社区", "LJ", "丽景街")
# Fake communities for a district-sized demo: (name, code, street the office is on).
MORE_COMMUNITIES = (
    ("凤山社区", "FS", "凤山路"),
    ("永宁社区", "YN", "永宁路"),
    ("龙凤社区", "LF", "龙凤大道"),
    ("滨河社区", "BH", "滨河北路"),
    ("学府社区", "XF", "学府街"),
    ("康宁社区", "KN", "康宁街"),
    ("东关社区", "DG", "东关街"),
    ("西关社区", "XG", "西关街"),
    ("北川社区", "BC", "北川河东路"),
    ("南关社区", "NG", "南关街"),
    ("华苑社区", "HY", "华苑路"),
    ("吉祥社区", "JX", "吉祥路"),
    ("和平社区", "HP", "和平街"),
    ("文峰社区", "WF", "文峰路"),
    ("盛世社区", "SS", "盛世路"),
    ("朝阳社区", "CY", "朝阳街"),
    ("金岸社区", "JA", "金岸路"),
    ("新华社区", "XH", "新华街"),
    ("光明社区", "GM", "光明路"),
    ("建设社区", "JS", "建设路"),
    ("乐园社区", "LY", "乐园路"),
    ("瑞丰社区", "RF", "瑞丰街"),
    ("惠民社区", "HM", "惠民路"),
    ("安泰社区", "AT", "安泰街"),
    ("益民社区", "YM", "益民街"),
    ("秀水社区", "XS", "秀水路"),
    ("青年路社区", "QN", "青年路"),
    ("车家湾社区", "CJ", "车家湾路"),
    ("凤城社区", "FC", "凤城路"),
    ("永安社区", "YA", "永安街"),
    ("东川社区", "DC", "东川路"),
    ("龙山社区", "LS", "龙山路"),
    ("丰源社区", "FY", "丰源街"),
    ("昌盛社区", "CS", "昌盛街"),
    ("天和社区", "TH", "天和路"),
    ("德馨社区", "DX", "德馨街"),
    ("恒安社区", "HA", "恒安路"),
    ("兴隆社区", "XL", "兴隆街"),
    ("鑫苑社区", "XY", "鑫苑路"),
)
# For even bigger demos: names made of two parts, codes from the unused letter pairs.
NAME_FIRST = "安宝昌成春大德东福富广桂国和弘华吉嘉金锦康乐利隆美明宁平庆仁荣瑞祥新兴"
NAME_SECOND = "安北城村东丰港和湖华家林隆南宁平桥泉山盛水台湾西阳苑园"


@dataclass(frozen=True)
class CommunityPlan:
    index: int
    name: str
    code: str
    street: str
    subdistrict: int  # index into the subdistricts in use
    residents: int  # living
    households: int  # active
    grids_l3: int
    grids_l4: int
    requests: int


def community_count(residents: int) -> int:
    return max(1, round(residents / MODEL_RESIDENTS))


def subdistrict_count(communities: int) -> int:
    return min(len(SUBDISTRICTS), max(1, math.ceil(communities / COMMUNITIES_PER_SUBDISTRICT)))


def community_names(count: int) -> list[tuple[str, str, str]]:
    """``count`` distinct (name, code, street) triples, 丽景街社区 first."""
    chosen = [FIRST_COMMUNITY, *MORE_COMMUNITIES][:count]
    if len(chosen) == count:
        return chosen
    names = {name for name, _, _ in chosen}
    codes = {code for _, code, _ in chosen}
    spare_codes = (
        "".join(letters)
        for size in (2, 3)
        for letters in product(ascii_uppercase, repeat=size)
        if "".join(letters) not in codes
    )
    for first, second in product(NAME_FIRST, NAME_SECOND):
        if len(chosen) == count:
            break
        name = f"{first}{second}社区"
        if first == second or name in names:
            continue
        names.add(name)
        chosen.append((name, next(spare_codes), f"{first}{second}路"))
    if len(chosen) < count:
        raise ValueError(f"too many communities: {count}")
    return chosen


def scaled(value: int, residents: int) -> int:
    return round(value * residents / MODEL_RESIDENTS)


def plan(residents: int) -> list[CommunityPlan]:
    """How the ``residents`` are split into communities and what each one holds."""
    if residents < 1:
        raise ValueError("a demo needs at least one resident")
    count = community_count(residents)
    subdistricts = subdistrict_count(count)
    base, extra = divmod(residents, count)
    plans = []
    for index, (name, code, street) in enumerate(community_names(count)):
        living = base + (1 if index < extra else 0)
        households = max(1, min(living, scaled(MODEL_HOUSEHOLDS, living)))
        grids_l4 = max(2, scaled(MODEL_GRIDS_L4, living))
        grids_l3 = min(grids_l4, max(1, scaled(MODEL_GRIDS_L3, living)))
        plans.append(
            CommunityPlan(
                index=index,
                name=name,
                code=code,
                street=street,
                subdistrict=index * subdistricts // count,
                residents=living,
                households=households,
                grids_l3=grids_l3,
                grids_l4=grids_l4,
                requests=max(3, scaled(300, living)),
            )
        )
    return plans
