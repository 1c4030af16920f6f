"""Everything the command palette (Ctrl+P) offers, by name, in the current language.

Wiring, beside ``app.py``: the app's own actions by name; a screen with a ``palette_commands()``
method adds its own: (title, help, callback) tuples.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from frontdesk.i18n import LANGUAGES, _
from frontdesk.permissions import Can

if TYPE_CHECKING:
    from frontdesk.app import FrontdeskApp

SCREENS = [
    ("home", "screen.home", "F5"),
    ("residents", "screen.residents", "F2"),
    ("rooms", "screen.rooms", "F3"),
    ("requests", "screen.requests", "F4"),
]


def desk_commands(app: FrontdeskApp, screen: Screen[object]) -> Iterable[SystemCommand]:
    """What the palette offers now: nothing but the language, theme and quitting before sign-in
    or while locked, and only what the operator's role allows."""
    signed_in = app.desk.operator is not None and not app.locked
    if signed_in:
        yield from _operator_commands(app, screen)
    for language in LANGUAGES:
        if language != app.language:
            yield SystemCommand(
                _(f"palette.language_{language}"),
                _("palette.language_help"),
                partial(app.set_language, language),
            )
    yield SystemCommand(_("palette.theme"), _("palette.theme_help"), app.action_change_theme)
    if not signed_in and getattr(screen, "demo", False):  # the demo's login: all its accounts
        yield SystemCommand(
            _("palette.demo_accounts"), _("palette.demo_accounts_help"), app.action_demo_accounts
        )
    if signed_in:
        yield SystemCommand(_("palette.keys"), _("palette.keys_help"), app.action_toggle_keys)
        yield SystemCommand(_("palette.lock"), _("palette.lock_help"), app.action_lock)
        yield SystemCommand(
            _("palette.change_password"),
            _("palette.change_password_help"),
            app.action_change_password,
        )
        yield SystemCommand(
            _("palette.switch_operator"),
            _("palette.switch_operator_help"),
            app.action_switch_operator,
        )
    yield SystemCommand(_("palette.quit"), _("palette.quit_help"), app.action_quit)


def _operator_commands(app: FrontdeskApp, screen: Screen[object]) -> Iterable[SystemCommand]:
    for mode, label, key in SCREENS:
        if app.check_action("switch_mode", (mode,)):
            yield SystemCommand(
                _("palette.go", screen=_(label), key=key),
                _(f"palette.go_{mode}_help"),
                partial(app.switch_mode, mode),
            )
    yield from _round_commands(app)
    if app.check_action("new_request", ()):
        yield SystemCommand(
            _("requests.palette.new_anywhere"),
            _("requests.palette.new_help"),
            app.action_new_request,
        )
    if app.check_action("staff", ()):
        yield SystemCommand(_("palette.staff"), _("palette.staff_help"), app.action_staff)
    if app.check_action("audit_log", ()):
        yield SystemCommand(
            _("palette.audit_log"), _("palette.audit_log_help"), app.action_audit_log
        )
    for community in app.desk.communities:  # the subdistrict office: each of its communities
        if len(app.desk.communities) > 1 and community != app.desk.community:
            yield SystemCommand(
                _("palette.community", community=community.name),
                _("palette.community_help"),
                partial(app.switch_community, community),
            )
    if app.check_action("settings", ()):
        yield SystemCommand(_("palette.settings"), _("palette.settings_help"), app.action_settings)
    yield from _import_commands(app)
    yield from _care_commands(app)
    commands = getattr(screen, "palette_commands", None)
    if callable(commands):  # the current screen's own actions
        for title, help_text, callback in commands():
            yield SystemCommand(title, help_text, callback)
    yield SystemCommand(_("palette.help"), _("palette.help_help"), app.action_help)


def _round_commands(app: FrontdeskApp) -> Iterable[SystemCommand]:
    """今日走访 (F12) and 记录走访 for a household found as in F2: for who makes visits."""
    if not app.check_action("switch_mode", ("care",)):
        return
    yield SystemCommand(
        _("care_round.palette.go"),
        _("care_round.palette.go_help"),
        partial(app.switch_mode, "care"),
    )

    def record() -> None:
        from frontdesk.screens.care.household_pick import pick_and_record

        pick_and_record(app)

    yield SystemCommand(
        _("care_round.palette.record_any"), _("care_round.palette.record_any_help"), record
    )


def _import_commands(app: FrontdeskApp) -> Iterable[SystemCommand]:
    """导入居民 and 导入记录: only for who may import (the community's supervisor)."""
    if not app.desk.can(Can.IMPORT):
        return

    def open_import() -> None:
        from frontdesk.screens.office.roster_import import RosterImportScreen

        if not isinstance(app.screen, RosterImportScreen):
            app.push_screen(RosterImportScreen())

    def open_imports() -> None:
        from frontdesk.screens.office.roster_imports import ImportsScreen

        if not isinstance(app.screen, ImportsScreen):
            app.push_screen(ImportsScreen())

    yield SystemCommand(_("palette.roster_import"), _("palette.roster_import_help"), open_import)
    yield SystemCommand(_("palette.roster_imports"), _("palette.roster_imports_help"), open_imports)


def _care_commands(app: FrontdeskApp) -> Iterable[SystemCommand]:
    """走访统计 (for whom the service answers: who may see reports or makes visits; the home
    screen's counts, ``Can.VIEW_FIGURES``, are not enough: the reception has those only),
    发起集中走访 (the leadership)."""
    from frontdesk.screens.care.campaign import CampaignScreen
    from frontdesk.screens.care.figures import CareFiguresScreen

    def open_screen(kind: type[Screen[None]]) -> None:
        if not isinstance(app.screen, kind):
            app.push_screen(kind())

    if app.desk.can(Can.REPORTS) or app.desk.can(Can.VISIT):
        yield SystemCommand(
            _("care_figures.palette.open"),
            _("care_figures.palette.open_help"),
            partial(open_screen, CareFiguresScreen),
        )
    if app.desk.can(Can.CARE_CAMPAIGN):
        yield SystemCommand(
            _("care_campaign.palette.open"),
            _("care_campaign.palette.open_help"),
            partial(open_screen, CampaignScreen),
        )
