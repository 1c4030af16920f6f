"""The residents search as the residents' screens and the command line know it: the search
itself (``frontdesk.search``, which the other services use too) and the filter boxes' choices
(``choices``)."""

from __future__ import annotations

from frontdesk.residents.choices import FilterChoices, GridChoice, filter_choices
from frontdesk.search.finder import ResidentHit, SearchResult, search, search_everywhere
from frontdesk.search.query import SearchFilters, parse_address

__all__ = [
    "FilterChoices",
    "GridChoice",
    "ResidentHit",
    "SearchFilters",
    "SearchResult",
    "filter_choices",
    "parse_address",
    "search",
    "search_everywhere",
]
