"""What every export shares: who asks and what they may see, where the file goes, the title's
words, and the one audit entry each export writes.

Who asks: a staff member (``actor_id``) — their role and their communities bound what is
written — or the command line run without ``--as`` (``command_line=True``): there, as for
``frontdesk find``, the authority is access to the database file itself, and what is written
is masked all the same. A full export (document numbers and phones in full) needs a signed-in
supervisor and a reason, and its audit entry is kept like a reveal's.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import Community
from frontdesk.errors import UserError
from frontdesk.exporting.book import Book
from frontdesk.i18n import _
from frontdesk.permissions import Can, Operator, PermissionDenied, check_community, require
from frontdesk.textrules import REASON, require_text
from frontdesk.vocabulary import Role

Progress = Callable[[float], None]  # the share done, 0..1


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    masked: bool


@dataclass(frozen=True)
class Asker:
    """Who an export is for: ``operator`` None is the command line (every community)."""

    operator: Operator | None
    communities: frozenset[int] | None  # None: every community
    full: bool
    reason: str

    @property
    def actor_id(self) -> int | None:
        return None if self.operator is None else self.operator.id

    def may_see_community(self, community_id: int | None) -> bool:
        return self.communities is None or (
            community_id is not None and community_id in self.communities
        )


def asker(
    actor_id: int | None,
    what: Can,
    *,
    command_line: bool = False,
    full: bool = False,
    reason: str = "",
) -> Asker:
    """Who asks, checked: the operator's role may do ``what``; a full export is a supervisor's,
    with a reason."""
    if full and actor_id is None:
        raise UserError("export.full_needs_supervisor")
    text = require_text("reason", reason, REASON) if full else ""
    if full and not text:
        raise UserError("export.reason_required")
    if actor_id is None and command_line:
        return Asker(None, None, False, "")
    operator = require(actor_id, what)
    if full and operator.role != Role.SUPERVISOR:
        raise UserError("export.full_needs_supervisor")
    return Asker(operator, operator.communities, full, text)


def narrowed(who: Asker, what: Can, community_id: int | None) -> frozenset[int] | None:
    """The communities an export covers: ``community_id`` when asked for (refused outside the
    operator's), else all of the asker's."""
    if community_id is None:
        return who.communities
    if who.operator is not None:
        check_community(who.operator, what, community_id)
    elif Community.get_or_none(Community.id == community_id) is None:
        raise UserError("export.no_such_community", community=community_id)
    return frozenset({community_id})


def check_within(who: Asker, what: Can, community_id: int | None) -> None:
    """A filter's record (a grid, a building, a room) must be in the asker's communities: a
    guessed id of another community is refused like one that does not exist."""
    if who.operator is None:
        if community_id is None:
            raise UserError("export.no_such_record")
        return
    if not who.operator.covers(community_id):
        raise PermissionDenied(who.operator, what, scope="perm.scope.other_community")


def community_by_code(code: str) -> int:
    row: Any = Community.get_or_none(Community.code == code.strip().upper())
    if row is None:
        raise UserError("export.no_such_community", community=code)
    return int(row.id)


def community_names(communities: frozenset[int] | None) -> str:
    """The title's community: one name, the names of a few, or every community."""
    query = Community.select(Community.name).order_by(Community.id)
    if communities is not None:
        query = query.where(Community.id.in_(sorted(communities)))
    rows: Any = query.tuples()
    names = [name for (name,) in rows]
    if communities is not None and not communities:  # the administrator: the installation's
        return _("export.installation")
    if communities is None and len(names) > 3:
        return _("export.every_community", count=len(names))
    if len(names) > 3:
        return _("export.communities", first=names[0], count=len(names))
    return "、".join(names)


def title(
    what: str,
    communities: frozenset[int] | None,
    filters: list[str],
    now: datetime,
    full: bool | None,
) -> str:
    """``丽景街社区 · 居民名单 · 网格 2-3、在住 · 导出于 2026-12-02 10:30 · 已脱敏``."""
    parts = [community_names(communities), what]
    parts.append("、".join(filters) if filters else _("export.no_filter"))
    parts.append(_("export.written_at", time=f"{now:%Y-%m-%d %H:%M}"))
    if full is not None:  # None: nothing personal in it (the places)
        parts.append(_("export.full") if full else _("export.masked"))
    return " · ".join(parts)


def default_path(folder: Path, kind: str, now: datetime) -> Path:
    """``residents-20261202-103000.xlsx`` in ``folder``, not overwriting an earlier export."""
    stem = f"{kind}-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{stem}.xlsx"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.xlsx"
        n += 1
    return path


@contextlib.contextmanager
def new_book(path: Path) -> Iterator[Book]:
    """A workbook at ``path``, created for the owner only (it holds personal data) and never
    over an existing file; removed again when writing it fails."""
    if path.suffix.lower() != ".xlsx":
        raise UserError("export.not_xlsx", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise UserError("export.exists", path=str(path)) from None
    except OSError as exc:
        raise UserError("export.failed", path=str(path), error=exc.strerror or str(exc)) from None
    os.close(fd)
    book = Book(path)
    try:
        yield book
        book.close()
    except BaseException:
        with contextlib.suppress(Exception):
            book.workbook.fileclosed = True  # nothing more to write
        path.unlink(missing_ok=True)
        raise


def record_export(
    who: Asker,
    kind: str,
    *,
    communities: frozenset[int] | None,
    filters: dict[str, Any],
    result: ExportResult,
    now: datetime,
) -> None:
    """The export's one audit entry, ``export.<kind>``: what, the filters, the rows, the file,
    the reason (a full export: ``export.<kind>_full``, kept with its reason like a reveal)."""
    detail = {
        "file": result.path.name,
        "rows": result.rows,
        "filters": filters,
        "masked": result.masked,
        "format": "xlsx",
    }
    if communities is not None and len(communities) == 1:
        community: int | None = next(iter(communities))
    elif who.operator is not None:
        community = who.operator.community_id
    else:
        community = None
    reason = who.reason if who.full else ("" if who.operator else "audit.reason.command_line")
    full = "_full" if who.full else ""
    action = f"export.{kind}{full}"
    write(
        lambda: audit.record(
            action,
            "export",
            None,
            actor_id=who.actor_id,
            at=now,
            reason=reason,
            detail=detail,
            community_id=community,
        )
    )
