"""Long work shown as it goes, and stopped on request, without touching widgets from a worker.

A service that reports its progress (``progress=callable(share 0..1)``) and asks whether to stop
(``cancel=callable() -> bool``) runs in ``DeskBase.call``'s thread worker; the UI must not be
touched from there. ``WorkProgress`` is what the two sides share: the worker writes the share
done and reads the stop flag; the screen reads the share on a timer (``set_interval``) and sets
the flag (Escape). Nothing else crosses the thread boundary.
"""

from __future__ import annotations

import threading


class WorkProgress:
    """The share done (0..1) of one piece of work and its stop flag; safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._share = 0.0
        self._stop = threading.Event()
        self.running = False  # set and read on the UI thread only

    # the worker's side: pass these as the service's ``progress`` and ``cancel``

    def report(self, share: float) -> None:
        with self._lock:
            self._share = max(self._share, min(1.0, max(0.0, share)))

    def stop_asked(self) -> bool:
        return self._stop.is_set()

    # the UI's side

    @property
    def share(self) -> float:
        with self._lock:
            return self._share

    def ask_stop(self) -> None:
        self._stop.set()

    def start(self) -> None:
        """Ready for a new piece of work: nothing done, no stop asked."""
        with self._lock:
            self._share = 0.0
        self._stop.clear()
        self.running = True

    def finish(self) -> None:
        self.running = False
