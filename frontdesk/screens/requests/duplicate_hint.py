"""The intake's hint of possible duplicates: while the form is filled in, the open requests of the
same category at the same flat or building are listed under it (a part of ``RequestFormScreen``).
The first Ctrl+S stops on them; Enter on one attaches this report to it instead of logging a new
request (``action_attach``, the form's).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from textual import on
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.requests.intake import Candidate, Place, place_of_resident, possible_duplicates
from frontdesk.requests.lookup import PlaceChoice, ReporterInfo
from frontdesk.residents.validation import Validation, ValidationFailed
from frontdesk.screens.base.forms import FormScreen, field_id, message_id, row_id
from frontdesk.widgets.text import display


def duplicates_for(
    category: str,
    place: Place | None,
    resident_id: int | None,
    now: datetime,
    *,
    actor_id: int | None,
) -> list[Candidate]:
    """The open requests of ``category`` at ``place``, or at the reporter's flat when no place
    was typed."""
    if place is None and resident_id is not None:
        place = place_of_resident(resident_id, actor_id=actor_id)
    if place is None:
        return []
    return possible_duplicates(category, place, now, actor_id=actor_id)


class DuplicatesFound(ValidationFailed):
    """The save stopped on possible duplicates (a warning: Ctrl+S again logs anyway); ``found``
    go into the list."""

    def __init__(self, found: list[Candidate]) -> None:
        validation = Validation()
        validation.warn(
            "duplicates",
            "request_form.duplicates_warning",
            count=len(found),
            number=found[0].number,
        )
        super().__init__(validation)
        self.found = found


class DuplicateHint(FormScreen):
    """The list of possible duplicates under the intake form."""

    # the reporter and the place chosen so far (the reporter and place pickers keep them)
    reporter: ReporterInfo | None
    place: PlaceChoice | None

    def __init__(self) -> None:
        super().__init__()
        self.duplicates: list[Candidate] = []

    def duplicates_row(self) -> Widget:
        duplicates = OptionList(id=field_id("duplicates"), compact=True)
        return Vertical(
            Static(_("request_form.duplicates_title"), classes="form-section"),
            duplicates,
            Static("", id=message_id("duplicates"), classes="field-message"),
            Static(_("request_form.duplicates_hint"), classes="form-note"),
            id=row_id("duplicates"),
        )

    def check_duplicates(self) -> None:
        """Look again (the category, the place or the reporter changed)."""
        category = self.selected("category")
        place = self.place.place if self.place is not None else None
        resident = self.reporter.resident_id if self.reporter else None
        no_place_typed = not self.value("place")
        if category is None or (place is None and not (resident and no_place_typed)):
            self.duplicates = []
            self._show_duplicates()
            return
        desk = self.desk
        self.call(
            partial(
                duplicates_for,
                category,
                place,
                resident,
                desk.clock.now(),
                actor_id=desk.operator_id,
            ),
            self._found_duplicates,
            group="request-duplicates",
            latest=True,
        )

    def _found_duplicates(self, found: list[Candidate]) -> None:
        self.duplicates = found
        self._show_duplicates()

    def _show_duplicates(self) -> None:
        row = self.query_one(f"#{row_id('duplicates')}")
        options = self.query_one(f"#{field_id('duplicates')}", OptionList)
        options.clear_options()
        for candidate in self.duplicates:
            options.add_option(
                Option(
                    _(
                        "request_form.duplicate",
                        number=candidate.number,
                        created=f"{candidate.created_at:%m-%d %H:%M}",
                        status=_(f"enum.request_status.{candidate.status}"),
                        description=display(candidate.description),
                    ),
                    id=str(candidate.id),
                )
            )
        row.display = bool(self.duplicates)
        if self.duplicates:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#f-duplicates")
    def _duplicate_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_attach()

    def action_attach(self) -> None:
        """This report goes onto the highlighted request (the form does it)."""
        raise NotImplementedError

    def _refusal(self, values: Any, exc: UserError) -> None:
        if isinstance(exc, DuplicatesFound):  # listed first, then the warning says so
            self._found_duplicates(exc.found)
        super()._refusal(values, exc)
