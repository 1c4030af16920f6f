"""One request: everything about it, its timeline, and what can be done with it now.

s 开始处理, n note, a hand to someone else (with a reason), e escalate (with a reason),
r resolve (how, and at which level), c close, o reopen (with a reason), p print the slip.
Only the keys that work in the request's status work; the footer shows the one that matters
most now, the line above it all of them, the palette every one by name. A change made from a
stale copy (someone else changed the request meanwhile) is refused: Ctrl+R reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from frontdesk.db.connection import connection
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Can
from frontdesk.requests import lifecycle
from frontdesk.requests.detail import EventView, RequestDetail, get_request
from frontdesk.requests.lookup import StaffChoice, save_slip, staff_choices
from frontdesk.screens.base.follow import FollowsChanges
from frontdesk.screens.base.localized import LocalizedScreen
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.requests.action import ActionAnswer, RequestActionScreen
from frontdesk.vocabulary import Changes, Level, RequestStatus
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.text import display

if TYPE_CHECKING:
    from frontdesk.app import FrontdeskApp

OPEN = {RequestStatus.NEW.value, RequestStatus.ASSIGNED.value, RequestStatus.IN_PROGRESS.value}
DONE = {RequestStatus.RESOLVED.value, RequestStatus.CLOSED.value}
# The actions: (action, key). Their palette titles are request_detail.palette.<action>.
ACTIONS = [
    ("start", "s"),
    ("note", "n"),
    ("reassign", "a"),
    ("escalate", "e"),
    ("resolve", "r"),
    ("close_request", "c"),
    ("reopen", "o"),
    ("slip", "p"),
]
# The one action the footer shows in each status (the rest work and are listed above it).
PRIMARY = {
    RequestStatus.NEW.value: "start",
    RequestStatus.ASSIGNED.value: "start",
    RequestStatus.IN_PROGRESS.value: "resolve",
    RequestStatus.RESOLVED.value: "close_request",
    RequestStatus.CLOSED.value: "reopen",
}
STALE = "request.changed_elsewhere"


def available(detail: RequestDetail, action: str) -> bool:
    """Whether ``action`` can be done to the request in its status and level."""
    status = detail.status
    match action:
        case "start":
            return status in (RequestStatus.NEW.value, RequestStatus.ASSIGNED.value)
        case "reassign" | "resolve":
            return status in OPEN
        case "escalate":
            return status in OPEN and detail.level != Level.SUBDISTRICT.value
        case "close_request":
            return status == RequestStatus.RESOLVED.value
        case "reopen":
            return status in DONE
        case _:
            return True  # note, slip


def event_text(event: EventView) -> str:
    """One line of the timeline, in words."""
    status = {
        "from": _(f"enum.request_status.{event.from_status}") if event.from_status else "",
        "to": _(f"enum.request_status.{event.to_status}") if event.to_status else "",
    }
    note = display(event.note)
    match event.kind:
        case "created":
            return _("request_detail.event.created")
        case "assigned":
            key = "assigned_standing_in" if event.note == "standing_in" else "assigned"
            return _(f"request_detail.event.{key}", holder=display(event.to_holder) or "—")
        case "status":
            return _("request_detail.event.status", **status)
        case "note":
            return _("request_detail.event.note", note=note)
        case "reassigned":
            return _(
                "request_detail.event.reassigned",
                before=display(event.from_holder) or "—",
                after=display(event.to_holder) or "—",
                note=note,
            )
        case "escalated":
            return _(
                "request_detail.event.escalated",
                before=_(f"enum.level.{event.from_level}") if event.from_level else "—",
                after=_(f"enum.level.{event.to_level}") if event.to_level else "—",
                holder=display(event.to_holder) or "—",
                note=note,
            )
        case "resolved":
            return _("request_detail.event.resolved", note=note)
        case "closed":
            return _("request_detail.event.closed")
        case "reopened":
            return _("request_detail.event.reopened", note=note)
        case "reporter_attached":
            return _("request_detail.event.reporter_attached", note=note)
        case "overdue":
            return _("request_detail.event.overdue")
    return event.kind


# who may: holding (start, resolve, close) and following up (the rest)
NEEDS = {
    "start": Can.HANDLE_REQUEST,
    "resolve": Can.HANDLE_REQUEST,
    "close_request": Can.HANDLE_REQUEST,
    "reopen": Can.UPDATE_REQUEST,
    "note": Can.UPDATE_REQUEST,
    "reassign": Can.UPDATE_REQUEST,
    "escalate": Can.UPDATE_REQUEST,
}


class RequestDetailScreen(FollowsChanges, LocalizedScreen):
    CSS_PATH = "detail.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("s", "start", "request_detail.key_start"),
        Binding("r", "resolve", "request_detail.key_resolve"),
        Binding("c", "close_request", "request_detail.key_close"),
        Binding("o", "reopen", "request_detail.key_reopen"),
        Binding("n", "note", "request_detail.key_note", show=False),
        Binding("a", "reassign", "request_detail.key_reassign", show=False),
        Binding("e", "escalate", "request_detail.key_escalate", show=False),
        Binding("p", "slip", "request_detail.key_slip", show=False),
        Binding("ctrl+r", "reload", "request_detail.key_reload", show=False),
    ]

    def __init__(self, request_id: int) -> None:
        super().__init__()
        self.request_id = request_id
        self.detail: RequestDetail | None = None
        self.stale = False
        self._busy = False

    @property
    def desk_app(self) -> FrontdeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield DeskHeader("request_detail.title")
        with VerticalScroll(id="rd-body"):
            yield Static(_("request_detail.loading"), id="rd-summary")
            yield Static("", id="rd-reporters")
            yield Static(_("request_detail.timeline"), id="rd-timeline-title")
            yield Static("", id="rd-timeline")
        yield Static("", id="rd-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        super().on_mount()
        self._footer_keys()
        self.query_one("#rd-body").focus()
        self.load()
        self.follow_changes()

    def shows(self, changes: Changes) -> bool:
        return changes.touches("request", entity_id=self.request_id)

    def refresh_data(self) -> None:
        self.load()

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._footer_keys()
        if self.detail is not None:
            self._show(self.detail)

    # ------------------------------------------------------------------------------- loading

    @work(thread=True, exclusive=True, group="request-detail", exit_on_error=False)
    def load(self) -> None:
        with connection():
            try:
                desk = self.desk_app.desk
                detail = get_request(self.request_id, desk.clock.now(), actor_id=desk.operator_id)
            except UserError as exc:
                self.app.call_from_thread(self.notify, str(exc), severity="error")
                return
        self.app.call_from_thread(self._loaded, detail)

    def _loaded(self, detail: RequestDetail) -> None:
        self.detail = detail
        self.stale = False
        self._show(detail)
        self._footer_keys()

    # ------------------------------------------------------------------------------- showing

    def _show(self, detail: RequestDetail) -> None:
        self.query_one("#rd-summary", Static).update(self._summary(detail))
        reporters = [
            f"{escape(display(r.name))} {r.phone_masked or '—'}"
            + (f"（{escape(display(r.note))}）" if r.note else "")
            for r in detail.reporters
        ]
        self.query_one("#rd-reporters", Static).update(
            _("request_detail.reporters", count=len(reporters)) + "\n  " + "\n  ".join(reporters)
        )
        self.query_one("#rd-timeline", Static).update(self._timeline(detail))
        self._show_status()

    def _summary(self, d: RequestDetail) -> str:
        heading = " · ".join(
            [
                _(f"enum.request_status.{d.status}"),
                _(f"enum.level.{d.level}"),
                _(f"enum.urgency.{d.urgency}"),
                _(f"category.{d.category}"),
            ]
        )
        first = f"[b]{d.number}[/b]  {heading}"
        if d.special_group:
            first += f"  [b $text-warning]{_('request_detail.special_group')}[/]"
        place = escape(display(d.place)) or "—"
        if d.grid:
            place = _("request_detail.place_in_grid", place=place, grid=d.grid)
        holder = f"{escape(display(d.holder_name))} {d.holder_phone}".strip() or "—"
        due = f"{d.due_at:%Y-%m-%d %H:%M}" if d.due_at else "—"
        if d.overdue:
            due += f"  [b $text-error]{_('request_detail.overdue')}[/]"
        rows = [
            ("place", place),
            ("holder", holder),
            ("due", due),
            ("created", f"{d.created_at:%Y-%m-%d %H:%M}"),
            ("description", escape(display(d.description))),
        ]
        if d.resolution:
            level = _(f"enum.level.{d.resolved_level}") if d.resolved_level else "—"
            rows.append(
                (
                    "resolution",
                    _(
                        "request_detail.resolution_text",
                        how=escape(display(d.resolution)),
                        level=level,
                    ),
                )
            )
        labels = {label: _(f"request_detail.field.{label}") for label, _v in rows}
        width = max(cell_len(text) for text in labels.values())
        lines = [first]
        for label, value in rows:
            padded = labels[label] + " " * (width - cell_len(labels[label]))
            lines.append(f"[$text-muted]{padded}[/]  {value}")
        return "\n".join(lines)

    def _timeline(self, d: RequestDetail) -> str:
        def who(event: EventView) -> str:
            if event.actor:
                return display(event.actor)
            if event.kind == "overdue":
                return _("request_detail.system")
            return _("request_detail.nobody")

        names = [who(event) for event in d.timeline]
        width = max((cell_len(name) for name in names), default=0)
        lines = [
            f"{event.at:%m-%d %H:%M}  [$text-muted]{escape(name)}[/]"
            f"{' ' * (width - cell_len(name))}  {escape(event_text(event))}"
            for event, name in zip(d.timeline, names, strict=True)
        ]
        return "\n".join(lines) or _("detail.none")

    def _show_status(self) -> None:
        status = self.query_one("#rd-status", Static)
        if self.stale:
            status.update(_("request_detail.stale"))
            status.add_class("-error")
            return
        status.remove_class("-error")
        if self.detail is None:
            status.update("")
            return
        keys = [
            _(f"request_detail.hint.{action}", key=key)
            for action, key in ACTIONS
            if available(self.detail, action) and permitted(self, NEEDS, action)
        ]
        status.update(" · ".join(keys))

    def _footer_keys(self) -> None:
        """The footer shows Escape and the one action that matters most in this status."""
        primary = PRIMARY.get(self.detail.status) if self.detail else None
        shown = BindingsMap()
        for key, bindings in self._bindings.key_to_bindings.items():
            shown.key_to_bindings[key] = [
                replace(b, show=b.action in ("back", primary)) for b in bindings
            ]
        self._bindings = shown
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not permitted(self, NEEDS, action):
            return False
        if action in {a for a, _k in ACTIONS}:
            return self.detail is not None and available(self.detail, action)
        return True

    # ------------------------------------------------------------------------------- actions

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        if self.detail is None:
            return []
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (
                _(f"request_detail.palette.{action}", key=key, number=self.detail.number),
                _(f"request_detail.palette.{action}_help"),
                getattr(self, f"action_{action}"),
            )
            for action, key in ACTIONS
            if available(self.detail, action) and permitted(self, NEEDS, action)
        ]
        commands.append(
            (
                _("request_detail.palette.reload"),
                _("request_detail.palette.reload_help"),
                self.action_reload,
            )
        )
        return commands

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.load()

    def _ask(
        self,
        action: str,
        text_key: str,
        then: Callable[[ActionAnswer], None],
        *,
        staff: list[StaffChoice] | None = None,
        level: str | None = None,
    ) -> None:
        assert self.detail is not None
        title = _(f"request_detail.ask.{action}", number=self.detail.number)

        def answered(answer: ActionAnswer | None) -> None:
            if answer is not None:
                then(answer)

        self.app.push_screen(
            RequestActionScreen(title, text_key, staff=staff, level=level), answered
        )

    def action_start(self) -> None:
        self._change("start")

    def action_close_request(self) -> None:
        self._change("close")

    def action_note(self) -> None:
        self._ask("note", "request_detail.field.note", lambda a: self._change("note", a))

    def action_escalate(self) -> None:
        self._ask("escalate", "request_detail.field.reason", lambda a: self._change("escalate", a))

    def action_reopen(self) -> None:
        self._ask("reopen", "request_detail.field.reason", lambda a: self._change("reopen", a))

    def action_resolve(self) -> None:
        assert self.detail is not None
        self._ask(
            "resolve",
            "request_detail.field.how",
            lambda a: self._change("resolve", a),
            level=self.detail.level,
        )

    def action_reassign(self) -> None:
        self._load_staff()

    @work(thread=True, exclusive=True, group="request-staff", exit_on_error=False)
    def _load_staff(self) -> None:
        community = self.desk_app.desk.community
        if community is None:
            return
        with connection():
            staff = staff_choices(community.id, actor_id=self.desk_app.desk.operator_id)
        self.app.call_from_thread(self._reassign_to, staff)

    def _reassign_to(self, staff: list[StaffChoice]) -> None:
        if self.detail is None:
            return
        others = [s for s in staff if s.id != self.detail.holder_id]
        self._ask(
            "reassign",
            "request_detail.field.reason",
            lambda a: self._change("reassign", a),
            staff=others,
        )

    def _change(self, action: str, answer: ActionAnswer | None = None) -> None:
        if self.detail is None or self._busy:
            return
        self._busy = True
        self._run(action, self.detail, answer)

    @work(thread=True, exclusive=True, group="request-change", exit_on_error=False)
    def _run(self, action: str, detail: RequestDetail, answer: ActionAnswer | None) -> None:
        desk = self.desk_app.desk
        who: dict[str, Any] = {"actor_id": desk.operator_id, "now": desk.clock.now()}
        text = answer.text if answer else ""
        with connection():
            try:
                self._apply(action, detail, answer, text, who)
            except UserError as exc:
                self.app.call_from_thread(self._refused, exc)
                return
        self.app.call_from_thread(self._changed, action)

    @staticmethod
    def _apply(
        action: str,
        detail: RequestDetail,
        answer: ActionAnswer | None,
        text: str,
        who: dict[str, Any],
    ) -> None:
        request, version = detail.id, detail.version
        match action:
            case "start":
                lifecycle.start(request, version, **who)
            case "note":
                lifecycle.add_note(request, text, **who)
            case "reassign":
                assert answer is not None and answer.staff_id is not None
                lifecycle.reassign(request, version, answer.staff_id, text, **who)
            case "escalate":
                lifecycle.escalate(request, version, text, **who)
            case "resolve":
                assert answer is not None
                level = answer.level or detail.level
                lifecycle.resolve(request, version, text, level, **who)
            case "close":
                lifecycle.close(request, version, **who)
            case "reopen":
                lifecycle.reopen(request, version, text, **who)

    def _refused(self, exc: UserError) -> None:
        self._busy = False
        if exc.key == STALE:
            self.stale = True
            self._show_status()
        self.notify(str(exc), severity="error")

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """Anything unexpected in a worker: said, and the screen usable again."""
        if event.state != WorkerState.ERROR:
            return
        self._busy = False
        self.notify(_("request_detail.failed", error=str(event.worker.error)), severity="error")

    def _changed(self, action: str) -> None:
        self._busy = False
        self.notify(_(f"request_detail.done.{action}"))
        self.load()

    # ---------------------------------------------------------------------------------- slip

    def action_slip(self) -> None:
        self._write_slip()

    @work(thread=True, exclusive=True, group="request-slip", exit_on_error=False)
    def _write_slip(self) -> None:
        try:
            with connection():
                desk = self.desk_app.desk
                path = save_slip(self.request_id, desk.clock.now(), actor_id=desk.operator_id)
        except (UserError, OSError) as exc:
            self.app.call_from_thread(
                self.notify, _("request_form.slip_failed", error=str(exc)), severity="error"
            )
            return
        self.app.call_from_thread(self.notify, _("request_form.slip_saved", path=str(path)))
