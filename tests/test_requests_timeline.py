"""The request's timeline names who did each thing: a staff member, or the system for what the
running program did by itself (the overdue mark and the automatic escalation)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from peewee import SqliteDatabase

from frontdesk import i18n
from frontdesk.db.models import Request
from frontdesk.requests.detail import get_request
from frontdesk.requests.escalation import sweep
from frontdesk.requests.intake import create_request
from frontdesk.screens.requests.detail_view import timeline_text
from frontdesk.workcalendar import load
from tests.roles import staff_of
from tests.test_requests import NOW, _resident, light_out


def _line(text: str, word: str) -> str:
    found = [line for line in text.splitlines() if word in line]
    assert len(found) == 1, text
    return found[0]


def test_the_automatic_escalation_is_the_systems(demo_copy: SqliteDatabase) -> None:
    logged = create_request(
        light_out(_resident(untagged=True), "locksmith", "urgent"), actor_id=staff_of(), now=NOW
    )
    later = load().add_working_hours(logged.due_at, 4)  # past the grace: escalated by the sweep
    sweep(logged.due_at + timedelta(hours=1))
    sweep(later)
    row: Any = Request.get_by_id(logged.id)
    assert row.level == "community"
    detail = get_request(logged.id, later, actor_id=staff_of())
    escalated = detail.timeline[-1]
    assert escalated.kind == "escalated" and escalated.by_system and escalated.actor == ""
    assert not detail.timeline[0].by_system  # logged by a clerk
    clerk = detail.timeline[0].actor
    text = timeline_text(detail)
    line = _line(text, "升级")
    assert "系统" in line and "—" not in line.split("升级")[0]
    assert "系统" in _line(text, "已超期")
    assert clerk in _line(text, "登记")
    i18n.set_language("en")
    line = _line(timeline_text(detail), "Escalated")
    assert "system" in line and "—" not in line.split("Escalated")[0]
