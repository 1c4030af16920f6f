"""``frontdesk audit verify`` and ``frontdesk audit anchor``: the audit chains from the command
line, without writing the database (it is opened read-only).

``verify`` re-computes every chain from its first entry, checks that the append-only triggers
and the chain index are there as this program defines them (and no other trigger on the log's
tables) and, with ``--anchor``, that the file still holds each chain's head as the anchor kept
it and that every record uid the anchor saw names the same record. Intact: one line, exit 0.
Otherwise one line for each problem with the guards, for each broken chain naming its first
broken entry (community, place, uid, time) and for each re-pointed uid, exit 3; a file it
cannot check: one line, exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from frontdesk import i18n
from frontdesk.cli_args import Parser
from frontdesk.clock import Clock
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.paths import resolve_db_path

EXIT_BROKEN = 3
ANCHOR_SUFFIX = ".anchor.json"


def _parser(action: str) -> argparse.ArgumentParser:
    parser = Parser(prog=f"frontdesk audit {action}", description=_(f"cli.audit_{action}"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    if action == "verify":
        parser.add_argument("--anchor", metavar="FILE", help=_("cli.help_audit_anchor"))
    else:
        parser.add_argument("--out", metavar="FILE", help=_("cli.help_audit_out"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def audit_command(argv: list[str]) -> int:
    if not argv or argv[0] not in ("verify", "anchor"):
        usage = Parser(prog="frontdesk audit", description=_("cli.audit_description"))
        usage.add_argument("action", choices=("verify", "anchor"))
        usage.parse_args(argv[:1])  # exits with the usage line
        return 2
    parser = _parser(argv[0])
    options = parser.parse_args(argv[1:])
    path = _database(options.db)
    if argv[0] == "verify":
        return verify_command(path, Path(options.anchor) if options.anchor else None)
    return anchor_command(path, Path(options.out) if options.out else None)


def _database(value: str | None) -> Path:
    from frontdesk.db.filecheck import inspect_file

    path = resolve_db_path(value)
    state = inspect_file(path)
    if not state.exists or state.schema_version is None:
        raise UserError("error.db_missing", path=str(path))
    if state.schema_version < 2:
        raise UserError("audit_chain.no_chain", path=str(path), version=state.schema_version)
    return path


def verify_command(path: Path, anchor: Path | None) -> int:
    from frontdesk.audit.chain import (
        check_anchor,
        describe,
        describe_guards,
        describe_remapped,
        read_anchor,
        verify,
    )
    from frontdesk.db.audit_chain import guard_problems, read_only

    kept = read_anchor(anchor) if anchor is not None else None
    with read_only(path) as db:
        guards = guard_problems(db)
        verdict = verify()
        if kept is not None:
            verdict = check_anchor(verdict, kept)
    lines = describe_guards(guards)
    lines += [describe(broken) for broken in verdict.breaks]
    lines += [describe_remapped(changed) for changed in verdict.remapped]
    for line in lines:
        print(f"frontdesk: {line}")
    if lines:
        return EXIT_BROKEN
    key = "audit_chain.intact_anchor" if kept is not None else "audit_chain.intact"
    print(_(key, chains=len(verdict.heads), entries=verdict.entries))
    return 0


def anchor_command(path: Path, out: Path | None) -> int:
    from frontdesk.audit.chain import anchor_document, write_anchor
    from frontdesk.db.audit_chain import read_only

    now = Clock().now()
    with read_only(path):
        if out is None:
            print(json.dumps(anchor_document(now, path.name), ensure_ascii=False, indent=2))
            return 0
        try:
            document = write_anchor(out, now, path.name)
        except FileExistsError:
            raise UserError("audit_chain.anchor_exists", path=str(out)) from None
        except OSError as exc:
            raise UserError("audit_chain.anchor_failed", path=str(out), error=str(exc)) from None
    print(_("audit_chain.anchor_written", path=str(out), chains=len(document["chains"])))
    return 0


def anchor_beside_backup(target: Path) -> None:
    """``FILE.anchor.json`` beside a backup copy: its chains' heads, to check later copies and
    the live file against (``frontdesk audit verify --anchor``)."""
    from frontdesk.audit.chain import write_anchor
    from frontdesk.db.audit_chain import read_only, schema_version

    anchor = Path(f"{target}{ANCHOR_SUFFIX}")
    try:
        with read_only(target, own=True) as db:
            if schema_version(db) < 2:
                return
            document = write_anchor(anchor, Clock().now(), target.name)
    except (OSError, UserError) as exc:
        print(_("audit_chain.anchor_failed", path=str(anchor), error=str(exc)), file=sys.stderr)
        return
    print(_("audit_chain.anchor_written", path=str(anchor), chains=len(document["chains"])))
