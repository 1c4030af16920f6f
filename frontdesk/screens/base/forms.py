"""What every form shares: fields with their message underneath, saving off the UI thread, the
confirm step for warnings and the way to the person an ID number already belongs to. (The fields
only resident forms have are in ``frontdesk.screens.residents.fields``.)

A form is a modal: Tab / Shift+Tab (or Enter) from field to field, Ctrl+S saves, Escape cancels
and writes nothing. Each field has a line under it for the message the services give for it
(``Notice.text()``); the form stays open with what was typed until the save succeeds, then
dismisses with the id of the record the caller should show.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static
from textual.widgets.select import InvalidSelectValueError

from frontdesk import idcards
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.residents.validation import Validation, ValidationFailed, normalise_id
from frontdesk.screens.base.discard import AsksBeforeDiscarding
from frontdesk.screens.base.screen import DeskModal
from frontdesk.textrules import TextRefused
from frontdesk.vocabulary import Gender
from frontdesk.widgets.input import DeskInput
from frontdesk.widgets.text import display

_DATE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")


class BadDate(ValueError):
    """A date field that does not read as YYYY-MM-DD."""


class NoSuchDay(BadDate):
    """A date written right that the calendar does not have (2026-02-30)."""

    def __init__(self, year: int, month: int, day: int) -> None:
        super().__init__(f"{year}-{month}-{day}")
        self.year, self.month, self.day = year, month, day


# -- fields ----------------------------------------------------------------------------------------


def field_id(name: str) -> str:
    """``members.0.phone`` → ``f-members-0-phone``: the id of the field's widget."""
    return "f-" + name.replace(".", "-")


def message_id(name: str) -> str:
    """The id of the line under the field, where its message goes."""
    return "m-" + name.replace(".", "-")


def row_id(name: str) -> str:
    """The id of the field's whole row (label, widget, message), to show or hide it."""
    return "row-" + name.replace(".", "-")


def field(name: str, label_key: str, widget: Widget) -> Vertical:
    """One labelled field and the (empty) line for its message."""
    widget.id = field_id(name)
    return Vertical(
        Horizontal(
            Label(_(label_key), classes="field-label"),
            widget,
            classes="field-line",
        ),
        Static("", id=message_id(name), classes="field-message"),
        id=row_id(name),
        classes="field",
    )


def text_input(value: str = "", placeholder: str = "", *, max_length: int = 0) -> Input:
    return DeskInput(value, placeholder=placeholder, compact=True, max_length=max_length)


def date_input(value: date | None = None, placeholder_key: str = "form.date_placeholder") -> Input:
    return DeskInput(
        f"{value:%Y-%m-%d}" if value else "",
        placeholder=_(placeholder_key),
        compact=True,
        max_length=12,
    )


def choice(
    options: Iterable[tuple[str, Any]], value: Any = None, *, allow_blank: bool = True
) -> Select[Any]:
    return Select(
        list(options),
        prompt=_("form.choose"),
        allow_blank=allow_blank,
        value=Select.NULL if value is None else value,
        compact=True,
    )


def parse_date(text: str) -> date | None:
    """``2026-11-29`` (also ``2026/11/29``, ``20261129``); None when empty; ``BadDate`` else."""
    text = text.strip()
    if not text:
        return None
    found = _DATE.match(text)
    if found is None:
        raise BadDate(text)
    year, month, day = int(found[1]), int(found[2]), int(found[3])
    try:
        return date(year, month, day)
    except ValueError as exc:
        if not (1 <= month <= 12 and day >= 1):  # no such month (or day 0): not a date at all
            raise BadDate(text) from exc
        raise NoSuchDay(year, month, day) from exc


# -- the form --------------------------------------------------------------------------------------


class FormScreen(AsksBeforeDiscarding, DeskModal[int | None]):
    """A resident form. Subclasses give ``title_text``, ``fields``, ``collect`` and ``write``."""

    BINDINGS = [
        Binding("ctrl+s", "save", "form.key_save", priority=True),
        Binding("escape", "cancel", "form.key_cancel"),
        Binding("ctrl+o", "open_existing", "form.key_open_existing", show=False),
    ]
    HELP_KEY = "form.help"
    fills_from_id = False  # a valid ID number fills in the date of birth and gender left empty

    def __init__(self) -> None:
        super().__init__()
        self._saving = False
        self._warned: Any = None  # the values the shown warnings were about
        self._existing: int | None = None  # the resident an ID number already belongs to
        self.wrote = False  # something was saved (a form that stays open after a partial write)

    # ------------------------------------------------------------------------- to override

    def title_text(self) -> str:
        raise NotImplementedError

    def fields(self) -> Iterator[Widget]:
        raise NotImplementedError

    def collect(self, problems: dict[str, Notice]) -> Any:
        """The values typed, read on the UI thread. What cannot be read (a date that is not
        one) goes into ``problems``, by field name, and nothing is saved."""
        raise NotImplementedError

    def write(self, values: Any, confirm: bool) -> int | None:
        """Save ``values`` (called by ``call``: in a worker thread, inside a connection); the id
        to show, or None when there was nothing to save."""
        raise NotImplementedError

    # ---------------------------------------------------------------------------- composing

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(self.title_text(), id="form-title")
            with VerticalScroll(id="form-body"):
                yield from self.fields()
            with Vertical(id="form-foot"):
                yield Static("", id="form-status")
                with Horizontal(id="form-actions"):
                    yield Button(_("form.confirm_save"), id="form-confirm", compact=True)
                    yield Button("", id="form-open-existing", compact=True)
                yield Static(_(self.HELP_KEY), id="form-help")

    def on_mount(self) -> None:
        """Textual runs this after a form's own ``on_mount`` (it calls the handler of every
        class up the line): a form does not call it again."""
        self.set_status("")
        self._show_actions()
        self.focus_first()
        self.call_after_refresh(self.remember_typed)  # as filled in: Escape closes it at once

    def focus_first(self) -> None:
        for widget in self.query_one("#form-body").query("Input, Select, SelectionList"):
            if widget.focusable:
                widget.focus()
                return

    async def _language_changed(self, language: str) -> None:
        """Recompose in the new language, keeping what was typed."""
        values = self._values()
        await super()._language_changed(language)
        self._restore(values)
        self._show_actions()

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for widget in self.query("Input, Select, SelectionList"):
            if widget.id is None:
                continue
            if isinstance(widget, Input | Select):
                values[widget.id] = widget.value
            elif isinstance(widget, SelectionList):
                values[widget.id] = list(widget.selected)
        return values

    def _restore(self, values: dict[str, Any]) -> None:
        for widget_id, value in values.items():
            found = self.query(f"#{widget_id}")
            if not found:
                continue
            widget = found.first()
            if isinstance(widget, SelectionList):
                widget.deselect_all()
                for item in value:
                    widget.select(item)
            elif isinstance(widget, Select):
                if value is Select.NULL:
                    widget.clear()
                else:
                    try:
                        widget.value = value
                    except InvalidSelectValueError:  # no longer an option
                        widget.clear()
            elif isinstance(widget, Input):
                widget.value = value

    # ------------------------------------------------------------------------------ reading

    def value(self, name: str) -> str:
        return self.query_one(f"#{field_id(name)}", Input).value.strip()

    def selected(self, name: str) -> Any:
        value = self.query_one(f"#{field_id(name)}", Select).value
        return None if value is Select.NULL else value

    def date_value(self, name: str, problems: dict[str, Notice]) -> date | None:
        try:
            return parse_date(self.value(name))
        except NoSuchDay as no_day:
            problems[name] = Notice(
                "date.no_such_day", {"year": no_day.year, "month": no_day.month, "day": no_day.day}
            )
            return None
        except BadDate:
            problems[name] = Notice("form.date_format")
            return None

    # ------------------------------------------------------------------------------ messages

    def shown_as(self, name: str) -> str:
        """The field of this form a service's field name stands for."""
        return name

    def clear_messages(self) -> None:
        for line in self.query(".field-message"):
            assert isinstance(line, Static)
            line.update("")
            line.remove_class("-error", "-warning")
        self.set_status("")
        self._existing = None
        self._show_actions()

    def set_status(self, text: str, kind: str = "") -> None:
        status = self.query_one("#form-status", Static)
        status.update(text)
        status.display = bool(text)
        status.set_class(kind == "error", "-error")
        status.set_class(kind == "warning", "-warning")

    def show_messages(
        self,
        errors: dict[str, Notice],
        warnings: dict[str, Notice] | None = None,
        *,
        from_service: bool = True,
    ) -> list[str]:
        """Each message under its field; those for a field this form does not show are
        returned for the status line. The first field with a message gets the focus."""
        stray: list[str] = []
        first: Widget | None = None
        for kind, messages in (("-error", errors), ("-warning", warnings or {})):
            for given, message in messages.items():
                name = self.shown_as(given) if from_service else given
                lines = self.query(f"#{message_id(name)}")
                if not lines:
                    stray.append(message.text())
                    continue
                line = lines.first()
                assert isinstance(line, Static)
                if line.has_class("-error"):
                    continue  # an error already stands here
                line.update(message.text())
                line.add_class(kind)
                widgets = self.query(f"#{field_id(name)}")
                if first is None and widgets and widgets.first().focusable:
                    first = widgets.first()
                if message.key == "validation.id_duplicate":
                    self._existing = int(str(message.params["resident_id"]))
                    self.query_one("#form-open-existing", Button).label = _(
                        "form.open_existing", name=display(str(message.params["name"]))
                    )
        if first is not None:
            self.set_focus(first)  # at once, not after the next refresh
        return stray

    def _show_actions(self) -> None:
        confirm = self.query_one("#form-confirm", Button)
        confirm.display = self._warned is not None
        existing = self.query_one("#form-open-existing", Button)
        existing.display = self._existing is not None
        self.query_one("#form-actions").display = confirm.display or existing.display

    # -------------------------------------------------------------------------------- saving

    def action_save(self) -> None:
        """Save; with the same values again after a warning, save them anyway."""
        if self._saving:
            return
        warned = self._warned
        self._warned = None
        self.clear_messages()
        problems: dict[str, Notice] = {}
        values = self.collect(problems)
        if problems:
            stray = self.show_messages(problems, from_service=False)
            status = _("validation.failed", count=len(problems))
            self.set_status("\n".join([status, *stray]), "error")
            return
        confirm = warned is not None and values == warned
        self._saving = True
        self.set_status(_("form.saving"))
        self._save(values, confirm)

    def _save(self, values: Any, confirm: bool) -> None:
        self.call(
            partial(self.write, values, confirm),
            self._saved,
            group="form-save",
            latest=True,
            refused=partial(self._refusal, values),
            failed=self._crashed_while_saving,
        )

    def _refusal(self, values: Any, exc: UserError) -> None:
        if isinstance(exc, TextRefused):  # a text over its limit: beside its field, as typed
            refused = Validation()
            refused.error(exc.field, exc.message.key, **exc.message.params)
            self._refused(ValidationFailed(refused), values)
        elif isinstance(exc, ValidationFailed):
            self._refused(exc, values)
        else:
            self._failed(str(exc))

    def _saved(self, result: int | None) -> None:
        self._saving = False
        self.wrote = self.wrote or result is not None
        self.dismiss(result)

    def _refused(self, exc: ValidationFailed, values: Any) -> None:
        self._saving = False
        self.set_status("")
        v = exc.validation
        if exc.needs_confirmation:
            self._warned = values
            stray = self.show_messages({}, v.warnings)
            status = _("form.confirm_hint", count=len(v.warnings))
            self.set_status("\n".join([status, *stray]), "warning")
        else:
            stray = self.show_messages(v.errors, v.warnings)
            self.set_status("\n".join([str(exc), *stray]), "error")
        self._show_actions()

    def _failed(self, message: str) -> None:
        self._saving = False
        self.set_status(message, "error")

    def _crashed_while_saving(self) -> None:
        """Something unexpected (shown and logged by the base): the form can be saved again."""
        self._saving = False
        self.set_status("")

    # ------------------------------------------------------------------------------- actions

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """The form's keys, for the command palette: (title, help, callback)."""
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_("form.palette.save"), _("form.palette.save_help"), self.action_save),
            (_("form.palette.cancel"), _("form.palette.cancel_help"), self.action_cancel),
        ]
        if self._existing is not None:
            commands.append(
                (
                    _("form.palette.open_existing"),
                    _("form.palette.open_existing_help"),
                    self.action_open_existing,
                )
            )
        return commands

    def action_cancel(self) -> None:
        if not self._saving:
            self.close_or_ask()

    def action_open_existing(self) -> None:
        existing = self._existing
        if existing is None or self._saving:
            return
        self.dismiss(None)
        self.desk_app.open_resident(existing)

    @on(Button.Pressed, "#form-confirm")
    def _confirm_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-open-existing")
    def _open_pressed(self) -> None:
        self.action_open_existing()

    @on(Input.Changed)
    def _id_typed(self, event: Input.Changed) -> None:
        widget_id = event.input.id or ""
        suffix = field_id("id_number")[2:]
        if not self.fills_from_id or not widget_id.endswith(suffix):
            return
        number = normalise_id(event.value)
        if not idcards.is_valid(number):
            return
        prefix = widget_id[: -len(suffix)]
        births = self.query(f"#{prefix}birth_date")
        if births and isinstance(birth := births.first(), Input) and not birth.value.strip():
            birth.value = f"{idcards.birth_date(number):%Y-%m-%d}"
        genders = self.query(f"#{prefix}gender")
        if genders and isinstance(gender := genders.first(), Select) and gender.is_blank():
            gender.value = Gender.MALE.value if idcards.is_male(number) else Gender.FEMALE.value

    @on(Input.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _field_changed(
        self, event: Input.Changed | Select.Changed | SelectionList.SelectedChanged[Any]
    ) -> None:
        """A field's message goes once its value is changed."""
        widget_id = event.control.id if event.control is not None else None
        if not widget_id or not widget_id.startswith("f-"):
            return
        lines = self.query(f"#m-{widget_id[2:]}")
        if (
            lines
            and isinstance(line := lines.first(), Static)
            and line.classes & {"-error", "-warning"}
        ):
            line.update("")
            line.remove_class("-error", "-warning")

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()
