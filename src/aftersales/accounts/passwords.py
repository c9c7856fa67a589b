"""Password hashing with argon2id (argon2-cffi defaults: RFC 9106 low-memory profile)."""

from __future__ import annotations

import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_

MIN_LENGTH = 10
_hasher = PasswordHasher()
# Each argon2 call takes 64 MiB and a core for tens of milliseconds: a burst of sign-ins
# waits here instead of multiplying the server's memory by the number of threads.
_slots = threading.BoundedSemaphore(4)


@cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so a miss costs as long as a wrong
    password. Made on first use: every command-line start would otherwise pay for it."""
    return _hasher.hash("not-a-real-password-used-for-timing")


class WeakPassword(InvalidInput):
    code = "weak_password"


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            N_("a password needs at least %(length)s characters"),
            length=MIN_LENGTH,
            field="password",
        )


def hash_password(password: str) -> str:
    check_strength(password)
    with _slots:
        return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    try:
        with _slots:
            return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
