"""SIGHUP and SIGTERM end the program the way quitting does, not on the spot.

A closed terminal or a dropped SSH link sends SIGHUP, ``kill`` sends SIGTERM; by default either
kills Python at once and no ``finally`` runs (the demo's temporary database stayed in /tmp).
Inside ``stop_on_hangup()`` a running desk (``running_desk``) is asked to quit; anything else
unwinds with ``Stopped``, whose ``finally`` blocks remove what they made.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

SIGNALS = (signal.SIGHUP, signal.SIGTERM)


class Stopped(Exception):
    """SIGHUP or SIGTERM arrived: the program unwinds and exits with 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Desk:
    app: Any = None  # the Textual app running now
    asked = False


def _stop(signum: int, _frame: object) -> None:
    app = _Desk.app
    loop = getattr(app, "_loop", None)  # set while the app runs
    if loop is not None and not _Desk.asked:  # the first signal: quit cleanly
        _Desk.asked = True
        loop.call_soon_threadsafe(app.exit, None, 128 + signum)
        return
    raise Stopped(signum)  # no desk yet, or it did not quit: unwind from here


@contextlib.contextmanager
def stop_on_hangup() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    previous = {signum: signal.signal(signum, _stop) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def running_desk(app: Any) -> Iterator[None]:
    """``app`` is the desk to ask to quit meanwhile."""
    _Desk.app, _Desk.asked = app, False
    try:
        yield
    finally:
        _Desk.app = None
