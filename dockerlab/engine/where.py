"""Where the engine is: found the way the ``docker`` CLI finds it, and why.

The CLI's order (docker/cli ``cli/command/cli.go`` ``resolveContextName``): ``DOCKER_HOST``; else the
context named by ``DOCKER_CONTEXT``; else the ``currentContext`` of ``~/.docker/config.json``
(``DOCKER_CONFIG`` moves that folder), whose address is in
``~/.docker/contexts/meta/<sha256 of the name>/meta.json``; else the ``default`` context, the socket
``/var/run/docker.sock``. Rootless Docker, Docker Desktop, Colima and OrbStack make a context of their
own, but a learner's shell may not have switched to it: when the default socket is not there, the
course looks, in this order, at rootless Docker's ``$XDG_RUNTIME_DIR/docker.sock``, Docker Desktop's
``~/.docker/run/docker.sock``, Colima's ``~/.colima/default/docker.sock`` and OrbStack's
``~/.orbstack/run/docker.sock``, and uses the first that exists. Similar to ``docker context ls`` and
``docker context inspect``.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOCKET = "/var/run/docker.sock"
WELL_KNOWN = (
    ("rootless", "{runtime}/docker.sock"),
    ("desktop", "{home}/.docker/run/docker.sock"),
    ("colima", "{home}/.colima/default/docker.sock"),
    ("orbstack", "{home}/.orbstack/run/docker.sock"),
)
"""Sockets of engines that do not live at the default socket, in the order the course tries them."""


@dataclass(frozen=True)
class Where:
    """An engine's address and how it was found.

    ``how``: ``DOCKER_HOST``, ``DOCKER_CONTEXT``, ``context`` (the config's current context), one of
    :data:`WELL_KNOWN`'s names, or ``default``. ``source``: what was read (the context's name, the socket's
    path, the variable's value). ``problem``: a context that is named but cannot be read (the
    course then goes on as if it were not set, and says so).
    """

    url: str
    how: str
    source: str = ""
    problem: str = ""


def _config_dir(env: Mapping[str, str], home: Path) -> Path:
    return Path(env["DOCKER_CONFIG"]) if env.get("DOCKER_CONFIG") else home / ".docker"


def context_host(name: str, config_dir: Path) -> str | None:
    """The docker endpoint of context ``name`` (``docker context inspect NAME``), ``None`` if it has none."""
    if name == "default":
        return None
    digest = hashlib.sha256(name.encode()).hexdigest()
    try:
        meta = json.loads((config_dir / "contexts" / "meta" / digest / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    host = ((meta.get("Endpoints") or {}).get("docker") or {}).get("Host") if isinstance(meta, dict) else None
    return host or None


def current_context(env: Mapping[str, str], config_dir: Path) -> tuple[str, str]:
    """(name, how): ``DOCKER_CONTEXT``'s, else ``currentContext`` of ``config.json``, else ``default``."""
    if env.get("DOCKER_CONTEXT"):
        return env["DOCKER_CONTEXT"], "DOCKER_CONTEXT"
    try:
        config = json.loads((config_dir / "config.json").read_text())
    except (OSError, ValueError):
        config = {}
    name = config.get("currentContext") if isinstance(config, dict) else None
    return (name, "context") if name else ("default", "default")


def _is_socket(path: str) -> bool:
    try:
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except OSError:
        return False


def find(env: Mapping[str, str] | None = None, home: Path | None = None, is_socket=_is_socket) -> Where:
    """Where the course looks for the engine, and why (see the module's docstring)."""
    env = os.environ if env is None else env
    home = home if home is not None else Path(env.get("HOME") or Path.home())
    if env.get("DOCKER_HOST"):
        return Where(env["DOCKER_HOST"], "DOCKER_HOST", env["DOCKER_HOST"])
    config_dir = _config_dir(env, home)
    name, how = current_context(env, config_dir)
    problem = ""
    if name != "default":
        host = context_host(name, config_dir)
        if host:
            return Where(host, how, name)
        problem = name
    if is_socket(DEFAULT_SOCKET):
        return Where(f"unix://{DEFAULT_SOCKET}", "default", DEFAULT_SOCKET, problem)
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    for kind, pattern in WELL_KNOWN:
        path = pattern.format(runtime=runtime, home=home)
        if is_socket(path):
            return Where(f"unix://{path}", kind, path, problem)
    return Where(f"unix://{DEFAULT_SOCKET}", "default", DEFAULT_SOCKET, problem)
