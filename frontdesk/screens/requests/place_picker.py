"""The intake's place: the reporter's flat unless the clerk types another (``3-2-1001``,
``3号楼``, a compound, ``2-3网格``); when several places answer, a list to choose from; then the
detail of where (``2单元楼道``). A part of ``RequestFormScreen``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from frontdesk.i18n import _
from frontdesk.requests.lookup import PlaceChoice, find_places
from frontdesk.screens.base.forms import choice, field, field_id, row_id, text_input
from frontdesk.screens.requests.duplicate_hint import DuplicateHint


class PlacePicker(DuplicateHint):
    """The place box, the places found for it and the detail of where."""

    def __init__(self, community_id: int, home: PlaceChoice | None) -> None:
        super().__init__()
        self.community_id = community_id
        self.place = home
        self.places: list[PlaceChoice] = [home] if home is not None else []
        self._place_text = home.short if home is not None else ""
        self._place_pending = False  # a place typed, its look-up not back yet

    def place_fields(self) -> Iterator[Widget]:
        yield field(
            "place",
            "request_form.field.place",
            text_input(self._place_text, _("request_form.place_placeholder"), max_length=40),
        )
        yield field("place_choice", "request_form.field.place_choice", choice([]))
        yield Static("", id="place-found", classes="request-note")
        yield field(
            "place_text",
            "request_form.field.place_text",
            text_input("", _("request_form.place_text_placeholder")),
        )

    def _place_box(self) -> Input:
        return self.query_one(f"#{field_id('place')}", Input)

    @on(Input.Changed, "#f-place")
    def _place_typed(self, event: Input.Changed) -> None:
        if self.place is not None and event.value == self.place.short:
            return
        self.place = None
        self.places = []
        self._place_pending = bool(event.value.strip())
        self._show_places()
        self._find_places(event.value)

    def _find_places(self, text: str) -> None:
        if not text.strip():
            self._found_places(text, [])
            return
        self.call(
            partial(find_places, text, self.community_id, actor_id=self.desk.operator_id),
            partial(self._found_places, text),
            group="request-place",
            latest=True,
        )

    def _found_places(self, text: str, found: list[PlaceChoice]) -> None:
        if text != self._place_box().value:
            return  # an older answer arriving late
        self.places = found
        self._place_pending = False
        self.place = found[0] if len(found) == 1 else None
        detail = self.query_one(f"#{field_id('place_text')}", Input)
        if self.place is not None and self.place.detail and not detail.value.strip():
            detail.value = self.place.detail
        self._show_places()
        self.check_duplicates()

    def _show_places(self) -> None:
        select = self.query_one(f"#{field_id('place_choice')}", Select)
        many = len(self.places) > 1
        self.query_one(f"#{row_id('place_choice')}").display = many
        if many:
            select.set_options([(self._place_label(p), n) for n, p in enumerate(self.places)])
            if self.place in self.places:
                select.value = self.places.index(self.place)
        line = self.query_one("#place-found", Static)
        typed = self._place_box().value.strip()
        text = ""
        if self.place is not None:
            text = _("request_form.place_found", place=self._place_label(self.place))
        elif many:
            text = _("request_form.places_found", count=len(self.places))
        elif typed and not self._place_pending:
            text = _("request_form.place_unknown")
        elif self.reporter is not None:
            text = _("request_form.place_home")
        line.update(text)
        line.set_class(bool(typed) and not self.places and not self._place_pending, "-warning")
        line.display = bool(text)

    @staticmethod
    def _place_label(place: PlaceChoice) -> str:
        if place.grid:
            return _("request_form.place_label", place=place.label, grid=place.grid)
        return place.label

    @on(Select.Changed, "#f-place_choice")
    def _place_chosen(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or not isinstance(event.value, int):
            return
        if 0 <= event.value < len(self.places):
            self.place = self.places[event.value]
            detail = self.query_one(f"#{field_id('place_text')}", Input)
            if self.place.detail and not detail.value.strip():
                detail.value = self.place.detail
            self._show_places()
            self.check_duplicates()
            self._advance(event.select, "place_text")

    # ---------------------------------------------------------------------- moving on

    def _focus_field(self, name: str) -> None:
        widgets = self.query(f"#{field_id(name)}")
        if widgets and widgets.first().focusable:
            widgets.first().focus()

    def _advance(self, select: Select[Any], name: str) -> None:
        """A choice made in a list moves on, as Enter does in a box."""
        if select.has_focus_within:
            self.call_after_refresh(self._focus_field, name)
