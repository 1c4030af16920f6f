"""The care part of a resident's page, as a base of ``ResidentDetailScreen``: loading
``care_of_resident`` into the page's ``CareSection``, and the care keys — l the level, z a pause
(or its end, while one runs), m a major event, w who visits the household. Each opens a small
form (``screens/care/*_form.py``); the keys are offered (and named under the section) only to a
role that manages care and sees this household's care in full; the services refuse the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.binding import Binding

from frontdesk.care.privacy import Sight
from frontdesk.care.status import CareView, care_of_resident
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Can
from frontdesk.screens.base.forms import FormScreen
from frontdesk.screens.base.screen import DeskScreen
from frontdesk.screens.care.assign_form import AssignFormScreen
from frontdesk.screens.care.event_form import EventFormScreen
from frontdesk.screens.care.level_form import LevelFormScreen
from frontdesk.screens.care.pause_end_form import PauseEndFormScreen
from frontdesk.screens.care.pause_form import PauseFormScreen
from frontdesk.screens.care.section import CareSection
from frontdesk.vocabulary import Changes

# (action, key, label): the keys named under the section and in the palette
CARE_KEYS = [
    ("care_level", "l", "care_detail.key_level"),
    ("care_pause", "z", "care_detail.key_pause"),
    ("care_event", "m", "care_detail.key_event"),
    ("care_assign", "w", "care_detail.key_assign"),
]
CARE_ACTIONS = {action for action, _key, _label in CARE_KEYS}


class CareActions(DeskScreen):
    """What the resident's page needs for care. The page gives ``resident_id``, a
    ``CareSection`` with id ``care``, and calls ``load_care`` when it loads."""

    BINDINGS = [Binding(key, action, label, show=False) for action, key, label in CARE_KEYS]

    resident_id: int
    care: CareView | None = None
    care_household_id: int | None = None  # the household the care forms act on

    def load_care(self, household_id: int | None = None) -> None:
        if household_id is not None:
            self.care_household_id = household_id
        desk = self.desk
        self.call(
            partial(
                care_of_resident, self.resident_id, actor_id=desk.operator_id, now=desk.clock.now()
            ),
            self._care_loaded,
            group="resident-care",
            latest=True,
            refused=self._care_refused,
        )

    def _care_loaded(self, view: CareView) -> None:
        self.care = view
        self.show_care()
        self.refresh_bindings()

    def _care_refused(self, _error: UserError) -> None:
        self.care = None  # (the page's own load says why it cannot show the person)
        self.show_care()

    def show_care(self) -> None:
        keys = "  ".join(
            f"{key} {_(label)}" for action, key, label in CARE_KEYS if self.care_allowed(action)
        )
        self.query_one("#care", CareSection).show(self.care, self.desk.clock.today(), keys)

    def care_shows(self, changes: Changes) -> bool:
        return changes.touches("visit") or (
            self.care_household_id is not None
            and changes.touches("household", entity_id=self.care_household_id)
        )

    def care_allowed(self, action: str) -> bool:
        """Offered: a role that manages care, seeing this household's care in full."""
        view = self.care
        if view is None or view.sight != Sight.FULL or not self.desk.can(Can.MANAGE_CARE):
            return False
        return action != "care_assign" or self.care_household_id is not None

    def care_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        return [
            (
                _(f"care_detail.palette.{action}", key=key),
                _(label),
                getattr(self, f"action_{action}"),
            )
            for action, key, label in CARE_KEYS
            if self.care_allowed(action)
        ]

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self.show_care()

    # ------------------------------------------------------------------------------ forms

    def _care_form(self, form: FormScreen) -> None:
        def saved(result: int | None) -> None:
            if result is not None:
                self.load_care()
                self.notify(_("form.saved"))

        self.app.push_screen(form, saved)

    def action_care_level(self) -> None:
        if self.care is not None and self.care_allowed("care_level"):
            self._care_form(LevelFormScreen(self.resident_id, self.care))

    def action_care_pause(self) -> None:
        view = self.care
        if view is None or not self.care_allowed("care_pause"):
            return
        today = self.desk.clock.today()
        if view.pause_id is not None:
            self._care_form(PauseEndFormScreen(self.resident_id, view, today))
        else:
            self._care_form(PauseFormScreen(self.resident_id, today))

    def action_care_event(self) -> None:
        if self.care is not None and self.care_allowed("care_event"):
            self._care_form(EventFormScreen(self.resident_id, self.desk.clock.today()))

    def action_care_assign(self) -> None:
        household = self.care_household_id
        community = self.desk.community
        if self.care is None or household is None or community is None:
            return
        if self.care_allowed("care_assign"):
            self._care_form(AssignFormScreen(household, community.id, self.care))
