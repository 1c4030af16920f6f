"""The columns an import knows, by kind: each field's usual header and its synonyms (issue 13,
"Columns are mapped by their usual names and synonyms").

The first name of a field is the one the desk's templates write in Chinese; English headers
follow, since the English desk writes its exports and templates in English. A header matches
after ``header_key``: full-width forms made plain, spaces and line breaks inside removed, a
``*`` or ``（必填）`` mark dropped, letters in lower case — and, failing that, without a
trailing bracketed note (``联系电话（手机）``, ``出生日期(yyyy-mm-dd)``).

``IGNORED`` headers (a row counter, 序号; the 原行号 and 错误说明 an error workbook adds) are
mapped to nothing on purpose: they are neither a field nor an unknown column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from frontdesk.vocabulary import BuildingKind

KINDS = ("residents", "places", "rooms")


@dataclass(frozen=True)
class Field:
    key: str
    headers: tuple[str, ...]


def _fields(*rows: tuple[str, str]) -> tuple[Field, ...]:
    return tuple(
        Field(key, tuple(name.strip() for name in names.split("/"))) for key, names in rows
    )


FIELDS: dict[str, tuple[Field, ...]] = {
    "residents": _fields(
        ("name", "姓名/名字/居民姓名/人员姓名/成员姓名/Name/Full name"),
        ("gender", "性别/Gender/Sex"),
        ("ethnicity", "民族/Ethnicity/Ethnic group/Nationality"),
        ("document_type", "证件类型/证件种类/Document type/ID type"),
        (
            "id_number",
            "公民身份号码/身份证号/身份证号码/证件号码/证件号/身份证/身份证件号码/公民身份证号码/"
            "公民身份证号/ID number/ID No./ID card number/Document number",
        ),
        ("birth_date", "出生日期/出生年月/出生年月日/生日/Date of birth/Birth date/Born"),
        (
            "phone",
            "联系电话/手机号码/手机号/电话/手机/电话号码/联系方式/"
            "Phone/Mobile/Phone number/Telephone",
        ),
        (
            "relation",
            "与户主关系/关系/与户主的关系/家庭关系/Relation to head/Relation/Relationship",
        ),
        ("household_number", "户号/户编号/家庭编号/Household number/Household No./Household"),
        ("head_name", "户主姓名/户主/Head of household/Head"),
        ("compound", "小区/小区名称/院落/Compound"),
        ("building", "楼栋/楼号/楼栋号/栋/栋号/幢/楼栋名称/Building"),
        ("unit", "单元/单元号/Unit"),
        ("flat", "门牌号/室号/房号/户室号/房间号/门牌/Flat/Room/Door"),
        (
            "address",
            "现住址/居住地址/现居住地址/住址/现居住地/家庭住址/现住地址/详细地址/详细住址/"
            "Address/Flat address",
        ),
        ("category", "人员类别/人口类型/人员类型/人口类别/Category/Resident category"),
        ("grid", "网格/所属网格/网格名称/网格编号/Grid"),
        (
            "tags",
            "特殊人群/重点人群/人群类别/人员标签/标签/人群类型/重点人员/Special groups/Groups/Tags",
        ),
        ("notes", "备注/Notes/Note/Remarks"),
        (
            "emergency_contact",
            "紧急联系人/紧急联系方式/紧急联系电话/紧急联系人及电话/Emergency contact/Emergency",
        ),
        (
            "moved_in_on",
            "入住日期/迁入日期/入住时间/迁入时间/来现住地时间/来现住地日期/来本地时间/"
            "Moved in on/Moved in/Move-in date",
        ),
        ("status", "状态/人员状态/居住状态/在住状态/Status"),
        ("left_on", "迁出或去世日期/迁出日期/去世日期/死亡日期/Moved out or died on/Left on"),
    ),
    "places": _fields(
        ("compound", "小区/小区名称/Compound"),
        ("building", "楼栋/楼号/楼栋号/栋/栋号/幢/楼栋名称/Building"),
        ("unit", "单元/单元号/Unit"),
        ("units", "单元数/Units"),  # a building's row: how many units it has
        ("floors", "层数/楼层数/总层数/Floors"),
        ("flats_per_floor", "每层户数/每单元每层户数/Flats per floor"),
        ("grid", "网格/所属网格/网格名称/Grid"),
        ("kind", "楼型/楼栋类型/类型/Kind/Type"),
        ("street_address", "地址/楼栋地址/门牌地址/Street address/Address"),
        ("notes", "备注/Notes/Note/Remarks"),
    ),
    "rooms": _fields(
        ("name", "名称/功能室/功能室名称/活动室/Name/Room"),
        ("capacity", "容纳人数/容量/人数/Capacity"),
        ("purpose", "用途/Purpose"),
        ("code", "编号/代码/Code"),
        ("max_booking_minutes", "单次最长分钟/单次最长时长/最长预约分钟/Max booking minutes"),
        ("max_days_ahead", "最多提前天数/可提前预约天数/提前天数/Max days ahead"),
        ("weekly_quota_minutes", "每周限额分钟/每周限额/Weekly quota minutes"),
        ("opening_hours", "开放时间/开放时段/Opening hours/Hours"),
        ("notes", "备注/Notes/Note/Remarks"),
    ),
}

# the field a sheet of this kind cannot do without, and how many known fields a header needs
REQUIRED: dict[str, str] = {"residents": "name", "places": "building", "rooms": "name"}
MIN_FIELDS = 2

# the two columns an error workbook adds around the original ones (frontdesk.roster.errorbook):
# it is imported again once fixed, and they are no field of it
ERROR_BOOK_COLUMNS: dict[str, tuple[str, str]] = {
    "zh": ("原行号", "错误说明"),
    "en": ("Original row", "Problems"),
}

IGNORED = frozenset(
    {"序号", "编号序号", "no", "no.", "#", "seq"}
    | {"".join(name.split()).lower() for names in ERROR_BOOK_COLUMNS.values() for name in names}
)

# 楼型: what a 楼栋台账 writes for the two kinds of building
BUILDING_KINDS: dict[str, BuildingKind] = {
    "电梯": BuildingKind.TOWER,
    "电梯楼": BuildingKind.TOWER,
    "高层": BuildingKind.TOWER,
    "tower": BuildingKind.TOWER,
    "步梯": BuildingKind.WALKUP,
    "步梯楼": BuildingKind.WALKUP,
    "楼梯": BuildingKind.WALKUP,
    "多层": BuildingKind.WALKUP,
    "walkup": BuildingKind.WALKUP,
    "walk-up": BuildingKind.WALKUP,
}

_MARKS = re.compile(r"[*]|[(\[【]?(?:必填|选填|可选|必填项)[)\]】]?")
_NOTE = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]$")
_PARTS = re.compile(r"[/、|]")
_DROP = re.compile(r"[\s_:：]+")


def header_key(text: object) -> str:
    """A header cell as compared: ``' 身份证号\\n（必填）*'`` → ``'身份证号'``."""
    if text is None:
        return ""
    plain = unicodedata.normalize("NFKC", str(text))
    plain = _DROP.sub("", _MARKS.sub("", plain)).lower()
    return plain


_INDEX: dict[str, dict[str, str]] = {
    kind: {header_key(name): field.key for field in fields for name in field.headers}
    for kind, fields in FIELDS.items()
}


def field_for(kind: str, header: object) -> str | None:
    """The field key ``header`` names in an import of ``kind``; ``""`` for a column ignored on
    purpose (序号); ``None`` when it names none."""
    index = _INDEX[kind]
    key = header_key(header)
    if not key:
        return None
    for candidate in (key, _NOTE.sub("", key)):
        if candidate in IGNORED:
            return ""
        if candidate in index:
            return index[candidate]
    # 联系电话/手机, 小区、院落: a field when every part names the same one
    parts = {index.get(_NOTE.sub("", part)) for part in _PARTS.split(key) if part}
    if len(parts) == 1 and None not in parts:
        return parts.pop()
    return None


def usual_headers(kind: str) -> list[str]:
    """Each field's usual header, in the table's order (what a message says it expects)."""
    return [field.headers[0] for field in FIELDS[kind]]


def building_kind(text: object) -> BuildingKind | None:
    """电梯 / 步梯 (and the like) as a ``BuildingKind``; ``None`` when it says neither."""
    return BUILDING_KINDS.get(header_key(text))
