"""What every screen needs to know about this desk: the database, the clock, the community."""

from __future__ import annotations

import os
from collections.abc import Mapping
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
    # no blinking cursor: asked for (tests and snapshots), and always on a remote terminal
    # (__post_init__), where each blink repaints the box and sends its bytes down the line
    steady_cursor: bool = False
    # the database is still being opened behind the login: nothing is known of it yet
    opening: bool = False

    def __post_init__(self) -> None:
        self.steady_cursor = self.steady_cursor or remote_terminal()

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


SSH_VARIABLES = ("SSH_CONNECTION", "SSH_TTY")  # what sshd sets in a session's environment


def remote_terminal(environ: Mapping[str, str] | None = None, proc: Path = Path("/proc")) -> bool:
    """Whether the desk draws on a terminal at the other end of an SSH connection.

    There the cursor must not blink: each blink repaints the box (about 1.3 KB a second at the
    login), and a desk that never stops sending keeps a dead connection open for ever (sshd's
    ClientAlive never fires) and fills a thin line. sshd sets ``SSH_CONNECTION`` and
    ``SSH_TTY``; where sudo has reset the environment (the SSH installation, deploy/), the desk
    is still a descendant of sshd's session process."""
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in SSH_VARIABLES) or _under_sshd(proc)


def _under_sshd(proc: Path, pid: int | None = None) -> bool:
    """Whether an ancestor of this process (or of ``pid``) is sshd (``sshd``, or OpenSSH 9.8's
    ``sshd-session``), read from ``/proc``; False where there is no ``/proc``."""
    pid = os.getppid() if pid is None else pid
    for _ in range(32):  # a session is a few processes deep; never loop on a strange table
        if pid <= 1:
            return False
        try:
            stat = (proc / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
            # "pid (command) state ppid ...": the command may hold spaces and parentheses
            command = stat[stat.index("(") + 1 : stat.rindex(")")]
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):  # gone, not readable, not a stat line
            return False
        if command.startswith("sshd"):
            return True
        pid = parent
    return False
