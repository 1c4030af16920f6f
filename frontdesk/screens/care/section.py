"""The care section of a resident's page: what ``care_of_resident`` gives the operator.

Reception (and a grid manager outside their grids) sees only that a visit is due and when
(``走访：下次 12-05``); the subdistrict office the level and dates without notes; the grid
manager of the household and the leadership everything: the level (set by hand, and why), the
last visit and the last attempt (未遇), the next due (overdue marked), the pause, who visits, and
the household's visits — each marked for whether it saw this person, with the areas of concern
and the note.
"""

from __future__ import annotations

from datetime import date

from rich.markup import escape
from textual.widgets import Static

from frontdesk.care.privacy import Sight
from frontdesk.care.status import CareView, VisitRow
from frontdesk.i18n import _
from frontdesk.vocabulary import AreaState, VisitOutcome
from frontdesk.widgets.text import display

SHOWN_VISITS = 10  # the page shows the latest; the rest stay in the service's answer


def due_text(view: CareView, today: date) -> str:
    """下次 12-05, with 逾期 N 天 when it has passed."""
    if view.due_on is None:
        return _("care_detail.no_due")
    text = _("care_detail.next_due", date=f"{view.due_on:%m-%d}")
    if view.overdue:
        days = max(0, (today - view.due_on).days)
        text += " [b $text-error]" + _("care_detail.overdue", days=days) + "[/]"
    return text


def visit_line(visit: VisitRow) -> str:
    """11-20 上门 张三 见到本人 需关注：健康自理（膝盖疼） 备注."""
    parts = [
        f"{visit.visited_at:%m-%d}",
        _(f"enum.visit_mode.{visit.mode}"),
        escape(display(visit.visitor)) or "—",
    ]
    if visit.outcome == VisitOutcome.NOT_HOME:
        parts.append("[$text-warning]" + _("enum.visit_outcome.not_home") + "[/]")
    else:
        parts.append(_("care_detail.saw_them" if visit.saw_this_person else "care_detail.not_them"))
    concerns = [a for a in visit.areas if a.state == AreaState.CONCERN]
    for area in concerns:
        what = _(f"enum.care_area.{area.area}")
        note = _("care_detail.concern_note", note=escape(display(area.note))) if area.note else ""
        parts.append("[$text-warning]" + _("care_detail.concern", area=what, note=note) + "[/]")
    if visit.areas and not concerns:
        parts.append(_("care_detail.all_ok"))
    if visit.note:
        parts.append(escape(display(visit.note)))
    return "  ".join(parts)


def care_lines(view: CareView, today: date, keys: str) -> list[str]:
    """The section's lines for ``view`` (``keys``: the care keys the operator may use)."""
    title = f"[b]{_('care_detail.title')}[/b]"
    if view.sight == Sight.DUE:
        return [_("care_detail.due_only", due=due_text(view, today)) if view.in_care else ""]
    if not view.in_care and not view.visits:
        return [f"{title}  {_('care_detail.not_in_care')}", keys]
    level = _(f"enum.care_level.{view.level}") if view.level else _("care_detail.no_level")
    if view.level_by_hand and view.level_reason:
        level += _("care_detail.by_hand_reason", reason=escape(display(view.level_reason)))
    elif view.level_by_hand:
        level += _("care_detail.by_hand")
    first = [title, level]
    if view.visitor:
        who = _("care_detail.assigned" if view.assigned else "care_detail.visitor")
        first.append(f"{who} {escape(display(view.visitor))}")
    second = [
        _("care_detail.last_seen", date=f"{view.last_seen:%m-%d}" if view.last_seen else "—"),
    ]
    if view.last_attempt is not None:
        second.append(_("care_detail.last_attempt", date=f"{view.last_attempt:%m-%d}"))
    second.append(due_text(view, today))
    kind = _(f"enum.care_pause_kind.{view.pause_kind}") if view.pause_kind else ""
    if view.paused_until is not None:
        second.append(_("care_detail.paused", date=f"{view.paused_until:%m-%d}", kind=kind))
    elif view.pause_from is not None and view.pause_to is not None:  # still to come
        second.append(
            _(
                "care_detail.pause_coming",
                start=f"{view.pause_from:%m-%d}",
                date=f"{view.pause_to:%m-%d}",
                kind=kind,
            )
        )
    lines = ["  ".join(first), "  ".join(second)]
    if view.visits:
        lines.append(_("care_detail.visits", count=len(view.visits)))
        lines.extend(visit_line(visit) for visit in view.visits[:SHOWN_VISITS])
    else:
        lines.append(_("care_detail.no_visits"))
    if keys:
        lines.append(keys)
    return lines


class CareSection(Static):
    """The lines of ``care_lines``; hidden when there is nothing to say (reception, not in care)."""

    def show(self, view: CareView | None, today: date, keys: str = "") -> None:
        lines = care_lines(view, today, keys) if view is not None else []
        text = "\n".join(line for line in lines if line)
        self.update(text)
        self.display = bool(text)
