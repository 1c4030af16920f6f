"""One setting, edited: a single field prefilled with its value now, what it means and may be
set to underneath, and the message for a value that cannot be (not a number, out of range,
time ranges out of order) right next to the field. Enter or Ctrl+S saves, Escape closes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import Input, Static

from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.screens.base.forms import FormScreen, field, text_input
from frontdesk.settings import DUE_KEY, FIELD, SettingRow, change_setting, spec_of


def shown(key: str, text: str) -> str:
    """A value as the desk shows it: with its unit (``10 分钟``), the idle lock's 0 in words,
    the due-time table's line by how many of its cells are changed (0: 默认)."""
    if key == DUE_KEY:
        return (
            _("settings.due.summary", changed=text)
            if text != "0"
            else _("settings.due.summary_none")
        )
    spec = spec_of(key)
    if spec.zero_allowed and text == "0":
        return _("settings.value.never")
    if spec.unit:
        return _(f"settings.unit.{spec.unit}", value=text)
    return text


def help_text(key: str) -> str:
    """What a setting means and the values it may take, in the current language."""
    if key == DUE_KEY:
        return _("settings.help.requests_due_hours")
    spec = spec_of(key)
    return _(spec.help_key, **spec.limits())


class OneFieldForm(FormScreen):
    """A form of one field (a setting, a cell of the due-time table): Enter in it saves.
    Dismisses with 1 once the value is saved (or typed unchanged), None when closed."""

    HELP_KEY = "setting_form.help"

    def collect(self, problems: dict[str, Notice]) -> str:
        return self.value(FIELD)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the one field saves (not on to a next field: there is none)."""
        event.stop()
        event.prevent_default()
        self.action_save()


class SettingFormScreen(OneFieldForm):
    """One setting, edited."""

    CSS_PATH = ["../base/forms.tcss", "setting_form.tcss"]

    def __init__(self, row: SettingRow) -> None:
        super().__init__()
        self.row = row
        self.saved: SettingRow | None = None

    def title_text(self) -> str:
        return _("setting_form.title", setting=_(self.row.label_key))

    def fields(self) -> Iterator[Widget]:
        yield field(FIELD, "setting_form.field", text_input(self.row.value))
        yield Static(help_text(self.row.key), id="sf-about", classes="form-note")
        yield Static(
            _("setting_form.default", default=shown(self.row.key, self.row.default)),
            id="sf-default",
            classes="form-note",
        )

    def write(self, values: Any, confirm: bool) -> int | None:
        desk = self.desk
        self.saved = change_setting(
            self.row.key,
            str(values),
            actor_id=desk.operator_id,
            now=desk.clock.now(),
            loaded=self.row.value,  # changed at another desk meanwhile: refused, not overwritten
        )
        return 1
