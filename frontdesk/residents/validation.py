"""Checking a resident's data before it is written: one clear message per field.

A ``Notice`` is a catalog key and its parameters, so the UI translates it and places it beside
its field. Errors refuse the change; warnings (the same name and birth date as someone already on
the register) only ask the caller to confirm (``confirm_warnings=True``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from frontdesk import divisions, idcards
from frontdesk.db.models import Resident
from frontdesk.errors import UserError
from frontdesk.notices import Notice
from frontdesk.textrules import LINE, NAME, NOTE, TITLE, Limit, name_problem, text_problem
from frontdesk.vocabulary import (
    DocumentType,
    Gender,
    Relation,
    ResidentCategory,
    ResidentStatus,
)

MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}", re.ASCII)
MAX_NAME = NAME.max
# documents numbered after GB 11643 (18 characters, check character, birth date, gender)
GB11643_DOCUMENTS = frozenset({DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT})
# other documents: letters and digits, as printed (a passport E12345678, a permit H1234567801)
OTHER_DOCUMENT = re.compile(r"[A-Z0-9]{5,18}", re.ASCII)


@dataclass
class Validation:
    """Per-field messages. A field is ``name``; on a household form ``head.name`` or
    ``members.0.name``."""

    errors: dict[str, Notice] = field(default_factory=dict)
    warnings: dict[str, Notice] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, field_name: str, key: str, /, **params: object) -> None:
        self.errors.setdefault(field_name, Notice(key, params))  # a field's first problem

    def warn(self, field_name: str, key: str, /, **params: object) -> None:
        self.warnings.setdefault(field_name, Notice(key, params))

    def merge(self, other: Validation, prefix: str) -> None:
        for name, message in other.errors.items():
            self.errors.setdefault(f"{prefix}{name}", message)
        for name, message in other.warnings.items():
            self.warnings.setdefault(f"{prefix}{name}", message)

    def raise_if_refused(self, *, confirm_warnings: bool) -> None:
        if self.errors or (self.warnings and not confirm_warnings):
            raise ValidationFailed(self)


class ValidationFailed(UserError):
    """Refused: ``validation.errors`` says why, field by field. With no errors but warnings,
    the caller may ask the user and call again with ``confirm_warnings=True``."""

    def __init__(self, validation: Validation) -> None:
        key = "validation.failed" if validation.errors else "validation.confirm"
        super().__init__(key, count=len(validation.errors or validation.warnings))
        self.validation = validation

    @property
    def needs_confirmation(self) -> bool:
        return not self.validation.errors and bool(self.validation.warnings)


def refuse(field_name: str, key: str, /, **params: object) -> ValidationFailed:
    """A ``ValidationFailed`` with one error, for checks made while writing."""
    validation = Validation()
    validation.error(field_name, key, **params)
    return ValidationFailed(validation)


@dataclass(frozen=True)
class ResidentInput:
    """A resident as typed into the form. ``moved_in_on`` None: the household's date."""

    name: str
    gender: str  # Gender value
    birth_date: date | None
    id_number: str = ""
    phone: str = ""
    relation: str = Relation.OTHER.value
    ethnicity: str = "汉族"
    moved_in_on: date | None = None
    notes: str = ""
    document_type: str = DocumentType.ID_CARD.value
    category: str = ResidentCategory.REGISTERED.value
    emergency_contact: str = ""  # 紧急联系人: one line, "李明（儿子）138 0000 0000"


@dataclass(frozen=True)
class HouseholdInput:
    flat_id: int
    moved_in_on: date
    head: ResidentInput  # its relation is taken as head
    members: Sequence[ResidentInput] = ()
    notes: str = ""


def normalise_id(text: str) -> str:
    return text.strip().replace(" ", "").upper()


def normalise_phone(text: str) -> str:
    """Spaces go; a mobile loses its dashes (138-1234-5678); a landline keeps its one dash."""
    compact = "".join(text.split())
    digits = compact.replace("-", "")
    if MOBILE.fullmatch(digits):
        return digits
    return compact


def phone_ok(phone: str) -> bool:
    """An 11-digit mainland mobile (1[3-9]…) or a landline with its area code (0358-1234567)."""
    return bool(MOBILE.fullmatch(phone) or LANDLINE.fullmatch(phone))


def check_fields(data: ResidentInput, today: date) -> Validation:
    """The checks that need no database: each field alone, and birth date and gender against
    the ID number."""
    v = Validation()
    check_name(v, "name", data.name)
    if data.gender not in {g.value for g in Gender}:
        v.error("gender", "validation.required")
    if data.relation not in {r.value for r in Relation}:
        v.error("relation", "validation.required")
    if data.birth_date is None:
        v.error("birth_date", "validation.required")
    elif data.birth_date > today:
        v.error("birth_date", "validation.date_in_future")
    if data.moved_in_on is not None:
        if data.moved_in_on > today:
            v.error("moved_in_on", "validation.date_in_future")
        elif data.birth_date is not None and data.moved_in_on < data.birth_date:
            v.error("moved_in_on", "validation.moved_in_before_birth")
    phone = normalise_phone(data.phone)
    if phone and not phone_ok(phone):
        v.error("phone", "validation.phone_format")
    if data.document_type not in {d.value for d in DocumentType}:
        v.error("document_type", "validation.required")
    if data.category not in {c.value for c in ResidentCategory}:
        v.error("category", "validation.required")
    id_number = normalise_id(data.id_number)
    if id_number and data.document_type in GB11643_DOCUMENTS:
        _check_id(v, id_number, data)
    elif id_number and not OTHER_DOCUMENT.fullmatch(id_number):
        v.error("id_number", "validation.document_format")
    check_text(v, "ethnicity", data.ethnicity, TITLE)
    check_text(v, "notes", data.notes, NOTE)
    check_text(v, "emergency_contact", data.emergency_contact, LINE)
    return v


def check_name(v: Validation, field_name: str, text: str) -> None:
    """A person's name: required, then ``textrules.name_problem``."""
    if not text.strip():
        v.error(field_name, "validation.required")
    elif (problem := name_problem(text)) is not None:
        v.error(field_name, problem.key, **problem.params)


def check_text(v: Validation, field_name: str, text: str, limit: Limit) -> None:
    """Free text within ``limit`` (``textrules``): never cut, refused beside its field."""
    if (problem := text_problem(text, limit)) is not None:
        v.error(field_name, problem.key, **problem.params)


def refuse_text(field_name: str, text: str, limit: Limit = LINE) -> str:
    """``text`` stripped when it is within ``limit``; ``ValidationFailed`` naming the field
    otherwise (for the texts checked while writing: a contact, a note, a reason)."""
    v = Validation()
    check_text(v, field_name, text, limit)
    v.raise_if_refused(confirm_warnings=False)
    return text.strip()


def _check_id(v: Validation, id_number: str, data: ResidentInput) -> None:
    if len(id_number) != 18 or not id_number[:17].isdigit() or not id_number.isascii():
        v.error("id_number", "validation.id_format")
        return
    if not (id_number[17].isdigit() or id_number[17] == "X"):
        v.error("id_number", "validation.id_format")
        return
    if idcards.check_character(id_number[:17]) != id_number[17]:
        v.error("id_number", "validation.id_check")
        return
    if not divisions.is_known(id_number[:6]):  # a typo, or a list behind: asked, not refused
        v.warn("id_number", "validation.id_division_unknown", code=id_number[:6])
    try:
        born = idcards.birth_date(id_number)
    except ValueError:
        v.error("id_number", "validation.id_birth_invalid")
        return
    if data.birth_date is not None and born != data.birth_date:
        v.error("birth_date", "validation.id_birth_mismatch", id_birth=born.isoformat())
    male = idcards.is_male(id_number)
    if data.gender in {g.value for g in Gender} and (data.gender == Gender.MALE) != male:
        v.error("gender", "validation.id_gender_mismatch")


def check_register(
    data: ResidentInput,
    *,
    resident_id: int | None = None,
    check_duplicate_person: bool = True,
    communities: frozenset[int] | None = None,
) -> Validation:
    """The checks against people already on the register (queries; run inside the write).

    ``communities``: the operator's. A person on another community's register is not named:
    while they live there the ID number is refused ("registered in another community"); once
    that community has recorded them as moved out, they may be registered here (a person who
    moved between communities has a record in each, each community keeping its own history).
    Someone who moved out of one's own community and comes back is a warning naming the old
    record, to confirm.
    """
    from frontdesk.scope import community_of_resident

    def ours(rid: int) -> bool:
        return communities is None or community_of_resident(rid) in communities

    v = Validation()
    id_number = normalise_id(data.id_number)
    if id_number:
        query = Resident.select(Resident.id, Resident.name, Resident.status).where(
            Resident.id_number == id_number
        )
        if resident_id is not None:
            query = query.where(Resident.id != resident_id)
        for existing in query:
            if ours(existing.id) and existing.status == ResidentStatus.MOVED_OUT:
                v.warn(  # coming back: their old record stays as history
                    "id_number",
                    "validation.id_former",
                    resident_id=existing.id,
                    name=existing.name,
                )
            elif ours(existing.id):
                v.error(
                    "id_number",
                    "validation.id_duplicate",
                    resident_id=existing.id,
                    name=existing.name,
                )
            elif existing.status != ResidentStatus.MOVED_OUT:
                v.error("id_number", "validation.id_elsewhere")
    if check_duplicate_person and data.name.strip() and data.birth_date is not None:
        query = Resident.select(Resident.id, Resident.name).where(
            (Resident.name == data.name.strip()) & (Resident.birth_date == data.birth_date)
        )
        if resident_id is not None:
            query = query.where(Resident.id != resident_id)
        same = next((row for row in query if ours(row.id)), None)
        if same is not None:
            v.warn(
                "name",
                "validation.same_name_birth",
                resident_id=same.id,
                name=same.name,
                birth_date=data.birth_date.isoformat(),
            )
    return v


def validate(
    data: ResidentInput,
    today: date,
    *,
    resident_id: int | None = None,
    check_duplicate_person: bool = True,
    communities: frozenset[int] | None = None,
) -> Validation:
    """Every check of one resident: the fields, then (when they pass) the register.

    ``resident_id``: the resident being edited, who does not conflict with themself.
    """
    v = check_fields(data, today)
    v.merge(
        check_register(
            data,
            resident_id=resident_id,
            check_duplicate_person=check_duplicate_person,
            communities=communities,
        ),
        "",
    )
    return v
