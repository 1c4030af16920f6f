"""``frontdesk export KIND [FILE]``: residents, households, requests, bookings, the audit log or
the places as an .xlsx workbook, from the command line.

Who exports: with ``--as USERNAME`` that member of staff, signed in with their password (asked
on the terminal, or one line on stdin), and their role and communities bound what is written;
a full export (``--full --reason TEXT``) needs a supervisor signed in so. Without ``--as`` the
command line exports as ``frontdesk find`` searches: every community (or ``--community CODE``),
its authority being access to the database file, and always masked. Either way the export is
one audit entry. Without FILE the workbook goes to the outbox (an SSH desk's SFTP folder), else
the exports folder. Prints the file and the rows written; errors are one line.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from frontdesk import i18n
from frontdesk.cli_args import Parser, iso_date
from frontdesk.cli_progress import ProgressBar
from frontdesk.clock import Clock
from frontdesk.errors import UserError
from frontdesk.hangup import stop_on_hangup
from frontdesk.i18n import _
from frontdesk.paths import resolve_db_path

KINDS = ("residents", "households", "requests", "bookings", "audit", "places")
RESIDENT_STATUSES = ("living", "moved_out", "deceased", "all")
REQUEST_STATUSES = ("new", "assigned", "in_progress", "resolved", "closed")
BOOKING_STATUSES = ("booked", "checked_in", "no_show", "cancelled")


def export_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk export", description=_("cli.export_description"))
    parser.add_argument("kind", choices=KINDS, help=_("cli.help_export_kind"))
    parser.add_argument("file", metavar="FILE", nargs="?", help=_("cli.help_export_file"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--as", dest="username", metavar="USERNAME", help=_("cli.help_export_as"))
    parser.add_argument("--community", metavar="CODE", help=_("cli.help_export_community"))
    parser.add_argument("--grid", metavar="CODE", help=_("cli.help_export_grid"))
    parser.add_argument("--grid-l3", metavar="CODE", help=_("cli.help_export_grid_l3"))
    parser.add_argument("--building", metavar="TEXT", help=_("cli.help_export_building"))
    parser.add_argument("--tag", metavar="GROUP", help=_("cli.help_export_tag"))
    parser.add_argument("--status", metavar="STATUS", help=_("cli.help_export_status"))
    parser.add_argument("--room", metavar="NAME", help=_("cli.help_export_room"))
    parser.add_argument("--person", metavar="TEXT", help=_("cli.help_export_person"))
    parser.add_argument("--action", metavar="ACTION", help=_("cli.help_export_action"))
    parser.add_argument(
        "--from", dest="since", type=iso_date, metavar="YYYY-MM-DD", help=_("cli.help_from")
    )
    parser.add_argument(
        "--to", dest="until", type=iso_date, metavar="YYYY-MM-DD", help=_("cli.help_to")
    )
    parser.add_argument("--full", action="store_true", help=_("cli.help_export_full"))
    parser.add_argument("--reason", default="", help=_("cli.help_export_reason"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def _refuse_unused(parser: argparse.ArgumentParser, options: argparse.Namespace) -> None:
    """An option that means nothing for this kind is an error, not silently ignored."""
    people = options.kind in ("residents", "households")
    allowed = {
        "grid": people or options.kind == "requests",
        "grid_l3": people,
        "building": people,
        "tag": people,
        "status": options.kind != "audit" and options.kind != "places",
        "room": options.kind == "bookings",
        "person": options.kind == "audit",
        "action": options.kind == "audit",
        "since": options.kind in ("requests", "bookings", "audit"),
        "until": options.kind in ("requests", "bookings", "audit"),
        "full": people,
    }
    for name, ok in allowed.items():
        if not ok and getattr(options, name) not in (None, False):
            flag = "--" + {"since": "from", "until": "to"}.get(name, name).replace("_", "-")
            parser.error(_("cli.export_option_unused", option=flag, kind=options.kind))
    statuses = {
        "residents": RESIDENT_STATUSES,
        "households": RESIDENT_STATUSES,
        "requests": REQUEST_STATUSES,
        "bookings": BOOKING_STATUSES,
    }.get(options.kind, ())
    if options.status is not None and options.status not in statuses:
        parser.error(_("cli.export_bad_status", status=options.status, choices=", ".join(statuses)))
    if options.reason and not options.full:
        parser.error(_("cli.export_reason_without_full"))


def export_command(argv: list[str]) -> int:
    parser = export_parser()
    options = parser.parse_args(argv)
    _refuse_unused(parser, options)
    from frontdesk.db.connection import open_database
    from frontdesk.db.filecheck import inspect_file

    clock = Clock()
    path = resolve_db_path(options.db)
    state = inspect_file(path)
    if not state.exists or state.schema_version is None:
        raise UserError("error.db_missing", path=str(path))
    password = _password(options.username) if options.username else None
    db = open_database(path, create=False, now=clock.now)
    bar = ProgressBar() if sys.stderr.isatty() else None
    try:
        with stop_on_hangup():
            result = _run(options, password, clock, bar)
    finally:
        db.close()
        if bar is not None:
            bar.finish()
    masked = _("cli.export_masked") if result.masked else _("cli.export_full")
    print(_("cli.export_done", path=str(result.path), rows=result.rows, masked=masked))
    from frontdesk.outbox import fetch_command

    fetch = fetch_command(result.path)
    if fetch:
        print(_("cli.export_fetch", command=fetch))
    return 0


def _password(username: str) -> str:
    """The password, asked on the terminal (not echoed), else one line from stdin."""
    if sys.stdin.isatty():
        try:
            return getpass.getpass(_("cli.export_password", username=username))
        except EOFError:
            return ""
    return sys.stdin.readline().rstrip("\r\n")


def _run(options: argparse.Namespace, password: str | None, clock: Clock, bar: Any) -> Any:
    from frontdesk import exporting
    from frontdesk.audit.export import export_folder
    from frontdesk.auth.signin import sign_in
    from frontdesk.outbox import outbox_folder, share

    now = clock.now()
    actor_id = None
    if options.username:
        actor_id = sign_in(options.username, password or "", now=now).id
    community_id = exporting.community_by_code(options.community) if options.community else None
    folder = outbox_folder() or export_folder()
    target = (
        Path(options.file) if options.file else exporting.default_path(folder, options.kind, now)
    )
    common: dict[str, Any] = {
        "actor_id": actor_id,
        "now": now,
        "command_line": actor_id is None,
        "progress": (lambda share_done: bar.update(options.kind, share_done)) if bar else None,
    }
    kind = options.kind
    if kind in ("residents", "households"):
        service = exporting.export_residents if kind == "residents" else exporting.export_households
        result = service(
            _people(options, community_id),
            target,
            full=options.full,
            reason=options.reason,
            **common,
        )
    elif kind == "requests":
        statuses = (options.status,) if options.status else ()
        grid = _grid_id(options.grid, community_id) if options.grid else None
        selection = exporting.RequestSelection(
            period=exporting.Period(options.since, options.until),
            community_id=community_id,
            statuses=statuses,
            grid_l4_id=grid,
        )
        result = exporting.export_requests(selection, target, **common)
    elif kind == "bookings":
        result = exporting.export_bookings(
            exporting.BookingSelection(
                period=exporting.Period(options.since, options.until),
                community_id=community_id,
                room_id=_room_id(options.room, community_id) if options.room else None,
                status=options.status,
            ),
            target,
            **common,
        )
    elif kind == "audit":
        from frontdesk.audit.search import AuditFilters

        filters = AuditFilters(
            person=options.person or "",
            action=options.action,
            since=options.since,
            until=options.until,
        )
        result = exporting.export_audit(filters, target, **common)
    else:
        result = exporting.export_places(target, community_id=community_id, **common)
    share(result.path)  # the member's SFTP account may read it, when it is in the outbox
    return result


def _people(options: argparse.Namespace, community_id: int | None) -> Any:
    from frontdesk.exporting import ResidentSelection
    from frontdesk.search.query import SearchFilters

    status = options.status or "living"
    filters = SearchFilters(
        status=None if status == "all" else status,
        grid_l4_code=options.grid,
        grid_l3_code=options.grid_l3,
        tag=_tag(options.tag) if options.tag else None,
    )
    return ResidentSelection(
        search=filters, community_id=community_id, building=options.building or ""
    )


def _tag(text: str) -> str:
    """A special group by its code or its name in either language (独居老人, elderly_alone)."""
    from frontdesk.search.query import _tag_words

    code = _tag_words().get(text.strip().lower())
    if code is None:
        raise UserError("cli.export_no_such_tag", tag=text)
    return code


def _grid_id(code: str, community_id: int | None) -> int:
    from frontdesk.db.models import GridL3, GridL4

    query = GridL4.select(GridL4.id).join(GridL3).where(GridL4.code == code.strip())
    if community_id is not None:
        query = query.where(GridL3.community == community_id)
    rows: Any = query.tuples()
    found = [grid for (grid,) in rows]
    if len(found) != 1:
        key = "cli.export_grid_ambiguous" if found else "cli.export_no_such_grid"
        raise UserError(key, grid=code)
    return int(found[0])


def _room_id(name: str, community_id: int | None) -> int:
    from frontdesk.db.models import Room

    query = Room.select(Room.id).where(Room.name == name.strip())
    if community_id is not None:
        query = query.where(Room.community == community_id)
    rows: Any = query.tuples()
    found = [room for (room,) in rows]
    if len(found) != 1:
        key = "cli.export_room_ambiguous" if found else "cli.export_no_such_room"
        raise UserError(key, room=name)
    return int(found[0])
