"""The request's slip, written to a text file for printing (``p`` on the detail and after the
intake): the path it went to, or why it could not be written, said in a notification."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.outbox import fetch_hint
from frontdesk.requests.lookup import save_slip
from frontdesk.screens.base.screen import DeskBase


def slip_or_error(request_id: int, now: datetime, *, actor_id: int | None) -> Path | OSError:
    """``save_slip``; a file that cannot be written is an answer (the slip failed), not a crash."""
    try:
        return save_slip(request_id, now, actor_id=actor_id)
    except OSError as exc:
        return exc


def print_slip(screen: DeskBase[Any], request_id: int) -> None:
    """Write the slip of ``request_id`` off the UI thread and tell the clerk where it went."""
    desk = screen.desk
    screen.call(
        partial(slip_or_error, request_id, desk.clock.now(), actor_id=desk.operator_id),
        partial(_written, screen),
        group="request-slip",
        latest=True,
        refused=partial(_failed, screen),
    )


def _written(screen: DeskBase[Any], answer: Path | OSError) -> None:
    if isinstance(answer, OSError):
        _failed(screen, answer)
    else:
        screen.notify(_("request_form.slip_saved", path=str(answer)) + fetch_hint(answer))


def _failed(screen: DeskBase[Any], error: UserError | OSError) -> None:
    screen.notify(_("request_form.slip_failed", error=str(error)), severity="error")
