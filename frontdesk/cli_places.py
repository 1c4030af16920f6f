"""``frontdesk import places FILE``: a community's places from its 楼栋台账 (issue 13, "Set up a
real community").

    frontdesk import places FILE [--db PATH] [--sheet NAME] [--dry-run] [--yes]
        [--user USERNAME]
        [--community CODE | --new-community NAME --code LJ --subdistrict NAME
                            --district NAME --region 141102]

Prints the preview (what is new, what is there already, the rows refused and why, every new
compound and building), asks to confirm on a terminal (``--yes`` otherwise), writes with a
progress bar on stderr, and prints the import id and how to take it back. Ctrl+C while writing
takes back everything written. Errors are one line.

Who: ``--user`` signs in the community's supervisor (password on the terminal, or one line on
stdin). Without it, only a new community, or one without staff yet, may be imported into — a
center set up from the command line before ``frontdesk account add`` (see
``frontdesk.roster.places.authorise``). A database file that does not exist yet is created for
a new community; a dry run plans against an empty scratch database and writes nothing.
"""

from __future__ import annotations

import argparse
import getpass
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from frontdesk import i18n
from frontdesk.cli_args import EXIT_ERROR, Parser
from frontdesk.cli_progress import ProgressBar
from frontdesk.clock import Clock
from frontdesk.errors import UserError
from frontdesk.hangup import stop_on_hangup
from frontdesk.i18n import _
from frontdesk.paths import resolve_db_path
from frontdesk.textrules import printable

REFUSED_SHOWN = 50


def places_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk import places", description=_("places_import.description"))
    parser.add_argument("file", metavar="FILE", help=_("places_import.help_file"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--sheet", metavar="NAME", help=_("places_import.help_sheet"))
    parser.add_argument("--dry-run", action="store_true", help=_("places_import.help_dry_run"))
    parser.add_argument("--yes", action="store_true", help=_("places_import.help_yes"))
    parser.add_argument(
        "--user", "--as", dest="user", metavar="USERNAME", help=_("places_import.help_user")
    )
    parser.add_argument("--community", metavar="CODE", help=_("places_import.help_community"))
    parser.add_argument(
        "--new-community", metavar="NAME", help=_("places_import.help_new_community")
    )
    parser.add_argument("--code", metavar="CODE", help=_("places_import.help_code"))
    parser.add_argument("--subdistrict", metavar="NAME", help=_("places_import.help_subdistrict"))
    parser.add_argument("--district", metavar="NAME", help=_("places_import.help_district"))
    parser.add_argument("--region", metavar="CODE", help=_("places_import.help_region"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def places_command(argv: list[str]) -> int:
    options = places_parser().parse_args(argv)
    from frontdesk.roster.reading import read_book

    new = _new_community(options)
    if new is not None and options.community:
        raise UserError("places_import.both_communities")
    if not (options.yes or options.dry_run or sys.stdin.isatty()):
        raise UserError("places_import.needs_yes")  # said before anything is opened
    book = read_book(Path(options.file))  # a bad file: one line, before anything is opened
    clock = Clock()
    path = resolve_db_path(options.db)
    with _database(path, new is not None, options.dry_run, clock):
        from frontdesk.roster.places import plan_places

        actor_id = _signed_in(options.user, clock) if options.user else None
        community: Any = new if new is not None else _community(options.community)
        plan = plan_places(book, community, actor_id=actor_id, sheet=options.sheet)
        for line in preview(plan):
            print(printable(line))
        if options.dry_run:
            print(_("places_import.dry_run"))
            return 0
        if plan.empty:  # the same file again (all there already), or every row refused
            print(_("places_import.nothing"))
            return EXIT_ERROR if plan.refused else 0
        if not options.yes and not _confirmed():
            print(_("places_import.declined"))
            return EXIT_ERROR
        return write_plan(plan, actor_id=actor_id, clock=clock)


def write_plan(plan: Any, *, actor_id: int | None, clock: Clock) -> int:
    """Write a confirmed plan with a progress bar; Ctrl+C takes it all back. The exit status."""
    from frontdesk.roster.places_write import import_places

    bar = ProgressBar()
    stop = _Interrupt()
    with stop_on_hangup(), stop.catching():
        result = import_places(
            plan,
            actor_id=actor_id,
            now=clock.now(),
            progress=lambda share: bar.update(_("places_import.writing"), share),
            cancel=stop,
        )
    bar.finish()
    if result.cancelled:
        print(_("places_import.cancelled", id=result.import_id), file=sys.stderr)
        return 130
    print(_("places_import.done", id=result.import_id))
    print(_("places_import.undo_hint", id=result.import_id))
    if plan.new_community is not None:
        print(_("places_import.next_step", code=plan.new_community.code))
    return 0


class _Interrupt:
    """Ctrl+C while writing: noted, and answered between two batches by taking it all back."""

    def __init__(self) -> None:
        self.asked = False

    def __call__(self) -> bool:
        return self.asked

    @contextmanager
    def catching(self) -> Iterator[None]:
        def note(_signum: int, _frame: object) -> None:
            self.asked = True

        before: Any = signal.signal(signal.SIGINT, note)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, before)


def _new_community(options: argparse.Namespace) -> Any:
    given = {
        "--code": options.code,
        "--subdistrict": options.subdistrict,
        "--district": options.district,
        "--region": options.region,
    }
    if options.new_community is None:
        if any(given.values()):
            raise UserError("places_import.new_community_incomplete", missing="--new-community")
        return None
    missing = [flag for flag, value in given.items() if not value]
    if missing:
        raise UserError("places_import.new_community_incomplete", missing=" ".join(missing))
    from frontdesk.roster.places import NewCommunity

    return NewCommunity(
        options.new_community, options.code, options.subdistrict, options.district, options.region
    )


@contextmanager
def _database(path: Path, creating: bool, dry_run: bool, clock: Clock) -> Iterator[None]:
    """The database opened; a missing one created for a new community — for a dry run, an empty
    scratch database instead, so that nothing is written."""
    from frontdesk.db.connection import open_database
    from frontdesk.db.filecheck import inspect_file

    state = inspect_file(path)
    scratch = None
    if not state.exists or state.schema_version is None:
        if not creating:
            raise UserError("error.db_missing", path=str(path))
        if dry_run:
            scratch = Path(tempfile.mkdtemp(prefix="frontdesk-plan-"))
            path = scratch / "plan.db"
    db = open_database(path, create=True, now=clock.now)
    try:
        yield
    finally:
        db.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _community(code: str | None) -> str:
    """The community asked for; the only one there is when none is named."""
    if code:
        return code
    from frontdesk.db.models import Community

    codes = [row.code for row in Community.select(Community.code).order_by(Community.code)]
    if len(codes) == 1:
        return str(codes[0])
    if not codes:
        raise UserError("places_import.community_needed_empty")
    raise UserError("places_import.community_needed", codes=", ".join(codes))


def _signed_in(username: str, clock: Clock) -> int:
    from frontdesk.auth.signin import sign_in

    if sys.stdin.isatty():
        try:
            password = getpass.getpass(_("places_import.password", username=username))
        except EOFError:
            password = ""
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    return sign_in(username, password, now=clock.now()).id


def _confirmed(ask: Callable[[str], str] = input) -> bool:
    if not sys.stdin.isatty():
        raise UserError("places_import.needs_yes")
    try:
        answer = ask(_("places_import.confirm"))
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "是", "好", "确认")


# -- the preview -----------------------------------------------------------------------------


def preview(plan: Any) -> list[str]:
    """The preview's lines (see the module)."""
    lines = [_("places_import.preview_title", file=plan.file_name, community=plan.community_name)]
    new = plan.new_community
    if new is not None:
        lines.append(
            _(
                "places_import.preview_new_community",
                name=new.name,
                code=new.code,
                subdistrict=new.subdistrict,
                district=new.district,
                region=new.region_code,
            )
        )
        made = [new.district] if plan.district_id is None else []
        made += [new.subdistrict] if plan.subdistrict_id is None else []
        if made:
            lines.append(_("places_import.preview_new_org", what=i18n.join(made)))
    counts = plan.counts()
    lines.append(_("places_import.preview_counts", **counts))
    if any(plan.unchanged.values()):
        lines.append(_("places_import.preview_unchanged", **plan.unchanged))
    lines += [_("places_import.warning", text=warning) for warning in plan.warnings]
    if plan.compounds:
        lines.append(_("places_import.preview_new_compounds", count=len(plan.compounds)))
        lines += [
            _("places_import.compound_line", name=name, address=address) if address else f"  {name}"
            for name, address in plan.compounds
        ]
    if plan.buildings:
        lines.append(_("places_import.preview_new_buildings", count=len(plan.buildings)))
        lines += [
            _(
                "places_import.building_line",
                compound=b.compound,
                number=b.number,
                floors=b.floors,
                kind=_(f"places_import.kind_{b.kind}"),
                units=b.units,
                flats=b.flats,
            )
            for b in plan.buildings
        ]
    grown = len(plan.taller) + len(plan.wider)
    if grown:
        lines.append(_("places_import.preview_grown", count=grown))
        lines += [
            _("places_import.taller", compound=c, number=n, old=old, new=now)
            for c, n, old, now in plan.taller
        ]
        lines += [
            _("places_import.wider", compound=c, number=n, unit=u, old=old, new=now)
            for c, n, u, old, now in plan.wider
        ]
    if plan.not_in_file:
        lines.append(
            _("places_import.not_in_file", count=len(plan.not_in_file), first=plan.not_in_file[0])
        )
    if plan.other_grid:
        flat, now, wanted = plan.other_grid[0]
        lines.append(
            _(
                "places_import.other_grid",
                count=len(plan.other_grid),
                first=flat,
                old=now,
                new=wanted,
            )
        )
    if plan.refused:
        lines.append(_("places_import.refused_title", count=len(plan.refused)))
        lines += [
            _(
                "places_import.refused_row",
                sheet=refusal.sheet,
                row=refusal.row,
                reasons=_("places_import.reasons_separator").join(refusal.reasons),
            )
            for refusal in plan.refused[:REFUSED_SHOWN]
        ]
        if len(plan.refused) > REFUSED_SHOWN:
            lines.append(_("places_import.more", count=len(plan.refused) - REFUSED_SHOWN))
    if plan.unknown_columns:
        lines.append(_("places_import.unknown_columns", columns=i18n.join(plan.unknown_columns)))
    if plan.skipped:
        rows = i18n.join(str(number) for number, _text in plan.skipped)
        lines.append(_("places_import.skipped", rows=rows))
    return lines
