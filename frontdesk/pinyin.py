"""Pinyin of Chinese personal names, read the way a clerk says them.

pypinyin reads a character by its most common reading, but many surnames are read differently
(单 is Shàn, not dān; 曾 is Zēng, not céng; 解 is Xiè; 区 is Ōu; 朴 is Piáo ...). Names are split
into surname and given name (compound surnames such as 欧阳 and 司马 first), the surname is read
from ``SURNAME_READINGS`` and the given name by pypinyin, which knows given-name phrases.
Names with a middle dot (阿依古丽·买买提) have no surname: each part is read as it is.

pypinyin is imported only when a name is read (building the search index), never at start-up;
the desk reads its dictionaries on a thread once the first screen is drawn (``warm_up``), and a
name read before that simply waits for the import to finish.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "司徒",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "令狐",
    "夏侯",
    "澹台",
    "万俟",
    "单于",
    "端木",
    "西门",
    "南宫",
    "独孤",
    "轩辕",
    "钟离",
    "闻人",
    "赫连",
    "申屠",
    "公冶",
    "太史",
    "濮阳",
    "呼延",
    "司空",
    "第五",
    "左丘",
    "百里",
    "东郭",
    "拓跋",
)

# Surnames whose reading differs from the character's common one. Several readings: all are
# used as surnames (a clerk may hear either), the first is the usual one.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "查": ("zha",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "区": ("ou",),
    "覃": ("qin", "tan"),
    "乐": ("yue", "le"),
    "缪": ("miao",),
    "翟": ("zhai",),
    "盖": ("ge", "gai"),
    "召": ("shao",),
    "秘": ("bi",),
    "员": ("yun",),
    "种": ("chong",),
    "黑": ("he",),
    "隗": ("wei",),
    "折": ("she",),
    "尉": ("yu", "wei"),
    "句": ("gou",),
    "能": ("nai",),
    "阚": ("kan",),
    "薄": ("bo",),
    "洗": ("xian",),
    "冼": ("xian",),
    "繁": ("po",),
    "都": ("du",),
    "角": ("jue",),
    "卜": ("bu",),
    "长": ("chang",),
    "华": ("hua",),
    "任": ("ren",),
    "纪": ("ji",),
    "宿": ("su",),
    "那": ("na",),
    "相": ("xiang",),
    "柏": ("bai",),
    "车": ("che",),
    "贾": ("jia",),
    "牟": ("mou",),
    "谌": ("chen",),
    "殷": ("yin",),
    "费": ("fei",),
    "应": ("ying",),
    "强": ("qiang",),
    "藏": ("zang",),
    "宁": ("ning",),
    "过": ("guo",),
    "曲": ("qu",),
}

# Compound surnames whose syllables pypinyin gets wrong, syllable by syllable.
COMPOUND_READINGS: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
}

DOTS = "·•・‧･.．"
_DOT_RE = re.compile(f"[{re.escape(DOTS)}\\s]+")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def normalise_name(name: str) -> str:
    """The form names are compared in: NFKC, no middle dots or spaces, latin in lower case."""
    return _DOT_RE.sub("", unicodedata.normalize("NFKC", name)).lower()


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def split_name(name: str) -> tuple[str, str]:
    """欧阳娜娜 → (欧阳, 娜娜); 李慧 → (李, 慧); 阿依古丽·买买提 → ("", 阿依古丽买买提)."""
    if any(dot in name for dot in DOTS):
        return "", normalise_name(name)
    name = normalise_name(name)
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


@lru_cache(maxsize=65536)
def _given(text: str) -> tuple[str, ...]:
    """Syllables of a given name (or any text) as pypinyin reads them, phrase-aware."""
    if not text:
        return ()
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=False)
    return tuple(s.lower() for s in syllables if s.strip() and s not in DOTS)


@lru_cache(maxsize=4096)
def _surname(surname: str) -> tuple[tuple[str, ...], ...]:
    """Each way the surname is read, as syllables."""
    if not surname:
        return ((),)
    if surname in COMPOUND_READINGS:
        return (COMPOUND_READINGS[surname],)
    if len(surname) == 1:
        return tuple((r,) for r in SURNAME_READINGS.get(surname, ())) or (_given(surname),)
    return (tuple(SURNAME_READINGS.get(ch, _given(ch))[0] for ch in surname),)


@lru_cache(maxsize=65536)
def name_syllables(name: str) -> tuple[tuple[str, ...], ...]:
    """Every reading of a name as syllables: one per surname reading, usual reading first."""
    surname, given = split_name(name)
    given_syllables = _given(given)
    return tuple(reading + given_syllables for reading in _surname(surname))


def warm_up() -> None:
    """Import pypinyin and read its dictionaries now (off the UI thread, after the first frame),
    so the first name saved does not wait for them. Safe beside a name being read meanwhile:
    Python's import lock makes the other thread wait for the import to finish."""
    _given("李慧")


def full_pinyin(name: str) -> list[str]:
    """李慧 → ["lihui"]; 单雄信 → ["shanxiongxin"]; 覃 → ["qin...", "tan..."]."""
    return ["".join(syllables) for syllables in name_syllables(name)]


def initials(name: str) -> list[str]:
    """李慧 → ["lh"]; 欧阳娜娜 → ["oynn"]."""
    return list(dict.fromkeys("".join(s[0] for s in syl if s) for syl in name_syllables(name)))


def given_pinyin(name: str) -> str:
    _surname_part, given = split_name(name)
    return "".join(_given(given))


def latin_query(text: str) -> str:
    """What a pinyin query is compared as: lower case, no spaces or apostrophes, ü as v."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ü", "v").replace("u:", "v")
    return re.sub(r"[\s'’·]+", "", text)
