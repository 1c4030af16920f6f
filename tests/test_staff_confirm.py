"""No role lifts itself, and staff stay in their community: every (actor role, target role,
action) triple, the four-eyes rule, and each action on a staff member of another community."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk import auth
from frontdesk.auth.passwords import hash_password
from frontdesk.clock import FixedClock
from frontdesk.db import migrations
from frontdesk.db.connection import open_database
from frontdesk.db.models import AuditEntry, Community, Staff, Subdistrict
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied, load_operator
from frontdesk.staff import (
    StaffInput,
    StaffUpdate,
    confirm_staff,
    create_staff,
    get_staff,
    grid_choices,
    list_staff,
    reset_password,
    set_active,
    update_staff,
)
from frontdesk.vocabulary import Role
from tests.conftest import ADMIN, DEMO_NOW, RECEPTION, SUPERVISOR
from tests.roles import staff_of

ROLES = [role.value for role in Role]
READERS = {"reception", "grid_manager", "supervisor", "subdistrict"}
ACTIONS = ["create", "enable", "role", "reset", "confirm"]
USABLE, PENDING, REFUSED = "allowed & usable", "allowed but pending", "refused"
KNOWN = "known secret 1"
_HASH = hash_password(KNOWN)


def expected(actor: str, target: str, action: str) -> str:
    """The rule, written out: see README "Who is at the keyboard"."""
    if actor not in ("supervisor", "admin"):
        return REFUSED  # no staff management at all
    if action == "confirm":  # only the leadership, of accounts that read residents
        return USABLE if actor == "supervisor" and target in READERS else REFUSED
    if actor == "supervisor":  # their own community's staff; they read residents themselves
        return USABLE if target in ("reception", "grid_manager", "supervisor") else REFUSED
    if target == "admin":  # an admin account reads no residents
        return USABLE
    if target == "supervisor":  # only the leadership makes, promotes or resets the leadership
        return PENDING if action == "enable" else REFUSED
    return PENDING


def _home() -> Any:
    return Staff.get(Staff.username == SUPERVISOR).community


_made = itertools.count(1)


def _account(
    role: str,
    *,
    community: Any = None,
    active: bool = True,
    pending_by: int | None = None,
) -> int:
    """An account put straight into the table (with the password ``KNOWN``)."""
    community = community or _home()
    home, subdistrict = community.id, None
    if role == "subdistrict":
        home, subdistrict = None, community.subdistrict_id
    elif role == "admin":
        home = None
    return int(
        Staff.insert(
            username=f"t.{role.replace('_', '')}.{next(_made)}",
            display_name="测试人",
            role=role,
            community=home,
            subdistrict=subdistrict,
            password_hash=_HASH,
            active=active,
            created_at=DEMO_NOW,
            updated_at=DEMO_NOW,
            pending_change="created" if pending_by else None,
            pending_by=pending_by,
            pending_since=DEMO_NOW if pending_by else None,
        ).execute()
    )


def _row_of(staff_id: int) -> Any:
    return Staff.get_by_id(staff_id)


def _version(staff_id: int) -> int:
    return int(Staff.get_by_id(staff_id).version)


def _act(actor_id: int, target: str, action: str) -> tuple[int | None, str | None]:
    """Do ``action`` as ``actor_id`` on an account of role ``target``: (its id, the password
    it should open with now)."""
    community = _home()
    if action == "create":
        new = create_staff(
            StaffInput(
                username=f"n.{next(_made)}",
                display_name="王芳",
                role=target,
                community_id=community.id,
            ),
            actor_id=actor_id,
            now=DEMO_NOW,
        )
        return new.id, new.temporary_password or None
    if action == "enable":
        staff_id = _account(target, active=False)
        set_active(staff_id, _version(staff_id), True, actor_id=actor_id, now=DEMO_NOW)
        return staff_id, KNOWN
    if action == "role":
        staff_id = _account("grid_manager" if target == "reception" else "reception")
        update = StaffUpdate(display_name="测试人", role=target)
        update_staff(staff_id, _version(staff_id), update, actor_id=actor_id, now=DEMO_NOW)
        return staff_id, KNOWN
    if action == "reset":
        staff_id = _account(target)
        return staff_id, reset_password(staff_id, actor_id=actor_id, now=DEMO_NOW)
    staff_id = _account(target, pending_by=staff_of("admin"))
    return staff_id, confirm_staff(staff_id, _version(staff_id), actor_id=actor_id, now=DEMO_NOW)


def _outcome(actor_id: int, target: str, action: str) -> str:
    before = AuditEntry.select().count()
    accounts = Staff.select().count()
    try:
        staff_id, password = _act(actor_id, target, action)
    except PermissionDenied:
        changed = Staff.select().count() - accounts - (0 if action == "create" else 1)
        assert AuditEntry.select().count() == before and changed == 0  # nothing written
        return REFUSED
    assert staff_id is not None
    row: Any = Staff.get_by_id(staff_id)
    assert row.role == target and row.active
    if row.pending_change:
        with pytest.raises(UserError) as refused:
            load_operator(staff_id)  # a desk open on it is refused everything
        assert refused.value.key == "perm.awaiting_confirmation"
        if password is None:  # created or reset: no password opens it
            with pytest.raises(auth.SignInFailed):
                auth.sign_in(row.username, KNOWN, now=DEMO_NOW)
        else:  # its own password: told that it waits
            with pytest.raises(auth.AwaitingConfirmation):
                auth.sign_in(row.username, password, now=DEMO_NOW)
        return PENDING
    assert password is not None
    assert auth.sign_in(row.username, password, now=DEMO_NOW).id == staff_id
    return USABLE


@pytest.mark.parametrize(
    ("actor", "target", "action"), list(itertools.product(ROLES, ROLES, ACTIONS))
)
def test_every_actor_target_and_action(
    demo_copy: SqliteDatabase, actor: str, target: str, action: str
) -> None:
    assert _outcome(staff_of(actor), target, action) == expected(actor, target, action)


# ------------------------------------------------------------------------ the hole, closed


def test_an_admin_gets_no_way_into_resident_data(demo_copy: SqliteDatabase) -> None:
    """Today's reproduction: the admin creates a reception account and signs in with its
    temporary password; or resets one. Now neither opens, and the confirmation's password
    goes to the supervisor who confirms."""
    admin = staff_of("admin")
    new = create_staff(
        StaffInput(username="front.new", display_name="王芳", role="reception"),
        actor_id=admin,
        now=DEMO_NOW,
    )
    assert new.pending and new.temporary_password == ""
    with pytest.raises(auth.SignInFailed):
        auth.sign_in("front.new", "", now=DEMO_NOW)
    desk = Staff.get(Staff.username == RECEPTION)
    assert reset_password(desk.id, actor_id=admin, now=DEMO_NOW) is None
    with pytest.raises(auth.SignInFailed):  # the old password is gone with the reset
        auth.sign_in(RECEPTION, "desk2026", now=DEMO_NOW)

    lead = staff_of("supervisor")
    rows = {r.username: r for r in list_staff(actor_id=lead, now=DEMO_NOW)}
    assert rows["front.new"].pending and rows["front.new"].pending_change == "created"
    assert rows["front.new"].pending_by == Staff.get_by_id(admin).display_name
    assert rows[RECEPTION].pending_change == "reset"
    password = confirm_staff(new.id, rows["front.new"].version, actor_id=lead, now=DEMO_NOW)
    operator = auth.sign_in("front.new", password, now=DEMO_NOW)
    assert operator.must_change_password and operator.role == "reception"
    entry: Any = AuditEntry.select().where(AuditEntry.action == "staff.confirmed").get()
    assert (entry.actor_id, entry.entity_id) == (lead, new.id)
    assert password not in entry.detail and '"change": "created"' in entry.detail


def test_an_admin_made_admin_turned_reception_gets_a_new_password(
    demo_copy: SqliteDatabase,
) -> None:
    """The admin makes a second admin (whose password they know), then makes it reception:
    the confirmation replaces that password, so the admin holds no key to it."""
    admin = staff_of("admin")
    second = _account("admin")
    update = StaffUpdate(display_name="测试人", role="reception")
    update_staff(second, _version(second), update, actor_id=admin, now=DEMO_NOW)
    with pytest.raises(auth.AwaitingConfirmation):
        auth.sign_in(Staff.get_by_id(second).username, KNOWN, now=DEMO_NOW)
    password = confirm_staff(
        second, _version(second), actor_id=staff_of("supervisor"), now=DEMO_NOW
    )
    username = Staff.get_by_id(second).username
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(username, KNOWN, now=DEMO_NOW)
    assert auth.sign_in(username, password, now=DEMO_NOW).role == "reception"


def test_an_open_desk_of_an_account_made_to_wait_is_refused(demo_copy: SqliteDatabase) -> None:
    desk = Staff.get(Staff.username == RECEPTION)
    operator = auth.sign_in(RECEPTION, "desk2026", now=DEMO_NOW)
    update = StaffUpdate(display_name=desk.display_name, role="grid_manager")
    update_staff(desk.id, desk.version, update, actor_id=staff_of("admin"), now=DEMO_NOW)
    with pytest.raises(UserError) as refused:
        auth.unlock(operator.id, "desk2026", now=DEMO_NOW)
    assert refused.value.key == "auth.awaiting_confirmation"
    with pytest.raises(UserError) as refused:
        auth.change_password(operator.id, "desk2026", "another secret 2", now=DEMO_NOW)
    assert refused.value.key == "auth.awaiting_confirmation"
    assert Staff.get_by_id(desk.id).password_hash == desk.password_hash


def test_waiting_is_said_only_after_the_right_password(demo_copy: SqliteDatabase) -> None:
    staff_id = _account("reception", pending_by=staff_of("admin"))
    username = Staff.get_by_id(staff_id).username
    with pytest.raises(auth.SignInFailed) as wrong:
        auth.sign_in(username, "not the password", now=DEMO_NOW)
    with pytest.raises(auth.SignInFailed) as unknown:
        auth.sign_in("nobody.here", "not the password", now=DEMO_NOW)
    assert str(wrong.value) == str(unknown.value)
    with pytest.raises(auth.AwaitingConfirmation):
        auth.sign_in(username, KNOWN, now=DEMO_NOW)
    assert (
        AuditEntry.select()
        .where(
            (AuditEntry.action == "auth.awaiting_confirmation") & (AuditEntry.entity_id == staff_id)
        )
        .count()
        == 1
    )


# ------------------------------------------------------------------------------- four eyes


def test_nobody_confirms_their_own_change(demo_copy: SqliteDatabase) -> None:
    lead = staff_of("supervisor")
    staff_id = _account("reception", pending_by=lead)  # e.g. a change they made elsewhere
    with pytest.raises(UserError) as refused:
        confirm_staff(staff_id, _version(staff_id), actor_id=lead, now=DEMO_NOW)
    assert refused.value.key == "staff.four_eyes"
    other_lead = Staff.get(Staff.username == "lead-lj-2").id
    assert confirm_staff(staff_id, _version(staff_id), actor_id=other_lead, now=DEMO_NOW)


def test_a_stale_or_needless_confirmation_is_refused(demo_copy: SqliteDatabase) -> None:
    lead = staff_of("supervisor")
    staff_id = _account("reception", pending_by=staff_of("admin"))
    version = _version(staff_id)
    update = StaffUpdate(display_name="测试人", role="grid_manager")
    update_staff(staff_id, version, update, actor_id=staff_of("admin"), now=DEMO_NOW)
    with pytest.raises(UserError) as refused:  # changed since the supervisor looked
        confirm_staff(staff_id, version, actor_id=lead, now=DEMO_NOW)
    assert refused.value.key == "staff.changed_elsewhere"
    confirm_staff(staff_id, _version(staff_id), actor_id=lead, now=DEMO_NOW)
    with pytest.raises(UserError) as refused:
        confirm_staff(staff_id, _version(staff_id), actor_id=lead, now=DEMO_NOW)
    assert refused.value.key == "staff.not_pending"


def test_a_waiting_account_turned_admin_waits_no_more(demo_copy: SqliteDatabase) -> None:
    admin = staff_of("admin")
    staff_id = _account("reception", pending_by=admin)
    update = StaffUpdate(display_name="测试人", role="admin")
    update_staff(staff_id, _version(staff_id), update, actor_id=admin, now=DEMO_NOW)
    assert _row_of(staff_id).pending_change is None  # nobody would vouch for an admin account
    assert load_operator(staff_id).role == "admin"


def test_a_supervisor_resets_a_waiting_account_by_confirming_it(demo_copy: SqliteDatabase) -> None:
    staff_id = _account("reception", pending_by=staff_of("admin"))
    with pytest.raises(UserError) as refused:
        reset_password(staff_id, actor_id=staff_of("supervisor"), now=DEMO_NOW)
    assert refused.value.key == "staff.confirm_instead"


# ------------------------------------------------------------------- another community


@pytest.fixture
def other(demo_copy: SqliteDatabase) -> dict[str, Any]:
    """凤山社区 beside 丽景街 in the same subdistrict, and 城东社区 in another one, each with
    a supervisor and a reception account."""
    home = _home()
    near = Community.create(subdistrict=home.subdistrict_id, name="凤山社区", code="FS")
    subdistrict = Subdistrict.create(district=home.subdistrict.district_id, name="城东街道")
    far = Community.create(subdistrict=subdistrict.id, name="城东社区", code="CD")
    return {
        "near": near,
        "far": far,
        "near_lead": _account("supervisor", community=near),
        "near_desk": _account("reception", community=near),
        "far_lead": _account("supervisor", community=far),
    }


def _calls_on(staff_id: int, actor: int) -> dict[str, Callable[[], object]]:
    version = _version(staff_id)
    return {
        "get": lambda: get_staff(staff_id, actor_id=actor),
        "update": lambda: update_staff(
            staff_id,
            version,
            StaffUpdate(display_name="改名", role="reception", phone="13900001111"),
            actor_id=actor,
            now=DEMO_NOW,
        ),
        "disable": lambda: set_active(staff_id, version, False, actor_id=actor, now=DEMO_NOW),
        "reset": lambda: reset_password(staff_id, actor_id=actor, now=DEMO_NOW),
    }


@pytest.mark.parametrize("action", ["get", "update", "disable", "reset"])
def test_a_supervisor_leaves_another_communitys_staff_alone(
    other: dict[str, Any], action: str
) -> None:
    lead = staff_of("supervisor")
    target = other["near_desk"]
    before = Staff.get_by_id(target)
    with pytest.raises(PermissionDenied) as refused:
        _calls_on(target, lead)[action]()
    assert refused.value.params["scope"] == "perm.scope.own_staff"
    after = Staff.get_by_id(target)
    assert (after.version, after.active, after.password_hash) == (
        before.version,
        before.active,
        before.password_hash,
    )


def test_a_supervisor_enables_no_account_of_another_community(other: dict[str, Any]) -> None:
    target = _account("reception", community=other["near"], active=False)
    with pytest.raises(PermissionDenied):
        set_active(target, _version(target), True, actor_id=staff_of("supervisor"), now=DEMO_NOW)
    assert not Staff.get_by_id(target).active


def test_a_supervisor_confirms_no_account_of_another_community(other: dict[str, Any]) -> None:
    target = _account("reception", community=other["near"], pending_by=staff_of("admin"))
    with pytest.raises(PermissionDenied):
        confirm_staff(target, _version(target), actor_id=staff_of("supervisor"), now=DEMO_NOW)
    assert Staff.get_by_id(target).pending_change == "created"
    assert confirm_staff(target, _version(target), actor_id=other["near_lead"], now=DEMO_NOW)


def test_a_supervisor_lists_and_picks_grids_only_of_their_community(
    other: dict[str, Any],
) -> None:
    lead = staff_of("supervisor")
    seen = {row.id for row in list_staff(actor_id=lead, now=DEMO_NOW)}
    assert other["near_desk"] not in seen and other["near_lead"] not in seen
    assert Staff.get(Staff.username == ADMIN).id not in seen
    with pytest.raises(PermissionDenied):
        grid_choices(other["near"].id, actor_id=lead)


def test_a_supervisor_creates_only_in_their_own_community(other: dict[str, Any]) -> None:
    lead = staff_of("supervisor")
    new = create_staff(
        StaffInput(username="sneaky", display_name="王芳", role="reception", community_id=2),
        actor_id=lead,
        now=DEMO_NOW,
    )
    assert _row_of(new.id).community_id == _home().id


def test_the_admin_manages_every_community(other: dict[str, Any]) -> None:
    admin = staff_of("admin")
    seen = {row.id for row in list_staff(actor_id=admin, now=DEMO_NOW)}
    assert {other["near_desk"], other["near_lead"], other["far_lead"]} <= seen
    new = create_staff(
        StaffInput(
            username="fs.desk", display_name="王芳", role="reception", community_id=other["near"].id
        ),
        actor_id=admin,
        now=DEMO_NOW,
    )
    assert _row_of(new.id).community_id == other["near"].id and new.pending
    with pytest.raises(PermissionDenied):  # 丽景街's supervisor does not vouch for 凤山's
        confirm_staff(new.id, _version(new.id), actor_id=staff_of("supervisor"), now=DEMO_NOW)
    assert confirm_staff(new.id, _version(new.id), actor_id=other["near_lead"], now=DEMO_NOW)


def test_a_subdistrict_account_is_confirmed_inside_its_subdistrict(other: dict[str, Any]) -> None:
    admin = staff_of("admin")
    new = create_staff(
        StaffInput(username="jd.new", display_name="王芳", role="subdistrict"),
        actor_id=admin,
        now=DEMO_NOW,
    )
    assert new.pending
    with pytest.raises(PermissionDenied):  # a supervisor of another subdistrict
        confirm_staff(new.id, _version(new.id), actor_id=other["far_lead"], now=DEMO_NOW)
    # any supervisor of that subdistrict's communities: here 凤山's, beside 丽景街
    assert confirm_staff(new.id, _version(new.id), actor_id=other["near_lead"], now=DEMO_NOW)
    lead = staff_of("supervisor")  # and 丽景街's sees it, read-only
    assert get_staff(new.id, actor_id=lead).role == "subdistrict"
    with pytest.raises(PermissionDenied):
        reset_password(new.id, actor_id=lead, now=DEMO_NOW)


# ------------------------------------------------------------------------------ migration


def _as_version_3(path: Path) -> None:
    """The staff table as it was before version 4 (without the three waiting columns)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'staff'").fetchone()
    for piece in (
        ', "pending_change" VARCHAR(16)',
        ', "pending_by_id" INTEGER',
        ', "pending_since" DATETIME',
        ', FOREIGN KEY ("pending_by_id") REFERENCES "staff" ("id") ON DELETE RESTRICT',
    ):
        assert piece in sql
        sql = sql.replace(piece, "")
    indexes = [
        row[0]
        for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'staff' AND type = 'index'"
            " AND name != 'staff_pending_by_id'"
        )
    ]
    columns = [r[1] for r in conn.execute("PRAGMA table_info(staff)") if "pending" not in r[1]]
    listed = ", ".join(f'"{c}"' for c in columns)
    conn.execute("BEGIN")
    conn.execute(sql.replace('CREATE TABLE "staff"', 'CREATE TABLE "staff_v3"'))
    conn.execute(f"INSERT INTO staff_v3 ({listed}) SELECT {listed} FROM staff")
    conn.execute("DROP TABLE staff")
    conn.execute("ALTER TABLE staff_v3 RENAME TO staff")
    for index in indexes:
        conn.execute(index)
    conn.execute("DELETE FROM schema_migration WHERE version > 3")
    conn.execute("INSERT OR REPLACE INTO schema_migration VALUES (3, 'v3', '2026-01-01 00:00:00')")
    conn.execute("COMMIT")
    conn.close()


def _shape(path: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(path)
    shape = {
        "columns": conn.execute("PRAGMA table_info(staff)").fetchall(),
        "keys": sorted(row[2:] for row in conn.execute("PRAGMA foreign_key_list(staff)")),
        "indexes": sorted(row[1:3] for row in conn.execute("PRAGMA index_list(staff)")),
    }
    conn.close()
    return shape


def test_an_older_database_gets_the_waiting_columns(demo_file: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    open_database(new, create=True, now=FixedClock(DEMO_NOW).now).close()
    old = tmp_path / "old.db"
    old.write_bytes(demo_file.read_bytes())
    _as_version_3(old)
    assert "pending_change" not in str(_shape(old)["columns"])
    db = open_database(old, create=False, now=FixedClock(DEMO_NOW).now)
    try:
        assert migrations.current_version(db) == migrations.SCHEMA_VERSION >= 4
        assert not Staff.select().where(Staff.pending_change.is_null(False)).exists()
        assert auth.sign_in(RECEPTION, "desk2026", now=DEMO_NOW).username == RECEPTION
    finally:
        db.close()
    assert _shape(old) == _shape(new)
