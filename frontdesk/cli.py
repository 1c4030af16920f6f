"""The command line: ``frontdesk``, ``frontdesk --demo``, ``frontdesk seed``, ``frontdesk info``.

Errors print one clear line on stderr and exit non-zero; nothing is written.
"""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from frontdesk import i18n
from frontdesk.cli_args import EXIT_ERROR, app_parser
from frontdesk.clock import Clock
from frontdesk.errors import UserError
from frontdesk.hangup import Stopped, running_desk, stop_on_hangup
from frontdesk.paths import outputs_inside, resolve_db_path

if TYPE_CHECKING:
    from peewee import Database

    from frontdesk.app_opening import Prepare


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
    try:
        if args and args[0] in COMMANDS:
            return _command(args[0])(args[1:])
        return app_command(args)
    except UserError as exc:
        from frontdesk.textrules import printable

        print(f"frontdesk: {printable(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Stopped as stopped:
        return 128 + stopped.signum


# ---------------------------------------------------------------------------------- commands


COMMANDS = ("seed", "info", "find", "backup", "account", "audit", "export", "import", "setup")


def _command(name: str) -> Callable[[list[str]], int]:
    """A command other than the desk, loaded when asked for."""
    if name == "audit":
        from frontdesk.cli_audit import audit_command

        return audit_command
    if name == "export":
        from frontdesk.cli_export import export_command

        return export_command
    if name == "import":
        from frontdesk.cli_import import import_command

        return import_command
    if name == "setup":
        from frontdesk.cli_setup import setup_command

        return setup_command
    from frontdesk import cli_commands

    return getattr(cli_commands, f"{name}_command")


def app_command(argv: list[str]) -> int:
    options = app_parser().parse_args(argv)
    clock = Clock()
    if options.demo:
        if options.db:
            raise UserError("cli.demo_and_db")
        return _run_demo(options.seed, options.residents, clock)
    from frontdesk.db.filecheck import check_openable

    path = resolve_db_path(options.db)
    # what would stop the file opening is said here, on the command line; the opening itself
    # (the ORM, the migrations) happens behind the login, after its first frame
    check_openable(path, create=True)
    database = _DeskDatabase(path, clock=clock)
    try:
        return _run_app(path, clock, demo=False, prepare=database.prepare)
    finally:
        database.close()


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
                demo = _DeskDatabase(path, clock=clock, demo=(seed, residents))
                try:
                    return _run_app(path, clock, demo=True, prepare=demo.prepare)
                finally:
                    demo.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


class _DeskDatabase:
    """The desk's database, opened (created, migrated) by ``prepare`` on the thread the app
    gives it, behind the login; with ``demo`` (seed, residents) the demo community is made in it
    too."""

    def __init__(self, path: Path, *, clock: Clock, demo: tuple[int, int] | None = None) -> None:
        self.path = path
        self.clock = clock
        self.demo = demo
        self.db: Database | None = None

    def prepare(self, progress: Callable[[str, float], None]) -> None:
        from frontdesk.db.connection import open_database

        self.db = open_database(self.path, create=True, now=self.clock.now)
        try:
            if self.demo is not None:
                from frontdesk.cli_commands import generate_demo

                seed, residents = self.demo
                generate_demo(
                    seed=seed,
                    residents=residents,
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
    """Run the desk; its exit status (non-zero when it crashed). ``prepare`` opens the database
    behind the login (and, for the demo, makes its contents); a database that could not be
    opened ends the desk with its one-line message, as if it had been said before the start."""
    import frontdesk.app_terminal_keys  # noqa: F401  what PuTTY sends that Textual lacks
    from frontdesk.app import make_app
    from frontdesk.db.sessions import DeskSession

    with DeskSession(path):  # seed --force waits for every desk to close
        app = make_app(
            db_path=path, clock=clock, language=i18n.language(), demo=demo, prepare=prepare
        )
        # what is loaded so far lives as long as the desk: the collector need not look at it
        # again (its full passes over the modules cost the first frame a pause of ~12 ms)
        gc.freeze()
        with running_desk(app):  # SIGHUP, SIGTERM: asked to quit
            app.run()
    if app.open_error is not None:
        raise app.open_error
    return app.return_code or 0
