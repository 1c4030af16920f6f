"""The command line's arguments: one parser per command, each saying a bad argument in one
translated line (``frontdesk.cli`` runs the commands)."""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import NoReturn

from frontdesk import i18n
from frontdesk.i18n import _

EXIT_USAGE = 2
EXIT_ERROR = 1
DEFAULT_RESIDENTS = 7982
LARGE_RUN = 50_000
FIND_STATUSES = ("living", "moved_out", "deceased", "all")
# The demo's "today": its people are born up to ~105 years before and its bookings run ahead.
EARLIEST_TODAY = date(1990, 1, 1)
LATEST_TODAY = date(2099, 12, 31)


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one translated line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {_('cli.bad_arguments', detail=message)}\n")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli.not_a_number", value=text)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(_("cli.not_positive", value=text))
    return value


def seed_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli.not_a_number", value=text)) from None


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    shape = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if shape is None:
        raise argparse.ArgumentTypeError(_("cli.not_a_date", value=text))
    year, month, day = (int(part) for part in shape.groups())
    if not (1 <= month <= 12 and day >= 1):
        raise argparse.ArgumentTypeError(_("cli.not_a_date", value=text))
    raise argparse.ArgumentTypeError(_("date.no_such_day", year=year, month=month, day=day))


def demo_today(text: str) -> date:
    day = iso_date(text)
    if not EARLIEST_TODAY <= day <= LATEST_TODAY:
        raise argparse.ArgumentTypeError(
            _("cli.today_out_of_range", value=text, first=EARLIEST_TODAY, last=LATEST_TODAY)
        )
    return day


def app_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk", description=_("cli.description"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    parser.add_argument("--demo", action="store_true", help=_("cli.help_demo"))
    parser.add_argument("--seed", type=seed_int, default=1, help=_("cli.help_seed"))
    parser.add_argument(
        "--residents", type=positive_int, default=DEFAULT_RESIDENTS, help=_("cli.help_residents")
    )
    parser.epilog = _("cli.epilog")
    return parser


def seed_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk seed", description=_("cli.seed_description"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--seed", type=seed_int, default=1, help=_("cli.help_seed"))
    parser.add_argument(
        "--residents", type=positive_int, default=DEFAULT_RESIDENTS, help=_("cli.help_residents")
    )
    parser.add_argument("--today", type=demo_today, metavar="YYYY-MM-DD", help=_("cli.help_today"))
    parser.add_argument("--force", action="store_true", help=_("cli.help_force"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def info_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk info", description=_("cli.info_description"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--json", action="store_true", help=_("cli.help_json"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def find_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk find", description=_("cli.find_description"))
    parser.add_argument("query", metavar="QUERY", help=_("cli.help_query"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument(
        "--status", choices=FIND_STATUSES, default="living", help=_("cli.help_status")
    )
    parser.add_argument("--limit", type=positive_int, default=20, help=_("cli.help_limit"))
    parser.add_argument("--json", action="store_true", help=_("cli.help_json_lines"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def backup_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk backup", description=_("cli.backup_description"))
    parser.add_argument("target", metavar="FILE", nargs="?", help=_("cli.help_backup_target"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def account_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk account", description=_("cli.account_description"))
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
