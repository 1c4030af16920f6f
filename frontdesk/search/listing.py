"""What a list of people found says beside each one, so the clerk takes the right person.

- **Why it was found** (``match_note``): a phone or ID-number fragment lists people whose name
  has nothing of it; the note names the field and the fragment *as typed* — ``电话含4332``,
  ``身份证尾号4332`` — and nothing the clerk did not type. Where in a phone the digits sit is
  not said: beside ``178****8060`` that would give away the hidden middle. Only where the
  typed digits can be seen in the masked value itself (``195****4332``) does ``phone_span`` point
  at them.
- **Which of two of the same name** (``shared_names``, ``twin_note``): when one answer holds
  two people of the same name, each also shows the end of its ID number as its mask shows it
  (``身份证尾号1234``); age and flat are shown for everyone anyway.

Plain Python, no Textual: the screens only show these texts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from frontdesk.i18n import _
from frontdesk.masking import STAR
from frontdesk.pinyin import normalise_name
from frontdesk.search.finder import ResidentHit
from frontdesk.search.query import SearchFilters, interpret, normalise_query
from frontdesk.vocabulary import DocumentType


def typed_fragment(query: str) -> str:
    """What the search looked up a phone or an ID tail by: the box without its filter words
    and spaces, in capitals (an ID tail may end in X)."""
    text, _filters = interpret(query, SearchFilters())
    return normalise_query(text).replace(" ", "").upper()


def match_note(hit: ResidentHit, query: str) -> str:
    """``电话含4332`` / ``身份证尾号4332`` when ``hit`` was found by its phone or its ID number,
    else "" (a name or an address found is seen in the row itself)."""
    fragment = typed_fragment(query)
    if not fragment:
        return ""
    if hit.matched == "phone":
        return _("find.match_phone", digits=fragment)
    if hit.matched == "id":
        return _(_id_key(hit), tail=fragment)
    return ""


def phone_span(hit: ResidentHit, query: str) -> tuple[int, int] | None:
    """Where the typed digits stand in the masked phone, when they stand among its shown
    digits (``195****4332`` for 4332); None when they are hidden under the mask."""
    if hit.matched != "phone":
        return None
    fragment = typed_fragment(query)
    start = hit.phone.rfind(fragment) if fragment and STAR not in fragment else -1
    return (start, start + len(fragment)) if start >= 0 else None


def shared_names(hits: Iterable[ResidentHit]) -> frozenset[int]:
    """The ids of the hits whose name another hit of the same answer has too."""
    listed = list(hits)
    names = Counter(normalise_name(hit.name) for hit in listed)
    return frozenset(hit.id for hit in listed if names[normalise_name(hit.name)] > 1)


def _id_key(hit: ResidentHit) -> str:
    """身份证尾号 for an ID card; 证件尾号 for a passport or permit (not an ID number)."""
    return "find.match_id" if hit.document_type == DocumentType.ID_CARD else "find.match_document"


def twin_note(hit: ResidentHit) -> str:
    """``身份证尾号1234``: the end of the ID number as its mask shows it ("" without one)."""
    return _(_id_key(hit), tail=hit.id_tail) if hit.id_tail else ""


def notes(hits: list[ResidentHit], query: str) -> dict[int, str]:
    """What each hit shows beside it (by id): why it was found, and for two of the same name
    their ID numbers' ends (once: found by the ID tail says it already)."""
    twins = shared_names(hits)
    shown: dict[int, str] = {}
    for hit in hits:
        parts = [match_note(hit, query)]
        if hit.id in twins and hit.matched != "id":
            parts.append(twin_note(hit))
        shown[hit.id] = " ".join(part for part in parts if part)
    return shown
