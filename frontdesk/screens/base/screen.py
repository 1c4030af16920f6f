"""The base of every screen and modal: the desk it serves, one way to call a service, following
other desks' changes, keys in the current language.

One way to call a service (``call``): the service runs in a thread worker inside a connection
of its own; its answer is handed to the UI thread; with ``latest=True`` only the answer of the
last call in the group is shown (the search box: a slow answer to an old query never replaces
a newer one); a refusal (``UserError``) shows its message, or goes to ``refused``; anything else
is written to the log file (``frontdesk.logbook``: record ids and error text, never personal
data) and shown as one error line, and ``failed`` lets the screen make itself usable again.

A screen showing records other desks may change says which changes touch it (``shows``) and
how to load again (``refresh_data``): it reloads at once when it is on top, otherwise when it
comes back from under a form, the lock or another mode.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar, cast

from textual import events, on
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, get_current_worker

from frontdesk.calls import in_connection
from frontdesk.desk import Desk
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.logbook import log_failure, log_path
from frontdesk.screens.base.host import DeskHost
from frontdesk.screens.base.localized import LocalizedMixin
from frontdesk.vocabulary import Changes

T = TypeVar("T")
ResultT = TypeVar("ResultT")
# Set by the test suite: a crash in a service call or in what shows its answer fails the test
# (it still reaches the log first), instead of being only shown as it is to a clerk.
STRICT_ENV = "FRONTDESK_STRICT"


def _describe(job: Callable[..., Any]) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    """The service's name and arguments, for the log (``partial`` keeps them)."""
    if isinstance(job, partial):
        name = getattr(job.func, "__qualname__", repr(job.func))
        module = getattr(job.func, "__module__", "")
        return f"{module}.{name}", job.args, dict(job.keywords)
    return f"{getattr(job, '__module__', '')}.{getattr(job, '__qualname__', repr(job))}", (), {}


class DeskBase(LocalizedMixin, Screen[ResultT]):
    """What screens and modals share."""

    _missed_changes = False

    # -- the desk ----------------------------------------------------------------------------

    @property
    def desk_app(self) -> DeskHost:
        return cast(DeskHost, self.app)

    @property
    def desk(self) -> Desk:
        return self.desk_app.desk

    # -- calling a service -------------------------------------------------------------------

    def call(
        self,
        job: Callable[[], T],
        then: Callable[[T], object] | None = None,
        *,
        group: str | None = None,
        latest: bool = False,
        refused: Callable[[UserError], object] | None = None,
        failed: Callable[[], object] | None = None,
    ) -> Worker[None]:
        """Run ``job`` (a service with its arguments: ``partial(service, ...)``) off the UI
        thread, inside a connection; ``then(answer)`` on the UI thread. See the module."""
        screen = self
        name, args, kwargs = _describe(job)

        def run() -> None:
            worker = get_current_worker()
            try:
                answer = in_connection(job)
            except UserError as error:
                self._call_deliver(worker, partial(self._call_refused, error, refused))
                return
            except Exception as error:
                log_failure(name, args, kwargs, error)
                self._call_deliver(worker, partial(self._call_crashed, error, failed))
                return
            if then is not None:
                self._call_deliver(worker, partial(self._call_answer, name, then, answer, failed))

        return screen.run_worker(
            run,
            name=name,
            group=group or name,
            thread=True,
            exclusive=latest,
            exit_on_error=False,
        )

    def _call_deliver(self, worker: Worker[None], step: Callable[[], object]) -> None:
        """Hand ``step`` to the UI thread, unless a newer call replaced this one meanwhile
        (checked on the UI thread, where replacing happens), or the screen is gone: the app is
        closing (its widgets already removed) or the screen was dismissed."""

        def if_current() -> object:
            if worker.is_cancelled or not self.is_attached:
                return None
            return step()

        with contextlib.suppress(RuntimeError):  # the app closed meanwhile: nobody to tell
            self.app.call_from_thread(if_current)

    async def _call_answer(
        self,
        name: str,
        then: Callable[[T], object],
        answer: T,
        failed: Callable[[], object] | None,
    ) -> None:
        try:
            shown = then(answer)
            if hasattr(shown, "__await__"):
                await cast(Any, shown)
        except Exception as error:
            log_failure(f"{name} (showing its answer)", (), {}, error)
            self._call_crashed(error, failed)

    def _call_refused(
        self, error: UserError, refused: Callable[[UserError], object] | None
    ) -> object:
        if refused is not None:
            return refused(error)
        self.notify(str(error), severity="error")
        return None

    def _call_crashed(self, error: Exception, failed: Callable[[], object] | None) -> None:
        screen = self
        if os.environ.get(STRICT_ENV) == "1":
            screen.app._handle_exception(error)
            return
        text = _("error.unexpected", error=f"{type(error).__name__}: {error}", log=log_path())
        screen.notify(text, severity="error", timeout=20, markup=False)
        if failed is not None:
            failed()

    # -- other desks' changes ----------------------------------------------------------------

    def shows(self, changes: Changes) -> bool:
        """Whether ``changes`` touch what this screen shows (a screen showing records says)."""
        return False

    def refresh_data(self) -> None:
        """Load what the screen shows again (a screen showing records says how)."""

    def _follows_changes(self) -> bool:
        return type(self).shows is not DeskBase.shows

    def _changes_arrived(self, changes: Changes) -> None:
        if not self.shows(changes):
            return
        if self.is_current:
            self.refresh_data()
        else:
            self._missed_changes = True

    @on(events.Mount)
    def _desk_mounted(self) -> None:
        self._localize()
        if self._follows_changes():
            self.desk_app.data_changed.subscribe(self, self._changes_arrived)

    @on(events.ScreenResume)
    def _desk_resumed(self) -> None:
        if self._missed_changes:
            self._missed_changes = False
            self.refresh_data()


class DeskScreen(DeskBase[None]):
    """A full screen of the desk (a mode, or one of the office's screens)."""


class DeskModal(DeskBase[ResultT], ModalScreen[ResultT]):
    """A pop-up or form over a screen; Escape closes it (a form may ask first). F8 — the next
    person signs in — works from here too and discards it (Textual keeps a modal from the app's
    own keys)."""

    BINDINGS = [
        Binding("escape", "dismiss", "key.close"),
        Binding("f8", "app.switch_operator", "key.switch_operator", show=False),
    ]
