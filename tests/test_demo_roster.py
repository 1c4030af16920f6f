"""The demo's list of every account with its grids (issue 12, point 10): the service, without
Textual. The login's F2 list is tested in tests/test_demo_roster_ui.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from peewee import SqliteDatabase

from frontdesk.auth.passwords import hash_password
from frontdesk.db.grids import GridL3, GridL4
from frontdesk.db.models import Setting, Staff
from frontdesk.demo.staff import PASSWORDS
from frontdesk.demo_roster import demo_roster, filter_roster
from frontdesk.overview import DEMO_ACCOUNTS_SETTING
from frontdesk.vocabulary import Role


def _codes(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for username, code in rows:
        found.setdefault(username, []).append(code)
    return found


def test_every_demo_account_with_its_password_and_grids(demo_db: SqliteDatabase) -> None:
    roster = demo_roster()
    active = {s.username: s for s in Staff.select().where(Staff.active == True)}  # noqa: E712
    assert sorted(a.username for a in roster) == sorted(active)  # each once, all of them
    assert len(roster) > 40  # more than a login can show at 80×24
    managed = _codes(cast(Any, GridL4.select(Staff.username, GridL4.code).join(Staff).tuples()))
    led = _codes(cast(Any, GridL3.select(Staff.username, GridL3.code).join(Staff).tuples()))
    for account in roster:
        staff = active[account.username]
        assert account.role == staff.role
        assert account.name == staff.display_name
        assert account.password == PASSWORDS[Role(staff.role)]  # the generator's
        assert sorted(account.grids) == sorted(managed.get(account.username, []))
        assert sorted(account.leads) == sorted(led.get(account.username, []))
        if staff.role == Role.GRID_MANAGER:
            assert account.grids and account.where == cast(Any, staff.community).name
    assert roster[0].username == "admin"  # the office first, then community by community
    assert sum(len(a.grids) for a in roster) == GridL4.select().count()


def test_a_grid_finds_its_manager_only(demo_db: SqliteDatabase) -> None:
    roster = demo_roster()
    holder = cast(Any, GridL4.get(GridL4.code == "8-1").manager).username
    assert [a.username for a in filter_roster(roster, " 8-1 ")] == [holder]
    level3 = filter_roster(roster, "8")  # the leader of grid 8 and the managers of its grids
    assert {a.username for a in level3} == {
        cast(Any, g.manager).username
        for g in GridL4.select().join(GridL3).where(GridL3.code == "8")
    }
    assert [a.username for a in filter_roster(roster, "desk-lj")] == ["desk-lj-1", "desk-lj-2"]
    reception = filter_roster(roster, "前台", {"reception": "前台"})
    assert {a.role for a in reception} == {"reception"}
    assert filter_roster(roster, "") == roster


def test_a_changed_password_is_not_listed(demo_copy: SqliteDatabase) -> None:
    Staff.update(password_hash=hash_password("changed-it")).where(
        Staff.username == "gm-lj-02"
    ).execute()
    Staff.update(active=False).where(Staff.username == "gm-lj-03").execute()
    roster = {a.username: a for a in demo_roster()}
    assert roster["gm-lj-02"].password is None and roster["gm-lj-02"].grids == ("1-2",)
    assert roster["gm-lj-01"].password == "grid2026"
    assert "gm-lj-03" not in roster  # disabled: cannot sign in


def test_nothing_for_a_database_that_is_not_a_demo(demo_copy: SqliteDatabase) -> None:
    Setting.delete().where(Setting.key == DEMO_ACCOUNTS_SETTING).execute()
    assert Staff.select().count() > 40
    assert demo_roster() == []  # real accounts are never listed


def test_nothing_for_an_empty_database(empty_db: SqliteDatabase) -> None:
    assert demo_roster() == []
