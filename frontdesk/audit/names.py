"""The names of what the log records (actions, their families, kinds of record) and the masking
of numbers typed into reasons that look like ID numbers or phones."""

from __future__ import annotations

import re

from frontdesk.i18n import _, has
from frontdesk.masking import mask_phone
from frontdesk.vocabulary import RequestEventKind

# Every action the code writes (a test keeps this in step with the calls to ``record``). Their
# display names are ``audit_action.<action with dots as underscores>``; the families (the part
# before the dot) are ``audit.family.<family>``.
KNOWN_ACTIONS: tuple[str, ...] = (
    "resident.register",
    "resident.update",
    "resident.move_out",
    "resident.death",
    "resident.tag_add",
    "resident.tag_remove",
    "resident.reveal_id_number",
    "resident.reveal_phone",
    "resident.reveal_forwarding_contact",
    "resident.reveal_emergency_contact",
    "household.register",
    "household.move_out",
    "household.change_head",
    *(f"request.{kind.value}" for kind in RequestEventKind),
    "booking.create",
    "booking.change",
    "booking.cancel",
    "booking.check_in",
    "booking.no_show",
    "series.create",
    *(f"series.change_{scope}" for scope in ("this", "following", "all")),
    *(f"series.cancel_{scope}" for scope in ("this", "following", "all")),
    "closure.create",
    "closure.lift",
    "auth.sign_in",
    "auth.sign_in_failed",
    "auth.locked",
    "auth.unlock",
    "auth.sign_out",
    "auth.password_changed",
    "auth.awaiting_confirmation",
    "staff.created",
    "staff.updated",
    "staff.enabled",
    "staff.disabled",
    "staff.password_reset",
    "staff.grids_taken",
    "staff.confirmed",
    "settings.changed",
    "settings.reset",
    "audit.export",
    "audit.anchor",
    "audit.alert_acknowledged",
    "database.seeded",
    "database.backup",
    "export.residents",
    "export.residents_full",
    "export.households",
    "export.households_full",
    "export.requests",
    "export.bookings",
    "export.audit",
    "export.places",
    # imports (frontdesk.roster): the import itself, each record's trail, taking it back
    "roster.import_residents",
    "roster.import_places",
    "roster.undo",
    "resident.import",
    "resident.import_update",
    "resident.import_removed",
    "resident.import_restored",
    "household.import",
    "household.import_removed",
    "household.import_restored",
    # care visits (frontdesk.care)
    "care.visit",
    "care.attempt",
    "care.level_set",
    "care.pause",
    "care.pause_end",
    "care.event",
    "care.campaign",
    "care.assign",
    "care.unassign",
    "care.slip_reveal",
)
FAMILIES: tuple[str, ...] = (
    "resident",
    "household",
    "request",
    "booking",
    "series",
    "closure",
    "auth",
    "staff",
    "settings",
    "audit",
    "database",
    "export",
    "roster",
    "care",
)
# The kinds of record entries are about; their names are ``audit.entity.<entity>``.
ENTITIES: tuple[str, ...] = (
    "resident",
    "household",
    "request",
    "booking",
    "booking_series",
    "closure",
    "staff",
    "setting",
    "audit_entry",
    "audit_alert",
    "database",
    "export",
    "roster_import",
    "visit",
    "care_campaign",
)
EXPORT_ACTION = "audit.export"


def action_key(action: str) -> str:
    """``resident.reveal_phone`` → ``audit_action.resident_reveal_phone``."""
    return "audit_action." + action.replace(".", "_")


def action_label(action: str) -> str:
    """An action's name in the current language; the raw name when the catalog has none."""
    key = action_key(action)
    return _(key) if has(key) else action


def family_of(action: str) -> str:
    return action.partition(".")[0]


def family_label(family: str) -> str:
    key = f"audit.family.{family}"
    return _(key) if has(key) else f"{family}.*"


def entity_label(entity: str) -> str:
    key = f"audit.entity.{entity}"
    return _(key) if has(key) else entity


# ------------------------------------------------------------------------------------ masking

# A run of digits, possibly split by single dashes or spaces, ending in a digit or an X.
_NUMBER_RUN = re.compile(r"(?<![0-9])[0-9](?:[0-9]|[ -](?=[0-9]))*[0-9Xx]", re.ASCII)
_DATE = re.compile(r"[12][0-9]{3}-[01]?[0-9]-[0-3]?[0-9]", re.ASCII)
_REQUEST_NUMBER = re.compile(r"[0-9]{8}-[0-9]{4}", re.ASCII)  # LJ-20261129-0007
_NUMBER_PREFIX = re.compile(r"[A-Za-z]{1,4}-$", re.ASCII)


def _sensitive(run: str) -> bool:
    """Whether a run of digits looks like an ID number or a phone (not a date, an address
    such as ``3-2-1001``, or a count)."""
    groups = re.split(r"[ -]", run)
    digits = "".join(groups)
    if max(len(g) for g in groups) >= 7:  # a local number, a mobile, an ID number
        return True
    if len(digits) == 11 and digits.startswith("1"):  # 138 1234 5678
        return True
    return len(digits) >= 10 and digits.startswith("0")  # 0358 123 4567


def mask_text(text: str) -> str:
    """Free text with the numbers that look like ID numbers or phones masked (``138****5678``,
    ``**************123X``); dates, addresses and request numbers stay as typed."""
    if not text:
        return text

    def one(match: re.Match[str]) -> str:
        run = match.group()
        if _DATE.fullmatch(run) or not _sensitive(run):
            return run
        if _REQUEST_NUMBER.fullmatch(run) and _NUMBER_PREFIX.search(text, 0, match.start()):
            return run
        if " " in run:  # mask the digits, keep the spacing
            masked = mask_phone(run.replace(" ", ""))
            out = iter(masked)
            return "".join(ch if ch == " " else next(out) for ch in run)
        return mask_phone(run)

    return _NUMBER_RUN.sub(one, text)
