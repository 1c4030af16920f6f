"""What every screen needs to know about this desk: the database, the clock, the community."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from frontdesk.clock import Clock
from frontdesk.permissions import Can, Operator
from frontdesk.search.query import SearchFilters
from frontdesk.vocabulary import CommunityRef


@dataclass
class Desk:
    db_path: Path
    clock: Clock
    demo: bool = False
    community: CommunityRef | None = None
    # the communities the operator works in: the subdistrict office switches between them
    communities: tuple[CommunityRef, ...] = ()
    operator: Operator | None = None  # who is signed in (None at the login screen)
    steady_cursor: bool = False  # tests and snapshots: no blinking cursor
    # the database is still being opened behind the login: nothing is known of it yet
    opening: bool = False

    @property
    def operator_id(self) -> int | None:
        return self.operator.id if self.operator else None

    def in_view(self, filters: SearchFilters | None = None) -> SearchFilters:
        """``filters`` narrowed to the community this desk shows (the subdistrict office's desk
        shows one of its communities at a time; the services never widen past the operator's)."""
        asked = filters or SearchFilters()
        if self.community is None:
            return asked
        return replace(asked, communities=frozenset({self.community.id}))

    def can(self, what: Can) -> bool:
        """Whether the signed-in operator's role allows ``what`` (screens hide what it does not;
        the services refuse it anyway)."""
        return self.operator is not None and self.operator.can(what)
