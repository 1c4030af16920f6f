"""``p`` on the round: the slip for the walk, written to a text file as the request slips are
(``frontdesk.care.slip.save_round_slip``). First asked: with phones or without; with phones, why
(the reveal's reason dialog, with the walk's own quick reasons: the resident page's — a leak
upstairs, the police — fit no walk), and the service audits it."""

from __future__ import annotations

from functools import partial
from typing import Any

from frontdesk.care.slip import save_round_slip
from frontdesk.i18n import _
from frontdesk.residents.privacy import OTHER
from frontdesk.screens.base.choice import ChoiceScreen
from frontdesk.screens.base.screen import DeskBase
from frontdesk.screens.base.written import write_and_say
from frontdesk.screens.residents.reveal_reason import RevealReason, RevealReasonScreen

PLAIN = "plain"
PHONES = "phones"
# the slip's quick reasons (catalog keys, stored as such in the audit entry); OTHER asks for text
SLIP_REASONS: tuple[str, ...] = (
    "care_slip.reason.visit",  # 入户走访需联系本人或家属
    "care_slip.reason.campaign",  # 寒潮、集中走访需联系
    OTHER,  # 其他（须填写说明）
)


def print_round(screen: DeskBase[Any], staff_id: int | None) -> None:
    """Ask with or without phones, then write the slip and say where it went."""

    def answered(answer: str | None) -> None:
        if answer == PLAIN:
            _write(screen, staff_id, None)
        elif answer == PHONES:
            screen.app.push_screen(
                RevealReasonScreen(
                    "care_slip.phones_field", _("care_slip.phones_who"), SLIP_REASONS
                ),
                partial(_reason_given, screen, staff_id),
            )

    screen.app.push_screen(
        ChoiceScreen(
            _("care_slip.ask_title"),
            _("care_slip.ask_body"),
            [(PLAIN, _("care_slip.without_phones")), (PHONES, _("care_slip.with_phones"))],
        ),
        answered,
    )


def _reason_given(screen: DeskBase[Any], staff_id: int | None, reason: RevealReason | None) -> None:
    if reason is not None:
        _write(screen, staff_id, reason.text or reason.choice)


def _write(screen: DeskBase[Any], staff_id: int | None, reason: str | None) -> None:
    desk = screen.desk
    write_and_say(
        screen,
        partial(
            save_round_slip,
            actor_id=desk.operator_id,
            now=desk.clock.now(),
            reveal_reason=reason,
            staff_id=staff_id,
        ),
        saved_key="care_slip.saved",
        failed_key="care_slip.failed",
        group="care-slip",
    )
