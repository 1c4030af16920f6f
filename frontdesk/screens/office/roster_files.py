"""What the import screen (``roster_import``) asks of the services, and the plain text it shows.

``spreadsheets`` lists the files a clerk is likely to import (the current folder, the home
folder, its Desktop and Downloads); ``preview`` plans an import and, when rows have problems,
writes the error workbook beside the file as ``frontdesk import residents`` does. Both run in
the screen's worker (``DeskBase.call``). The rest turns a plan into the lines of the preview,
with the command line's wording (``cli_import`` in the catalogs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from frontdesk.errors import UserError
from frontdesk.i18n import _, has, language
from frontdesk.masking import mask_id, mask_numbers_in, mask_phone
from frontdesk.roster.columns import FIELDS
from frontdesk.roster.errorbook import error_book_message, write_error_book
from frontdesk.roster.plan import PlannedPerson, ResidentsPlan, plan_residents
from frontdesk.roster.template import header_name
from frontdesk.widgets.tables import empty, fit_columns

SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")
FOLDERS = ("Desktop", "Downloads", "桌面", "下载")  # under the home folder
LISTED = 8  # files offered under the box
SHOWN_NAMES = 3  # names of the people missing from the file (t lists them all)
# the compared fields holding a code, and their catalog's enum (``enum.<kind>.<code>``)
ENUMS = {
    "gender": "gender",
    "relation": "relation",
    "document_type": "document_type",
    "category": "resident_category",
}
LISTS = (
    "problems",
    "updates",
    "missing",
)  # the preview's lists, in the order t shows them  # names of the people missing from the file


def spreadsheets(typed: str = "", *, limit: int = LISTED) -> list[str]:
    """Spreadsheets in the current folder, the home folder and its Desktop and Downloads whose
    path holds ``typed``, newest first, as a path to type (``~/…`` under the home folder)."""
    home = Path.home()
    folders = [Path.cwd(), home, *(home / name for name in FOLDERS)]
    found: dict[Path, float] = {}
    for folder in folders:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.suffix.lower() in SUFFIXES and entry.is_file():
                    found[entry.resolve()] = entry.stat().st_mtime
            except OSError:
                continue
    shown = [shown_path(path) for path in sorted(found, key=lambda p: (-found[p], str(p)))]
    needle = typed.strip().lower()
    return [path for path in shown if needle in path.lower()][:limit]


def shown_path(path: Path) -> str:
    """``path`` as the box shows it: relative to the current folder, else ``~/…``, else whole."""
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return prefix + str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def typed_path(text: str) -> Path:
    """What the clerk typed as a path (quotes a file manager's copy adds dropped, ``~``)."""
    return Path(text.strip().strip("'\"")).expanduser()


@dataclass
class Preview:
    plan: ResidentsPlan
    headers: dict[str, str]  # field -> its header in the file
    problems: dict[int, list[str]]  # row number -> "column: message"
    error_book: str  # where the error workbook went ("" : no problems)


def preview(
    path: Path,
    *,
    actor_id: int | None,
    today: dt.date,
    now: dt.datetime,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
) -> Preview:
    """Plan the import of ``path`` (nothing written to the register) and write its error
    workbook when rows have problems."""
    if not path.is_file():
        raise UserError("roster.file_not_found", path=str(path))
    plan = plan_residents(path, actor_id=actor_id, today=today, sheet=sheet, mapping=mapping)
    table = plan.table
    headers = {key: table.headers[column] for column, key in table.fields.items()}
    # a field the file has no column for (a birth date the ID number should give) by its name
    named = {f.key: field_label(f.key) for f in FIELDS["residents"]} | headers
    problems = plan.problems_by_line(named)
    message = ""
    if problems:
        try:
            written = write_error_book(plan.source, table, problems, now=now)
            message = error_book_message(plan.source, written, len(problems))
        except UserError as error:
            message = str(error)
    return Preview(plan=plan, headers=headers, problems=problems, error_book=message)


# -- the preview as text ---------------------------------------------------------------------


def summary_lines(found: Preview) -> list[str]:
    plan = found.plan
    table = plan.table
    where = _("roster_import.where", sheet=table.sheet, row=table.header_row)
    if table.unknown:  # listed, never dropped in silence
        where += _("roster_import.unknown_columns", columns="、".join(table.unknown))
    lines = [where, _("cli_import.preview_counts", **plan.counts)]
    if table.other_sheets:
        lines.append(_("roster_import.other_sheets", sheets="、".join(table.other_sheets)))
    if plan.unknown_places:
        lines.append(_("cli_import.unknown_places", places="、".join(plan.unknown_places[:10])))
    if plan.missing:
        names = "、".join(name for _id, name in plan.missing[:SHOWN_NAMES])
        lines.append(_("roster_import.missing", count=len(plan.missing), names=names))
    if found.error_book:
        lines.append(found.error_book)
    return lines


def problem_rows(found: Preview) -> list[tuple[int, str, str]]:
    """(row, name, problems) of each refused row, then of each row with warnings only."""
    people = found.plan.people
    ordered = [p for p in people if p.action == "refused"] + [
        p for p in people if p.action != "refused" and p.row.warnings
    ]
    return [
        (p.row.line, p.row.person.name, "；".join(found.problems.get(p.row.line, [])))
        for p in ordered
    ]


def update_rows(found: Preview) -> list[tuple[int, str, str]]:
    """(row, name, old → new …) of each person the import would change."""
    shown: dict[str, Callable[[Any], str]] = {
        "id_number": mask_id,
        "phone": mask_phone,
        "emergency_contact": mask_numbers_in,
    } | {name: partial(_enum_label, kind) for name, kind in ENUMS.items()}
    rows = []
    for planned in found.plan.people:
        if planned.action != "update":
            continue
        rows.append((planned.row.line, planned.row.person.name, _changes(found, planned, shown)))
    return rows


def _changes(found: Preview, planned: PlannedPerson, shown: dict[str, Callable[[Any], str]]) -> str:
    parts = [
        f"{found.headers.get(name, name)} {shown.get(name, str)(old) or '—'} → "
        f"{shown.get(name, str)(new)}"
        for name, (old, new) in planned.changes.items()
    ]
    if planned.tags_added:
        parts.append("+" + "、".join(_(f"tag.{code}") for code in planned.tags_added))
    return "；".join(parts)


def list_tabs(found: Preview, shown: str) -> str:
    """The line naming the three lists with their sizes, the one shown highlighted."""
    counts = {
        "problems": len(problem_rows(found)),
        "updates": found.plan.counts["update"],
        "missing": found.plan.counts["missing"],
    }
    parts = []
    for name in LISTS:
        label = _(f"roster_import.list.{name}", count=counts[name])
        parts.append(f"[reverse] {label} [/]" if name == shown else f" {label} ")
    return " ".join(parts) + "  " + _("roster_import.switch_hint")


def _enum_label(kind: str, value: Any) -> str:
    """A coded value (``floating``) as the desk names it (流动); anything else as it is."""
    key = f"enum.{kind}.{value}"
    return _(key) if value and has(key) else str(value or "")


def missing_rows(found: Preview) -> list[tuple[int, str, str]]:
    return [(rid, name, "") for rid, name in found.plan.missing]


def fill_list(table: DataTable[Any], found: Preview, shown: str) -> list[tuple[int, str, str]]:
    """``table`` holding the list ``shown`` (one of ``LISTS``) of ``found``; its rows."""
    rows = {"problems": problem_rows, "updates": update_rows, "missing": missing_rows}[shown](found)
    empty(table)
    table.clear(columns=True)
    table.add_column(_("roster_import.col.id" if shown == "missing" else "roster_import.col.line"))
    table.add_column(_("roster_import.col.name"))
    if shown != "missing":
        third = "changes" if shown == "updates" else "problems"
        table.add_column(_(f"roster_import.col.{third}"))
    for first, name, text in rows:
        table.add_row(str(first), name, *([text] if shown != "missing" else []))
    fit_columns(table)
    return rows


# -- the mapping -----------------------------------------------------------------------------


def field_label(key: str) -> str:
    """A field of the residents' import as the desk names it ("" : not imported)."""
    if not key:
        return _("roster_import.not_imported")
    return header_name("residents", key, language())


def field_choices() -> list[tuple[str, str]]:
    return [(f.key, field_label(f.key)) for f in FIELDS["residents"]] + [("", field_label(""))]


def current_mapping(plan: ResidentsPlan) -> dict[str, str]:
    """Each named column of the file → the field it goes to ("" : not imported)."""
    table = plan.table
    return {
        text: table.fields.get(column, "")
        for column, text in enumerate(table.headers)
        if text.strip()
    }
