"""Password hashing with Argon2id.

The parameters are configuration (`ARGON2_PARAMETERS`): argon2-cffi's RFC 9106
defaults in service, cheaper ones in the test suite, which hashes hundreds.
"""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


@lru_cache(maxsize=4)
def _hasher(parameters: tuple) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(**dict(parameters))
    # Verified against when the e-mail is unknown, so both paths cost the same time.
    return hasher, hasher.hash("no such user")


def _current() -> tuple[PasswordHasher, str]:
    return _hasher(tuple(sorted(current_app.config["ARGON2_PARAMETERS"].items())))


def hash_password(password: str) -> str:
    return _current()[0].hash(password)


def check_password(stored_hash: str | None, password: str) -> bool:
    hasher, dummy = _current()
    try:
        return hasher.verify(stored_hash or dummy, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
