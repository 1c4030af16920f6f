"""The command line: ``frontdesk``, ``frontdesk --demo``, ``frontdesk seed``, ``frontdesk info``.

Errors print one clear line on stderr and exit non-zero; nothing is written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from frontdesk import i18n
from frontdesk.cli_audit import anchor_beside_backup, audit_command
from frontdesk.cli_progress import ProgressBar
from frontdesk.clock import Clock
from frontdesk.errors import UserError
from frontdesk.hangup import Stopped, running_desk, stop_on_hangup
from frontdesk.i18n import _
from frontdesk.paths import outputs_inside, resolve_db_path
from frontdesk.seeding import record_command, seed_file
from frontdesk.textrules import printable, printable_json

if TYPE_CHECKING:
    from peewee import Database

    from frontdesk.app import Prepare
    from frontdesk.demo import DemoSummary

EXIT_USAGE = 2
EXIT_ERROR = 1
DEFAULT_RESIDENTS = 7982
LARGE_RUN = 50_000
FIND_STATUSES = ("living", "moved_out", "deceased", "all")
# The demo's "today": its people are born up to ~105 years before and its bookings run ahead.
EARLIEST_TODAY = date(1990, 1, 1)
LATEST_TODAY = date(2099, 12, 31)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one translated line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {_('cli.bad_arguments', detail=message)}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli.not_a_number", value=text)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(_("cli.not_positive", value=text))
    return value


def _seed_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli.not_a_number", value=text)) from None


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli.not_a_date", value=text)) from None


def _demo_today(text: str) -> date:
    day = _iso_date(text)
    if not EARLIEST_TODAY <= day <= LATEST_TODAY:
        raise argparse.ArgumentTypeError(
            _("cli.today_out_of_range", value=text, first=EARLIEST_TODAY, last=LATEST_TODAY)
        )
    return day


def _app_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontdesk", description=_("cli.description"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    parser.add_argument("--demo", action="store_true", help=_("cli.help_demo"))
    parser.add_argument("--seed", type=_seed_int, default=1, help=_("cli.help_seed"))
    parser.add_argument(
        "--residents", type=_positive_int, default=DEFAULT_RESIDENTS, help=_("cli.help_residents")
    )
    parser.epilog = _("cli.epilog")
    return parser


def _seed_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontdesk seed", description=_("cli.seed_description"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--seed", type=_seed_int, default=1, help=_("cli.help_seed"))
    parser.add_argument(
        "--residents", type=_positive_int, default=DEFAULT_RESIDENTS, help=_("cli.help_residents")
    )
    parser.add_argument("--today", type=_demo_today, metavar="YYYY-MM-DD", help=_("cli.help_today"))
    parser.add_argument("--force", action="store_true", help=_("cli.help_force"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def _info_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontdesk info", description=_("cli.info_description"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--json", action="store_true", help=_("cli.help_json"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def _find_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontdesk find", description=_("cli.find_description"))
    parser.add_argument("query", metavar="QUERY", help=_("cli.help_query"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument(
        "--status", choices=FIND_STATUSES, default="living", help=_("cli.help_status")
    )
    parser.add_argument("--limit", type=_positive_int, default=20, help=_("cli.help_limit"))
    parser.add_argument("--json", action="store_true", help=_("cli.help_json_lines"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def _backup_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontdesk backup", description=_("cli.backup_description"))
    parser.add_argument("target", metavar="FILE", nargs="?", help=_("cli.help_backup_target"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def _account_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontdesk account", description=_("cli.account_description"))
    parser.add_argument("action", choices=("add", "reset"), help=_("cli.help_account_action"))
    parser.add_argument("username", metavar="USERNAME")
    parser.add_argument("--name", default="", help=_("cli.help_account_name"))
    parser.add_argument(
        "--role", choices=("supervisor", "admin"), default="supervisor", help=_("cli.help_role")
    )
    parser.add_argument("--community", metavar="CODE", help=_("cli.help_account_community"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def _language_from(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # The language first, so that even argument errors speak it.
    i18n.set_language(i18n.choose(_language_from(args)))
    commands = {
        "seed": seed_command,
        "info": info_command,
        "find": find_command,
        "backup": backup_command,
        "account": account_command,
        "audit": audit_command,
    }
    try:
        if args and args[0] in commands:
            return commands[args[0]](args[1:])
        return app_command(args)
    except UserError as exc:
        print(f"frontdesk: {printable(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Stopped as stopped:
        return 128 + stopped.signum


# ---------------------------------------------------------------------------------- commands


def app_command(argv: list[str]) -> int:
    options = _app_parser().parse_args(argv)
    clock = Clock()
    if options.demo:
        if options.db:
            raise UserError("cli.demo_and_db")
        return _run_demo(options.seed, options.residents, clock)
    from frontdesk.db.connection import open_database

    path = resolve_db_path(options.db)
    db = open_database(path, create=True, now=clock.now)
    try:
        return _run_app(path, clock, demo=False)
    finally:
        db.close()


def _run_demo(seed: int, residents: int, clock: Clock) -> int:
    """The desk on a temporary demo database; the folder holding it, and the slips and exports
    written meanwhile, goes on exit — on SIGHUP and SIGTERM too.

    The login is drawn first: the database is created and the demo community generated behind
    it, on the app's worker thread (``prepare``), while the login shows how far it is."""
    with stop_on_hangup():
        folder = Path(tempfile.mkdtemp(prefix="frontdesk-demo-"))
        try:
            with outputs_inside(folder):
                path = folder / "demo.db"
                demo = _DemoDatabase(path, seed=seed, residents=residents, clock=clock)
                try:
                    return _run_app(path, clock, demo=True, prepare=demo.prepare)
                finally:
                    demo.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


class _DemoDatabase:
    """The demo's database, created and filled by ``prepare`` (on the thread the app gives it)."""

    def __init__(self, path: Path, *, seed: int, residents: int, clock: Clock) -> None:
        self.path = path
        self.seed = seed
        self.residents = residents
        self.clock = clock
        self.db: Database | None = None

    def prepare(self, progress: Callable[[str, float], None]) -> None:
        from frontdesk.db.connection import open_database

        self.db = open_database(self.path, create=True, now=self.clock.now)
        try:
            _generate(
                seed=self.seed,
                residents=self.residents,
                today=self.clock.today(),
                quiet=True,
                progress=progress,
            )
        finally:
            self.db.close()  # this thread's connection; every worker opens its own

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def _run_app(path: Path, clock: Clock, *, demo: bool, prepare: Prepare | None = None) -> int:
    """Run the desk; its exit status (non-zero when it crashed). ``prepare`` (the demo) makes
    the database's contents behind the login."""
    from frontdesk.app import make_app
    from frontdesk.db.sessions import DeskSession

    with DeskSession(path):  # seed --force waits for every desk to close
        app = make_app(
            db_path=path, clock=clock, language=i18n.language(), demo=demo, prepare=prepare
        )
        with running_desk(app):  # SIGHUP, SIGTERM: asked to quit
            app.run()
    return app.return_code or 0


def seed_command(argv: list[str]) -> int:
    options = _seed_parser().parse_args(argv)
    clock = Clock()
    path = resolve_db_path(options.db)
    today = options.today or clock.today()

    def build() -> DemoSummary:
        return _generate(seed=options.seed, residents=options.residents, today=today, quiet=False)

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


def _generate(
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
    options = _info_parser().parse_args(argv)
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
    options = _find_parser().parse_args(argv)
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
    options = _backup_parser().parse_args(argv)
    from frontdesk.db.connection import inspect_file
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

    from frontdesk.db.connection import folder_writable, open_database

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
    options = _account_parser().parse_args(argv)
    from frontdesk.auth.signin import first_account, reset_from_command_line
    from frontdesk.db.connection import inspect_file, open_database

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
