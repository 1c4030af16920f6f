"""Translated key bindings, and the mixin with which every screen follows language switches
(``DeskBase`` uses it).

``BINDINGS`` descriptions are catalog keys; each node gets a copy of its bindings with the
descriptions in the current language, and gets them again when the language changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.widget import Widget

from frontdesk.i18n import _, has
from frontdesk.screens.base.host import DeskHost


def _translate(text: str) -> str:
    return _(text) if text and has(text) else text


def translate_bindings(node: DOMNode) -> None:
    """Give ``node`` its class bindings with descriptions and tooltips in the current language."""
    source = type(node)._merged_bindings
    if source is None:
        return
    translated = BindingsMap()
    for key, bindings in source.key_to_bindings.items():
        translated.key_to_bindings[key] = [
            replace(
                binding,
                description=_translate(binding.description),
                tooltip=_translate(binding.tooltip),
            )
            for binding in bindings
        ]
    node._bindings = translated


class LocalizedMixin:
    """Translate bindings on mount and recompose when the app's language changes."""

    def _localize(self: DOMNode) -> None:  # type: ignore[misc]
        translate_bindings(self)
        app = cast(DeskHost, self.app)
        app.language_changed.subscribe(self, self._language_changed)  # type: ignore[attr-defined]

    async def _language_changed(self: Widget, language: str) -> None:  # type: ignore[misc]
        translate_bindings(self)
        await self.recompose()
        self.refresh_bindings()
