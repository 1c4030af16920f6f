"""The administrative division of an ID number: its first six digits (GB/T 2260).

A number keeps the code it was issued under, so the table (``data/divisions.txt``, with its
sources in its header) holds every code in use since 1980: the divisions of today and the
counties, districts and prefectures abolished or renamed since. A code missing from it is
worth a question, not a refusal: the lists may lag a change of the last months.

The table is read once, on the first question (about 7,400 lines, a few milliseconds), never
at import, so the program starts as fast without it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "divisions.txt"


@cache
def _table() -> dict[str, str]:
    """Code -> its names, oldest first, separated by "/"."""
    table: dict[str, str] = {}
    with DATA.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            code, _, names = line.rstrip("\n").partition(" ")
            table[code] = names
    return table


def is_known(code: str) -> bool:
    """Whether ``code`` (the first six digits of an ID number) is a GB/T 2260 division, now
    or at any time since 1980.

    The foreigners' permanent residence ID card of 2023 (外国人永久居留身份证, 18 characters like
    a resident ID number) starts with 9 and the two digits of the province that issued it:
    such a code is known when that province is.
    """
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    if code[0] == "9":
        return f"{code[1:3]}0000" in _table()
    return code in _table()


def name_of(code: str) -> str | None:
    """The newest name of ``code`` (离石区 for 141102), None for an unknown code."""
    names = _table().get(code)
    return None if names is None else names.rpartition("/")[2]


def names_of(code: str) -> tuple[str, ...]:
    """Every name ``code`` has had, oldest first (桥东区, 襄都区 for 130502)."""
    names = _table().get(code)
    return () if names is None else tuple(names.split("/"))


def count() -> int:
    """How many codes the table holds."""
    return len(_table())
