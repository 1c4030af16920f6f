"""What the request's detail shows, in words: the summary (number, status, place, holder, due),
the reporters and the timeline, one line an event."""

from __future__ import annotations

from rich.cells import cell_len
from textual.markup import escape

from frontdesk.i18n import _
from frontdesk.requests.corrections import ARROW
from frontdesk.requests.detail import EventView, RequestDetail
from frontdesk.widgets.text import display


def event_text(event: EventView) -> str:
    """One line of the timeline, in words."""
    status = {
        "from": _(f"enum.request_status.{event.from_status}") if event.from_status else "",
        "to": _(f"enum.request_status.{event.to_status}") if event.to_status else "",
    }
    note = display(event.note)
    match event.kind:
        case "created":
            return _("request_detail.event.created")
        case "assigned":
            key = "assigned_standing_in" if event.note == "standing_in" else "assigned"
            return _(f"request_detail.event.{key}", holder=display(event.to_holder) or "—")
        case "status":
            return _("request_detail.event.status", **status)
        case "note":
            return _("request_detail.event.note", note=note)
        case "reassigned":
            return _(
                "request_detail.event.reassigned",
                before=display(event.from_holder) or "—",
                after=display(event.to_holder) or "—",
                note=note,
            )
        case "escalated":
            return _(
                "request_detail.event.escalated",
                before=_(f"enum.level.{event.from_level}") if event.from_level else "—",
                after=_(f"enum.level.{event.to_level}") if event.to_level else "—",
                holder=display(event.to_holder) or "—",
                note=note,
            )
        case "resolved":
            return _("request_detail.event.resolved", note=note)
        case "closed":
            return _("request_detail.event.closed")
        case "reopened":
            return _("request_detail.event.reopened", note=note)
        case "reporter_attached":
            return _("request_detail.event.reporter_attached", note=note)
        case "overdue":
            return _("request_detail.event.overdue")
        case "corrected":
            return _corrected_text(event)
    return event.kind


def _corrected_text(event: EventView) -> str:
    """A correction: the reporter's old → new, the place's, and who holds it now when the new
    place went to another grid's holder (the note holds the two changes, one a line)."""
    reporter, _sep, place = event.note.partition("\n")
    parts = [
        _(
            f"request_detail.event.corrected_{what}",
            change=ARROW.join(display(side) for side in change.split(ARROW)),
        )
        for what, change in (("reporter", reporter), ("place", place))
        if change
    ]
    if event.to_holder:
        parts.append(_("request_detail.event.corrected_holder", holder=display(event.to_holder)))
    return _("request_detail.event.corrected_join").join(parts) or _("request_detail.done.correct")


def reporters_text(d: RequestDetail) -> str:
    """Who reported it (a report attached later adds one), with their masked phone."""
    reporters = [
        f"{escape(display(r.name))} {r.phone_masked or '—'}"
        + (f"（{escape(display(r.note))}）" if r.note else "")
        for r in d.reporters
    ]
    return _("request_detail.reporters", count=len(reporters)) + "\n  " + "\n  ".join(reporters)


def summary_text(d: RequestDetail) -> str:
    """The box at the top: number, status, level, urgency, category, then field by field."""
    heading = " · ".join(
        [
            _(f"enum.request_status.{d.status}"),
            _(f"enum.level.{d.level}"),
            _(f"enum.urgency.{d.urgency}"),
            _(f"category.{d.category}"),
        ]
    )
    first = f"[b]{d.number}[/b]  {heading}"
    if d.special_group:
        first += f"  [b $text-warning]{_('request_detail.special_group')}[/]"
    place = escape(display(d.place)) or "—"
    if d.grid:
        place = _("request_detail.place_in_grid", place=place, grid=d.grid)
    holder = f"{escape(display(d.holder_name))} {d.holder_phone}".strip() or "—"
    due = f"{d.due_at:%Y-%m-%d %H:%M}" if d.due_at else "—"
    if d.overdue:
        due += f"  [b $text-error]{_('request_detail.overdue')}[/]"
    rows = [
        ("place", place),
        ("holder", holder),
        ("due", due),
        ("created", f"{d.created_at:%Y-%m-%d %H:%M}"),
        ("description", escape(display(d.description))),
    ]
    if d.from_visit_at is not None:
        by = escape(display(d.from_visit_by))
        rows.insert(
            4, ("from_visit", _("request_detail.from_visit_text", at=d.from_visit_at, by=by))
        )
    if d.resolution:
        level = _(f"enum.level.{d.resolved_level}") if d.resolved_level else "—"
        rows.append(
            (
                "resolution",
                _(
                    "request_detail.resolution_text",
                    how=escape(display(d.resolution)),
                    level=level,
                ),
            )
        )
    labels = {label: _(f"request_detail.field.{label}") for label, _v in rows}
    width = max(cell_len(text) for text in labels.values())
    lines = [first]
    for label, value in rows:
        padded = labels[label] + " " * (width - cell_len(labels[label]))
        lines.append(f"[$text-muted]{padded}[/]  {value}")
    return "\n".join(lines)


def timeline_text(d: RequestDetail) -> str:
    """Every event: when, who (the system for what the running program did by itself: the
    overdue mark, the automatic escalation), what."""

    def who(event: EventView) -> str:
        if event.by_system:
            return _("request_detail.system")
        return display(event.actor) or _("request_detail.nobody")

    names = [who(event) for event in d.timeline]
    width = max((cell_len(name) for name in names), default=0)
    lines = [
        f"{event.at:%m-%d %H:%M}  [$text-muted]{escape(name)}[/]"
        f"{' ' * (width - cell_len(name))}  {escape(event_text(event))}"
        for event, name in zip(d.timeline, names, strict=True)
    ]
    return "\n".join(lines) or _("detail.none")
