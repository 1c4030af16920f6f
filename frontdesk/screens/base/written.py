"""A text file written off the UI thread (a request's slip, the round's slip), then said: where it
went and how to fetch it from an SSH desk's outbox, or one line on why it could not be written.
A file that cannot be written is an answer, not a crash."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.outbox import fetch_hint
from frontdesk.screens.base.screen import DeskBase


def path_or_error(write: Callable[[], Path]) -> Path | OSError:
    """``write()``'s path, or the ``OSError`` that kept it from being written."""
    try:
        return write()
    except OSError as exc:
        return exc


def write_and_say(
    screen: DeskBase[Any],
    write: Callable[[], Path],
    *,
    saved_key: str,
    failed_key: str,
    group: str,
) -> None:
    """Run ``write`` as a service call; notify ``saved_key`` (``path``) or ``failed_key``
    (``error``)."""

    def failed(error: UserError | OSError) -> None:
        screen.notify(_(failed_key, error=str(error)), severity="error")

    def written(answer: Path | OSError) -> None:
        if isinstance(answer, OSError):
            failed(answer)
        else:
            screen.notify(_(saved_key, path=str(answer)) + fetch_hint(answer))

    screen.call(partial(path_or_error, write), written, group=group, latest=True, refused=failed)
