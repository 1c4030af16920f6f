"""The intake: log a walk-in request (a modal, F6 from anywhere; ``r`` on a resident's detail).

Fields in the order the clerk hears them, Enter from one to the next: who reports (a resident
found as in F2, ↑↓ and Enter to pick, or a visitor with a phone), where (the reporter's flat
unless the clerk types another: ``3-2-1001``, ``3号楼``, a compound, ``2-3网格``), a detail of
where (``2单元楼道``), the category, what is wrong, the urgency (一般 by default). Ctrl+S saves.

While the form is filled in, open requests of the same category at the same flat or building are
listed; the first Ctrl+S stops on them: Enter on one attaches this report to it (no new request,
both reporters kept), Ctrl+S again logs a new one anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message as TextualMessage
from textual.widget import Widget
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from frontdesk.db.connection import connection
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
from frontdesk.requests.lookup import PlaceChoice, ReporterInfo, categories, find_places
from frontdesk.residents.search import ResidentHit, search
from frontdesk.residents.validation import Validation, ValidationFailed
from frontdesk.screens.base.forms import (
    FormScreen,
    choice,
    field,
    field_id,
    message_id,
    row_id,
    text_input,
)
from frontdesk.vocabulary import Urgency
from frontdesk.widgets.text import display

if TYPE_CHECKING:
    from frontdesk.app import FrontdeskApp

HITS = 5  # residents offered under the reporter box
VISITOR = "visitor"


class ReporterInput(Input):
    """The reporter box: ↑↓ move through the residents found under it."""

    BINDINGS = [
        Binding("down", "step(1)", show=False),
        Binding("up", "step(-1)", show=False),
    ]

    class Step(TextualMessage):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def action_step(self, step: int) -> None:
        self.post_message(self.Step(step))


@dataclass(frozen=True)
class Typed:
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


class RequestFormScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss", "request_form.tcss"]
    BINDINGS = [
        Binding("ctrl+l", "attach", "request_form.key_attach", show=False),
    ]
    HELP_KEY = "request_form.help"

    def __init__(self, community_id: int, reporter: ReporterInfo | None = None) -> None:
        super().__init__()
        self.community_id = community_id
        self.reporter: ReporterInfo | None = reporter
        self.visitor = False
        self.hits: list[ResidentHit] = []
        self.places: list[PlaceChoice] = []
        self.place: PlaceChoice | None = reporter.home if reporter else None
        if self.place is not None:
            self.places = [self.place]
        self.duplicates: list[Candidate] = []
        self.saved: Saved | None = None
        self._reporter_text = display(reporter.name) if reporter else ""
        self._place_text = self.place.short if self.place else ""
        self._attaching = False
        self._categories: list[str] = []
        self._place_pending = False  # a place typed, its look-up not back yet
        self._hits_for: str | None = self._reporter_text  # the query the hits shown answer
        self._enter_pending = False  # Enter pressed in the reporter box before the hits came

    @property
    def desk_app(self) -> FrontdeskApp:
        return self.app  # type: ignore[return-value]

    # ---------------------------------------------------------------------------- composing

    def title_text(self) -> str:
        return _("request_form.title")

    def fields(self) -> Iterator[Widget]:
        reporter = ReporterInput(
            self._reporter_text,
            placeholder=_("request_form.reporter_placeholder"),
            compact=True,
        )
        yield field("reporter", "request_form.field.reporter", reporter)
        hits = OptionList(id="reporter-hits", compact=True)
        hits.can_focus = False
        yield hits
        yield Static("", id="reporter-chosen", classes="request-note")
        yield field(
            "phone",
            "request_form.field.phone",
            text_input("", _("request_form.phone_placeholder")),
        )
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
        duplicates = OptionList(id=field_id("duplicates"), compact=True)
        yield Vertical(
            Static(_("request_form.duplicates_title"), classes="form-section"),
            duplicates,
            Static("", id=message_id("duplicates"), classes="field-message"),
            Static(_("request_form.duplicates_hint"), classes="form-note"),
            id=row_id("duplicates"),
        )

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

    def _focus_field(self, name: str) -> None:
        widgets = self.query(f"#{field_id(name)}")
        if widgets and widgets.first().focusable:
            widgets.first().focus()

    @work(thread=True, group="request-categories", exit_on_error=False)
    def load_categories(self) -> None:
        with connection():
            codes = categories()
        self.app.call_from_thread(self._fill_categories, codes)

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

    # ------------------------------------------------------------------------- the reporter

    def _reporter_box(self) -> Input:
        return self.query_one(f"#{field_id('reporter')}", Input)

    @on(Input.Changed, "#f-reporter")
    def _reporter_typed(self, event: Input.Changed) -> None:
        if event.value == self._reporter_text and (self.reporter or self.visitor):
            return  # the name put there when the reporter was chosen
        self.reporter = None
        self.visitor = False
        self._reporter_text = ""
        self._hits_for = None
        self._enter_pending = False
        self._show_reporter()
        self._search(event.value)

    @work(thread=True, exclusive=True, group="request-reporter", exit_on_error=False)
    def _search(self, query: str) -> None:
        hits: list[ResidentHit] = []
        if query.strip():
            with connection():
                hits = search(
                    query,
                    self.desk_app.desk.in_view(),
                    actor_id=self.desk_app.desk.operator_id,
                    today=self.desk_app.desk.clock.today(),
                    limit=HITS,
                ).hits
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found_hits, query, hits)

    def _found_hits(self, query: str, hits: list[ResidentHit]) -> None:
        if query != self._reporter_box().value or self.reporter or self.visitor:
            return  # an older answer arriving late
        self.hits = hits
        self._hits_for = query
        self._show_hits()
        if self._enter_pending:  # Enter came before the list: take its first line now
            self._enter_pending = False
            self._take_highlighted()

    def _show_hits(self) -> None:
        options = self.query_one("#reporter-hits", OptionList)
        typed = self._reporter_box().value.strip()
        chosen = self.reporter is not None or self.visitor
        options.clear_options()
        if chosen or not typed:
            options.display = False
            return
        for hit in self.hits:
            options.add_option(
                Option(
                    f"{display(hit.name)}  {display(hit.address)}  {hit.phone or ''}".rstrip(),
                    id=str(hit.id),
                )
            )
        options.add_option(Option(_("request_form.as_visitor", name=typed), id=VISITOR))
        options.display = True
        options.highlighted = 0

    @on(ReporterInput.Step)
    def _step_hits(self, event: ReporterInput.Step) -> None:
        options = self.query_one("#reporter-hits", OptionList)
        if not options.display or not options.option_count:
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + event.step))

    @on(Input.Submitted, "#f-reporter")
    def _reporter_entered(self, event: Input.Submitted) -> None:
        event.prevent_default()  # not the form's plain "next field"
        event.stop()
        box = self._reporter_box()
        if self.reporter is None and not self.visitor and self._hits_for != box.value:
            self._enter_pending = bool(box.value.strip())  # the search is still running
            return
        if not self._take_highlighted():
            self.focus_next()

    def _take_highlighted(self) -> bool:
        options = self.query_one("#reporter-hits", OptionList)
        if options.display and options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            self._choose(option.id or VISITOR)
            return True
        return False

    @on(OptionList.OptionSelected, "#reporter-hits")
    def _hit_clicked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id or VISITOR)

    def _choose(self, option_id: str) -> None:
        box = self._reporter_box()
        if option_id == VISITOR:
            self.visitor = True
            self._reporter_text = box.value
            self._show_hits()
            self._show_reporter()
            self._focus_field("phone")
            return
        hit = next((h for h in self.hits if str(h.id) == option_id), None)
        if hit is None:
            return
        self.reporter = ReporterInfo(hit.id, hit.name, hit.phone, None)
        self._reporter_text = display(hit.name)
        box.value = self._reporter_text
        self._show_hits()
        self._show_reporter()
        place_box = self._place_box()
        if not place_box.value.strip() or place_box.value == self._place_text:
            self._place_text = hit.address
            place_box.value = hit.address  # found as typed: the reporter's flat
        self._focus_field("place")

    def _show_reporter(self) -> None:
        line = self.query_one("#reporter-chosen", Static)
        if self.reporter is not None:
            text = _(
                "request_form.reporter_resident",
                name=display(self.reporter.name),
                phone=self.reporter.phone_masked or "—",
            )
        elif self.visitor:
            text = _("request_form.reporter_visitor", name=self._reporter_text)
        else:
            text = ""
        line.update(text)
        line.display = bool(text)
        self.query_one(f"#{row_id('phone')}").display = self.visitor

    # ---------------------------------------------------------------------------- the place

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

    @work(thread=True, exclusive=True, group="request-place", exit_on_error=False)
    def _find_places(self, text: str) -> None:
        found: list[PlaceChoice] = []
        if text.strip():
            with connection():
                found = find_places(
                    text, self.community_id, actor_id=self.desk_app.desk.operator_id
                )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found_places, text, found)

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

    # ----------------------------------------------------------------------- category, next

    @on(Select.Changed, "#f-category")
    def _category_chosen(self, event: Select.Changed) -> None:
        self.check_duplicates()
        if event.value is not Select.NULL:
            self._advance(event.select, "description")

    def _advance(self, select: Select[Any], name: str) -> None:
        """A choice made in a list moves on, as Enter does in a box."""
        if select.has_focus_within:
            self.call_after_refresh(self._focus_field, name)

    # ------------------------------------------------------------------------ the duplicates

    def _place_for_duplicates(self) -> Place | None:
        if self.place is not None:
            return self.place.place
        return None

    def check_duplicates(self) -> None:
        category = self.selected("category")
        place = self._place_for_duplicates()
        resident = self.reporter.resident_id if self.reporter else None
        no_place_typed = not self._place_box().value.strip()
        if category is None or (place is None and not (resident and no_place_typed)):
            self.duplicates = []
            self._show_duplicates()
            return
        self._find_duplicates(category, place, resident)

    @work(thread=True, exclusive=True, group="request-duplicates", exit_on_error=False)
    def _find_duplicates(self, category: str, place: Place | None, resident: int | None) -> None:
        with connection():
            if place is None and resident is not None:
                place = place_of_resident(resident, actor_id=self.desk_app.desk.operator_id)
            now = self.desk_app.desk.clock.now()
            found = (
                possible_duplicates(category, place, now, actor_id=self.desk_app.desk.operator_id)
                if place is not None
                else []
            )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found_duplicates, found)

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

    # ------------------------------------------------------------------------------- saving

    def _reporter(self, problems: dict[str, Notice]) -> Reporter:
        typed = self._reporter_box().value.strip()
        if self.reporter is not None:
            return Reporter(self.reporter.name, "", self.reporter.resident_id)
        if self.visitor or (typed and not self.hits):
            return Reporter(typed, self.value("phone"))
        if not typed:
            problems["reporter"] = Notice("request_form.reporter_required")
        else:
            problems["reporter"] = Notice("request_form.reporter_choose")
        return Reporter(typed)

    def collect(self, problems: dict[str, Notice]) -> Typed:
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
        return Typed(
            reporter=reporter,
            place=place,
            place_query=query,
            place_text=self.value("place_text"),
            grid=self.place.grid if self.place else "",
            category=category or "",
            description=description,
            urgency=self.selected("urgency") or Urgency.NORMAL.value,
        )

    def _resolve_place(self, typed: Typed) -> tuple[Place, str]:
        """The place to log (read in the worker: a place typed just before Ctrl+S is read
        here) and its grid."""
        if typed.place is not None:
            return typed.place, typed.grid
        if typed.place_query:
            found = find_places(
                typed.place_query, self.community_id, actor_id=self.desk_app.desk.operator_id
            )
            if len(found) != 1:
                validation = Validation()
                key = "request_form.place_choose" if found else "request_form.place_unknown"
                validation.error("place", key)
                raise ValidationFailed(validation)
            return _with_text(found[0].place, typed.place_text), found[0].grid
        assert typed.reporter.resident_id is not None
        home = place_of_resident(
            typed.reporter.resident_id, actor_id=self.desk_app.desk.operator_id
        )
        return home, ""

    def write(self, values: Any, confirm: bool) -> int | None:
        typed: Typed = values
        desk = self.desk_app.desk
        now = desk.clock.now()
        place, grid = self._resolve_place(typed)
        if not confirm:
            found = possible_duplicates(
                typed.category, place, now, actor_id=self.desk_app.desk.operator_id
            )
            if found:
                self.app.call_from_thread(self._found_duplicates, found)
                validation = Validation()
                validation.warn(
                    "duplicates",
                    "request_form.duplicates_warning",
                    count=len(found),
                    number=found[0].number,
                )
                raise ValidationFailed(validation)
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
        self._attach_to(candidate, reporter, self.value("description"))

    @work(thread=True, group="request-attach", exit_on_error=False)
    def _attach_to(self, candidate: Candidate, reporter: Reporter, note: str) -> None:
        desk = self.desk_app.desk
        with connection():
            try:
                attach_report(
                    candidate.id, reporter, note, actor_id=desk.operator_id, now=desk.clock.now()
                )
            except UserError as exc:
                self.app.call_from_thread(self._attach_failed, str(exc))
                return
        self.app.call_from_thread(self._attached, candidate)

    def _attached(self, candidate: Candidate) -> None:
        self._attaching = False
        self.saved = Saved(candidate.id, candidate.number, None, "")
        self.dismiss(candidate.id)

    @on(Worker.StateChanged)
    def _lookup_failed(self, event: Worker.StateChanged) -> None:
        """A look-up or the attaching failed unexpectedly (saving is the form's own)."""
        if event.state != WorkerState.ERROR or event.worker.group == "form-save":
            return
        self._attaching = False
        self.set_status(_("form.unexpected", error=str(event.worker.error)), "error")

    def _attach_failed(self, message: str) -> None:
        self._attaching = False
        self.set_status(message, "error")

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


def open_intake(app: FrontdeskApp, reporter: ReporterInfo | None = None) -> None:
    """Open the intake (unless it is open already); after saving, show the number, the holder
    and the due time; after attaching, say to which request."""
    from frontdesk.screens.requests.detail import RequestDetailScreen
    from frontdesk.screens.requests.logged import RequestLoggedScreen

    community = app.desk.community
    if community is None:
        app.notify(_("header.no_community"), severity="warning")
        return
    if isinstance(app.screen, RequestFormScreen):
        return
    form = RequestFormScreen(community.id, reporter)

    def done(result: int | None) -> None:
        saved = form.saved
        if result is None or saved is None:
            return
        if saved.logged is None:
            app.notify(_("request_form.attached", number=saved.number))
            return

        def closed(open_it: bool | None) -> None:
            if open_it:
                app.push_screen(RequestDetailScreen(saved.request_id))

        app.push_screen(RequestLoggedScreen(saved.logged, saved.grid), closed)

    app.push_screen(form, done)
