"""Credentials: the user-name rule, temporary passwords, and how passwords are kept (salted
scrypt, memory-hard, from the standard library). Signing in and the staff screens both use them;
nothing here reads the database."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets

N, R, P = 2**14, 8, 1  # 16 MiB of memory per hash
_PREFIX = "scrypt"

USERNAME = re.compile(r"[a-z0-9._-]{3,32}", re.ASCII)

# no 0/o, 1/l/i: read out or copied from the screen without doubt
TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMP_LENGTH = 10


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash``: everything needed to verify, nothing to recover."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"{_PREFIX}${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        prefix, n, r, p, salt, digest = stored.split("$")
        if prefix != _PREFIX:
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def temporary_password() -> str:
    """Ten letters and digits nobody misreads, with at least one of each."""
    while True:
        text = "".join(secrets.choice(TEMP_ALPHABET) for _ in range(TEMP_LENGTH))
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            return text
