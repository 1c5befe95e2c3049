"""The hub's login: workshop accounts and their hashed one-time passwords (loaded by the hub)."""
from __future__ import annotations

import json
from pathlib import Path

from jupyterhub.auth import Authenticator
from traitlets import Unicode

from .accounts import matches


class WorkshopAuthenticator(Authenticator):
    """Accepts the names in ``accounts.json`` with their password; nobody else."""

    accounts_file = Unicode(config=True, help="accounts.json: name -> scrypt hash")

    def _accounts(self) -> dict[str, str]:
        return json.loads(Path(self.accounts_file).read_text("utf-8"))

    async def authenticate(self, handler, data):
        name, password = (data or {}).get("username", "").strip(), (data or {}).get("password", "")
        stored = self._accounts().get(name)
        return name if stored and matches(stored, password) else None
