"""Staff management without Textual: who may do it, accounts created, disabled, reset and
edited, grids handed from one grid manager to another, and every refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk import auth
from frontdesk.auth.passwords import verify_password
from frontdesk.db.models import AuditEntry, GridL3, GridL4, Staff
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import PermissionDenied
from frontdesk.requests.routing import holder_for
from frontdesk.residents.validation import ValidationFailed
from frontdesk.staff import (
    NewStaff,
    StaffInput,
    StaffRow,
    StaffUpdate,
    create_staff,
    get_staff,
    grid_choices,
    list_staff,
    reset_password,
    set_active,
    update_staff,
)
from frontdesk.vocabulary import Level, Role
from tests.conftest import ADMIN, DEMO_NOW, GRID_MANAGER, RECEPTION, SUPERVISOR
from tests.roles import staff_of

LATER = DEMO_NOW + timedelta(minutes=5)


def _id(username: str) -> int:
    return int(Staff.get(Staff.username == username).id)


def _staff(staff_id: int) -> Any:
    return Staff.get_by_id(staff_id)


def _community() -> int:
    lead: Any = Staff.get(Staff.username == SUPERVISOR)
    return int(lead.community_id)


def _row(username: str) -> StaffRow:
    return get_staff(_id(username), actor_id=staff_of("supervisor"), now=DEMO_NOW)


def _update(row: StaffRow, **changes: Any) -> StaffUpdate:
    values: dict[str, Any] = {
        "display_name": row.name,
        "role": row.role,
        "phone": row.phone,
        "grid_ids": frozenset(row.grid_ids),
        "away": row.away,
    }
    values.update(changes)
    return StaffUpdate(**values)


def _grid(code: str) -> Any:
    return GridL4.get(GridL4.code == code)


def _audit_count(staff_id: int) -> int:
    return int(
        AuditEntry.select()
        .where((AuditEntry.entity == "staff") & (AuditEntry.entity_id == staff_id))
        .count()
    )


def _last_audit(staff_id: int) -> Any:
    return (
        AuditEntry.select()
        .where((AuditEntry.entity == "staff") & (AuditEntry.entity_id == staff_id))
        .order_by(AuditEntry.id.desc())
        .first()
    )


def _new(username: str = "xiao.li", role: str = Role.RECEPTION.value, **more: Any) -> NewStaff:
    return create_staff(
        StaffInput(username=username, display_name="李小红", role=role, **more),
        actor_id=staff_of("supervisor"),
        now=DEMO_NOW,
    )


# ---------------------------------------------------------------------------------- who may


def _calls(actor: int) -> list[Callable[[], object]]:
    """Every function once, each on its own target so the allowed calls all succeed."""
    desk = _row(RECEPTION)
    other_desk = get_staff(_id("desk-lj-2"), actor_id=staff_of("supervisor"))
    return [
        lambda: list_staff(actor_id=actor, now=DEMO_NOW),
        lambda: get_staff(desk.id, actor_id=actor, now=DEMO_NOW),
        lambda: grid_choices(_community(), actor_id=actor),
        lambda: create_staff(
            StaffInput(username=f"new.{actor}", display_name="王芳", role="reception"),
            actor_id=actor,
            now=DEMO_NOW,
        ),
        lambda: update_staff(
            desk.id, desk.version, _update(desk, phone="13900001111"), actor_id=actor, now=DEMO_NOW
        ),
        lambda: set_active(other_desk.id, other_desk.version, False, actor_id=actor, now=DEMO_NOW),
        lambda: reset_password(desk.id, actor_id=actor, now=DEMO_NOW),
    ]


@pytest.mark.parametrize("role", ["reception", "grid_manager", "subdistrict"])
def test_roles_without_manage_staff_are_refused_everything(
    demo_copy: SqliteDatabase, role: str
) -> None:
    actor = staff_of(role)
    before = AuditEntry.select().count()
    for call in _calls(actor):
        with pytest.raises(PermissionDenied):
            call()
    assert AuditEntry.select().count() == before
    assert not Staff.select().where(Staff.username == f"new.{actor}").exists()


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisor_and_admin_may_do_everything(demo_copy: SqliteDatabase, role: str) -> None:
    actor = staff_of(role)
    for call in _calls(actor):
        call()
    assert Staff.get(Staff.username == f"new.{actor}").must_change_password
    assert Staff.get(Staff.username == RECEPTION).phone == "13900001111"
    assert not Staff.get(Staff.username == "desk-lj-2").active


def test_nobody_signed_in_is_refused(demo_copy: SqliteDatabase) -> None:
    with pytest.raises(UserError) as refused:
        list_staff(actor_id=None, now=DEMO_NOW)
    assert refused.value.key == "perm.no_operator"


# ---------------------------------------------------------------------------------- the list


def test_the_list_by_role_then_user_name(demo_copy: SqliteDatabase) -> None:
    rows = list_staff(actor_id=staff_of("supervisor"), now=DEMO_NOW)
    order = [r.value for r in Role]
    assert [(order.index(r.role), r.username) for r in rows] == sorted(
        (order.index(r.role), r.username) for r in rows
    )
    # their community's staff and (read-only, to confirm) the subdistrict office; no admins
    assert {r.role for r in rows} == set(order) - {"admin"}
    manager = next(r for r in rows if r.username == GRID_MANAGER)
    assert manager.grids == ("1-1",) and manager.grid_ids == (_grid("1-1").id,)
    assert manager.active and not manager.locked and not manager.must_change_password
    supervisor = next(r for r in rows if r.username == SUPERVISOR)
    assert supervisor.grids == () and supervisor.role == "supervisor"


def test_the_list_shows_locks_and_can_leave_out_disabled(demo_copy: SqliteDatabase) -> None:
    Staff.update(locked_until=DEMO_NOW + timedelta(minutes=10)).where(
        Staff.username == RECEPTION
    ).execute()
    Staff.update(active=False).where(Staff.username == "desk-lj-2").execute()
    rows = {r.username: r for r in list_staff(actor_id=staff_of("supervisor"), now=DEMO_NOW)}
    assert rows[RECEPTION].locked and not rows["desk-lj-2"].active
    later = list_staff(actor_id=staff_of("supervisor"), now=DEMO_NOW + timedelta(hours=1))
    assert not next(r for r in later if r.username == RECEPTION).locked  # the lock ran out
    active = list_staff(actor_id=staff_of("supervisor"), now=DEMO_NOW, include_disabled=False)
    assert "desk-lj-2" not in {r.username for r in active}


def test_grid_choices_name_the_current_managers(demo_copy: SqliteDatabase) -> None:
    grids = grid_choices(_community(), actor_id=staff_of("supervisor"))
    assert len(grids) == 40 and grids[0].code == "1-1"
    codes = [g.code for g in grids]
    assert codes.index("1-2") < codes.index("1-3")
    first = grids[0]
    assert first.manager_id == _id(GRID_MANAGER)
    assert first.manager_name == Staff.get_by_id(first.manager_id).display_name


# ---------------------------------------------------------------------------------- creating


def test_a_new_account_signs_in_with_its_temporary_password(demo_copy: SqliteDatabase) -> None:
    new = _new(username="  Xiao.Li ", phone="138 0000 1234")
    assert new.username == "xiao.li"
    row: Any = Staff.get_by_id(new.id)
    assert row.password_hash != new.temporary_password
    assert verify_password(new.temporary_password, row.password_hash)
    assert (row.role, row.display_name, row.phone) == ("reception", "李小红", "13800001234")
    assert row.community_id == _community() and row.subdistrict_id is None
    assert row.must_change_password and row.active
    operator = auth.sign_in("xiao.li", new.temporary_password, now=LATER)
    assert operator.id == new.id and operator.must_change_password
    entry = _last_audit(new.id)
    assert entry.action == "auth.sign_in"
    created = AuditEntry.get(
        (AuditEntry.entity_id == new.id) & (AuditEntry.action == "staff.created")
    )
    assert created.actor_id == staff_of("supervisor")
    assert new.temporary_password not in created.detail


def test_temporary_passwords_differ_and_meet_the_rules(demo_copy: SqliteDatabase) -> None:
    first, second = _new("first.one"), _new("second.one")
    assert first.temporary_password != second.temporary_password
    for new in (first, second):
        auth.check_new_password(new.username, new.temporary_password)


def test_a_subdistrict_account_gets_the_subdistrict_of_the_community(
    demo_copy: SqliteDatabase,
) -> None:
    new = create_staff(
        StaffInput(username="jd.new", display_name="李小红", role=Role.SUBDISTRICT.value),
        actor_id=_id(ADMIN),
        now=DEMO_NOW,
    )
    row: Any = Staff.get_by_id(new.id)
    supervisor: Any = Staff.get(Staff.username == SUPERVISOR)
    assert row.community_id is None
    assert row.subdistrict_id == supervisor.community.subdistrict_id


def test_the_admin_creates_staff_of_the_community(demo_copy: SqliteDatabase) -> None:
    new = create_staff(
        StaffInput(username="desk.new", display_name="赵敏", role="reception"),
        actor_id=staff_of("admin"),
        now=DEMO_NOW,
    )
    assert _staff(new.id).community_id == _community()


@pytest.mark.parametrize(
    ("username", "name", "role", "phone", "field"),
    [
        ("ab", "王芳", "reception", "", "username"),
        ("x" * 33, "王芳", "reception", "", "username"),
        ("wang fang", "王芳", "reception", "", "username"),
        ("王芳", "王芳", "reception", "", "username"),
        (RECEPTION, "王芳", "reception", "", "username"),
        ("wang.fang", "  ", "reception", "", "display_name"),
        ("wang.fang", "王" * 41, "reception", "", "display_name"),
        ("wang.fang", "王芳", "boss", "", "role"),
        ("wang.fang", "王芳", "reception", "12345", "phone"),
    ],
)
def test_creating_refuses_each_bad_field(
    demo_copy: SqliteDatabase, username: str, name: str, role: str, phone: str, field: str
) -> None:
    before = Staff.select().count()
    with pytest.raises(ValidationFailed) as refused:
        create_staff(
            StaffInput(username=username, display_name=name, role=role, phone=phone),
            actor_id=staff_of("supervisor"),
            now=DEMO_NOW,
        )
    assert set(refused.value.validation.errors) == {field}
    assert Staff.select().count() == before


def test_a_taken_user_name_says_so(demo_copy: SqliteDatabase) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _new(RECEPTION)
    assert refused.value.validation.errors["username"].text() == _("staff.username_taken")


def test_a_new_grid_manager_takes_a_grid_from_its_manager(demo_copy: SqliteDatabase) -> None:
    grid = _grid("2-1")
    previous: Any = Staff.get_by_id(grid.manager_id)
    new = _new("gm.new", role=Role.GRID_MANAGER.value, grid_ids=frozenset({grid.id}))
    assert _grid("2-1").manager_id == new.id
    detail = _last_audit(new.id).detail
    assert "2-1" in detail and previous.display_name in detail
    assert Staff.get_by_id(previous.id).version == previous.version + 1
    assert _last_audit(previous.id).action == "staff.grids_taken"


def test_only_grid_managers_get_grids(demo_copy: SqliteDatabase) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _new(grid_ids=frozenset({_grid("2-1").id}))
    assert set(refused.value.validation.errors) == {"grids"}


# ---------------------------------------------------------------------------------- editing


def test_editing_name_phone_role_and_away(demo_copy: SqliteDatabase) -> None:
    desk = _row(RECEPTION)
    audits = _audit_count(desk.id)
    version = update_staff(
        desk.id,
        desk.version,
        _update(desk, display_name="钱多多", phone="0358-1234567", role="supervisor", away=True),
        actor_id=staff_of("supervisor"),
        now=DEMO_NOW,
    )
    row: Any = Staff.get_by_id(desk.id)
    assert version == desk.version + 1 == row.version
    assert (row.display_name, row.phone, row.role, row.away) == (
        "钱多多",
        "0358-1234567",
        "supervisor",
        True,
    )
    assert _audit_count(desk.id) == audits + 1
    entry = _last_audit(desk.id)
    assert entry.action == "staff.updated" and "钱多多" in entry.detail


def test_saving_unchanged_values_writes_nothing(demo_copy: SqliteDatabase) -> None:
    desk = _row(RECEPTION)
    audits = _audit_count(desk.id)
    same = update_staff(
        desk.id, desk.version, _update(desk), actor_id=staff_of("supervisor"), now=DEMO_NOW
    )
    assert same == desk.version and _audit_count(desk.id) == audits


def test_a_stale_copy_is_refused_naming_who_changed_it(demo_copy: SqliteDatabase) -> None:
    desk = _row(RECEPTION)
    first, second = _id(SUPERVISOR), _id("lead-lj-2")
    update_staff(
        desk.id, desk.version, _update(desk, phone="13900001111"), actor_id=first, now=DEMO_NOW
    )
    with pytest.raises(UserError) as refused:
        update_staff(desk.id, desk.version, _update(desk, away=True), actor_id=second, now=LATER)
    error = refused.value
    first_name = Staff.get_by_id(first).display_name
    assert error.key == "staff.changed_elsewhere"
    assert (error.params["name"], error.params["who"]) == (desk.name, first_name)
    assert f"{DEMO_NOW:%m-%d %H:%M}" in str(error.params["at"])
    assert first_name in str(error) and desk.name in str(error)
    with pytest.raises(UserError) as again:
        set_active(desk.id, desk.version, False, actor_id=second, now=LATER)
    assert again.value.key == "staff.changed_elsewhere"
    assert Staff.get_by_id(desk.id).active and not Staff.get_by_id(desk.id).away


def test_nobody_changes_their_own_role(demo_copy: SqliteDatabase) -> None:
    me = _row(SUPERVISOR)
    with pytest.raises(ValidationFailed) as refused:
        update_staff(me.id, me.version, _update(me, role="reception"), actor_id=me.id, now=DEMO_NOW)
    assert refused.value.validation.errors["role"].key == "staff.own_role"
    # their own name and phone they may change
    update_staff(me.id, me.version, _update(me, phone="13900002222"), actor_id=me.id, now=DEMO_NOW)


def test_a_grid_handed_to_another_manager(demo_copy: SqliteDatabase) -> None:
    giver, taker = _row("gm-lj-01"), _row("gm-lj-02")
    grid = _grid("1-1")
    supervisor = staff_of("supervisor")
    taker_audits = _audit_count(taker.id)
    update_staff(
        taker.id,
        taker.version,
        _update(taker, grid_ids=frozenset({*taker.grid_ids, grid.id})),
        actor_id=supervisor,
        now=DEMO_NOW,
    )
    assert _grid("1-1").manager_id == taker.id
    assert _row("gm-lj-02").grids == ("1-1", "1-2")
    assert _row("gm-lj-01").grids == ()
    assert _audit_count(taker.id) == taker_audits + 1
    detail = _last_audit(taker.id).detail
    assert "1-1" in detail and giver.name in detail and str(giver.id) in detail
    taken = _last_audit(giver.id)
    assert taken.action == "staff.grids_taken" and taker.name in taken.detail
    # the giver's open form is stale now: it cannot give the grid back unseen
    with pytest.raises(UserError) as refused:
        update_staff(giver.id, giver.version, _update(giver), actor_id=supervisor, now=LATER)
    assert refused.value.key == "staff.changed_elsewhere"
    # requests of the grid go to its new manager
    assert holder_for(grid.id, Level.GRID).staff_id == taker.id


def test_a_grid_is_never_left_without_a_manager(demo_copy: SqliteDatabase) -> None:
    manager = _row(GRID_MANAGER)
    supervisor = staff_of("supervisor")
    with pytest.raises(ValidationFailed) as refused:
        update_staff(
            manager.id,
            manager.version,
            _update(manager, grid_ids=frozenset()),
            actor_id=supervisor,
            now=DEMO_NOW,
        )
    message = refused.value.validation.errors["grids"]
    assert message.key == "staff.grid_left_without_manager" and "1-1" in message.text()
    # nor by making its manager someone else
    with pytest.raises(ValidationFailed) as refused:
        update_staff(
            manager.id,
            manager.version,
            _update(manager, role="reception"),
            actor_id=supervisor,
            now=DEMO_NOW,
        )
    assert refused.value.validation.errors["role"].key == "staff.reassign_grids_first"
    assert _grid("1-1").manager_id == manager.id


def test_once_their_grids_are_handed_on_a_manager_can_change_role(
    demo_copy: SqliteDatabase,
) -> None:
    giver, taker = _row("gm-lj-01"), _row("gm-lj-02")
    supervisor = staff_of("supervisor")
    update_staff(
        taker.id,
        taker.version,
        _update(taker, grid_ids=frozenset({*taker.grid_ids, *giver.grid_ids})),
        actor_id=supervisor,
        now=DEMO_NOW,
    )
    giver = _row("gm-lj-01")
    update_staff(
        giver.id,
        giver.version,
        _update(giver, role="reception", grid_ids=frozenset()),
        actor_id=supervisor,
        now=DEMO_NOW,
    )
    assert Staff.get_by_id(giver.id).role == "reception"


def test_grids_of_another_community_or_for_a_disabled_account_are_refused(
    demo_copy: SqliteDatabase,
) -> None:
    manager = _row("gm-lj-02")
    supervisor = staff_of("supervisor")
    with pytest.raises(ValidationFailed) as refused:
        update_staff(
            manager.id,
            manager.version,
            _update(manager, grid_ids=frozenset({*manager.grid_ids, 999_999})),
            actor_id=supervisor,
            now=DEMO_NOW,
        )
    assert refused.value.validation.errors["grids"].key == "staff.unknown_grid"


def test_away_sends_the_grids_requests_to_the_level_3_leader(demo_copy: SqliteDatabase) -> None:
    grid = _grid("1-1")
    l3: Any = GridL3.get_by_id(grid.grid_l3_id)
    manager = Staff.get_by_id(grid.manager_id)
    if l3.leader_id == manager.id:  # the leader is away too: take another grid of the demo
        grid = next(
            g
            for g in GridL4.select().where(GridL4.grid_l3 == l3.id)
            if g.manager_id != l3.leader_id
        )
    row = get_staff(grid.manager_id, actor_id=staff_of("supervisor"))
    update_staff(
        row.id, row.version, _update(row, away=True), actor_id=staff_of("supervisor"), now=DEMO_NOW
    )
    holder = holder_for(grid.id, Level.GRID)
    assert holder.staff_id == l3.leader_id and holder.standing_in


# ---------------------------------------------------------------------------------- disabling


def test_a_disabled_account_cannot_sign_in_and_is_kept(demo_copy: SqliteDatabase) -> None:
    new = _new()
    row = get_staff(new.id, actor_id=staff_of("supervisor"), now=DEMO_NOW)
    audits = _audit_count(new.id)
    version = set_active(new.id, row.version, False, actor_id=staff_of("supervisor"), now=LATER)
    assert _audit_count(new.id) == audits + 1 and _last_audit(new.id).action == "staff.disabled"
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(new.username, new.temporary_password, now=LATER)
    assert Staff.get_by_id(new.id).active is False  # still there
    set_active(new.id, version, True, actor_id=staff_of("supervisor"), now=LATER)
    assert _last_audit(new.id).action == "staff.enabled"
    assert auth.sign_in(new.username, new.temporary_password, now=LATER).id == new.id


def test_a_disabled_supervisor_is_refused_at_once(demo_copy: SqliteDatabase) -> None:
    second = _row("lead-lj-2")
    set_active(second.id, second.version, False, actor_id=_id(SUPERVISOR), now=DEMO_NOW)
    with pytest.raises(UserError) as refused:
        list_staff(actor_id=second.id, now=DEMO_NOW)
    assert refused.value.key == "perm.no_operator"


def test_nobody_disables_themself(demo_copy: SqliteDatabase) -> None:
    me = _row(SUPERVISOR)
    with pytest.raises(UserError) as refused:
        set_active(me.id, me.version, False, actor_id=me.id, now=DEMO_NOW)
    assert refused.value.key == "staff.cannot_disable_self"
    assert Staff.get_by_id(me.id).active


def test_the_last_active_supervisor_stays(demo_copy: SqliteDatabase) -> None:
    admin = _id(ADMIN)
    second = _row("lead-lj-2")
    set_active(second.id, second.version, False, actor_id=admin, now=DEMO_NOW)
    last = _row(SUPERVISOR)
    with pytest.raises(UserError) as refused:
        set_active(last.id, last.version, False, actor_id=admin, now=DEMO_NOW)
    assert refused.value.key == "staff.last_supervisor"
    with pytest.raises(PermissionDenied):  # and an admin does not demote the leadership
        update_staff(
            last.id, last.version, _update(last, role="reception"), actor_id=admin, now=DEMO_NOW
        )
    assert Staff.get_by_id(last.id).active and Staff.get_by_id(last.id).role == "supervisor"


def test_an_admin_cannot_make_or_open_a_leadership_account(demo_copy: SqliteDatabase) -> None:
    admin = _id(ADMIN)
    lead = _row(SUPERVISOR)
    with pytest.raises(PermissionDenied) as refused:
        reset_password(lead.id, actor_id=admin, now=DEMO_NOW)
    assert "社区负责人" in str(refused.value)
    desk = _row(RECEPTION)
    with pytest.raises(PermissionDenied):
        update_staff(
            desk.id, desk.version, _update(desk, role="supervisor"), actor_id=admin, now=DEMO_NOW
        )
    assert reset_password(desk.id, actor_id=admin, now=DEMO_NOW) is None  # waits: see below
    assert reset_password(lead.id, actor_id=staff_of("supervisor"), now=DEMO_NOW)


def test_the_last_active_admin_stays(demo_copy: SqliteDatabase) -> None:
    """Only an administrator manages administrators, and nobody disables themself: the last
    active administrator cannot go."""
    admin = get_staff(_id(ADMIN), actor_id=_id(ADMIN))
    with pytest.raises(PermissionDenied) as refused:
        set_active(admin.id, admin.version, False, actor_id=staff_of("supervisor"), now=DEMO_NOW)
    assert refused.value.params["scope"] == "perm.scope.own_staff"
    with pytest.raises(UserError) as own:
        set_active(admin.id, admin.version, False, actor_id=admin.id, now=DEMO_NOW)
    assert own.value.key == "staff.cannot_disable_self"
    second = create_staff(
        StaffInput(username="admin.two", display_name="李小红", role=Role.ADMIN.value),
        actor_id=admin.id,
        now=DEMO_NOW,
    )
    assert not second.pending and second.temporary_password  # reads no residents
    assert get_staff(second.id, actor_id=admin.id).community_id is None
    auth.change_password(second.id, second.temporary_password, "a new secret 1", now=DEMO_NOW)
    set_active(admin.id, admin.version, False, actor_id=second.id, now=DEMO_NOW)
    assert not Staff.get_by_id(admin.id).active


def test_a_grid_manager_with_grids_is_not_disabled(demo_copy: SqliteDatabase) -> None:
    manager = _row(GRID_MANAGER)
    with pytest.raises(UserError) as refused:
        set_active(manager.id, manager.version, False, actor_id=staff_of("supervisor"), now=LATER)
    assert refused.value.key == "staff.still_manages_grids"
    assert "1-1" in str(refused.value) and manager.name in str(refused.value)
    assert Staff.get_by_id(manager.id).active


# ---------------------------------------------------------------------------------- passwords


def test_a_reset_clears_a_lock_and_must_be_changed(demo_copy: SqliteDatabase) -> None:
    desk_id = _id(RECEPTION)
    for _attempt in range(5):
        with pytest.raises(auth.SignInFailed):
            auth.sign_in(RECEPTION, "wrong password", now=DEMO_NOW)
    locked: Any = Staff.get_by_id(desk_id)
    assert locked.locked_until is not None and _row(RECEPTION).locked
    audits = _audit_count(desk_id)
    password = reset_password(desk_id, actor_id=staff_of("supervisor"), now=LATER)
    assert password is not None
    row: Any = Staff.get_by_id(desk_id)
    assert (row.failed_logins, row.locked_until, row.must_change_password) == (0, None, True)
    assert _audit_count(desk_id) == audits + 1
    assert _last_audit(desk_id).action == "staff.password_reset"
    assert password not in _last_audit(desk_id).detail
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(RECEPTION, "desk2026", now=LATER)  # the old one no longer opens
    operator = auth.sign_in(RECEPTION, password, now=LATER)
    assert operator.must_change_password
    operator = auth.change_password(desk_id, password, "a new secret 1", now=LATER)
    assert not operator.must_change_password
