"""The round's slip (走访单): today's round as a text file to print and carry on the walk.

The slip names the walker and the day, then each stop in walking order with the people due there
(age, level, how overdue, an event's or campaign's due), the last 未遇 and the household's
volunteer, then the next days' stops. Phones (``Resident.phone``) and emergency contacts
(``Resident.emergency_contact``, 紧急联系人) are on it only as a reveal: with a reason, and then
one audit entry ``care.slip_reveal`` on the walker's staff record with the reason and how many
numbers it showed — never the numbers. Written like the request slips: into ``slip_folder()``
(else the current folder), shared with an SSH desk's outbox. No Textual.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk import audit
from frontdesk.care.cadence import DueKind
from frontdesk.care.round import Round, RoundPerson, RoundStop, todays_round
from frontdesk.db.connection import write
from frontdesk.db.models import Resident, Staff
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.outbox import share
from frontdesk.permissions import Can, require
from frontdesk.requests.lookup import slip_folder
from frontdesk.textrules import REASON, require_text


def _person(
    person: RoundPerson, phones: dict[int, tuple[str, str]] | None, *, soon: bool = False
) -> str:
    level = _(f"enum.care_level.{person.level.value}") if person.level else "—"
    marks = []
    if person.overdue_days > 0:
        marks.append(_("care_slip.overdue", days=person.overdue_days))
    elif soon:
        marks.append(_("care_slip.due_on", date=f"{person.due_on:%m-%d}"))
    elif person.kind == DueKind.ROUTINE:
        marks.append(_("care_slip.due_today"))
    if person.kind == DueKind.EVENT:
        marks.append(_("care_slip.event"))
    elif person.kind == DueKind.CAMPAIGN:
        marks.append(_("care_slip.campaign"))
    line = _("care_slip.person", name=person.name, age=person.age, level=level)
    if marks:
        line += "  " + " ".join(marks)
    if phones is not None:
        phone, contact = phones.get(person.resident_id, ("", ""))
        line += "  " + _("care_slip.phone", phone=phone or "—")
        if contact:
            line += "  " + _("care_slip.contact", contact=contact)
    return line


def _stop(
    number: int,
    stop: RoundStop,
    phones: dict[int, tuple[str, str]] | None,
    *,
    soon: bool = False,
) -> list[str]:
    head = f"{number:>2}. {stop.address}"
    if stop.grid:
        head += "  " + _("care_slip.grid", grid=stop.grid)
    lines = [head]
    lines += ["    " + _person(person, phones, soon=soon) for person in stop.people]
    if stop.last_attempt is not None:
        lines.append("    " + _("care_slip.last_attempt", at=f"{stop.last_attempt:%m-%d %H:%M}"))
    if stop.volunteer:
        lines.append("    " + _("care_slip.volunteer", name=stop.volunteer))
    lines.append("    " + _("care_slip.blank"))
    return lines


def slip_text(found: Round, now: datetime, phones: dict[int, tuple[str, str]] | None) -> str:
    lines = [
        _("care_slip.title"),
        "",
        _("care_slip.walker", name=found.staff_name, day=f"{found.day:%Y-%m-%d}"),
        _("care_slip.counts", people=found.people, overdue=found.overdue, stops=len(found.stops)),
        _("care_slip.printed", at=f"{now:%Y-%m-%d %H:%M}"),
        "",
    ]
    if not found.stops:
        lines.append(_("care_slip.none"))
    for number, stop in enumerate(found.stops, 1):
        lines += _stop(number, stop, phones)
    if found.soon:
        lines += ["", _("care_slip.soon")]
        for number, stop in enumerate(found.soon, 1):
            lines += _stop(number, stop, phones, soon=True)
    if phones is not None:
        lines += ["", _("care_slip.private")]
    return "\n".join(lines) + "\n"


def _phones(found: Round) -> dict[int, tuple[str, str]]:
    wanted = [p.resident_id for stop in (*found.stops, *found.soon) for p in stop.people]
    if not wanted:
        return {}
    rows: Any = (
        Resident.select(Resident.id, Resident.phone, Resident.emergency_contact)
        .where(Resident.id.in_(wanted))
        .tuples()
    )
    return {rid: (phone or "", contact or "") for rid, phone, contact in rows}


def round_slip(
    *,
    actor_id: int | None,
    now: datetime,
    reveal_reason: str | None = None,
    staff_id: int | None = None,
) -> str:
    """The slip of a staff member's round today (default: the operator's own). With
    ``reveal_reason``: the phones and emergency contacts too, audited."""
    if reveal_reason is None:
        return slip_text(todays_round(actor_id=actor_id, now=now, staff_id=staff_id), now, None)
    reason = require_text("reason", reveal_reason, REASON)
    if not reason:
        raise UserError("reveal.reason_required")

    def run() -> str:
        require(actor_id, Can.REVEAL)
        found = todays_round(actor_id=actor_id, now=now, staff_id=staff_id)
        phones = _phones(found)
        audit.record(
            "care.slip_reveal",
            "staff",
            found.staff_id,
            actor_id=actor_id,
            at=now,
            reason=reason,
            detail={
                "day": found.day,
                "stops": len(found.stops) + len(found.soon),
                "people": len(phones),
                "phones": sum(1 for phone, _c in phones.values() if phone),
                "contacts": sum(1 for _p, contact in phones.values() if contact),
            },
        )
        return slip_text(found, now, phones)

    return write(run)


def save_round_slip(
    *,
    actor_id: int | None,
    now: datetime,
    reveal_reason: str | None = None,
    staff_id: int | None = None,
) -> Path:
    """Write the round's slip to ``slip_folder()/round-<day>-<username>.txt`` (else into the
    current folder), as the request slips are written; the file's path."""
    text = round_slip(actor_id=actor_id, now=now, reveal_reason=reveal_reason, staff_id=staff_id)
    walker: Any = Staff.get_or_none(Staff.id == (staff_id if staff_id is not None else actor_id))
    who = str(walker.username) if walker is not None else "staff"
    name = f"round-{now:%Y-%m-%d}-{who}{'-phones' if reveal_reason else ''}.txt"
    try:
        path = _write(slip_folder(), name, text)
    except OSError:
        return _write(Path.cwd(), name, text)
    share(path)
    return path


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
