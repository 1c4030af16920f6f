"""The command line's commands besides the desk itself: ``seed``, ``info``, ``find``, ``backup``
and ``account`` (``audit`` is in ``frontdesk.cli_audit``). Loaded when one of them is asked for,
never before the desk's first screen."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from frontdesk.cli_args import (
    account_parser,
    backup_parser,
    find_parser,
    info_parser,
    seed_parser,
)
from frontdesk.cli_audit import anchor_beside_backup
from frontdesk.cli_progress import ProgressBar
from frontdesk.clock import Clock
from frontdesk.errors import UserError
from frontdesk.hangup import stop_on_hangup
from frontdesk.i18n import _
from frontdesk.paths import resolve_db_path
from frontdesk.seeding import record_command, seed_file
from frontdesk.textrules import printable, printable_json

if TYPE_CHECKING:
    from frontdesk.demo import DemoSummary

LARGE_RUN = 50_000  # a progress bar from this many residents


def seed_command(argv: list[str]) -> int:
    options = seed_parser().parse_args(argv)
    clock = Clock()
    path = resolve_db_path(options.db)
    today = options.today or clock.today()

    def build() -> DemoSummary:
        return generate_demo(
            seed=options.seed, residents=options.residents, today=today, quiet=False
        )

    with stop_on_hangup():
        summary, kept = seed_file(
            path,
            seed=options.seed,
            residents=options.residents,
            today=today,
            force=options.force,
            clock=clock,
            build=build,
        )
    if kept is not None:
        print(_("cli.seed_backup", path=str(kept)), file=sys.stderr)
    print(
        _(
            "cli.seed_done",
            path=str(path),
            residents=summary.residents,
            households=summary.households,
            communities=summary.communities,
            seconds=f"{summary.seconds:.1f}",
        )
    )
    return 0


def generate_demo(
    *,
    seed: int,
    residents: int,
    today: date,
    quiet: bool,
    progress: Callable[[str, float], None] | None = None,
) -> DemoSummary:
    from frontdesk.demo import DemoOptions, generate

    bar = None if quiet or residents < LARGE_RUN else ProgressBar()
    summary = generate(
        DemoOptions(seed=seed, residents=residents, today=today),
        progress=bar.update if bar else progress,
    )
    if bar:
        bar.finish()
    return summary


def info_command(argv: list[str]) -> int:
    options = info_parser().parse_args(argv)
    from frontdesk.db.connection import open_read_only, reading
    from frontdesk.overview import database_info

    path = resolve_db_path(options.db)
    db, state = open_read_only(path)  # looks only: creates, migrates, converts nothing
    try:
        with reading(path):
            info = database_info(path)
    finally:
        db.close()
    if state.snapshot:
        print(_("cli.info_snapshot"), file=sys.stderr)
    if options.json:
        print(printable_json(info.as_dict()))
        return 0
    rows = [(_(f"info.{key}"), value) for key, value in info.as_dict().items()]
    width = max(_display_width(label) for label, _value in rows)
    for label, value in rows:
        print(f"{label}{' ' * (width - _display_width(label))}  {printable(str(value))}")
    return 0


def find_command(argv: list[str]) -> int:
    options = find_parser().parse_args(argv)
    from dataclasses import asdict

    from frontdesk.db.connection import open_read_only, reading
    from frontdesk.residents.search import SearchFilters, search_everywhere

    clock = Clock()
    path = resolve_db_path(options.db)
    db, state = open_read_only(path)  # looks only
    try:
        status = None if options.status == "all" else options.status
        with reading(path):
            result = search_everywhere(
                options.query,
                SearchFilters(status=status),
                today=clock.today(),
                limit=options.limit,
            )
    finally:
        db.close()
    if state.snapshot:
        print(_("cli.info_snapshot"), file=sys.stderr)
    if options.json:
        for hit in result.hits:
            print(printable_json(asdict(hit)))
        return 0
    rows = [
        [
            hit.name,
            _(f"enum.gender.{hit.gender}"),
            str(hit.age),
            hit.address,
            hit.grid,
            hit.phone,
            " ".join(_(f"tag.{code}") for code in hit.tags)
            + (" " + _("find.hidden_tags", count=hit.hidden_tags) if hit.hidden_tags else ""),
        ]
        for hit in result.hits
    ]
    rows = [[printable(cell) for cell in row] for row in rows]  # no ESC from data gets out
    header = [_(f"find.{column}") for column in FIND_COLUMNS]
    widths = [max(_display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    shown = len(result.hits)
    total = f"{result.total}+" if result.more else str(result.total)
    print(_("find.summary", shown=shown, total=total), file=sys.stderr)
    return 0


FIND_COLUMNS = ("name", "gender", "age", "address", "grid", "phone", "tags")


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def backup_command(argv: list[str]) -> int:
    """A consistent copy of the database, safe while desks are open (SQLite's online backup)."""
    options = backup_parser().parse_args(argv)
    from frontdesk.db.filecheck import inspect_file
    from frontdesk.db.files import backup, backup_name

    path = resolve_db_path(options.db)
    state = inspect_file(path)
    if not state.exists or state.schema_version is None:
        raise UserError("error.db_missing", path=str(path))
    target = Path(options.target) if options.target else backup_name(path, Clock().now())
    try:
        backup(path, target)
    except FileExistsError:
        raise UserError("cli.backup_exists", path=str(target)) from None
    except OSError as exc:
        raise UserError("cli.backup_failed", path=str(target), error=str(exc)) from None
    print(_("cli.backup_done", path=str(target)))
    anchor_beside_backup(target)  # the chains' heads, kept outside the file
    _record_backup(path, target)
    return 0


def _record_backup(path: Path, target: Path) -> None:
    """The backup in the database's audit log (who took a copy of everyone's data, and where),
    when this account can write the database; otherwise one line says it is not recorded."""
    import os

    from frontdesk.db.connection import open_database
    from frontdesk.db.filecheck import folder_writable

    if not (os.access(path, os.W_OK) and folder_writable(path)):
        print(_("cli.backup_not_recorded", path=str(path)), file=sys.stderr)
        return
    clock = Clock()
    db = open_database(path, create=False, now=clock.now)
    try:
        record_command("database.backup", {"target": str(target.resolve())}, clock.now())
    finally:
        db.close()


def account_command(argv: list[str]) -> int:
    """A supervisor for a community without one, the administrator when there is none, or a
    password reset to get back in."""
    options = account_parser().parse_args(argv)
    from frontdesk.auth.signin import first_account, reset_from_command_line
    from frontdesk.db.connection import open_database
    from frontdesk.db.filecheck import inspect_file

    clock = Clock()
    path = resolve_db_path(options.db)
    state = inspect_file(path)
    if not state.exists or state.schema_version is None:
        raise UserError("error.db_missing", path=str(path))
    db = open_database(path, create=False, now=clock.now)
    try:
        if options.action == "add":
            password = first_account(
                options.username,
                options.name,
                options.role,
                community=options.community,
                now=clock.now(),
            )
        else:
            password = reset_from_command_line(options.username, now=clock.now())
    finally:
        db.close()
    print(_("cli.account_done", username=options.username.strip().lower(), password=password))
    return 0
