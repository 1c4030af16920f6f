"""How the screens call a service: in a connection of the calling thread's own.

Peewee keeps one connection per thread, and the screens' thread workers each open theirs here;
nothing above the services knows what the connection is or how it is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def in_connection(service: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``service(*args, **kwargs)`` inside a connection for this thread."""
    from frontdesk.db.connection import connection  # not before the login's first frame

    with connection():
        return service(*args, **kwargs)
