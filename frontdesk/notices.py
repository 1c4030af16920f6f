"""A message for the person at the keyboard, kept as a catalog key until it is shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from frontdesk.i18n import _


@dataclass(frozen=True)
class Notice:
    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self) -> str:
        return _(self.key, **self.params)


def msg(key: str, /, **params: object) -> Notice:
    """``msg("booking.too_long", max=4)``: a message with its parameters."""
    return Notice(key, params)
