"""Workshop accounts: learner1..N or names from a file, each with a password that works for one login.

The hub keeps only scrypt hashes (``accounts.json``); the passwords themselves are in the roster
(``roster.csv``, readable by root only, in the workshop's 0700 state folder) until they are used. A used or
expired password is refused; ``dockerlab workshop password NAME`` issues a new one (their work is kept).
"""
from __future__ import annotations

import contextlib
import csv
import fcntl
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from .. import errors

NAME = re.compile(r"^[a-z][a-z0-9]{0,30}$")
WORDS = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or from a slip of paper
VALID_HOURS = 24  # an unused password expires after a day


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
    if bad or not names or len(set(names)) != len(names) or len(names) > 200:
        raise errors.CommandRefused("workshop-names-bad", path=path, bad=", ".join(bad) or "(duplicates or none)")
    return names


def new_password() -> str:
    """A password of 10 easily read characters (about 49 bits)."""
    return "".join(secrets.choice(WORDS) for _ in range(10))


def hashed(password: str, salt: bytes | None = None) -> str:
    """``scrypt$SALT$HASH`` for storing."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def matches(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from."""
    kind, salt, _ = ([*stored.split("$"), "", ""])[:3]
    try:
        return kind == "scrypt" and hmac.compare_digest(hashed(password[:200], bytes.fromhex(salt)), stored)
    except ValueError:
        return False


@contextlib.contextmanager
def _locked(state: Path) -> Iterator[dict]:
    """accounts.json, read and written back under a lock (the hub, the room's view and the CLI all change it)."""
    with open(state / "accounts.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = state / "accounts.json"
        accounts = json.loads(path.read_text("utf-8")) if path.exists() else {}
        yield accounts
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(accounts, indent=1))
        temporary.chmod(0o600)
        os.replace(temporary, path)


def issue(state: Path, names: list[str]) -> dict[str, str]:
    """New passwords for ``names`` (the old ones stop working); returns them and writes the roster."""
    passwords = {name: new_password() for name in names}
    now = time.time()
    with _locked(state) as accounts:
        for name, password in passwords.items():
            accounts[name] = {"hash": hashed(password), "issued": now, "used": None}
        _write_roster(state, {**_roster(state), **passwords})
    return passwords


def use(state: Path, name: str, password: str) -> bool:
    """Whether ``password`` opens ``name`` now; a password that does is used up."""
    with _locked(state) as accounts:
        account = accounts.get(name)
        if not account or account["used"] or time.time() - account["issued"] > VALID_HOURS * 3600:
            return False
        if not matches(account["hash"], password):
            return False
        account["used"] = time.time()
        _write_roster(state, {**_roster(state), name: ""})
    return True


def roster(state: Path) -> list[dict]:
    """Each account: name, password (empty once used), issued and used times."""
    path = state / "accounts.json"
    accounts = json.loads(path.read_text("utf-8")) if path.exists() else {}
    passwords = _roster(state)
    return [{"name": name, "password": passwords.get(name, ""), "issued": account["issued"], "used": account["used"]}
            for name, account in accounts.items()]


def _roster(state: Path) -> dict[str, str]:
    path = state / "roster.csv"
    if not path.exists():
        return {}
    return {row["name"]: row["password"] for row in csv.DictReader(io.StringIO(path.read_text("utf-8")))}


def _write_roster(state: Path, passwords: dict[str, str]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "password"])
    writer.writerows(sorted(passwords.items()))
    path = state / "roster.csv"
    temporary = path.with_suffix(".tmp")
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
        file.write(out.getvalue())
    os.replace(temporary, path)
