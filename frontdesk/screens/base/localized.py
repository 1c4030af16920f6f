"""Translated key bindings, and the mixin with which every screen follows language switches
(``DeskBase`` uses it).

``BINDINGS`` descriptions are catalog keys; each node gets a copy of its bindings with the
descriptions in the current language, and gets them again when the language changes.

Textual's own widgets that show a key in the footer have English descriptions (the Select's
pop-up: "esc Dismiss menu"): ``WIDGET_BINDINGS`` gives them catalog keys, set on the classes
when this module is imported (before any screen composes one), so every Select of the desk
shows them in the language current when it is made — and screens recompose on a change.
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

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


class _CatalogBindings(BindingsMap):
    """A Textual widget class's bindings whose copies (each new instance takes one, in
    ``DOMNode.__init__``) have descriptions from the catalog, in the current language."""

    def __init__(self, source: BindingsMap, descriptions: dict[str, str]) -> None:
        super().__init__()
        self.key_to_bindings = source.key_to_bindings
        self.descriptions = descriptions  # action -> catalog key

    def copy(self) -> BindingsMap:
        copy = BindingsMap()
        for key, bindings in self.key_to_bindings.items():
            copy.key_to_bindings[key] = [
                replace(
                    binding,
                    description=_translate(
                        self.descriptions.get(binding.action, binding.description)
                    ),
                )
                for binding in bindings
            ]
        return copy


# Textual's widgets whose keys the footer (or the keys panel) shows: action -> catalog key
WIDGET_BINDINGS: dict[type[Widget], dict[str, str]] = {
    SelectOverlay: {"dismiss": "key.select_close"},  # the pop-up's "esc Dismiss menu"
    Select: {"show_overlay": "key.select_open"},
}


def localize_widget_bindings() -> None:
    """Give Textual's widgets in ``WIDGET_BINDINGS`` the catalog's descriptions (a subclass
    made after this keeps Textual's own)."""
    for cls, descriptions in WIDGET_BINDINGS.items():
        source = cls._merged_bindings
        if source is not None and not isinstance(source, _CatalogBindings):
            cls._merged_bindings = _CatalogBindings(source, descriptions)


localize_widget_bindings()


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
