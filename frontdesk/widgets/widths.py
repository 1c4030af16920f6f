"""Widths taken from the text a widget shows, so a narrow terminal never cuts a word of it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from rich.cells import cell_len
from textual.widgets import Select

S = TypeVar("S", bound="Select[Any]")

# a compact Select draws its label, a space, the arrow and a space
SELECT_FRAME = 3


def fit_select(select: S, labels: Iterable[str], *, exact: bool = False) -> S:
    """``select`` never narrower than the longest of ``labels`` (its prompt, or for a select
    without a blank its choices) and its arrow; ``exact``: no wider either. A row of filters
    shares the width of the screen; with fixed or equal shares an English prompt ("Category",
    "In progress") was cut at 80 columns where the Chinese one fits. The width follows the
    language: the screen is composed again when it changes."""
    width = max((cell_len(label) for label in labels), default=0) + SELECT_FRAME
    select.styles.min_width = width
    if exact:
        select.styles.max_width = width
    return select
