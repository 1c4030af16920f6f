"""Finding residents from what is typed into a search box: a name, pinyin, a phone or ID-number
fragment, an address, a household number, filter words.

Several services ask it: the residents' own search (``frontdesk.residents.search``), a
request's reporter and a booking's booker, the audit log's person filter. It sits below them
all and imports none of them: ``query`` reads the typed text (plain Python), ``finder`` runs
the look-ups on the search index (``frontdesk.db.search``) and ranks the answers.
"""

from __future__ import annotations

from frontdesk.search.finder import (
    ResidentHit,
    SearchResult,
    in_communities,
    search,
    search_everywhere,
)
from frontdesk.search.query import (
    Address,
    SearchFilters,
    interpret,
    normalise_query,
    parse_address,
)

__all__ = [
    "Address",
    "ResidentHit",
    "SearchFilters",
    "SearchResult",
    "in_communities",
    "interpret",
    "normalise_query",
    "parse_address",
    "search",
    "search_everywhere",
]
