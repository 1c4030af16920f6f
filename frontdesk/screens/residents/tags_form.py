"""A resident's special-group tags (特殊群体): Space ticks or unticks one, Ctrl+S saves.

Removing closes the tag (its history stays); adding starts it on the date given (today when
empty). Tags that follow from age (高龄老人, 留守儿童) are checked before anything is written,
and the rule's message stands under the list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from textual.widget import Widget
from textual.widgets import SelectionList, Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.residents.detail import PersonView
from frontdesk.residents.search import FilterChoices, filter_choices
from frontdesk.residents.tagging import add_tag, age_rule, remove_tag
from frontdesk.residents.validation import ValidationFailed, refuse
from frontdesk.screens.base.forms import FormScreen, date_input, field, field_id, text_input
from frontdesk.widgets.text import display


@dataclass(frozen=True)
class TagChange:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    since: date | None
    note: str


class TagsScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss", "tags_form.tcss"]
    HELP_KEY = "form.tags.help"

    def __init__(self, person: PersonView, community_id: int) -> None:
        super().__init__()
        self.person = person
        self.community_id = community_id
        self.carried = {t.code for t in person.tags}
        self.codes: list[str] = sorted(self.carried)

    def title_text(self) -> str:
        return _("form.tags.title", name=display(self.person.name), age=self.person.age)

    def fields(self) -> Iterator[Widget]:
        yield field("tags", "form.field.tags", self._tag_list())
        yield field("since", "form.field.since", date_input(None, "form.date_today_placeholder"))
        yield field(
            "note",
            "form.field.tag_note",
            text_input("", _("form.tags.note_placeholder")),
        )
        yield Static(_("form.tags.note"), classes="form-note")

    def _tag_list(self) -> SelectionList[str]:
        return SelectionList[str](
            *[(_(f"tag.{code}"), code, code in self.carried) for code in self.codes]
        )

    def on_mount(self) -> None:
        self._load_codes()

    def _load_codes(self) -> None:
        self.call(partial(filter_choices, self.community_id), self._codes_loaded)

    def _codes_loaded(self, choices: FilterChoices) -> None:
        codes = choices.tags
        tags = self.query_one(f"#{field_id('tags')}", SelectionList)
        ticked = set(tags.selected)
        self.codes = [*codes, *(c for c in sorted(self.carried) if c not in codes)]
        highlighted = tags.highlighted
        tags.clear_options()
        tags.add_options([(_(f"tag.{c}"), c, c in ticked) for c in self.codes])
        tags.highlighted = highlighted if highlighted is not None else 0

    def collect(self, problems: dict[str, Notice]) -> TagChange:
        ticked = set(self.query_one(f"#{field_id('tags')}", SelectionList).selected)
        return TagChange(
            added=tuple(c for c in self.codes if c in ticked and c not in self.carried),
            removed=tuple(c for c in self.codes if c in self.carried and c not in ticked),
            since=self.date_value("since", problems),
            note=self.value("note"),
        )

    def write(self, values: Any, confirm: bool) -> int | None:
        change: TagChange = values
        if not change.added and not change.removed:
            return None
        desk = self.desk
        now = desk.clock.now()
        for code in change.added:  # the age rules first: nothing written when one fails
            problem = age_rule(code, self.person.birth_date, now.date())
            if problem is not None:
                raise refuse("tags", problem.key, **problem.params)
        try:
            for code in change.removed:
                remove_tag(
                    self.person.id, code, reason=change.note, actor_id=desk.operator_id, now=now
                )
                self.carried.discard(code)
                self.wrote = True
            for code in change.added:
                add_tag(
                    self.person.id,
                    code,
                    since=change.since,
                    note=change.note,
                    actor_id=desk.operator_id,
                    now=now,
                )
                self.carried.add(code)
                self.wrote = True
        except ValidationFailed:
            raise
        except UserError as exc:
            raise refuse("tags", exc.key, **exc.params) from exc
        return self.person.id

    def action_cancel(self) -> None:
        """Escape writes nothing; after a save that went half-way the detail still reloads."""
        if not self._saving:
            self.close_or_ask(self.person.id if self.wrote else None)
