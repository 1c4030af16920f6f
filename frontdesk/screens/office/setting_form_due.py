"""One cell of the due-time table, edited: a single field prefilled with its hours, what the
cell is and may be set to underneath, and the message for hours that cannot be (not a whole
number, out of range, longer than a less urgent cell of the category) right next to the field.
Enter or Ctrl+S saves, Escape closes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from frontdesk.i18n import _
from frontdesk.screens.base.forms import field, text_input
from frontdesk.screens.office.setting_form import OneFieldForm
from frontdesk.settings import FIELD, DueCell, change_due_hours
from frontdesk.settings.duetimes import HIGH, LOW


def cell_name(cell: DueCell) -> str:
    """``照明维修 · 紧急``: a cell as messages name it."""
    return _(
        "settings.due.cell",
        category=_(f"category.{cell.category}"),
        urgency=_(f"enum.urgency.{cell.urgency}"),
    )


class DueHoursFormScreen(OneFieldForm):
    """One cell of the due-time table, edited."""

    CSS_PATH = ["../base/forms.tcss", "setting_form_due.tcss"]

    def __init__(self, cell: DueCell) -> None:
        super().__init__()
        self.cell = cell
        self.saved: DueCell | None = None

    def title_text(self) -> str:
        return _("setting_form.due_title", cell=cell_name(self.cell))

    def fields(self) -> Iterator[Widget]:
        yield field(FIELD, "setting_form.due_field", text_input(self.cell.hours, max_length=12))
        about = _(
            "settings.due.about",
            category=_(f"category.{self.cell.category}"),
            urgency=_(f"enum.urgency.{self.cell.urgency}"),
            hours=self.cell.hours,
            default=self.cell.default,
            low=LOW,
            high=HIGH,
        )
        yield Static(about, id="sf-about", classes="form-note")

    def write(self, values: Any, confirm: bool) -> int | None:
        desk = self.desk
        self.saved = change_due_hours(
            self.cell.category,
            self.cell.urgency,
            str(values),
            actor_id=desk.operator_id,
            now=desk.clock.now(),
            loaded=self.cell.hours,  # changed at another desk meanwhile: refused, not overwritten
        )
        return 1
