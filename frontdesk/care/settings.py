"""A community's care settings: the days between visits at each level, and which special-group
tags put a person in care at which level.

The days (``care.days_high`` / ``care.days_key`` / ``care.days_general``) are ordinary settings
of the community (``frontdesk.settings.specs``): the settings screen lists them and
``frontdesk.settings.changes`` changes them, checked and audited like any other. The tag table
(``care.tag_levels``: tag code → level; a tag not in it is not a care tag) is one setting whose
value is a dict, changed here a tag at a time by the community's supervisor (``Can.CONFIGURE``)
with the same audit entry as every setting change (``settings.changed`` / ``settings.reset``,
entity ``setting``, the from and to in the detail).

``care_days`` and ``tag_levels`` are plain reads inside the caller's transaction (no
permission: the caller checked), for the round, the figures and the resident's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import Tag
from frontdesk.errors import UserError
from frontdesk.permissions import Can, Operator, PermissionDenied, require
from frontdesk.settings.store import DEFAULTS, get, put, stored_key
from frontdesk.vocabulary import CARE_LEVEL_ORDER, CareLevel, Role

TAG_LEVELS = "care.tag_levels"
DAYS_KEYS: dict[CareLevel, str] = {
    CareLevel.HIGH: "care.days_high",
    CareLevel.KEY: "care.days_key",
    CareLevel.GENERAL: "care.days_general",
}


@dataclass(frozen=True)
class TagLevelRow:
    """One special-group tag as the care-tag table lists it."""

    code: str  # the tag's code (catalog: tag.<code>)
    level: CareLevel | None  # None: not a care tag in this community
    default: CareLevel | None  # the installation's default
    changed: bool


def care_days(community_id: int | None) -> dict[CareLevel, int]:
    """The days between visits at each level in ``community_id``."""
    return {level: int(get(key, community_id)) for level, key in DAYS_KEYS.items()}


def _levels(value: Any) -> dict[str, CareLevel]:
    """A stored table as levels; a value that is no level (edited by hand) is left out."""
    known = {level.value for level in CareLevel}
    if not isinstance(value, dict):
        return {}
    return {str(code): CareLevel(level) for code, level in value.items() if level in known}


def tag_levels(community_id: int | None) -> dict[str, CareLevel]:
    """Tag code → care level in ``community_id``; tags not in it are not care tags."""
    return _levels(get(TAG_LEVELS, community_id))


def _community(actor_id: int | None) -> tuple[Operator, int]:
    """The supervisor's own community: only they change its care tags (as its other
    settings); the administrator and the subdistrict office do not."""
    operator = require(actor_id, Can.CONFIGURE)
    if operator.role == Role.ADMIN or operator.community_id is None:
        raise PermissionDenied(operator, Can.CONFIGURE, scope="perm.scope.community_settings")
    return operator, operator.community_id


def _tags() -> list[str]:
    rows: Any = Tag.select(Tag.code).order_by(Tag.sort, Tag.id).tuples()
    return [code for (code,) in rows]


def _rows(community_id: int) -> list[TagLevelRow]:
    current = tag_levels(community_id)
    default = _levels(DEFAULTS[TAG_LEVELS])
    rank = {level: index for index, level in enumerate(CARE_LEVEL_ORDER)}
    rows = [
        TagLevelRow(
            code, current.get(code), default.get(code), current.get(code) != default.get(code)
        )
        for code in _tags()
    ]
    # the care tags first, from the highest level down, then the others in the tags' order
    return sorted(rows, key=lambda row: rank[row.level] if row.level else len(rank))


def tag_level_rows(*, actor_id: int | None) -> list[TagLevelRow]:
    """Every special-group tag with its care level in the operator's community (a
    supervisor's own) and the default."""
    _operator, community_id = _community(actor_id)
    return _rows(community_id)


def set_tag_level(
    tag_code: str, level: CareLevel | None, *, actor_id: int | None, now: datetime
) -> TagLevelRow:
    """Tag ``tag_code`` puts a person in care at ``level`` in the operator's community (None:
    it is no care tag there). Refused for a tag that does not exist and when nothing changes;
    written with its audit entry in one transaction. The tag's row as it now is."""
    wanted = None if level is None else CareLevel(level)

    def run() -> TagLevelRow:
        _operator, community_id = _community(actor_id)
        if not Tag.select().where(Tag.code == tag_code).exists():
            raise UserError("resident.tag_unknown", code=tag_code)
        table = tag_levels(community_id)
        before = table.get(tag_code)
        if before == wanted:
            raise UserError("care.error.tag_level_same")
        if wanted is None:
            table.pop(tag_code, None)
        else:
            table[tag_code] = wanted
        stored = {code: table[code].value for code in sorted(table)}
        put(TAG_LEVELS, stored, community_id)
        audit.record(
            "settings.changed",
            "setting",
            None,
            actor_id=actor_id,
            at=now,
            detail={
                "key": TAG_LEVELS,
                "tag": tag_code,
                "from": before.value if before else "",
                "to": wanted.value if wanted else "",
                "community_id": community_id,
                "stored": stored_key(TAG_LEVELS, community_id),
            },
            community_id=community_id,
        )
        return next(row for row in _rows(community_id) if row.code == tag_code)

    return write(run)
