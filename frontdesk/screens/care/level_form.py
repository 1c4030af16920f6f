"""A person's care level by hand (高风险 / 重点 / 一般), or back to the level their tags give, with
the reason (required; it goes to the audit entry). Ctrl+S saves, Escape cancels."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from frontdesk.care.manage import set_level
from frontdesk.care.status import CareView
from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.screens.base.forms import FormScreen, choice, field, text_input
from frontdesk.vocabulary import CARE_LEVEL_ORDER, CareLevel

TAGS = "tags"  # the choice "back to the tags' level"


@dataclass(frozen=True)
class LevelInput:
    level: str | None
    reason: str


class LevelFormScreen(FormScreen):
    CSS_PATH = ["../base/forms.tcss"]
    HELP_KEY = "care_detail.form_help"

    def __init__(self, resident_id: int, view: CareView) -> None:
        super().__init__()
        self.resident_id = resident_id
        self.view = view

    def title_text(self) -> str:
        return _("care_detail.level_title")

    def fields(self) -> Iterator[Widget]:
        options = [(_(f"enum.care_level.{level}"), level.value) for level in CARE_LEVEL_ORDER]
        options.append((_("care_detail.level_tags"), TAGS))
        yield field("level", "care_detail.field.level", choice(options))
        yield field(
            "reason", "care_detail.field.reason", text_input("", _("care_detail.reason_hint"))
        )
        now = (
            _(f"enum.care_level.{self.view.level}")
            if self.view.level
            else _("care_detail.no_level")
        )
        by = _("care_detail.by_hand") if self.view.level_by_hand else _("care_detail.by_tags")
        yield Static(_("care_detail.level_now", level=now + by), classes="form-note")

    def collect(self, problems: dict[str, Notice]) -> LevelInput:
        level = self.selected("level")
        if level is None:
            problems["level"] = Notice("validation.required")
        return LevelInput(level, self.value("reason"))

    def write(self, values: Any, confirm: bool) -> int | None:
        data: LevelInput = values
        desk = self.desk
        level = None if data.level == TAGS else CareLevel(str(data.level))
        set_level(
            self.resident_id,
            level,
            reason=data.reason,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
        )
        return self.resident_id
