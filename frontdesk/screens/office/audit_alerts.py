"""The audit log's alerts (a broken chain, a missing guard), for a supervisor to acknowledge.

Shows the alerts not yet acknowledged, oldest first; Enter with a reason acknowledges the first
(the caller does it through the service: the acknowledgement is itself recorded); Escape closes
and leaves them standing.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from frontdesk.audit.alerts import Alert
from frontdesk.i18n import _
from frontdesk.screens.base.screen import DeskModal
from frontdesk.textrules import REASON, text_problem
from frontdesk.widgets.input import DeskInput


class AuditAlertsScreen(DeskModal[tuple[int, str] | None]):
    """Dismisses with (the first alert's id, the reason), or None (Escape, the base's key)."""

    CSS_PATH = "audit_alerts.tcss"

    def __init__(self, alerts: list[Alert]) -> None:
        super().__init__()
        self.alerts = alerts

    def compose(self) -> ComposeResult:
        with Vertical(id="alerts-box"):
            yield Static(_("audit_chain.title"), id="alerts-title")
            for alert in self.alerts:
                when = f"{alert.raised_at:%m-%d %H:%M}"
                yield Static(f"{when}  {alert.text}", classes="alerts-item", markup=False)
            yield DeskInput(
                placeholder=_("audit_chain.ack_reason"), id="alerts-reason", compact=True
            )
            yield Static("", id="alerts-error")
            yield Static(_("audit_chain.hint"), id="alerts-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#alerts-reason")
    def _submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        problem = None if reason else "audit_chain.reason_required"
        refused = text_problem(reason, REASON)
        if problem is not None or refused is not None:
            text = _(problem) if problem is not None else refused.text() if refused else ""
            self.query_one("#alerts-error", Static).update(text)
            return
        self.dismiss((self.alerts[0].id, reason))
