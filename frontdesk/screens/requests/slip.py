"""The request's slip, written to a text file for printing (``p`` on the detail and after the
intake): the path it went to, or why it could not be written, said in a notification."""

from __future__ import annotations

from functools import partial
from typing import Any

from frontdesk.requests.lookup import save_slip
from frontdesk.screens.base.screen import DeskBase
from frontdesk.screens.base.written import write_and_say


def print_slip(screen: DeskBase[Any], request_id: int) -> None:
    """Write the slip of ``request_id`` off the UI thread and tell the clerk where it went."""
    desk = screen.desk
    write_and_say(
        screen,
        partial(save_slip, request_id, desk.clock.now(), actor_id=desk.operator_id),
        saved_key="request_form.slip_saved",
        failed_key="request_form.slip_failed",
        group="request-slip",
    )
