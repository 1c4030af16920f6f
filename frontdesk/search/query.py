"""Reading what was typed into the search box: the filters, an address, filter words.

``interpret`` turns words such as ``留守儿童`` or ``2-3网格`` into filters; ``parse_address``
reads ``3-2-1001`` and ``学府苑3号楼2单元``. Plain Python: no query is run here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

from frontdesk.vocabulary import ResidentStatus


@dataclass(frozen=True)
class SearchFilters:
    status: str | None = ResidentStatus.LIVING.value  # None: everyone
    grid_l3_id: int | None = None
    grid_l4_id: int | None = None
    tag: str | None = None  # a tag code, e.g. left_behind_child
    age_min: int | None = None
    age_max: int | None = None
    grid_l3_code: str | None = None  # "2": typed as 第2网格
    grid_l4_code: str | None = None  # "2-3": typed as 2-3网格
    # the communities searched: the operator's (set by ``search``), or those of them a screen
    # asks for (the subdistrict office's desk shows one community at a time); None only for
    # the command line (``search_everywhere``)
    communities: frozenset[int] | None = None

    @property
    def narrowing(self) -> bool:
        """True when the filters alone pick a list worth showing without a query: a grid, a
        group, an age, or a status other than living here (the moved-out, the deceased: asked
        for with an empty box, they were a blank list)."""
        if self.status not in (None, ResidentStatus.LIVING.value):
            return True
        return any(
            value is not None
            for value in (
                self.grid_l3_id,
                self.grid_l4_id,
                self.tag,
                self.age_min,
                self.age_max,
                self.grid_l3_code,
                self.grid_l4_code,
            )
        )


# ------------------------------------------------------------------------------ reading a query

_ADDRESS = re.compile(
    r"""^(?P<compound>[^\d\s\-#]*?)\s*
        (?P<building>\d{1,3})\s*(?P<bmark>号楼|号|栋|幢|座|\#)?\s*
        (?:[-－—\s]\s*)?
        (?:(?P<unit>\d{1,2})\s*(?P<umark>单元)?\s*(?:[-－—\s]\s*)?)?
        (?:(?P<flat>\d{1,4})\s*(?:室|号)?)?$""",
    re.VERBOSE,
)
_HOUSEHOLD = re.compile(r"^[A-Za-z]{2,4}-?\d{1,8}$")
_ID_TAIL = re.compile(r"^\d{3,17}[\dXx]$")
# A passport or permit number typed whole (E12345678, H1234567801): letters and digits both
_DOCUMENT = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]{5,18}$")


@dataclass(frozen=True)
class Address:
    compound: str
    building: int | None
    unit: int | None
    flat: int | None
    flat_digits: str = ""  # as typed: "10" while typing 1001 matches floor 10 and 101–109

    @property
    def partial_flat(self) -> bool:
        return 0 < len(self.flat_digits) < 3


def normalise_query(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def parse_address(text: str) -> Address | None:
    """``3-2-1001``, ``3号楼2单元1001室``, ``学府苑 3号楼`` → the parts; None if not an address."""
    match = _ADDRESS.match(text)
    if not match:
        return None
    parts = match.groupdict()
    has_marker = bool(parts["bmark"] or parts["umark"]) or "-" in text or "－" in text
    if not (has_marker or parts["compound"]):
        return None  # bare digits are a phone or an ID tail, not an address
    if (
        parts["unit"] is None
        and parts["flat"] is None
        and not (parts["bmark"] or parts["compound"])
    ):
        return None
    return Address(
        compound=parts["compound"] or "",
        building=int(parts["building"]),
        unit=int(parts["unit"]) if parts["unit"] else None,
        flat=int(parts["flat"]) if parts["flat"] else None,
        flat_digits=parts["flat"] or "",
    )


# ------------------------------------------------------------------------------ filter words

_GRID_L4_WORD = re.compile(
    r"(?:^|\s)(?:(\d{1,2}-\d{1,2})\s*网格|网格\s*(\d{1,2}-\d{1,2})|grid\s*(\d{1,2}-\d{1,2}))(?=\s|$)",
    re.IGNORECASE,
)
_GRID_L3_WORD = re.compile(
    r"(?:^|\s)(?:第\s*(\d{1,2})\s*网格|grid\s*(\d{1,2}))(?=\s|$)", re.IGNORECASE
)


@cache
def _tag_words() -> dict[str, str]:
    """Every way a special group is written (Chinese, English, code) → its code (built once:
    it covers both languages)."""
    from frontdesk.i18n import catalog

    words: dict[str, str] = {}
    for language in ("zh", "en"):
        for key, name in catalog(language).items():
            if key.startswith("tag."):
                code = key.removeprefix("tag.")
                words[name.lower()] = code
                words[code] = code
    return words


def interpret(query: str, filters: SearchFilters) -> tuple[str, SearchFilters]:
    """Filter words typed into the box become filters: ``留守儿童 2-3网格`` lists the
    left-behind children of grid 2-3; what is left is searched as usual."""
    text = normalise_query(query)
    changes: dict[str, object] = {}
    match = _GRID_L4_WORD.search(text)
    if match:
        changes["grid_l4_code"] = next(g for g in match.groups() if g)
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
    match = _GRID_L3_WORD.search(text)
    if match:
        changes["grid_l3_code"] = next(g for g in match.groups() if g)
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
    words = _tag_words()
    lowered = text.lower()
    for word in sorted(words, key=len, reverse=True):
        position = lowered.find(word)
        if position >= 0 and len(word) >= 2:
            end = position + len(word)
            if (position == 0 or lowered[position - 1] == " ") and (
                end == len(lowered) or lowered[end] == " "
            ):
                changes["tag"] = words[word]
                text = (text[:position] + " " + text[end:]).strip()
                break
    if not changes:
        return query, filters
    return " ".join(text.split()), replace(filters, **changes)  # type: ignore[arg-type]
