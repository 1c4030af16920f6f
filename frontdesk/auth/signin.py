"""Signing in and out, the idle lock's password check, and changing one's own password.

A failed sign-in never says whether the user name or the password was wrong, nor whether the
account is locked or disabled: one message for all of them, and an unknown name costs the same
scrypt work as a known one. Only after a right password is an account told that it waits for
the leadership's confirmation (``frontdesk.staff.confirm``); it opens nothing until then.
``auth.lock_after`` wrong passwords in a row lock the account for ``auth.lock_minutes``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from frontdesk import audit, settings
from frontdesk.auth.passwords import USERNAME, hash_password, temporary_password, verify_password
from frontdesk.db.connection import write
from frontdesk.db.models import Community, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import Operator, load_operator, placement
from frontdesk.textrules import require_name
from frontdesk.vocabulary import Role

MIN_PASSWORD_LENGTH = 8
COMMAND_LINE = "audit.reason.command_line"  # the reason of what the command line does


@cache
def _dummy_hash() -> str:
    """Verified when the user name is unknown, so both cases take the same time (made on the
    first sign-in, not at import: scrypt costs the login's first frame otherwise)."""
    return hash_password("not a password", salt=b"frontdesk-dummy!")


class SignInFailed(UserError):
    def __init__(self) -> None:
        super().__init__("auth.failed", attempts=settings.get("auth.lock_after"))


class AwaitingConfirmation(UserError):
    """The right password of an account that waits for the leadership's confirmation."""

    def __init__(self) -> None:
        super().__init__("auth.awaiting_confirmation")


_WAITING = "waiting"  # what ``then`` returns for an account that waits


def _waits(staff_id: int, now: datetime) -> bool:
    """Inside the write: whether the account waits (recorded: a right password that opened
    nothing)."""
    row: Any = Staff.get_by_id(staff_id)
    if not row.pending_change:
        return False
    audit.record("auth.awaiting_confirmation", "staff", row.id, actor_id=row.id, at=now)
    return True


def _opened(result: Any) -> Operator:
    if result is None:
        raise SignInFailed()
    if isinstance(result, str):
        raise AwaitingConfirmation()
    return result


def _verified(row: Any, password: str) -> bool:
    """The scrypt work, outside any transaction (it takes tens of milliseconds and must not hold
    the write lock every desk shares). ``row`` None: an unknown name, the same work."""
    if row is None:
        verify_password(password, _dummy_hash())
        return False
    return verify_password(password, row.password_hash)


def _settle_attempt(staff_id: int, ok: bool, now: datetime) -> bool:
    """Inside the write: count the attempt on the row as it is now; True when it opens."""
    row: Any = Staff.get_by_id(staff_id)
    locked = row.locked_until is not None and row.locked_until > now
    if ok and row.active and not locked:
        Staff.update(failed_logins=0, locked_until=None).where(Staff.id == row.id).execute()
        return True
    if not ok:
        failures = row.failed_logins + 1
        values: dict[str, Any] = {"failed_logins": failures}
        if failures >= int(settings.get("auth.lock_after")):
            values = {
                "failed_logins": 0,
                "locked_until": now + timedelta(minutes=int(settings.get("auth.lock_minutes"))),
            }
            audit.record("auth.locked", "staff", row.id, actor_id=row.id, at=now)
        Staff.update(**values).where(Staff.id == row.id).execute()
    audit.record("auth.sign_in_failed", "staff", row.id, actor_id=row.id, at=now)
    return False


def _attempt(row: Any, password: str, now: datetime, then: Any) -> Any:
    """Verify, then in one short write count the attempt and, when it opens, run ``then``."""
    ok = _verified(row, password)
    if row is None:
        return None

    def run() -> Any:
        if not _settle_attempt(row.id, ok, now):
            return None
        return then()

    return write(run)


def sign_in(username: str, password: str, *, now: datetime) -> Operator:
    """The operator for these credentials, or ``SignInFailed`` (the same for every cause)."""
    row: Any = Staff.get_or_none(Staff.username == username.strip())

    def opened() -> Operator | str:
        if _waits(row.id, now):
            return _WAITING
        Staff.update(last_login_at=now).where(Staff.id == row.id).execute()
        audit.record("auth.sign_in", "staff", row.id, actor_id=row.id, at=now)
        return load_operator(row.id)

    return _opened(_attempt(row, password, now, opened))


def unlock(staff_id: int, password: str, *, now: datetime) -> Operator:
    """The idle lock: the same person's password again (wrong ones count towards the lock)."""
    row: Any = Staff.get_or_none(Staff.id == staff_id)

    def opened() -> Operator | str:
        if _waits(row.id, now):
            return _WAITING
        audit.record("auth.unlock", "staff", row.id, actor_id=row.id, at=now)
        return load_operator(row.id)

    return _opened(_attempt(row, password, now, opened))


def sign_out(staff_id: int, *, now: datetime, reason: str = "") -> None:
    write(
        lambda: audit.record(
            "auth.sign_out", "staff", staff_id, actor_id=staff_id, at=now, reason=reason
        )
    )


def check_new_password(username: str, new: str, old: str = "") -> None:
    if len(new) < MIN_PASSWORD_LENGTH:
        raise UserError("auth.password_too_short", min=MIN_PASSWORD_LENGTH)
    if new.strip().lower() == username.strip().lower():
        raise UserError("auth.password_is_username")
    if old and new == old:
        raise UserError("auth.password_unchanged")


def change_password(staff_id: int, old: str, new: str, *, now: datetime) -> Operator:
    """One's own password: the old one again, then a new one that meets the rules."""
    row: Any = Staff.get_or_none(Staff.id == staff_id)
    if row is not None:
        check_new_password(row.username, new, old)
    new_hash = hash_password(new)  # before the write, like the check of the old one

    def changed() -> Operator | str:
        if _waits(row.id, now):
            return _WAITING
        Staff.update(
            password_hash=new_hash,
            must_change_password=False,
            updated_at=now,
            version=Staff.version + 1,
        ).where(Staff.id == row.id).execute()
        audit.record("auth.password_changed", "staff", row.id, actor_id=row.id, at=now)
        return load_operator(row.id)

    return _opened(_attempt(row, old, now, changed))


# -- the command line: the first account, and a way back in --------------------------------------


def first_account(
    username: str, name: str, role: str, *, community: str | None = None, now: datetime
) -> str:
    """A leadership account made from the command line (whoever can write the file can do this
    anyway); the temporary password, to be changed at first sign-in. A supervisor of
    ``community`` (its code; not needed when the database holds one community) while that
    community has no active supervisor, an administrator (of no community) while there is no
    active one; refused otherwise: from then on staff are managed in the program."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise UserError("auth.bad_username")
    if role not in (Role.SUPERVISOR, Role.ADMIN):
        raise UserError("auth.first_account_role")
    if community and role != Role.SUPERVISOR:
        raise UserError("auth.community_only_supervisor")
    if not name.strip():
        raise UserError("auth.name_required")
    require_name("name", name)  # the name rule of every staff member
    password = temporary_password()

    def run() -> None:
        community_id = _community_by_code(community) if role == Role.SUPERVISOR else None
        leaders = Staff.select().where((Staff.role == role) & (Staff.active == True))  # noqa: E712
        if role == Role.SUPERVISOR and community_id is not None:
            leaders = leaders.where(Staff.community == community_id)
        if leaders.exists():
            raise UserError("auth.accounts_exist")
        if Staff.select().where(Staff.username == username).exists():
            raise UserError("auth.username_taken", username=username)
        home, subdistrict = placement(role, community_id)  # an administrator: neither
        staff: Any = Staff.create(
            username=username,
            display_name=name.strip(),
            role=role,
            community=home,
            subdistrict=subdistrict,
            password_hash=hash_password(password),
            must_change_password=True,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            "staff.created",
            "staff",
            staff.id,
            actor_id=None,
            at=now,
            reason="audit.reason.command_line",
        )

    write(run)
    return password


def _community_by_code(code: str | None) -> int | None:
    """The community of ``code`` (any case); without one, the only community (None in a
    database that has none yet)."""
    communities = list(Community.select(Community.id, Community.code).order_by(Community.code))
    codes = " ".join(str(c.code) for c in communities)
    if code:
        for found in communities:
            if str(found.code).upper() == code.strip().upper():
                return int(found.id)
        raise UserError("auth.unknown_community", code=code, codes=codes)
    if len(communities) > 1:
        raise UserError("auth.community_required", codes=codes)
    return int(communities[0].id) if communities else None


def reset_from_command_line(username: str, *, now: datetime) -> str:
    """A way back in when everyone who could reset a password is locked out: whoever can write
    the database file can do this anyway; it is recorded like any reset."""
    password = temporary_password()

    def run() -> None:
        row: Any = Staff.get_or_none(Staff.username == username.strip().lower())
        if row is None:
            raise UserError("auth.no_such_account", username=username)
        Staff.update(
            password_hash=hash_password(password),
            must_change_password=True,
            failed_logins=0,
            locked_until=None,
            active=True,
            updated_at=now,
            version=Staff.version + 1,
        ).where(Staff.id == row.id).execute()
        audit.record(
            "staff.password_reset",
            "staff",
            row.id,
            actor_id=None,
            at=now,
            reason="audit.reason.command_line",
        )

    write(run)
    return password
