"""What every screen needs to know about this desk: the database, the clock, the community."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from frontdesk.clock import Clock
from frontdesk.overview import CommunityRef
from frontdesk.permissions import Can, Operator


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

    @property
    def operator_id(self) -> int | None:
        return self.operator.id if self.operator else None

    def can(self, what: Can) -> bool:
        """Whether the signed-in operator's role allows ``what`` (screens hide what it does not;
        the services refuse it anyway)."""
        return self.operator is not None and self.operator.can(what)
