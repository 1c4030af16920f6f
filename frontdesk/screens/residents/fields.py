"""The fields only resident forms have: gender, the relation to the head, a member of the
household as a choice."""

from __future__ import annotations

from typing import Any

from textual.widgets import Select

from frontdesk.i18n import _
from frontdesk.residents.detail import HouseholdView, MemberView
from frontdesk.screens.base.forms import choice
from frontdesk.vocabulary import Gender, Relation
from frontdesk.widgets.text import display

HEAD = Relation.HEAD.value


def gender_choice(value: str | None = None) -> Select[Any]:
    return choice([(_(f"enum.gender.{g.value}"), g.value) for g in Gender], value)


def relation_choice(value: str | None = None, *, head: bool = False) -> Select[Any]:
    """The relations to the head; the head itself only when ``head`` (then nothing else)."""
    if head:
        return choice([(_("enum.relation.head"), HEAD)], HEAD, allow_blank=False)
    return choice([(_(f"enum.relation.{r.value}"), r.value) for r in Relation if r != HEAD], value)


def member_label(member: MemberView) -> str:
    return f"{display(member.name)}（{_(f'enum.relation.{member.relation}')}，{member.age}）"


def living_others(household: HouseholdView, resident_id: int) -> list[MemberView]:
    """The living members other than ``resident_id``, head first."""
    return [m for m in household.members if m.status == "living" and m.id != resident_id]
