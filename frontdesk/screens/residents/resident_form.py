"""Edit a resident, or register a new member of a household (born, married in, moved in).

The full ID number, phone and emergency contact are not shown here either: their fields start
empty with the masked value as a hint, and only what is typed replaces what is on record. A valid
ID number typed for a new person fills in the date of birth and gender when they are still empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import Select

from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.residents.detail import HouseholdView, PersonView
from frontdesk.residents.editing import (
    ResidentInput,
    register_resident,
    update_resident,
)
from frontdesk.screens.base.forms import (
    FormScreen,
    date_input,
    field,
    field_id,
    text_input,
)
from frontdesk.screens.residents.fields import (
    HEAD,
    ID_CARD,
    REGISTERED,
    category_choice,
    document_choice,
    follow_document,
    gender_choice,
    number_label_key,
    number_placeholder,
    relation_choice,
)
from frontdesk.widgets.text import display


@dataclass(frozen=True)
class TypedResident:
    """What the form holds, as typed (compared to know a warning was about the same values)."""

    name: str
    gender: str
    birth_date: date | None
    id_number: str
    phone: str
    relation: str
    ethnicity: str
    notes: str
    moved_in_on: date | None = None
    document_type: str = ID_CARD
    category: str = REGISTERED
    emergency_contact: str = ""


class ResidentFormScreen(FormScreen):
    """``person`` given: edit them. Without: a new member of ``household``."""

    CSS_PATH = ["../base/forms.tcss", "resident_form.tcss"]

    def __init__(self, household: HouseholdView, person: PersonView | None = None) -> None:
        super().__init__()
        self.household = household
        self.person = person
        self.fills_from_id = person is None

    def title_text(self) -> str:
        if self.person is None:
            return _("form.resident.title_new", number=self.household.number)
        return _("form.resident.title_edit", name=display(self.person.name))

    def _kept_hint(self, masked: str) -> str:
        return _("form.kept", value=masked) if masked else _("form.none_on_record")

    def fields(self) -> Iterator[Widget]:
        p = self.person
        yield field("name", "form.field.name", text_input(p.name if p else ""))
        yield field("gender", "form.field.gender", gender_choice(p.gender if p else None))
        yield field("birth_date", "form.field.birth_date", date_input(p.birth_date if p else None))
        document = p.document_type if p else ID_CARD
        yield field("document_type", "form.field.document_type", document_choice(document))
        id_hint = self._kept_hint(p.id_number_masked) if p else number_placeholder(document)
        yield field("id_number", number_label_key(document), text_input("", id_hint))
        phone_hint = self._kept_hint(p.phone_masked) if p else _("form.phone_placeholder")
        yield field("phone", "form.field.phone", text_input("", phone_hint))
        contact_hint = (
            self._kept_hint(p.emergency_contact_masked) if p else _("form.emergency_placeholder")
        )
        yield field(
            "emergency_contact", "form.field.emergency_contact", text_input("", contact_hint)
        )
        is_head = p is not None and p.relation == HEAD
        yield field(
            "relation",
            "form.field.relation",
            relation_choice(p.relation if p else None, head=is_head),
        )
        yield field("category", "form.field.category", category_choice(p.category if p else None))
        yield field("ethnicity", "form.field.ethnicity", text_input(p.ethnicity if p else "汉族"))
        if p is None:
            yield field(
                "moved_in_on",
                "form.field.moved_in_on",
                date_input(None, "form.date_today_placeholder"),
            )
        yield field("notes", "form.field.notes", text_input(p.notes if p else ""))

    def on_mount(self) -> None:
        if self.person is not None and self.person.relation == HEAD:
            self.query_one(f"#{field_id('relation')}", Select).disabled = True

    @on(Select.Changed, "#f-document_type")
    def _document_chosen(self, event: Select.Changed) -> None:
        """证件号码 beside a passport or permit; a new person's hint says what one looks like."""
        follow_document(self, event.select, placeholder=self.person is None)

    def collect(self, problems: dict[str, Notice]) -> TypedResident:
        return TypedResident(
            name=self.value("name"),
            gender=self.selected("gender") or "",
            birth_date=self.date_value("birth_date", problems),
            id_number=self.value("id_number"),
            phone=self.value("phone"),
            relation=self.selected("relation") or "",
            ethnicity=self.value("ethnicity"),
            notes=self.value("notes"),
            moved_in_on=self.date_value("moved_in_on", problems) if self.person is None else None,
            document_type=self.selected("document_type") or ID_CARD,
            category=self.selected("category") or REGISTERED,
            emergency_contact=self.value("emergency_contact"),
        )

    def write(self, values: Any, confirm: bool) -> int | None:
        typed: TypedResident = values
        desk = self.desk
        if self.person is None:
            return register_resident(
                self.household.id,
                ResidentInput(
                    name=typed.name,
                    gender=typed.gender,
                    birth_date=typed.birth_date,
                    id_number=typed.id_number,
                    phone=typed.phone,
                    relation=typed.relation,
                    ethnicity=typed.ethnicity or "汉族",
                    moved_in_on=typed.moved_in_on,
                    notes=typed.notes,
                    document_type=typed.document_type,
                    category=typed.category,
                    emergency_contact=typed.emergency_contact,
                ),
                actor_id=desk.operator_id,
                now=desk.clock.now(),
                confirm_warnings=confirm,
            )
        changes = self._changes(self.person, typed)
        if not changes:
            return None
        update_resident(
            self.person.id,
            self.person.version,
            changes,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
            confirm_warnings=confirm,
        )
        return self.person.id

    @staticmethod
    def _changes(person: PersonView, typed: TypedResident) -> dict[str, Any]:
        """What differs from the record; an empty ID number, phone or emergency contact keeps the
        one on record."""
        changes: dict[str, Any] = {}
        for name, old, new in (
            ("name", person.name, typed.name),
            ("gender", person.gender, typed.gender),
            ("birth_date", person.birth_date, typed.birth_date),
            ("relation", person.relation, typed.relation),
            ("ethnicity", person.ethnicity, typed.ethnicity),
            ("notes", person.notes, typed.notes),
            ("document_type", person.document_type, typed.document_type),
            ("category", person.category, typed.category),
        ):
            if new != old:
                changes[name] = new
        if typed.id_number:
            changes["id_number"] = typed.id_number
        if typed.phone:
            changes["phone"] = typed.phone
        if typed.emergency_contact:
            changes["emergency_contact"] = typed.emergency_contact
        return changes
