"""One request: everything about it, its timeline, and what can be done with it now.

s 开始处理, n note, a hand to someone else (with a reason), e escalate (with a reason),
r resolve (how, and at which level), c close, o reopen (with a reason), g correct the reporter
or the place (``correct``; until it is closed), p print the slip.
Only the keys that work in the request's status work; the footer shows the one that matters
most now (g when the operator cannot take that one), the line above it all of them, the
palette every one by name. A change made from a stale copy (someone else changed the request
meanwhile) is refused: Ctrl+R reloads.
What it shows is worded in ``detail_view``; which action works when, in ``detail_actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import VerticalScroll
from textual.widgets import Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Can
from frontdesk.requests.detail import RequestDetail, get_request
from frontdesk.requests.lookup import StaffChoice, staff_choices
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.requests.action import ActionAnswer, RequestActionScreen
from frontdesk.screens.requests.correct import CorrectRequestScreen
from frontdesk.screens.requests.detail_actions import (
    ACTIONS,
    NEEDS,
    PRIMARY,
    STALE,
    available,
    change_job,
    may_correct,
)
from frontdesk.screens.requests.detail_view import reporters_text, summary_text, timeline_text
from frontdesk.screens.requests.slip import print_slip
from frontdesk.vocabulary import Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader


class RequestDetailScreen(DeskScreen):
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
        Binding("g", "correct", "request_detail.key_correct", show=False),
        Binding("p", "slip", "request_detail.key_slip", show=False),
        Binding("ctrl+r", "reload", "request_detail.key_reload", show=False),
    ]

    def __init__(self, request_id: int) -> None:
        super().__init__()
        self.request_id = request_id
        self.detail: RequestDetail | None = None
        self.stale = False
        self._busy = False

    def compose(self) -> ComposeResult:
        yield DeskHeader("request_detail.title")
        with VerticalScroll(id="rd-body"):
            yield Static(_("request_detail.loading"), id="rd-summary")
            yield Static("", id="rd-reporters")
            yield Static(_("request_detail.timeline"), id="rd-timeline-title")
            yield Static("", id="rd-timeline")
        yield Static("", id="rd-status")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._footer_keys()
        self.query_one("#rd-body").focus()
        self.load()

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

    def load(self) -> None:
        desk = self.desk
        self.call(
            partial(get_request, self.request_id, desk.clock.now(), actor_id=desk.operator_id),
            self._loaded,
            group="request-detail",
            latest=True,
        )

    def _loaded(self, detail: RequestDetail) -> None:
        self.detail = detail
        self.stale = False
        self._show(detail)
        self._footer_keys()

    # ------------------------------------------------------------------------------- showing

    def _show(self, detail: RequestDetail) -> None:
        self.query_one("#rd-summary", Static).update(summary_text(detail))
        self.query_one("#rd-reporters", Static).update(reporters_text(detail))
        self.query_one("#rd-timeline", Static).update(timeline_text(detail))
        self._show_status()

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
            if self._offered(action)
        ]
        status.update(" · ".join(keys))

    def _offered(self, action: str) -> bool:
        """Whether ``action`` works on the request as shown, for the operator signed in."""
        if self.detail is None or not available(self.detail, action):
            return False
        if action == "correct":
            desk = self.desk
            return may_correct(self.detail, desk.can(Can.LOG_REQUEST), desk.operator_id)
        return permitted(self, NEEDS, action)

    def _footer_keys(self) -> None:
        """The footer shows Escape and the one action that matters most in this status; when
        this operator cannot take that one (the desk that logged it), the correction while one
        can be made (two of the screen's keys at most: 80 columns hold no more in English)."""
        primary = PRIMARY.get(self.detail.status) if self.detail else None
        if primary is None or not self._offered(primary):
            primary = "correct"
        footer = {"back", primary}
        shown = BindingsMap()
        for key, bindings in self._bindings.key_to_bindings.items():
            shown.key_to_bindings[key] = [replace(b, show=b.action in footer) for b in bindings]
        self._bindings = shown
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not permitted(self, NEEDS, action):
            return False
        if action in {a for a, _k in ACTIONS}:
            return self._offered(action)
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
            if self._offered(action)
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
        self._ask("note", "request_detail.field.note", partial(self._change, "note"))

    def action_escalate(self) -> None:
        self._ask("escalate", "request_detail.field.reason", partial(self._change, "escalate"))

    def action_reopen(self) -> None:
        self._ask("reopen", "request_detail.field.reason", partial(self._change, "reopen"))

    def action_resolve(self) -> None:
        assert self.detail is not None
        self._ask(
            "resolve",
            "request_detail.field.how",
            partial(self._change, "resolve"),
            level=self.detail.level,
        )

    def action_reassign(self) -> None:
        community = self.desk.community
        if community is None:
            return
        self.call(
            partial(staff_choices, community.id, actor_id=self.desk.operator_id),
            self._reassign_to,
            group="request-staff",
            latest=True,
        )

    def _reassign_to(self, staff: list[StaffChoice]) -> None:
        if self.detail is None:
            return
        others = [s for s in staff if s.id != self.detail.holder_id]
        self._ask(
            "reassign",
            "request_detail.field.reason",
            partial(self._change, "reassign"),
            staff=others,
        )

    def _change(self, action: str, answer: ActionAnswer | None = None) -> None:
        if self.detail is None or self._busy:
            return
        self._busy = True
        desk = self.desk
        self.call(
            change_job(
                action, self.detail, answer, actor_id=desk.operator_id, now=desk.clock.now()
            ),
            partial(self._changed, action),
            group="request-change",
            refused=self._refused,
            failed=self._not_busy,
        )

    def _refused(self, exc: UserError) -> None:
        self._busy = False
        if exc.key == STALE:
            self.stale = True
            self._show_status()
        self.notify(str(exc), severity="error")

    def _not_busy(self) -> None:
        """Something unexpected (shown and logged by the base): the keys work again."""
        self._busy = False

    def _changed(self, action: str, _answer: object = None) -> None:
        self._busy = False
        self.notify(_(f"request_detail.done.{action}"))
        self.load()

    # ---------------------------------------------------------------------------- correcting

    def action_correct(self) -> None:
        """The reporter or the place put right (a form over the detail); the timeline shows it
        once saved."""
        detail = self.detail
        if detail is None or self._busy or not self._offered("correct"):
            return
        community = detail.community_id
        if community is None:
            return
        form = CorrectRequestScreen(detail, community)

        def done(result: int | None) -> None:
            corrected = form.corrected
            if result is None or corrected is None:
                return
            if corrected.rerouted:
                self.notify(_("request_correct.rerouted", holder=corrected.holder_name))
            else:
                self.notify(_("request_detail.done.correct"))
            self.load()

        self.app.push_screen(form, done)

    # ---------------------------------------------------------------------------------- slip

    def action_slip(self) -> None:
        print_slip(self, self.request_id)
