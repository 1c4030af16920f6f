"""The intake: log a walk-in request (a modal, F6 from anywhere; ``r`` on a resident's detail).

Fields in the order the clerk hears them, Enter from one to the next: who reports (a resident
found as in F2, ↑↓ and Enter to pick, or a visitor with a phone), where (the reporter's flat
unless the clerk types another: ``3-2-1001``, ``3号楼``, a compound, ``2-3网格``), a detail of
where (``2单元楼道``), the category, what is wrong, the urgency (一般 by default). Ctrl+S saves.

While the form is filled in, open requests of the same category at the same flat or building are
listed; the first Ctrl+S stops on them: Enter on one attaches this report to it (no new request,
both reporters kept), Ctrl+S again logs a new one anyway.

The form is built of parts, each in its module: the reporter (``reporter_picker``), the place
(``place_picker``) and the possible duplicates (``duplicate_hint``); here the rest of the fields,
saving, attaching, and ``open_intake``. The parts are layers of one screen, each a subclass of
the one below (``FormScreen`` ← ``DuplicateHint`` ← ``PlacePicker`` ← ``ReporterPicker`` ←
``RequestFormScreen``): Textual finds ``@on`` handlers only on its own classes, not on mixins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import OptionList, Select

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.requests.intake import (
    Candidate,
    Logged,
    Place,
    Reporter,
    RequestInput,
    attach_report,
    create_request,
    place_of_resident,
    possible_duplicates,
)
from frontdesk.requests.lookup import ReporterInfo, categories, find_places
from frontdesk.residents.validation import Validation, ValidationFailed
from frontdesk.screens.base.forms import choice, field, field_id, text_input
from frontdesk.screens.base.host import DeskHost
from frontdesk.screens.requests.detail import RequestDetailScreen
from frontdesk.screens.requests.duplicate_hint import DuplicatesFound
from frontdesk.screens.requests.logged import RequestLoggedScreen
from frontdesk.screens.requests.reporter_picker import ReporterPicker
from frontdesk.vocabulary import Urgency


@dataclass(frozen=True)
class TypedRequest:
    """What the form holds (compared to know the duplicates warning was about the same)."""

    reporter: Reporter
    place: Place | None  # None: the place text still to be read, or the reporter's flat
    place_query: str
    place_text: str  # the detail of where: 2单元楼道
    grid: str  # the level-4 grid of the place chosen ("" when not known yet)
    category: str
    description: str
    urgency: str


@dataclass(frozen=True)
class Saved:
    """What became of the report: a new request, or one more reporter on an existing one."""

    request_id: int
    number: str
    logged: Logged | None  # None when attached
    grid: str  # the level-4 grid it went to ("" when unknown)


def _with_text(place: Place, text: str) -> Place:
    return Place(place.flat_id, place.building_id, place.compound_id, place.grid_l4_id, text)


class RequestFormScreen(ReporterPicker):
    """The intake. Dismisses with the id of the request logged or attached to (``saved`` says
    which), None when cancelled."""

    CSS_PATH = ["../base/forms.tcss", "request_form.tcss"]
    BINDINGS = [
        Binding("ctrl+l", "attach", "request_form.key_attach", show=False),
    ]
    HELP_KEY = "request_form.help"

    def __init__(self, community_id: int, reporter: ReporterInfo | None = None) -> None:
        super().__init__(community_id, reporter)
        self.saved: Saved | None = None
        self._attaching = False
        self._categories: list[str] = []

    # ---------------------------------------------------------------------------- composing

    def title_text(self) -> str:
        return _("request_form.title")

    def fields(self) -> Iterator[Widget]:
        yield from self.reporter_fields()
        yield from self.place_fields()
        yield field("category", "request_form.field.category", self._category_choice())
        yield field(
            "description",
            "request_form.field.description",
            text_input("", _("request_form.description_placeholder")),
        )
        yield field(
            "urgency",
            "request_form.field.urgency",
            choice(
                [(_(f"enum.urgency.{u.value}"), u.value) for u in Urgency],
                Urgency.NORMAL.value,
                allow_blank=False,
            ),
        )
        yield self.duplicates_row()

    def _category_choice(self) -> Select[Any]:
        codes = self._categories
        options = [(f"{n} {_(f'category.{code}')}", code) for n, code in enumerate(codes, 1)]
        return choice(options)

    def on_mount(self) -> None:
        super().on_mount()
        self._show_all()
        self.load_categories()
        if self.reporter is not None:  # reporter and place filled in: what is it about?
            self.call_after_refresh(self._focus_field, "category" if self.place else "place")

    def focus_first(self) -> None:
        if self.reporter is None:
            super().focus_first()

    def load_categories(self) -> None:
        self.call(categories, self._fill_categories, group="request-categories")

    def _fill_categories(self, codes: list[str]) -> None:
        self._categories = codes
        select = self.query_one(f"#{field_id('category')}", Select)
        value = select.value
        select.set_options(
            [(f"{n} {_(f'category.{code}')}", code) for n, code in enumerate(codes, 1)]
        )
        if value is not Select.NULL and value in codes:
            select.value = value

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._fill_categories(self._categories)
        self._show_all()

    def _show_all(self) -> None:
        self._show_hits()
        self._show_reporter()
        self._show_places()
        self._show_duplicates()

    # ----------------------------------------------------------------------------- category

    @on(Select.Changed, "#f-category")
    def _category_chosen(self, event: Select.Changed) -> None:
        self.check_duplicates()
        if event.value is not Select.NULL:
            self._advance(event.select, "description")

    # ------------------------------------------------------------------------------- saving

    def collect(self, problems: dict[str, Notice]) -> TypedRequest:
        reporter = self._reporter(problems)
        query = self.value("place")
        place: Place | None = None
        if self.place is not None:
            place = _with_text(self.place.place, self.value("place_text"))
        elif len(self.places) > 1:
            problems["place"] = Notice("request_form.place_choose")
        elif not query and reporter.resident_id is None:
            problems["place"] = Notice("request_form.place_required")
        category = self.selected("category")
        if category is None:
            problems["category"] = Notice("validation.required")
        description = self.value("description")
        if not description:
            problems["description"] = Notice("validation.required")
        return TypedRequest(
            reporter=reporter,
            place=place,
            place_query=query,
            place_text=self.value("place_text"),
            grid=self.place.grid if self.place else "",
            category=category or "",
            description=description,
            urgency=self.selected("urgency") or Urgency.NORMAL.value,
        )

    def _resolve_place(self, typed: TypedRequest) -> tuple[Place, str]:
        """The place to log (read in the worker: a place typed just before Ctrl+S is read
        here) and its grid."""
        if typed.place is not None:
            return typed.place, typed.grid
        if typed.place_query:
            found = find_places(
                typed.place_query, self.community_id, actor_id=self.desk.operator_id
            )
            if len(found) != 1:
                validation = Validation()
                key = "request_form.place_choose" if found else "request_form.place_unknown"
                validation.error("place", key)
                raise ValidationFailed(validation)
            return _with_text(found[0].place, typed.place_text), found[0].grid
        assert typed.reporter.resident_id is not None
        home = place_of_resident(typed.reporter.resident_id, actor_id=self.desk.operator_id)
        return home, ""

    def write(self, values: Any, confirm: bool) -> int | None:
        typed: TypedRequest = values
        desk = self.desk
        now = desk.clock.now()
        place, grid = self._resolve_place(typed)
        if not confirm:
            found = possible_duplicates(typed.category, place, now, actor_id=desk.operator_id)
            if found:
                raise DuplicatesFound(found)
        logged = create_request(
            RequestInput(
                category=typed.category,
                urgency=typed.urgency,
                description=typed.description,
                reporter=typed.reporter,
                place=place,
            ),
            actor_id=desk.operator_id,
            now=now,
        )
        self.saved = Saved(logged.id, logged.number, logged, grid)
        return logged.id

    # ------------------------------------------------------------------------------ attaching

    def action_attach(self) -> None:
        """This report goes onto the highlighted open request: no new request."""
        if self._saving or self._attaching or not self.duplicates:
            return
        options = self.query_one(f"#{field_id('duplicates')}", OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        candidate = self.duplicates[min(index, len(self.duplicates) - 1)]
        problems: dict[str, Notice] = {}
        reporter = self._reporter(problems)
        if problems:
            self.clear_messages()
            self.show_messages(problems, from_service=False)
            self.set_status(_("validation.failed", count=len(problems)), "error")
            return
        self._attaching = True
        self.set_status(_("request_form.attaching", number=candidate.number))
        desk = self.desk
        self.call(
            partial(
                attach_report,
                candidate.id,
                reporter,
                self.value("description"),
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            ),
            partial(self._attached, candidate),
            group="request-attach",
            refused=self._attach_refused,
            failed=self._attach_crashed,
        )

    def _attached(self, candidate: Candidate, _answer: object = None) -> None:
        self._attaching = False
        self.saved = Saved(candidate.id, candidate.number, None, "")
        self.dismiss(candidate.id)

    def _attach_refused(self, exc: UserError) -> None:
        self._attaching = False
        self.set_status(str(exc), "error")

    def _attach_crashed(self) -> None:
        """Something unexpected (shown and logged by the base): the form can attach again."""
        self._attaching = False
        self.set_status("")

    # ------------------------------------------------------------------------------ palette

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands = super().palette_commands()
        if self.duplicates:
            commands.append(
                (
                    _("request_form.palette.attach"),
                    _("request_form.palette.attach_help"),
                    self.action_attach,
                )
            )
        return commands


def open_intake(app: DeskHost, reporter: ReporterInfo | None = None) -> None:
    """Open the intake (unless it is open already); after saving, show the number, the holder
    and the due time; after attaching, say to which request. ``app`` is the desk's application
    (a Textual ``App`` serving as the ``DeskHost``)."""
    ui = cast("App[Any]", app)
    community = app.desk.community
    if community is None:
        ui.notify(_("header.no_community"), severity="warning")
        return
    if isinstance(ui.screen, RequestFormScreen):
        return
    form = RequestFormScreen(community.id, reporter)

    def done(result: int | None) -> None:
        saved = form.saved
        if result is None or saved is None:
            return
        if saved.logged is None:
            ui.notify(_("request_form.attached", number=saved.number))
            return

        def closed(open_it: bool | None) -> None:
            if open_it:
                ui.push_screen(RequestDetailScreen(saved.request_id))

        ui.push_screen(RequestLoggedScreen(saved.logged, saved.grid), closed)

    ui.push_screen(form, done)
