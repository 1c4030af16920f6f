"""Text as the terminal shows it: ambiguous-width characters made unambiguous."""

from __future__ import annotations

# Characters whose width terminals disagree on (Rich counts them as one cell, CJK terminals as
# two), replaced by a fullwidth look-alike so that Chinese tables stay aligned everywhere.
AMBIGUOUS = str.maketrans({"·": "・", "•": "・", "‧": "・"})


def display(text: str) -> str:
    return text.translate(AMBIGUOUS)
