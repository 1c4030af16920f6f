"""The desk's start, beside the app: the login is drawn first; then the database is opened behind
it (created and migrated; with ``--demo``, the demo community made in it, the login showing how
far it is), and a sign-in asked for meanwhile goes ahead once it is open. A database that will
not open ends the desk with its one-line message on the command line.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.worker import get_current_worker

from frontdesk.app_rounds import DeskRounds
from frontdesk.calls import in_connection
from frontdesk.errors import UserError
from frontdesk.logbook import log_failure, log_path
from frontdesk.screens.desk.login import LoginScreen
from frontdesk.vocabulary import CommunityRef


class DemoAbandoned(Exception):
    """The desk quit while the demo was being made."""


# Opens the database (creating and migrating it) and, for ``frontdesk --demo``, makes the demo
# community in it, reporting (stage, fraction) as it goes; run behind the login, on a thread of
# its own, after the login's first frame
Prepare = Callable[[Callable[[str, float], None]], object]


class DeskOpening(DeskRounds):
    """Opening the database behind the login (the app's base)."""

    prepare: Prepare | None  # the database, still to be opened (or the demo made)
    open_error: UserError | None  # it could not be: the command line says why

    def _start_rounds(self) -> None:
        raise NotImplementedError  # the app's: the rounds start once the database is open

    def on_ready(self) -> None:
        """The first frame is on the terminal: what the login did not need starts now (a thread
        started before would hold the interpreter's lock while the frame is drawn)."""
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        if self.prepare is not None:  # the login waits for it (see database_pending)
            self.prepare_database(self.prepare)
        else:
            self._start_rounds()

    @work(thread=True, exclusive=True, group="prepare", exit_on_error=False)
    def prepare_database(self, prepare: Prepare) -> None:
        """The database opened behind the login (with ``--demo``, created and the demo
        community made: the login shows how far it is); a sign-in asked for meanwhile goes ahead
        once it is there."""
        shown = -1
        worker = get_current_worker()

        def progress(_stage: str, fraction: float) -> None:
            nonlocal shown
            if worker.is_cancelled:  # the desk quit meanwhile: stop (nothing is kept)
                raise DemoAbandoned
            percent = max(0, min(99, int(fraction * 100)))
            if percent != shown:
                shown = percent
                self.call_from_thread(self._demo_progress, percent)

        try:
            prepare(progress)
            from frontdesk.overview import first_community  # the data layer, now it is open

            community = in_connection(first_community)
        except DemoAbandoned:
            return
        except UserError as error:
            self.call_from_thread(self._not_prepared, error)
            return
        except Exception as error:
            log_failure("prepare_database", (), {}, error)
            unexpected = UserError("error.unexpected", error=str(error), log=log_path())
            self.call_from_thread(self._not_prepared, unexpected)
            return
        self.call_from_thread(self._database_ready, community)

    def database_pending(self) -> bool:
        """Whether the database is still being opened or the demo made (the login waits)."""
        return self.prepare is not None

    def making_demo(self) -> bool:
        """Whether the demo community is still being made (the login shows how far it is)."""
        return self.prepare is not None and self.desk.demo

    def _login(self) -> LoginScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, LoginScreen)), None)

    def _demo_progress(self, percent: int) -> None:
        login = self._login()
        if login is not None:
            login.show_progress(percent)

    def _database_ready(self, community: CommunityRef | None) -> None:
        self.prepare = None
        self.desk.opening = False
        self.desk.community = community
        self._start_rounds()
        login = self._login()
        if login is not None:
            login.call_later(login.prepared)

    def _not_prepared(self, error: UserError) -> None:
        """The demo says so on the login; a database that would not open ends the desk, and
        the command line says why (as it does for what it finds before the start)."""
        if not self.desk.demo:
            self.open_error = error
            self.exit()
            return
        login = self._login()
        if login is not None:
            login.preparation_failed(str(error))
