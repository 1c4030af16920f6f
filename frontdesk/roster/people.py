"""The rows of a residents' roster read as people (issue 13, "Every row is checked"): each cell
read as the clerk meant it (``cells``), the words a roster uses for gender, relation, document,
category and groups taken for the desk's values, and the person checked with the resident
form's own rules (``residents.validation.check_fields``). No database: the checks against the
register and the places come after, in ``roster.plan``.

A problem is kept per field, as a ``Notice``; a row with an error is refused, a warning is shown
and imported. An empty cell never says anything: it is "not given", not "erase".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from frontdesk import divisions, idcards
from frontdesk.notices import Notice
from frontdesk.residents.validation import ResidentInput, check_fields, normalise_phone
from frontdesk.roster.address import parse_address
from frontdesk.roster.cells import plain, read_date, read_id_number
from frontdesk.roster.header import Table
from frontdesk.vocabulary import DocumentType, Gender, Relation, ResidentCategory

GENDERS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F", "f": "F"}
GENDERS["female"] = "F"
RELATIONS: dict[str, Relation] = {}
for _words, _relation in (
    ("户主/本人/户主本人/head/self", Relation.HEAD),
    ("配偶/妻/妻子/夫/丈夫/之妻/之夫/spouse/wife/husband", Relation.SPOUSE),
    (
        "子/女/子女/儿子/女儿/长子/次子/三子/长女/次女/三女/独生子/独生女/养子/养女/继子/继女/"
        "之子/之女/child/son/daughter",
        Relation.CHILD,
    ),
    ("父/母/父亲/母亲/父母/parent/father/mother", Relation.PARENT),
    ("孙/孙子/孙女/外孙/外孙女/孙子女/grandchild/grandson/granddaughter", Relation.GRANDCHILD),
    ("其他/其它/other", Relation.OTHER),
):
    for _word in _words.split("/"):
        RELATIONS[_word] = _relation
DOCUMENTS: dict[str, DocumentType] = {
    "身份证": DocumentType.ID_CARD,
    "居民身份证": DocumentType.ID_CARD,
    "二代身份证": DocumentType.ID_CARD,
    "第二代居民身份证": DocumentType.ID_CARD,
    "idcard": DocumentType.ID_CARD,
    "居住证": DocumentType.RESIDENCE_PERMIT,
    "港澳居民居住证": DocumentType.RESIDENCE_PERMIT,
    "台湾居民居住证": DocumentType.RESIDENCE_PERMIT,
    "永居证": DocumentType.PERMANENT_RESIDENCE,
    "外国人永久居留证": DocumentType.PERMANENT_RESIDENCE,
    "回乡证": DocumentType.HOME_RETURN_PERMIT,
    "港澳通行证": DocumentType.HOME_RETURN_PERMIT,
    "台胞证": DocumentType.TAIWAN_PERMIT,
}
CATEGORIES: dict[str, ResidentCategory] = {
    "户籍": ResidentCategory.REGISTERED,
    "户籍人口": ResidentCategory.REGISTERED,
    "常住": ResidentCategory.REGISTERED,
    "常住人口": ResidentCategory.REGISTERED,
    "本地": ResidentCategory.REGISTERED,
    "流动": ResidentCategory.FLOATING,
    "流动人口": ResidentCategory.FLOATING,
    "外来": ResidentCategory.FLOATING,
    "外来人口": ResidentCategory.FLOATING,
    "暂住": ResidentCategory.FLOATING,
    "寄住": ResidentCategory.LODGING,
    "寄住人口": ResidentCategory.LODGING,
}
TAG_WORDS = {
    "低保": "subsistence",
    "低保户": "subsistence",
    "低保对象": "subsistence",
    "残疾": "disabled",
    "残疾人": "disabled",
    "独居": "elderly_alone",
    "独居老人": "elderly_alone",
    "孤寡": "elderly_alone_no_kin",
    "孤寡老人": "elderly_alone_no_kin",
    "高龄": "elderly_80",
    "高龄老人": "elderly_80",
    "80岁以上老人": "elderly_80",
    "留守儿童": "left_behind_child",
    "特困": "extreme_poverty",
    "特困人员": "extreme_poverty",
    "特困供养": "extreme_poverty",
    "退役军人": "veteran",
    "退伍军人": "veteran",
    "党员": "party_member",
    "中共党员": "party_member",
    "流动人口": "floating",
    "重点关注": "attention",
}
LIVING_WORDS = frozenset({"在住", "在册", "正常", "居住", "living", "livinghere", "现住"})
_SPLIT_TAGS = re.compile(r"[、,，;；/|\s]+")
_GRID = re.compile(r"(\d+)\s*[-－—_]\s*(\d+)")
_NUMBER = re.compile(r"^\D*?(\d+)")
_CN_DIGITS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Place:
    compound: str
    building: int | None
    unit: int | None
    flat: int | None


@dataclass
class PersonRow:
    """One row of the roster, read."""

    line: int  # the row's number in its sheet
    cells: list[object]
    person: ResidentInput
    household_number: str = ""
    head_name: str = ""
    place: Place | None = None
    grid: str = ""  # "2-3"
    tags: tuple[str, ...] = ()  # tag codes
    relation_given: bool = False
    errors: dict[str, Notice] = field(default_factory=dict)
    warnings: dict[str, Notice] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, field_name: str, key: str, /, **params: object) -> None:
        self.errors.setdefault(field_name, Notice(key, params))

    def warn(self, field_name: str, key: str, /, **params: object) -> None:
        self.warnings.setdefault(field_name, Notice(key, params))


def text(value: object) -> str:
    """A cell as text: a whole number without ``.0``; a date as ISO; empty as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _key(value: object) -> str:
    return plain(text(value)).lower()


def number_in(value: object) -> int | None:
    """3, "3", "3号楼", "3栋", "三号楼", "2单元", "1001室" → the number."""
    word = plain(text(value))
    if not word:
        return None
    found = _NUMBER.match(word)
    if found:
        return int(found.group(1))
    return _chinese_number(word)


def _chinese_number(word: str) -> int | None:
    digits = ""
    for char in word:
        if char not in _CN_DIGITS:
            break
        digits += char
    if not digits:
        return None
    if digits == "十":
        return 10
    if digits.startswith("十"):
        digits = "一" + digits
    if "十" in digits:
        tens, _, ones = digits.partition("十")
        return _CN_DIGITS.index(tens) * 10 + (_CN_DIGITS.index(ones) if ones else 0)
    return int("".join(str(_CN_DIGITS.index(c)) for c in digits))


def grid_code(value: object) -> str:
    """ "2-3", "2-3网格", "第2网格2－3" → "2-3"; "" when it names no level-4 grid."""
    found = _GRID.search(plain(text(value)))
    return f"{int(found.group(1))}-{int(found.group(2))}" if found else ""


@cache
def _label_maps() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Documents, categories and tags by their label in either language."""
    from frontdesk.i18n import LANGUAGES, catalog

    documents: dict[str, str] = {}
    categories: dict[str, str] = {}
    tags: dict[str, str] = dict(TAG_WORDS)
    for language in LANGUAGES:
        words = catalog(language)

        def translate(key: str, _language: str, words: dict[str, str] = words) -> str:
            return words.get(key, "")

        for member in DocumentType:
            label = translate(f"enum.document_type.{member.value}", language)
            if label:
                documents[plain(label).lower()] = member.value
        for category in ResidentCategory:
            label = translate(f"enum.resident_category.{category.value}", language)
            if label:
                categories[plain(label).lower()] = category.value
        for code in TAG_WORDS.values():
            if label := translate(f"tag.{code}", language):
                tags[plain(label).lower()] = code
    for word, member in DOCUMENTS.items():
        documents[plain(word).lower()] = member.value
    for word, category in CATEGORIES.items():
        categories[plain(word).lower()] = category.value
    return documents, categories, {plain(k).lower(): v for k, v in tags.items()}


def read_people(table: Table, today: dt.date) -> list[PersonRow]:
    """Every data row of ``table`` read as a person, checked alone."""
    return [read_person(table, line, cells, today) for line, cells in table.rows]


def read_person(table: Table, line: int, cells: list[object], today: dt.date) -> PersonRow:
    values: dict[str, object] = {}
    for column, key in table.fields.items():
        if column < len(cells) and key not in values:
            values[key] = cells[column]
    documents, categories, tags = _label_maps()
    problems: dict[str, Notice] = {}
    warnings: dict[str, Notice] = {}

    def problem(field_name: str, key: str, **params: object) -> None:
        problems.setdefault(field_name, Notice(key, params))

    name = text(values.get("name")).replace("\u3000", " ").strip()
    document = DocumentType.ID_CARD.value
    given_document = _key(values.get("document_type"))
    if given_document:
        if given_document in documents:
            document = documents[given_document]
        else:
            problem(
                "document_type", "roster.unknown_value", value=text(values.get("document_type"))
            )
    id_number = ""
    raw_id = values.get("id_number")
    if document in (DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT):
        cell = read_id_number(raw_id)
        if not cell.ok:
            problem("id_number", cell.problem or "roster.id_unreadable", **cell.params)
        elif cell.value:
            id_number = str(cell.value)
            if not divisions.is_known(id_number[:6]):
                warnings["id_number"] = Notice(
                    "validation.id_division_unknown", {"code": id_number[:6]}
                )
    else:
        id_number = plain(text(raw_id)).upper()
    birth = None
    raw_birth = values.get("birth_date")
    if raw_birth is not None and text(raw_birth):
        born = read_date(raw_birth)
        if born.ok:
            birth = born.value
        else:
            problem("birth_date", born.problem or "roster.date_unreadable", **born.params)
    elif id_number and idcards.is_valid(id_number):
        birth = idcards.birth_date(id_number)  # not given: the ID number says it
    gender = ""
    given_gender = _key(values.get("gender"))
    if given_gender:
        gender = GENDERS.get(given_gender, "")
        if not gender:
            problem("gender", "roster.unknown_value", value=text(values.get("gender")))
    elif id_number and idcards.is_valid(id_number):
        gender = Gender.MALE.value if idcards.is_male(id_number) else Gender.FEMALE.value
    head_name = text(values.get("head_name"))
    relation_text = _key(values.get("relation"))
    relation = Relation.OTHER.value
    if relation_text:
        found = RELATIONS.get(relation_text) or RELATIONS.get(relation_text.removesuffix("子"))
        # 儿媳, 女婿, 兄弟 ...: 其他, as the form has them
        relation = Relation.OTHER.value if found is None else found.value
    elif head_name and head_name == name:
        relation = Relation.HEAD.value
    category = ResidentCategory.REGISTERED.value
    given_category = _key(values.get("category"))
    if given_category:
        if given_category in categories:
            category = categories[given_category]
        else:
            problem("category", "roster.unknown_value", value=text(values.get("category")))
    moved_in = None
    if text(values.get("moved_in_on")):
        moved = read_date(values.get("moved_in_on"))
        if moved.ok:
            moved_in = moved.value
        else:
            problem("moved_in_on", moved.problem or "roster.date_unreadable", **moved.params)
    ethnicity = text(values.get("ethnicity")) or "汉族"
    if len(ethnicity) <= 4 and not ethnicity.endswith("族") and _chinese(ethnicity):
        ethnicity += "族"  # 汉 → 汉族
    person = ResidentInput(
        name=name,
        gender=gender,
        birth_date=birth,
        id_number=id_number,
        phone=normalise_phone(text(values.get("phone"))),
        relation=relation,
        ethnicity=ethnicity,
        moved_in_on=moved_in,
        notes=text(values.get("notes")),
        document_type=document,
        category=category,
        emergency_contact=text(values.get("emergency_contact")),
    )
    row = PersonRow(
        line=line,
        cells=cells,
        person=person,
        household_number=text(values.get("household_number")),
        head_name=head_name,
        place=_place(values),
        grid=grid_code(values.get("grid")),
        tags=_tags(values.get("tags"), tags, warnings),
        relation_given=bool(relation_text),
        errors=problems,
        warnings=warnings,
    )
    status = _key(values.get("status"))
    if status and status not in LIVING_WORDS:
        # a move-out or a death is recorded at the desk, with its date and its history
        row.error("status", "roster.not_living", status=text(values.get("status")))
    if "address" in values and text(values.get("address")) and row.place is None:
        row.error("address", "roster.address_unreadable", value=text(values.get("address")))
    checked = check_fields(person, today)
    for field_name, notice in checked.errors.items():
        if field_name not in row.errors and not (field_name == "gender" and "gender" in problems):
            row.errors[field_name] = notice
    for field_name, notice in checked.warnings.items():
        row.warnings.setdefault(field_name, notice)
    return row


def _chinese(word: str) -> bool:
    return bool(word) and all("\u4e00" <= char <= "\u9fff" for char in word)


def _place(values: dict[str, object]) -> Place | None:
    compound = text(values.get("compound"))
    building = number_in(values.get("building"))
    unit = number_in(values.get("unit"))
    flat = number_in(values.get("flat"))
    address = text(values.get("address"))
    if address and (building is None or unit is None or flat is None):
        parsed = parse_address(address)
        if parsed is None:
            return None
        return Place(
            compound=compound or parsed.compound,
            building=building if building is not None else parsed.building,
            unit=unit if unit is not None else parsed.unit,
            flat=flat if flat is not None else parsed.flat,
        )
    if not (compound or building or unit or flat):
        return None
    return Place(compound=compound, building=building, unit=unit, flat=flat)


def _tags(value: object, known: dict[str, str], warnings: dict[str, Notice]) -> tuple[str, ...]:
    found: list[str] = []
    unknown: list[str] = []
    for word in _SPLIT_TAGS.split(text(value)):
        if not word:
            continue
        code = known.get(plain(word).lower())
        if code is None:
            unknown.append(word)
        elif code not in found:
            found.append(code)
    if unknown:
        warnings["tags"] = Notice("roster.unknown_tags", {"tags": "、".join(unknown)})
    return tuple(found)
