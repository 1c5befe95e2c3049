"""The hub's login: workshop accounts and their one-login passwords (loaded by the hub).

Hashing runs off the hub's event loop, two at a time at most; a name or an address with five failed tries in
five minutes is refused for the rest of those minutes, with a page that says so.
"""
from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from pathlib import Path

from jupyterhub.auth import Authenticator
from tornado import web
from traitlets import Unicode

from . import accounts
from .engine import PUBLIC_ADDRESS

TRIES, WINDOW = 5, 300.0


def client(handler) -> str:
    """The browser's address: through the front door, the first address of X-Forwarded-For (Caddy writes it and
    ignores what the browser sent; the hub's proxy appends Caddy's). A request that did not come through the
    hub's proxy (a learner's container calling the hub directly) is known by its own address, whatever it says."""
    peer = getattr(handler.request.connection.context, "_orig_remote_ip", handler.request.remote_ip)
    forwarded = [part.strip() for part in handler.request.headers.get("X-Forwarded-For", "").split(",")]
    return forwarded[0] if peer == PUBLIC_ADDRESS and forwarded[0] else peer


class WorkshopAuthenticator(Authenticator):
    """Accepts the names in ``accounts.json`` with their unused password; nobody else."""

    accounts_file = Unicode(config=True, help="accounts.json: name -> scrypt hash, issued, used")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._hashing = asyncio.Semaphore(2)

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures[key]
        while failures and time.monotonic() - failures[0] > WINDOW:
            failures.popleft()
        return failures

    async def authenticate(self, handler, data):
        name, password = (data or {}).get("username", "").strip()[:40], (data or {}).get("password", "")
        keys = [f"name:{name}", f"from:{client(handler)}"]
        blocked = [key for key in keys if len(self._recent(key)) >= TRIES]
        if blocked:
            wait = int(WINDOW - (time.monotonic() - self._recent(blocked[0])[0])) + 1
            raise web.HTTPError(429, f"Too many failed logins. Wait {wait} seconds, then try again; "
                                     "or ask the instructor for a new password.")
        async with self._hashing:
            ok = await asyncio.to_thread(accounts.use, Path(self.accounts_file).parent, name, password)
        if ok:
            return name
        for key in keys:
            self._recent(key).append(time.monotonic())
        return None
