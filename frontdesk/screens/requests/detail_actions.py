"""What can be done to a request and when: the actions with their keys, the one the footer shows
in each status, who may, and the service each one calls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from frontdesk.permissions import Can
from frontdesk.requests import lifecycle
from frontdesk.requests.detail import RequestDetail
from frontdesk.screens.requests.action import ActionAnswer
from frontdesk.vocabulary import Level, RequestStatus

OPEN = {RequestStatus.NEW.value, RequestStatus.ASSIGNED.value, RequestStatus.IN_PROGRESS.value}
DONE = {RequestStatus.RESOLVED.value, RequestStatus.CLOSED.value}
# The actions: (action, key). Their palette titles are request_detail.palette.<action>.
ACTIONS = [
    ("start", "s"),
    ("note", "n"),
    ("reassign", "a"),
    ("escalate", "e"),
    ("resolve", "r"),
    ("close_request", "c"),
    ("reopen", "o"),
    ("correct", "g"),
    ("slip", "p"),
]
# The one action the footer shows in each status (the rest work and are listed above it).
PRIMARY = {
    RequestStatus.NEW.value: "start",
    RequestStatus.ASSIGNED.value: "start",
    RequestStatus.IN_PROGRESS.value: "resolve",
    RequestStatus.RESOLVED.value: "close_request",
    RequestStatus.CLOSED.value: "reopen",
}
STALE = "request.changed_elsewhere"


def available(detail: RequestDetail, action: str) -> bool:
    """Whether ``action`` can be done to the request in its status and level."""
    status = detail.status
    match action:
        case "start":
            return status in (RequestStatus.NEW.value, RequestStatus.ASSIGNED.value)
        case "reassign" | "resolve":
            return status in OPEN
        case "escalate":
            return status in OPEN and detail.level != Level.SUBDISTRICT.value
        case "close_request":
            return status == RequestStatus.RESOLVED.value
        case "reopen":
            return status in DONE
        case "correct":  # the reporter or the place, until it is closed
            return status != RequestStatus.CLOSED.value
        case _:
            return True  # note, slip


# who may: holding (start, resolve, close) and following up (the rest); correcting: whoever may
# log requests, or its holder (``may_correct``)
NEEDS = {
    "start": Can.HANDLE_REQUEST,
    "resolve": Can.HANDLE_REQUEST,
    "close_request": Can.HANDLE_REQUEST,
    "reopen": Can.UPDATE_REQUEST,
    "note": Can.UPDATE_REQUEST,
    "reassign": Can.UPDATE_REQUEST,
    "escalate": Can.UPDATE_REQUEST,
}


def may_correct(detail: RequestDetail, can_log: bool, operator_id: int | None) -> bool:
    """Whether the operator may correct the request: they may log requests, or they hold it."""
    return can_log or (operator_id is not None and detail.holder_id == operator_id)


def change_job(
    action: str,
    detail: RequestDetail,
    answer: ActionAnswer | None,
    *,
    actor_id: int | None,
    now: datetime,
) -> Callable[[], object]:
    """The service call ``action`` makes on the request as shown (its version: a request changed
    elsewhere meanwhile is refused as stale)."""
    request, version = detail.id, detail.version
    text = answer.text if answer else ""
    match action:
        case "start":
            return partial(lifecycle.start, request, version, actor_id=actor_id, now=now)
        case "note":
            return partial(lifecycle.add_note, request, text, actor_id=actor_id, now=now)
        case "reassign":
            assert answer is not None and answer.staff_id is not None
            return partial(
                lifecycle.reassign,
                request,
                version,
                answer.staff_id,
                text,
                actor_id=actor_id,
                now=now,
            )
        case "escalate":
            return partial(lifecycle.escalate, request, version, text, actor_id=actor_id, now=now)
        case "resolve":
            assert answer is not None
            level = answer.level or detail.level
            return partial(
                lifecycle.resolve, request, version, text, level, actor_id=actor_id, now=now
            )
        case "close":
            return partial(lifecycle.close, request, version, actor_id=actor_id, now=now)
        case "reopen":
            return partial(lifecycle.reopen, request, version, text, actor_id=actor_id, now=now)
    raise ValueError(action)
