"""``frontdesk setup [--db PATH]``: a new community set up by answering questions on the terminal
(issue 13, "or a short guided set-up for the supervisor").

It asks for the community (name, code, subdistrict, district, region code), then compound by
compound for its buildings — a run of numbers at a time (``1-12``, ``1,3,5``) with their floors,
units, flats per floor and level-4 grid — and then the rooms. The answers become a small 楼栋台账
read by the places import itself (``frontdesk.roster.places``): the same preview, the same
checks, the same undoable, audited write (``frontdesk import undo ID``). Nothing is written
before the preview is confirmed; Ctrl+C or the end of the input leaves with nothing written.
Questions are read with ``input()``, so the answers may come from a file (tests do).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from frontdesk import i18n
from frontdesk.cli_args import EXIT_ERROR, Parser
from frontdesk.clock import Clock
from frontdesk.i18n import _
from frontdesk.paths import resolve_db_path
from frontdesk.textrules import printable

MAX_BUILDINGS = 200  # in one answer
_RUN = re.compile(r"^(\d{1,3})(?:[-~～至到](\d{1,3}))?$")
_CODE = re.compile(r"^[A-Za-z]{2,8}$")
_REGION = re.compile(r"^\d{6}$")
BUILDING_HEADERS = ["小区", "楼栋", "单元数", "层数", "每层户数", "网格", "地址"]
ROOM_HEADERS = ["名称", "容纳人数", "用途"]


class _Leave(Exception):
    """The end of the input, or Ctrl+C: leave, writing nothing."""


def setup_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="frontdesk setup", description=_("places_import.setup_description"))
    parser.add_argument("--db", metavar="PATH", help=_("cli.help_db"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("cli.help_lang"))
    return parser


def setup_command(argv: list[str], ask: Callable[[str], str] = input) -> int:
    options = setup_parser().parse_args(argv)
    from frontdesk.db.filecheck import inspect_file

    path = resolve_db_path(options.db)
    inspect_file(path)  # a file that is not a desk database: said before any question
    questions = _Questions(ask)
    print(_("places_import.setup_intro"))
    try:
        community = questions.community()
        buildings, rooms = questions.places(), questions.rooms()
    except _Leave:
        print()
        print(_("places_import.declined"))
        return EXIT_ERROR
    if not buildings and not rooms:
        print(_("places_import.no_buildings"))
        return EXIT_ERROR
    return _import(path, community, buildings, rooms, questions)


def _import(
    path: Path,
    community: Any,
    buildings: list[list[object]],
    rooms: list[list[object]],
    questions: _Questions,
) -> int:
    from frontdesk.cli_places import preview, write_plan
    from frontdesk.db.connection import open_database
    from frontdesk.roster.places import plan_places
    from frontdesk.roster.reading import Book, Sheet

    answers = json.dumps([community.__dict__, buildings, rooms], ensure_ascii=False)
    book = Book(
        path=Path(_("places_import.setup_file")),
        sha256=hashlib.sha256(answers.encode()).hexdigest(),
        sheets=[
            Sheet("楼栋", [list(BUILDING_HEADERS), *buildings]),
            Sheet("功能室", [list(ROOM_HEADERS), *rooms]),
        ],
    )
    clock = Clock()
    db = open_database(path, create=True, now=clock.now)
    try:
        plan = plan_places(book, community, actor_id=None)
        for line in preview(plan):
            print(printable(line))
        if plan.empty:
            print(_("places_import.nothing"))
            return EXIT_ERROR
        try:
            answer = questions.ask(_("places_import.confirm"))
        except _Leave:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "是", "好", "确认"):
            print(_("places_import.declined"))
            return EXIT_ERROR
        return write_plan(plan, actor_id=None, clock=clock)
    finally:
        db.close()


def building_numbers(text: str) -> list[int] | None:
    """``1-12``, ``1,3,5``, ``1-3、7`` → the numbers; ``None`` when not read."""
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    numbers: list[int] = []
    for part in re.split(r"[,，、;；]", plain):
        found = _RUN.match(part)
        if found is None:
            return None
        first = int(found.group(1))
        last = int(found.group(2) or first)
        if first < 1 or last < first or len(numbers) + last - first >= MAX_BUILDINGS:
            return None
        numbers += [number for number in range(first, last + 1) if number not in numbers]
    return numbers


class _Questions:
    def __init__(self, ask: Callable[[str], str]) -> None:
        self._ask = ask

    def ask(self, prompt: str) -> str:
        try:
            return unicodedata.normalize("NFKC", self._ask(prompt)).strip()
        except (EOFError, KeyboardInterrupt):
            raise _Leave from None

    def until(self, prompt: str, read: Callable[[str], Any], hint: str, default: str = "") -> Any:
        """Ask until ``read`` takes the answer (``None``: not taken); Enter gives ``default``."""
        while True:
            answer = self.ask(prompt) or default
            value = read(answer) if answer else None
            if value is not None:
                return value
            print(_("places_import.bad_answer", value=answer, hint=hint))

    def text(self, prompt: str) -> str:
        value: str = self.until(prompt, lambda a: a, _("places_import.hint_required"))
        return value

    def number(self, key: str, default: int, high: int) -> int:
        hint = _("places_import.hint_number", low=1, high=high)

        def read(answer: str) -> int | None:
            return int(answer) if answer.isdigit() and 1 <= int(answer) <= high else None

        value: int = self.until(_(key, default=default), read, hint, str(default))
        return value

    def community(self) -> Any:
        from frontdesk.roster.places import NewCommunity

        name = self.text(_("places_import.ask_community"))
        code = self.until(
            _("places_import.ask_code"),
            lambda a: a.upper() if _CODE.match(a) else None,
            _("places_import.hint_code"),
        )
        subdistrict = self.text(_("places_import.ask_subdistrict"))
        district = self.text(_("places_import.ask_district"))
        region = self.until(
            _("places_import.ask_region"),
            lambda a: a if _REGION.match(a) else None,
            _("places_import.hint_region"),
        )
        return NewCommunity(name, code, subdistrict, district, region)

    def places(self) -> list[list[object]]:
        from frontdesk.roster.places_rows import grid_code

        rows: list[list[object]] = []
        grid = "1-1"
        while compound := self.ask(_("places_import.ask_compound")):
            street = self.ask(_("places_import.ask_street", compound=compound))
            floors, units, per_floor = 6, 2, 2
            while answer := self.ask(_("places_import.ask_buildings", compound=compound)):
                numbers = building_numbers(answer)
                if numbers is None:
                    hint = _("places_import.hint_buildings")
                    print(_("places_import.bad_answer", value=answer, hint=hint))
                    continue
                floors = self.number("places_import.ask_floors", floors, 60)
                units = self.number("places_import.ask_units", units, 20)
                per_floor = self.number("places_import.ask_flats_per_floor", per_floor, 20)
                grid = self.until(
                    _("places_import.ask_grid", default=grid),
                    grid_code,
                    _("places_import.hint_grid"),
                    grid,
                )
                rows += [
                    [compound, number, units, floors, per_floor, grid, street] for number in numbers
                ]
        return rows

    def rooms(self) -> list[list[object]]:
        rows: list[list[object]] = []
        while name := self.ask(_("places_import.ask_room")):
            capacity = self.number("places_import.ask_capacity", 20, 10_000)
            rows.append([name, capacity, self.ask(_("places_import.ask_purpose"))])
        return rows
