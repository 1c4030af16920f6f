"""The desk's own rounds, beside the app: no-shows and escalation on the desk holding the sweeper's
lease, the audit log's check, the watch for other desks' changes, and pypinyin's dictionaries
read once the first screen is drawn. Wiring: each imports its service when it first runs (on its
thread, after the login is on screen), not when the app is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.signal import Signal

from frontdesk.calls import in_connection
from frontdesk.desk import Desk
from frontdesk.i18n import _
from frontdesk.permissions import Can
from frontdesk.vocabulary import Changes

if TYPE_CHECKING:
    from frontdesk.db.changes import ChangeWatch
    from frontdesk.db.sessions import SweeperLease


class DeskRounds(App[None]):
    """What the desk does on its own, on worker threads (the app's base)."""

    desk: Desk
    sweeper: SweeperLease
    change_watch: ChangeWatch | None
    data_changed: Signal[Changes]

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Once the login is on screen: pypinyin's dictionaries (a name saved before this is
        done waits for the import to finish, it does not fail), and the sign-in service and the
        home screen the login leads to (so signing in does not wait for their imports)."""
        import frontdesk.auth.signin
        import frontdesk.screens.desk.home  # noqa: F401
        from frontdesk.pinyin import warm_up

        warm_up()

    @work(thread=True, exclusive=True, group="no-shows", exit_on_error=False)
    def sweep_no_shows(self) -> None:
        """Bookings nobody checked in for become no-shows (the room is free again)."""
        from frontdesk.bookings.attendance import mark_no_shows

        if not self.sweeper.held():  # another desk does the rounds
            return
        in_connection(mark_no_shows, self.desk.clock.now())

    @work(thread=True, exclusive=True, group="escalation", exit_on_error=False)
    def sweep_requests(self) -> None:
        """Overdue requests are flagged, and escalated once overdue past the grace."""
        from frontdesk.requests.escalation import sweep

        if not self.sweeper.held():
            return
        in_connection(sweep, self.desk.clock.now())

    def check_at_start(self) -> None:
        """The start's check of the audit log, once: a second after the first frame, or at the
        first sign-in if that comes sooner (a supervisor signing in hears of a break at once)."""
        if getattr(self, "_checked_at_start", False):
            return
        self._checked_at_start = True
        self.check_audit_log(at_start=True)

    # The audit workers are not exclusive: cancelling one half-way would gain nothing (each is
    # one short read, and raising an alert twice is refused by its signature).
    @work(thread=True, group="audit-check", exit_on_error=False)
    def check_audit_log(self, *, at_start: bool = False) -> None:
        """The audit log's triggers and its chains' tails: every desk at start, then on the
        rounds of the desk doing them. A break is an alert; the desk keeps working."""
        from frontdesk.audit import alerts

        if not at_start and not self.sweeper.held():
            return
        if in_connection(alerts.check, self.desk.clock.now()):
            self.call_from_thread(self.show_audit_alerts, raised=True)

    def show_audit_alerts(self, *, raised: bool = False) -> None:
        """Tell a supervisor at the desk of alerts not yet acknowledged (at sign-in, and when
        the desk's check raised one: then the home screen shows it too)."""
        if self.desk.can(Can.VIEW_AUDIT):
            self.load_audit_alerts(raised)

    @work(thread=True, group="audit-alerts", exit_on_error=False)
    def load_audit_alerts(self, raised: bool) -> None:
        from frontdesk.audit import alerts

        found = in_connection(alerts.open_alerts, actor_id=self.desk.operator_id)
        if found:
            text = _("audit_chain.notify", count=len(found), first=found[0].text)
            self.call_from_thread(self.notify, text, severity="error", timeout=15)
        if raised:
            self.call_from_thread(self._home_alerts_again)

    def _home_alerts_again(self) -> None:
        from frontdesk.screens.desk.home import HomeScreen

        if isinstance(self.screen, HomeScreen):  # its alert line too
            self.screen.load_alerts()

    def poll_changes(self) -> None:
        """The trivial check every second; only when something was committed, one query."""
        watch = self.change_watch
        if watch is not None and watch.committed_elsewhere():
            self.collect_changes(watch)

    @work(thread=True, exclusive=True, group="changes", exit_on_error=False)
    def collect_changes(self, watch: ChangeWatch) -> None:
        changes = watch.collect()
        if changes.records:
            self.call_from_thread(self.data_changed.publish, changes)
