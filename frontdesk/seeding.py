"""Seeding a database file: the demo is built in a new file beside the database and swapped in
by one rename, so a run killed at any moment leaves the old database whole; what the command
line does to a database is recorded in its audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.clock import Clock
from frontdesk.errors import UserError

if TYPE_CHECKING:
    from frontdesk.demo import DemoSummary


def seed_file(
    path: Path,
    *,
    seed: int,
    residents: int,
    today: date,
    force: bool,
    clock: Clock,
    build: Callable[[], DemoSummary],
) -> tuple[DemoSummary, Path | None]:
    """The demo (``build`` fills the bound, empty database) at ``path``; with ``force`` in place
    of a database holding data, which is first copied to ``PATH.bak-…`` (returned). Refused for
    a file that is not ours or is damaged, a schema newer than the program, a folder that cannot
    be written, and while any desk has ``path`` open."""
    from frontdesk.db.filecheck import SCHEMA_VERSION, inspect_file
    from frontdesk.db.files import backup, backup_name, holds_data, new_file_beside, swap_in
    from frontdesk.db.sessions import no_desk_open

    state = inspect_file(path)
    if state.schema_version is not None and state.schema_version > SCHEMA_VERSION:
        raise UserError(
            "error.db_newer", path=str(path), found=state.schema_version, supported=SCHEMA_VERSION
        )
    writable_folder(path)
    with no_desk_open(path):  # never pull the file from under a desk
        replaced = state.schema_version is not None and holds_data(path)
        if replaced and not force:
            raise UserError("error.db_not_empty", path=str(path))
        kept = backup_name(path, clock.now(), "bak") if replaced else None
        with new_file_beside(path) as new:
            detail: dict[str, Any] = {"seed": seed, "residents": residents, "today": today}
            if kept is not None:
                detail["backup"] = kept.name
            summary = _build_in(new, build, detail, clock)
            if kept is not None:
                backup(path, kept)
            swap_in(new, path)
    return summary, kept


def writable_folder(path: Path) -> None:
    """The database's folder, created (owner only) if missing; refused unless writable."""
    from frontdesk.db.filecheck import folder_writable

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UserError("error.db_cannot_create", path=str(path), reason=exc.strerror) from exc
    if not folder_writable(path):
        raise UserError("error.db_folder_readonly", path=str(path), folder=str(path.parent))


def _build_in(
    new: Path, build: Callable[[], DemoSummary], detail: dict[str, Any], clock: Clock
) -> DemoSummary:
    """The demo in the empty file ``new``, its making in its audit log; closed with its log
    checkpointed, ready to be renamed."""
    from frontdesk.db.connection import open_database
    from frontdesk.db.files import close_for_swap

    db = open_database(new, create=True, now=clock.now)
    try:
        summary = build()
        record_command("database.seeded", detail, clock.now())
    except BaseException:
        db.close()
        raise
    close_for_swap(db)
    return summary


def record_command(action: str, detail: dict[str, Any], now: datetime) -> None:
    """The command line's own act in the bound database's audit log: no operator is signed in
    (``actor`` None); the log names the operating-system account that ran it."""
    from frontdesk import audit
    from frontdesk.db.connection import write

    write(
        lambda: audit.record(
            action,
            "database",
            None,
            actor_id=None,
            at=now,
            reason="audit.reason.command_line",
            detail=detail,
        )
    )
