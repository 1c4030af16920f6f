"""Errors meant for the person at the keyboard: a catalog key and its parameters."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can act on. ``str()`` is the translated one-line message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        from frontdesk.i18n import _

        return _(self.key, **self.params)
