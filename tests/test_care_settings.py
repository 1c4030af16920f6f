"""Care settings: the days between visits at each level (ordinary community settings, changed and
audited through the settings services) and the care-tag table (tag → level), changed by the
community's supervisor a tag at a time and audited like every setting."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peewee import SqliteDatabase

from frontdesk.care.cadence import DEFAULT_DAYS
from frontdesk.care.settings import care_days, set_tag_level, tag_level_rows, tag_levels
from frontdesk.db.models import AuditEntry, Setting, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied
from frontdesk.residents.validation import ValidationFailed
from frontdesk.settings import change_setting, list_settings, reset_setting
from frontdesk.vocabulary import CareLevel, Role
from tests.conftest import DEMO_NOW
from tests.roles import staff_of


def _community(staff_id: int) -> int:
    return int(Staff.get_by_id(staff_id).community_id)


def _audits() -> list[Any]:
    return list(AuditEntry.select().where(AuditEntry.action == "settings.changed"))


def test_defaults_are_the_cadence_defaults(demo_copy: SqliteDatabase) -> None:
    community = _community(staff_of(Role.SUPERVISOR))
    assert care_days(community) == dict(DEFAULT_DAYS)
    levels = tag_levels(community)
    assert levels["elderly_alone_no_kin"] == CareLevel.HIGH
    assert levels["attention"] == CareLevel.HIGH
    assert levels["disabled"] == CareLevel.KEY
    assert levels["elderly_80"] == CareLevel.GENERAL
    assert "veteran" not in levels and "party_member" not in levels


def test_days_are_listed_changed_and_audited_through_the_settings(
    demo_copy: SqliteDatabase,
) -> None:
    boss = staff_of(Role.SUPERVISOR)
    community = _community(boss)
    keys = {row.key for row in list_settings(actor_id=boss)}
    assert {"care.days_high", "care.days_key", "care.days_general"} <= keys
    row = change_setting("care.days_high", "5", actor_id=boss, now=DEMO_NOW)
    assert row.value == "5" and row.changed
    assert care_days(community)[CareLevel.HIGH] == 5
    (entry,) = _audits()
    detail = json.loads(entry.detail)
    assert detail["key"] == "care.days_high"
    assert (detail["from"], detail["to"]) == ("7", "5")
    assert entry.community_id == community
    reset_setting("care.days_high", actor_id=boss, now=DEMO_NOW)
    assert care_days(community)[CareLevel.HIGH] == 7


@pytest.mark.parametrize(
    ("key", "low", "high"),
    [("care.days_high", 1, 31), ("care.days_key", 7, 92), ("care.days_general", 30, 366)],
)
def test_days_outside_their_range_are_refused(
    demo_copy: SqliteDatabase, key: str, low: int, high: int
) -> None:
    boss = staff_of(Role.SUPERVISOR)
    for text in (str(low - 1), str(high + 1), "7.5", ""):
        with pytest.raises(ValidationFailed):
            change_setting(key, text, actor_id=boss, now=DEMO_NOW)
    change_setting(key, str(high), actor_id=boss, now=DEMO_NOW)
    change_setting(key, str(low), actor_id=boss, now=DEMO_NOW)
    assert len(_audits()) == 2


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.integers(min_value=-5, max_value=400))
def test_any_high_risk_days_within_1_to_31_are_kept(demo_copy: SqliteDatabase, days: int) -> None:
    boss = staff_of(Role.SUPERVISOR)
    community = _community(boss)
    before = care_days(community)[CareLevel.HIGH]
    if 1 <= days <= 31:
        change_setting("care.days_high", str(days), actor_id=boss, now=DEMO_NOW)
        assert care_days(community)[CareLevel.HIGH] == days
    else:
        with pytest.raises(ValidationFailed):
            change_setting("care.days_high", str(days), actor_id=boss, now=DEMO_NOW)
        assert care_days(community)[CareLevel.HIGH] == before


def test_a_community_s_days_are_its_own(district: SqliteDatabase) -> None:
    bosses = list(
        Staff.select().where(Staff.role == Role.SUPERVISOR).order_by(Staff.community, Staff.id)
    )
    first = bosses[0]
    other = next(b for b in bosses if b.community_id != first.community_id)
    change_setting("care.days_key", "14", actor_id=first.id, now=DEMO_NOW)
    assert care_days(first.community_id)[CareLevel.KEY] == 14
    assert care_days(other.community_id)[CareLevel.KEY] == 30


def test_a_tag_level_is_set_and_audited(demo_copy: SqliteDatabase) -> None:
    boss = staff_of(Role.SUPERVISOR)
    community = _community(boss)
    row = set_tag_level("veteran", CareLevel.GENERAL, actor_id=boss, now=DEMO_NOW)
    assert (row.code, row.level, row.default, row.changed) == (
        "veteran",
        CareLevel.GENERAL,
        None,
        True,
    )
    assert tag_levels(community)["veteran"] == CareLevel.GENERAL
    set_tag_level("elderly_80", None, actor_id=boss, now=DEMO_NOW)
    assert "elderly_80" not in tag_levels(community)
    first, second = _audits()
    wanted = {"key": "care.tag_levels", "tag": "veteran", "from": "", "to": "general"}
    assert wanted.items() <= json.loads(first.detail).items()
    assert json.loads(second.detail)["from"] == "general"
    assert json.loads(second.detail)["to"] == ""
    assert first.community_id == community
    rows = tag_level_rows(actor_id=boss)
    assert any(r.level is None for r in rows)  # the tags not in care are listed too
    levels = [r.level for r in rows if r.level is not None]
    assert levels == sorted(levels, key=[CareLevel.HIGH, CareLevel.KEY, CareLevel.GENERAL].index)


def test_a_tag_level_no_change_unknown_tag_and_other_roles_are_refused(
    demo_copy: SqliteDatabase,
) -> None:
    boss = staff_of(Role.SUPERVISOR)
    stored = Setting.select().count()
    with pytest.raises(UserError) as same:
        set_tag_level("elderly_alone", CareLevel.HIGH, actor_id=boss, now=DEMO_NOW)
    assert same.value.key == "care.error.tag_level_same"
    with pytest.raises(UserError) as unknown:
        set_tag_level("no_such_tag", CareLevel.HIGH, actor_id=boss, now=DEMO_NOW)
    assert unknown.value.key == "resident.tag_unknown"
    for role in (Role.RECEPTION, Role.GRID_MANAGER, Role.SUBDISTRICT, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            set_tag_level("veteran", CareLevel.KEY, actor_id=staff_of(role), now=DEMO_NOW)
        with pytest.raises(PermissionDenied):
            tag_level_rows(actor_id=staff_of(role))
    assert Setting.select().count() == stored
    assert _audits() == []
