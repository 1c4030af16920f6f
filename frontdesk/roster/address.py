"""One 现住址 / 居住地址 cell read as compound, building, unit and flat (issue 13, "or one 现住址
column parsed").

Read: ``宏泰学府苑3号楼2单元1001``, ``宏泰学府苑3栋2单元1001室`` (栋 / 幢 / 座 / 号 / # too),
``3-2-1001``, ``宏泰学府苑 3-2-1001``, a building without units (``5号楼301``), a floor
(``2单元10层1001``), a note in brackets after it (``1001室（租户）``), full-width
digits, Chinese numerals for the building and the unit (``三号楼二单元``, ``十二栋``). The text
before the building is the compound, as written: the importer matches it against the community's
compounds. A leading administrative part is taken off when that is safe — everything up to the
last 社区 / 居委会 / 街道, and a run of two or more of 省 / 市 / 区 / 县 …
(``吕梁市离石区``), or one 区 / 县 (``离石区``; never the 区 of 小区, 园区, 校区 …). A single
``…市`` is kept: 城市花园 is a compound.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Address:
    compound: str
    building: int | None
    unit: int | None
    flat: int | None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(\d+|[零〇一二两三四五六七八九十]+)"
_BUILDING = r"(?:号楼|号|栋|幢|座|#楼|#)"
_CHINESE_STYLE = re.compile(
    rf"{_NUM}{_BUILDING}-?(?:{_NUM}单元-?)?(?:\d+(?:层|楼)-?)?(\d+)(?:室|号|户)?$",
)
_NOTE = re.compile(r"\([^()]*\)$")  # 1001室(租户): a note after the address
_DASH_STYLE = re.compile(r"(\d+)-(\d+)-(\d+)(?:室|号)?$")
_DASHES = str.maketrans({"—": "-", "–": "-", "‐": "-", "‑": "-", "−": "-", "―": "-"})
_MARKERS = ("社区居委会", "居委会", "居民委员会", "社区", "街道办事处", "街道")
_ADMIN = re.compile(r".{1,8}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|盟|县|旗|区)")
_NOT_ADMIN = "小园校社景厂矿营库街片城"  # 小区, 园区, 校区 … are places, not districts


def parse_address(text: object) -> Address | None:
    """The address in ``text``, or ``None`` when it is not read as one (see the module)."""
    if not isinstance(text, str):
        return None
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_DASHES))
    plain = _NOTE.sub("", plain)
    found = _CHINESE_STYLE.search(plain)
    if found is not None:
        building, unit = _number(found.group(1)), _number(found.group(2))
        flat = int(found.group(3))
    else:
        found = _DASH_STYLE.search(plain)
        if found is None:
            return None
        building, unit, flat = (int(part) for part in found.groups())
    if building is None:
        return None
    compound = _without_administration(plain[: found.start()].rstrip("-,，、"))
    return Address(compound=compound, building=building, unit=unit, flat=flat)


def _number(text: str | None) -> int | None:
    """``"12"``, ``"十二"``, ``"二十三"``, ``"一〇一"`` as a number; ``None`` for none."""
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _without_administration(text: str) -> str:
    """``text`` without a leading administrative part, when it can be told (see the module)."""
    for marker in _MARKERS:
        at = text.rfind(marker)
        if at > 0 and text[at + len(marker) :]:
            return text[at + len(marker) :]
    parts: list[str] = []
    rest = text
    while (found := _ADMIN.match(rest)) is not None:
        part = found.group(0)
        if part.endswith("区") and part[-2] in _NOT_ADMIN and not part.endswith("自治区"):
            break
        if len(part) < 2 or not rest[found.end() :]:
            break
        parts.append(part)
        rest = rest[found.end() :]
    if len(parts) >= 2 or (len(parts) == 1 and parts[0][-1] in "省区县旗" and len(parts[0]) >= 3):
        return rest
    return text
