"""The desk's screens by mode, each imported when it is first opened.

Wiring, beside ``app.py``: only the login is imported before the first frame (it is the first
screen); the residents, rooms and requests screens, and home, pull in their services, forms and
widgets, so each is imported the first time someone goes there (Textual's ``MODES`` take a
callable making the screen). The permission each needs keeps the keys honest (the services
refuse anyway).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from frontdesk.permissions import Can
from frontdesk.screens.desk.login import LoginScreen


def home() -> Screen[None]:
    from frontdesk.screens.desk.home import HomeScreen

    return HomeScreen()


def residents() -> Screen[None]:
    from frontdesk.screens.residents.search import ResidentsScreen

    return ResidentsScreen()


def rooms() -> Screen[None]:
    from frontdesk.screens.rooms.calendar import RoomsScreen

    return RoomsScreen()


def requests() -> Screen[None]:
    from frontdesk.screens.requests.queue import RequestsScreen

    return RequestsScreen()


def care() -> Screen[None]:
    from frontdesk.screens.care.round import RoundScreen

    return RoundScreen()


MODES: dict[str, str | Callable[[], Screen[None]]] = {
    "login": LoginScreen,
    "home": home,
    "residents": residents,
    "rooms": rooms,
    "requests": requests,
    "care": care,
}

MODE_NEEDS = {
    "residents": Can.VIEW_RESIDENT,  # the administrator reads no resident data
    "rooms": Can.VIEW_ROOMS,
    "requests": Can.VIEW_REQUESTS,
    "care": Can.VISIT,  # today's round: grid managers and the leadership
}
