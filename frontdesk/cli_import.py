"""``frontdesk import residents|places|undo|list|template``: a center's roster brought in from
its spreadsheets, on the command line (issue 13).

``residents FILE`` previews first and writes nothing until confirmed (on a terminal it asks;
otherwise ``--yes``); ``--dry-run`` only previews. The preview's problems go into an error
workbook beside the file. Who imports: ``--as USERNAME``, a supervisor signed in with their
password (asked on the terminal, else one line on stdin), as at the desk. Ctrl+C while writing
takes back everything written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from frontdesk import i18n
from frontdesk.cli_args import Parser
from frontdesk.cli_progress import ProgressBar
from frontdesk.clock import Clock
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.paths import resolve_db_path

ACTIONS = ("residents", "places", "undo", "list", "template")
SHOWN = 15  # rows of each list printed; the error workbook has them all


def import_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk import", description=_("cli_import.description"))
    parser.add_argument("action", choices=ACTIONS, help=_("cli_import.help_action"))
    parser.add_argument("target", nargs="?", metavar="FILE|ID", help=_("cli_import.help_target"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--as", dest="username", metavar="USERNAME", help=_("cli_import.help_as"))
    parser.add_argument("--sheet", metavar="NAME", help=_("cli_import.help_sheet"))
    parser.add_argument("--dry-run", action="store_true", help=_("cli_import.help_dry_run"))
    parser.add_argument("--only-valid", action="store_true", help=_("cli_import.help_only_valid"))
    parser.add_argument("--update", action="store_true", help=_("cli_import.help_update"))
    parser.add_argument("--yes", action="store_true", help=_("cli_import.help_yes"))
    parser.add_argument(
        "--kind",
        choices=("residents", "places"),
        default="residents",
        help=_("cli_import.help_kind"),
    )
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def import_command(argv: list[str]) -> int:
    if argv and argv[0] == "places":
        from frontdesk.cli_places import places_command

        return places_command(argv[1:])
    options = import_parser().parse_args(argv)
    if options.action == "template":
        return _template(options)
    if options.action in ("residents", "undo") and not options.target:
        raise UserError("cli_import.target_required", action=options.action)
    if not options.username and options.action == "residents":
        raise UserError("cli_import.as_required")
    from frontdesk.cli_export import _password
    from frontdesk.db.connection import open_database
    from frontdesk.db.filecheck import inspect_file

    clock = Clock()
    path = resolve_db_path(options.db)
    state = inspect_file(path)
    if not state.exists or state.schema_version is None:
        raise UserError("error.db_missing", path=str(path))
    if options.action == "residents":
        source = Path(options.target)
        if not source.is_file():
            raise UserError("roster.file_not_found", path=str(source))
    # undo and list without --as: the command line, for a community with no staff yet
    password = _password(options.username) if options.username else ""
    db = open_database(path, create=False, now=clock.now)
    try:
        from frontdesk.auth.signin import sign_in

        actor_id = None
        if options.username:
            actor_id = sign_in(options.username, password, now=clock.now()).id
        if options.action == "undo":
            return _undo(options.target, actor_id, clock)
        if options.action == "list":
            return _list(actor_id)
        return _residents(options, actor_id, clock)
    finally:
        db.close()


def _template(options: argparse.Namespace) -> int:
    from frontdesk.roster.template import write_template

    if not options.target:
        raise UserError("cli_import.target_required", action="template")
    written = write_template(Path(options.target), options.kind, language=i18n.language())
    print(_("cli_import.template_written", path=str(written)))
    return 0


def _undo(target: str, actor_id: int | None, clock: Clock) -> int:
    from frontdesk.roster import runs

    if not target.isdigit():
        raise UserError("roster.no_such_import", id=target)
    bar = ProgressBar()
    try:
        done = runs.undo(
            int(target),
            actor_id=actor_id,
            now=clock.now(),
            progress=lambda share: bar.update(_("cli_import.undoing"), share),
        )
    finally:
        bar.finish()
    print(_("cli_import.undone", id=done.import_id, removed=done.removed, restored=done.restored))
    return 0


def _list(actor_id: int | None) -> int:
    from frontdesk.roster import runs

    runs.take_back_stopped(clock_now())
    found = runs.imports(actor_id=actor_id)
    if not found:
        print(_("cli_import.none"))
    for item in found:
        counts = item.counts
        print(
            _(
                "cli_import.list_line",
                id=item.id,
                at=f"{item.started_at:%Y-%m-%d %H:%M}",
                kind=item.kind,
                file=item.file_name,
                status=_(f"cli_import.status.{item.status}"),
                new=counts.get("written_new", counts.get("new", 0)),
                updated=counts.get("written_updates", 0),
                by=item.by,
            )
        )
    return 0


def clock_now() -> Any:
    return Clock().now()


def _residents(options: argparse.Namespace, actor_id: int | None, clock: Clock) -> int:
    from frontdesk.roster.plan import plan_residents
    from frontdesk.roster.writing import Cancelled, write_plan

    source = Path(options.target)
    plan = plan_residents(source, actor_id=actor_id, today=clock.today(), sheet=options.sheet)
    _preview(plan, clock)
    counts = plan.counts
    if options.dry_run:
        print(_("cli_import.dry_run_done"))
        return 0
    if counts["refused"] and not options.only_valid:
        raise UserError("roster.has_refused", count=counts["refused"])
    writing = counts["new"] + (counts["update"] if options.update else 0)
    if writing == 0:
        raise UserError("roster.nothing_to_write")
    if not options.yes:
        if not sys.stdin.isatty():
            raise UserError("cli_import.yes_required")
        answer = input(_("cli_import.confirm", count=writing))
        if answer.strip().lower() not in ("y", "yes", "是", "好"):
            print(_("cli_import.not_written"))
            return 1
    bar = ProgressBar()
    try:
        done = write_plan(
            plan,
            actor_id=actor_id,
            now=clock.now(),
            only_valid=options.only_valid,
            apply_updates=options.update,
            progress=lambda share: bar.update(_("cli_import.writing"), share),
        )
    except KeyboardInterrupt:
        bar.finish()
        print(_("cli_import.interrupted"), file=sys.stderr)
        return 130
    except Cancelled:
        bar.finish()
        raise
    bar.finish()
    print(
        _(
            "cli_import.done",
            id=done.import_id,
            new=done.new,
            households=done.households,
            updated=done.updated,
            skipped=done.skipped,
        )
    )
    print(_("cli_import.how_to_undo", id=done.import_id))
    return 0


def _preview(plan: Any, clock: Clock) -> None:
    from frontdesk.masking import mask_id, mask_numbers_in, mask_phone
    from frontdesk.roster.errorbook import error_book_message, write_error_book

    counts = plan.counts
    table = plan.table
    print(
        _("cli_import.preview_file", file=plan.file_name, sheet=table.sheet, row=table.header_row)
    )
    print(_("cli_import.preview_counts", **counts))
    if table.unknown:
        print(_("cli_import.unknown_columns", columns="、".join(table.unknown)))
    if plan.unknown_places:
        print(_("cli_import.unknown_places", places="、".join(plan.unknown_places[:SHOWN])))
    headers = {key: table.headers[column] for column, key in table.fields.items()}
    problems = plan.problems_by_line(headers)
    refused = plan.refused()
    for planned in refused[:SHOWN]:
        print(
            _(
                "cli_import.refused_line",
                line=planned.row.line,
                problems="；".join(problems.get(planned.row.line, [])),
            )
        )
    if len(refused) > SHOWN:
        print(_("cli_import.more", count=len(refused) - SHOWN))
    updates = [p for p in plan.people if p.action == "update"]
    for planned in updates[:SHOWN]:
        shown = {
            "id_number": mask_id,
            "phone": mask_phone,
            "emergency_contact": mask_numbers_in,
        }
        changes = "；".join(
            f"{headers.get(name, name)} {shown.get(name, str)(old) or '—'} → "
            f"{shown.get(name, str)(new)}"
            for name, (old, new) in planned.changes.items()
        )
        if planned.tags_added:
            changes += (
                ("；" if changes else "")
                + "+"
                + "、".join(_(f"tag.{code}") for code in planned.tags_added)
            )
        print(
            _(
                "cli_import.update_line",
                line=planned.row.line,
                name=planned.row.person.name,
                changes=changes,
            )
        )
    if len(updates) > SHOWN:
        print(_("cli_import.more", count=len(updates) - SHOWN))
    if plan.missing:
        names = "、".join(name for _, name in plan.missing[:SHOWN])
        print(_("cli_import.missing", count=len(plan.missing), names=names))
    if problems:
        written = write_error_book(plan.source, table, problems, now=clock.now())
        print(error_book_message(plan.source, written, len(problems)))
