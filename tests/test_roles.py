"""The rules inside one community that roles alone do not say: a grid manager's own grids, the
subdistrict office's level, who may hold a request, disabled and reset accounts.

Every service called as every role on a record of its own and of another community — the full
matrix, where a crash fails and only ``PermissionDenied`` refuses — is ``tests/test_scope.py``."""

from __future__ import annotations

from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.db.models import Flat, GridL4, Household, Request, Resident
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied, grids_of
from frontdesk.requests import detail as request_detail
from frontdesk.requests import intake, lifecycle
from frontdesk.requests.lifecycle import escalate_row
from frontdesk.residents import editing
from frontdesk.residents.detail import get_detail
from frontdesk.vocabulary import Level, Role
from tests.conftest import DEMO_NOW, DEMO_TODAY

NOW = DEMO_NOW


def _staff(role: str) -> int:
    """The demo's first active staff member of ``role`` (gm-lj-01 for grid managers)."""
    from tests.roles import staff_of

    return staff_of(role)


def _grid_manager_grid() -> int:
    return min(grids_of(_staff(Role.GRID_MANAGER)))


def _living_in(grid_id: int, *, other: bool = False) -> Any:
    """A living resident (not a head) in ``grid_id`` — or, with ``other``, outside it."""
    grid_test = Flat.grid_l4 != grid_id if other else Flat.grid_l4 == grid_id
    return (
        Resident.select(Resident)
        .join(Household, on=(Resident.household == Household.id))
        .join(Flat, on=(Household.flat == Flat.id))
        .where(grid_test & (Resident.status == "living") & (Resident.relation != "head"))
        .order_by(Resident.id)
        .first()
    )


def _request_in(grid_id: int, level: str) -> int:
    """A fresh request in ``grid_id`` raised to ``level`` (by the program's own escalation)."""
    flat = Flat.select().where(Flat.grid_l4 == grid_id).first()
    logged = intake.create_request(
        intake.RequestInput(
            category="lighting",
            urgency="normal",
            description="楼道灯不亮",
            reporter=intake.Reporter("来访者", "13900000000"),
            place=intake.Place(flat_id=flat.id),
        ),
        actor_id=_staff(Role.RECEPTION),
        now=NOW,
    )
    for _ in range([lv.value for lv in Level].index(level)):
        row = Request.get_by_id(logged.id)
        escalate_row(row, "测试上报", actor_id=None, now=NOW)
    return logged.id


def _version(request_id: int) -> int:
    return int(Request.get_by_id(request_id).version)


@pytest.fixture
def world(demo_copy: SqliteDatabase) -> dict[str, Any]:
    grid = _grid_manager_grid()
    person = _living_in(grid)
    community = GridL4.get_by_id(grid).grid_l3.community_id
    return {
        "grid": grid,
        "person": person,
        "community": community,
        "request": _request_in(grid, Level.SUBDISTRICT.value),
    }


# -- residents ---------------------------------------------------------------------------------


def test_a_grid_manager_edits_only_their_own_grids(world: dict[str, Any]) -> None:
    manager = _staff(Role.GRID_MANAGER)
    outsider = _living_in(world["grid"], other=True)
    other_grids = set(grids_of(manager))
    assert Flat.get_by_id(Household.get_by_id(outsider.household_id).flat_id).grid_l4_id not in (
        other_grids
    )
    with pytest.raises(PermissionDenied) as refused:
        editing.update_resident(
            outsider.id, outsider.version, {"notes": "x"}, actor_id=manager, now=NOW
        )
    assert "自己网格" in str(refused.value)
    mine = world["person"]
    editing.update_resident(
        mine.id, mine.version, {"notes": "网格员改的"}, actor_id=manager, now=NOW
    )
    assert Resident.get_by_id(mine.id).notes == "网格员改的"


# -- requests ----------------------------------------------------------------------------------


def test_the_subdistrict_acts_only_on_requests_escalated_to_it(world: dict[str, Any]) -> None:
    office = _staff(Role.SUBDISTRICT)
    grid_level = _request_in(world["grid"], Level.GRID.value)
    with pytest.raises(PermissionDenied) as refused:
        lifecycle.add_note(grid_level, "街道看看", actor_id=office, now=NOW)
    assert "街道" in str(refused.value)
    with pytest.raises(PermissionDenied):
        lifecycle.start(grid_level, _version(grid_level), actor_id=office, now=NOW)
    # but reads it (masked) like everything else
    assert request_detail.get_request(grid_level, NOW, actor_id=office).number
    ours = world["request"]
    lifecycle.start(ours, _version(ours), actor_id=office, now=NOW)
    assert Request.get_by_id(ours).status == "in_progress"


def test_a_grid_manager_handles_what_they_hold_or_their_grids_have(world: dict[str, Any]) -> None:
    manager = _staff(Role.GRID_MANAGER)
    elsewhere: Any = (
        GridL4.select().where(GridL4.id.not_in(list(grids_of(manager)))).order_by(GridL4.id).first()
    )
    theirs = _request_in(elsewhere.id, Level.GRID.value)
    with pytest.raises(PermissionDenied) as refused:
        lifecycle.start(theirs, _version(theirs), actor_id=manager, now=NOW)
    assert "自己承办" in str(refused.value)
    # handed to them, it is theirs to hold
    lifecycle.reassign(
        theirs, _version(theirs), manager, "代班", actor_id=_staff(Role.RECEPTION), now=NOW
    )
    lifecycle.start(theirs, _version(theirs), actor_id=manager, now=NOW)
    assert Request.get_by_id(theirs).status == "in_progress"


def test_reception_cannot_be_handed_a_request(world: dict[str, Any]) -> None:
    rid = _request_in(world["grid"], Level.GRID.value)
    desk = _staff(Role.RECEPTION)
    with pytest.raises(UserError, match="不能承办"):
        lifecycle.reassign(
            rid, _version(rid), desk, "试试", actor_id=_staff(Role.SUPERVISOR), now=NOW
        )


def test_a_disabled_account_is_refused_from_its_next_call(world: dict[str, Any]) -> None:
    from frontdesk.db.models import Staff

    desk = _staff(Role.RECEPTION)
    Staff.update(active=False).where(Staff.id == desk).execute()
    with pytest.raises(UserError, match="停用"):
        lifecycle.add_note(world["request"], "还能写吗", actor_id=desk, now=NOW)
    with pytest.raises(UserError, match="登录"):
        lifecycle.add_note(world["request"], "没人登录", actor_id=None, now=NOW)


def test_a_reset_password_opens_nothing_until_changed(world: dict[str, Any]) -> None:
    from frontdesk.db.models import Staff

    desk = _staff(Role.RECEPTION)
    Staff.update(must_change_password=True).where(Staff.id == desk).execute()
    with pytest.raises(UserError, match="新密码"):
        get_detail(world["person"].id, DEMO_TODAY, actor_id=desk)


def test_the_subdistrict_holds_only_what_reached_it(world: dict[str, Any]) -> None:
    rid = _request_in(world["grid"], Level.COMMUNITY.value)
    with pytest.raises(UserError, match="街道"):
        lifecycle.reassign(
            rid,
            _version(rid),
            _staff(Role.SUBDISTRICT),
            "给街道",
            actor_id=_staff(Role.SUPERVISOR),
            now=NOW,
        )


def test_an_escalated_request_leaves_the_grid_managers_hands(world: dict[str, Any]) -> None:
    manager = _staff(Role.GRID_MANAGER)
    rid = _request_in(world["grid"], Level.COMMUNITY.value)  # their grid, gone up to the community
    assert Request.get_by_id(rid).holder_id != manager
    with pytest.raises(PermissionDenied):
        lifecycle.resolve(rid, _version(rid), "我来办结", "grid", actor_id=manager, now=NOW)
    lifecycle.add_note(rid, "网格员补充情况", actor_id=manager, now=NOW)  # following up still works
    at_grid = _request_in(world["grid"], Level.GRID.value)  # still at the grid: theirs
    lifecycle.start(at_grid, _version(at_grid), actor_id=manager, now=NOW)
    lifecycle.resolve(at_grid, _version(at_grid), "换了灯泡", "grid", actor_id=manager, now=NOW)
    assert Request.get_by_id(at_grid).status == "resolved"
