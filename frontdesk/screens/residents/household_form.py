"""Register a household moving into a flat: the flat (typed as at the desk, ``3-2-1001``), the
move-in date, the head and any members (Ctrl+N adds one; a member left empty is ignored)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from typing import Any

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.residents.editing import HouseholdInput, ResidentInput, register_household
from frontdesk.residents.flats import FlatChoice, find_flats
from frontdesk.screens.base.forms import (
    FormScreen,
    choice,
    date_input,
    field,
    field_id,
    message_id,
    text_input,
)
from frontdesk.screens.residents.fields import (
    ID_CARD,
    REGISTERED,
    category_choice,
    document_choice,
    follow_document,
    gender_choice,
    relation_choice,
)
from frontdesk.vocabulary import Relation

PERSON_FIELDS = ("name", "gender", "birth_date", "id_number", "phone")


def _person_fields(prefix: str) -> Iterator[Widget]:
    yield field(f"{prefix}name", "form.field.name", text_input())
    yield field(f"{prefix}gender", "form.field.gender", gender_choice())
    yield field(f"{prefix}birth_date", "form.field.birth_date", date_input())
    yield field(f"{prefix}document_type", "form.field.document_type", document_choice())
    id_hint = _("form.id_placeholder")
    yield field(f"{prefix}id_number", "form.field.id_number", text_input("", id_hint))
    phone_hint = _("form.phone_placeholder")
    yield field(f"{prefix}phone", "form.field.phone", text_input("", phone_hint))
    yield field(f"{prefix}category", "form.field.category", category_choice())


class HouseholdFormScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss", "household_form.tcss"]
    BINDINGS = [Binding("ctrl+n", "add_member", "form.household.key_add_member")]
    HELP_KEY = "form.household.help"
    fills_from_id = True

    def __init__(self, community_id: int, today: date) -> None:
        super().__init__()
        self.community_id = community_id
        self.today = today
        self.members = 0  # member blocks on the form
        self.flats: list[FlatChoice] = []
        self._sent: list[int] = []  # block index of each member sent, in order

    def title_text(self) -> str:
        return _("form.household.title")

    def fields(self) -> Iterator[Widget]:
        yield field(
            "address",
            "form.field.address",
            text_input("", _("form.household.address_placeholder"), max_length=40),
        )
        yield field("flat_id", "form.field.flat", self._flat_choice())
        yield field("moved_in_on", "form.field.moved_in_on", date_input(self.today))
        yield Static(_("form.household.head"), classes="form-section")
        yield from _person_fields("head.")
        yield field("head.ethnicity", "form.field.ethnicity", text_input("汉族"))
        for index in range(self.members):
            yield self._member_block(index)
        yield Button(_("form.household.add_member"), id="add-member", compact=True)

    def _flat_choice(self) -> Select[Any]:
        options = [(self._flat_label(c), c.flat_id) for c in self.flats]
        return choice(options, self.flats[0].flat_id if len(self.flats) == 1 else None)

    @staticmethod
    def _flat_label(flat: FlatChoice) -> str:
        if flat.households:
            return _("form.household.flat_taken", address=flat.address.text, count=flat.households)
        return flat.address.text

    def _member_block(self, index: int) -> Vertical:
        prefix = f"members.{index}."
        return Vertical(
            Static(_("form.household.member", n=index + 1), classes="form-section"),
            field(f"{prefix}relation", "form.field.relation", relation_choice()),
            *_person_fields(prefix),
            classes="member",
        )

    # ------------------------------------------------------------------------------ the flat

    @on(Input.Changed, "#f-address")
    def _address_typed(self, event: Input.Changed) -> None:
        self._find(event.value)

    def _find(self, text: str) -> None:
        if not text.strip():
            self._found(text, [])  # an answer to an older text still on its way is dropped
            return
        self.call(
            partial(find_flats, text, self.community_id, actor_id=self.desk.operator_id),
            partial(self._found, text),
            group="flat-lookup",
            latest=True,
        )

    def _found(self, text: str, found: list[FlatChoice]) -> None:
        if text != self.query_one(f"#{field_id('address')}", Input).value:
            return  # an older answer arriving late
        self.flats = found
        select = self.query_one(f"#{field_id('flat_id')}", Select)
        select.set_options([(self._flat_label(c), c.flat_id) for c in found])
        if len(found) == 1:
            select.value = found[0].flat_id
        line = self.query_one(f"#{message_id('address')}", Static)
        line.remove_class("-error", "-warning")
        if text.strip() and not found:
            line.update(_("form.household.flat_not_found"))
            line.add_class("-warning")
        elif len(found) > 1:
            line.update(_("form.household.flats_found", count=len(found)))
            line.add_class("-warning")
        else:
            line.update("")

    @on(Select.Changed)
    def _document_chosen(self, event: Select.Changed) -> None:
        """证件号码 beside a passport or permit, and a hint of what one looks like."""
        if (event.select.id or "").endswith("document_type"):
            follow_document(self, event.select, placeholder=True)

    # ----------------------------------------------------------------------------- members

    async def action_add_member(self) -> None:
        index = self.members
        self.members += 1
        block = self._member_block(index)
        await self.query_one("#form-body").mount(block, before="#add-member")
        relation = self.query_one(f"#{field_id(f'members.{index}.relation')}", Select)
        relation.focus()
        block.scroll_visible()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        return [
            *super().palette_commands(),
            (
                _("form.palette.add_member"),
                _("form.palette.add_member_help"),
                self.action_add_member,
            ),
        ]

    @on(Button.Pressed, "#add-member")
    async def _add_pressed(self) -> None:
        await self.action_add_member()

    # ------------------------------------------------------------------------------ saving

    def _person(self, prefix: str, relation: str, problems: dict[str, Notice]) -> ResidentInput:
        return ResidentInput(
            name=self.value(f"{prefix}name"),
            gender=self.selected(f"{prefix}gender") or "",
            birth_date=self.date_value(f"{prefix}birth_date", problems),
            id_number=self.value(f"{prefix}id_number"),
            phone=self.value(f"{prefix}phone"),
            relation=relation,
            ethnicity=(self.value(f"{prefix}ethnicity") if prefix == "head." else "") or "汉族",
            document_type=self.selected(f"{prefix}document_type") or ID_CARD,
            category=self.selected(f"{prefix}category") or REGISTERED,
        )

    def _blank(self, prefix: str) -> bool:
        """Nothing typed or chosen (the document and category as they came: their defaults)."""
        return not any(
            [
                self.selected(f"{prefix}relation"),
                self.selected(f"{prefix}gender"),
                self.selected(f"{prefix}document_type") not in (None, ID_CARD),
                self.selected(f"{prefix}category") not in (None, REGISTERED),
                *(self.value(f"{prefix}{name}") for name in PERSON_FIELDS if name != "gender"),
            ]
        )

    def collect(self, problems: dict[str, Notice]) -> HouseholdInput:
        flat_id = self.selected("flat_id")
        if flat_id is None:
            problems["flat_id"] = Notice("validation.flat_missing")
        moved_in = self.date_value("moved_in_on", problems)
        if moved_in is None and "moved_in_on" not in problems:
            problems["moved_in_on"] = Notice("validation.required")
        head = self._person("head.", Relation.HEAD.value, problems)
        members = []
        self._sent = []
        for index in range(self.members):
            prefix = f"members.{index}."
            if self._blank(prefix):
                continue
            relation = self.selected(f"{prefix}relation") or ""
            members.append(self._person(prefix, relation, problems))
            self._sent.append(index)
        return HouseholdInput(
            flat_id=flat_id or 0,
            moved_in_on=moved_in or self.today,
            head=head,
            members=tuple(members),
        )

    def shown_as(self, name: str) -> str:
        """``members.1.phone`` of the members sent is the block they were typed in."""
        parts = name.split(".")
        if parts[0] == "members" and len(parts) == 3 and parts[1].isdigit():
            sent = int(parts[1])
            if sent < len(self._sent):
                return f"members.{self._sent[sent]}.{parts[2]}"
        return name

    def write(self, values: Any, confirm: bool) -> int:
        desk = self.desk
        registered = register_household(
            values,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
            confirm_warnings=confirm,
        )
        return registered.resident_ids[0]
