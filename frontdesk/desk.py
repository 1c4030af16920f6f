"""What every screen needs to know about this desk: the database, the clock, the community."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from frontdesk.clock import Clock
from frontdesk.overview import CommunityRef


@dataclass
class Desk:
    db_path: Path
    clock: Clock
    demo: bool = False
    community: CommunityRef | None = None
    operator_id: int | None = None  # the signed-in staff member (none until sign-in exists)
    steady_cursor: bool = False  # tests and snapshots: no blinking cursor
