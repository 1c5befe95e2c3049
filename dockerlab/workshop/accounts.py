"""Workshop accounts: learner1..N or names from a file, each with a one-time password stored hashed."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path

from .. import errors

NAME = re.compile(r"^[a-z][a-z0-9]{0,30}$")
WORDS = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or from a slip of paper


def numbered(count: int) -> list[str]:
    """``learner1`` .. ``learnerN``."""
    if not 1 <= count <= 200:
        raise errors.CommandRefused("workshop-learners", count=count)
    return [f"learner{index}" for index in range(1, count + 1)]


def from_file(path: str) -> list[str]:
    """Names from a file, one a line (``#`` starts a comment); each a lowercase letter, then letters or digits."""
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as problem:
        raise errors.NotFound("workshop-names-file", path=path, problem=problem.strerror) from None
    names = [line.split("#")[0].strip() for line in lines]
    names = [name for name in names if name]
    bad = [name for name in names if not NAME.match(name) or name == "instructor"]
    if bad or not names or len(set(names)) != len(names):
        raise errors.CommandRefused("workshop-names-bad", path=path, bad=", ".join(bad) or "(duplicates or none)")
    return names


def new_password() -> str:
    """A password of 10 easily read characters."""
    return "".join(secrets.choice(WORDS) for _ in range(10))


def hashed(password: str, salt: bytes | None = None) -> str:
    """``scrypt$SALT$HASH`` for storing: the password itself is printed once and kept nowhere."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def matches(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from."""
    kind, salt, _ = ([*stored.split("$"), "", ""])[:3]
    return kind == "scrypt" and hmac.compare_digest(hashed(password, bytes.fromhex(salt)), stored)
