"""Who is at the keyboard: signing in and out, the idle lock's password check, one's own
password (``signin``), and how passwords are kept (``passwords``: salted scrypt).

``from frontdesk import auth; auth.sign_in(...)`` reads as it did when this was one module.
"""

from __future__ import annotations

from frontdesk.auth.signin import (
    COMMAND_LINE,
    MIN_PASSWORD_LENGTH,
    AwaitingConfirmation,
    SignInFailed,
    change_password,
    check_new_password,
    first_account,
    reset_from_command_line,
    sign_in,
    sign_out,
    unlock,
)

__all__ = [
    "COMMAND_LINE",
    "MIN_PASSWORD_LENGTH",
    "AwaitingConfirmation",
    "SignInFailed",
    "change_password",
    "check_new_password",
    "first_account",
    "reset_from_command_line",
    "sign_in",
    "sign_out",
    "unlock",
]
