"""The progress bar ``frontdesk seed`` draws on stderr for a large run."""

from __future__ import annotations

import sys


class ProgressBar:
    """A one-line progress bar on stderr (redrawn in place on a terminal)."""

    WIDTH = 30

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last = -1

    def update(self, stage: str, fraction: float) -> None:
        percent = max(0, min(100, int(fraction * 100)))
        if percent == self._last or (not self._tty and percent // 10 == self._last // 10):
            return
        self._last = percent
        filled = self.WIDTH * percent // 100
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {percent:3d}% {stage}"
        if self._tty:
            sys.stderr.write(f"\r{line}\x1b[K")
        else:
            sys.stderr.write(f"{line}\n")
        sys.stderr.flush()

    def finish(self) -> None:
        if self._tty:
            sys.stderr.write("\n")
            sys.stderr.flush()
