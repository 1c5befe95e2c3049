"""Start, inspect and stop a workshop: the hub process, its proxy, the learners' environments.

``up`` makes the learner image, the workshop network and each learner's labelled volumes, writes the
accounts and starts JupyterHub (similar to ``jupyterhub -f hub_config.py``); ``down`` stops it and
removes everything by label, and the state folder, so nothing is left.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from .. import errors
from ..engine.client import Engine
from ..host import cleanup
from ..host.session import LiveSession
from . import GATEWAY, INSTRUCTOR, LESSON, NETWORK, SUBNET, accounts, container_name, room, volume_names
from .image import ensure_learner_image

PROXY_PACKAGE = "configurable-http-proxy@5"


def folder() -> Path:
    """The workshop's state: settings, hashed accounts, the hub's database and log."""
    default = Path.home() / ".local/state/dockerlab/workshop"
    return Path(os.environ.get("DOCKERLAB_WORKSHOP_DIR", default))


def settings() -> dict:
    """What ``up`` chose (ports, learners, limits, the CLI's token); refuses when no workshop is up."""
    try:
        return json.loads((folder() / "settings.json").read_text("utf-8"))
    except FileNotFoundError:
        raise errors.NotFound("workshop-not-up") from None


def ensure_proxy(progress: Callable[[str], None]) -> str:
    """The path of ``configurable-http-proxy``; installed from npm into a cache folder if missing."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    prefix = Path.home() / ".cache/dockerlab/proxy"
    installed = prefix / "node_modules/.bin/configurable-http-proxy"
    if not installed.exists():
        if shutil.which("npm") is None:
            raise errors.NotFound("workshop-npm-missing")
        progress(f"$ npm install --prefix {prefix} {PROXY_PACKAGE}")
        done = subprocess.run(["npm", "install", "--prefix", str(prefix), PROXY_PACKAGE],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise errors.CommandRefused("workshop-npm-failed", output=done.stderr[-800:])
    return str(installed)


def memory_bytes(text: str) -> int:
    """``768m``, ``1g``, ``1.5G`` in bytes, as ``docker run --memory`` reads them."""
    units = {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30}
    number, unit = text.strip().lower().rstrip("b") or "0", ""
    if number[-1:] in units:
        number, unit = number[:-1], number[-1]
    try:
        size = int(float(number) * units[unit])
    except ValueError:
        size = 0
    if size < 256 * 2**20:
        raise errors.CommandRefused("workshop-memory", memory=text)
    return size


def _free_port(host: str = "127.0.0.1") -> int:
    """A free port below the kernel's ephemeral range (32768+), where outgoing connections cannot take it."""
    for _ in range(200):
        port = secrets.choice(range(20000, 32000))
        if _port_free(port, host):
            return port
    raise errors.NameInUse("workshop-port-in-use", port="20000-32000")


def _port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the proxy will: TIME_WAIT is no owner
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _hub_running() -> bool:
    try:
        pid = int((folder() / "hub.pid").read_text())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return False
    return True


def up(engine: Engine, learners: list[str], port: int = 8000, memory: str = "1g", cpus: float = 1.0,
       pids: int = 4096, start: bool = True, progress: Callable[[str], None] = print) -> dict[str, str]:
    """Start the hub and the learners' environments; returns each account's one-time password."""
    if folder().exists() and (folder() / "settings.json").exists():
        raise errors.NameInUse("workshop-already-up", url=settings()["url"])
    memory_limit = memory_bytes(memory)
    if not _port_free(port):
        raise errors.NameInUse("workshop-port-in-use", port=port)
    took = ensure_learner_image(engine, progress=progress)
    proxy = ensure_proxy(progress)
    if engine.labelled(LESSON)["containers"] or engine.labelled(LESSON)["networks"]:
        progress("Removing what an earlier workshop left")
        cleanup.remove(LiveSession(engine), LESSON)
    state = folder()
    try:
        state.mkdir(parents=True, exist_ok=True)
        state.chmod(0o700)
        progress(f"$ docker network create --subnet {SUBNET} -o com.docker.network.bridge.enable_icc=false {NETWORK}")
        engine.create_network(NETWORK, lesson=LESSON, subnet=SUBNET, gateway=GATEWAY,
                              options={"com.docker.network.bridge.enable_icc": "false",
                                       "com.docker.network.bridge.name": "dl-workshop0"})
        for learner in learners:
            for volume in volume_names(learner):
                engine.create_volume(volume, lesson=LESSON)
        passwords = {name: accounts.new_password() for name in [INSTRUCTOR, *learners]}
        (state / "accounts.json").write_text(json.dumps({n: accounts.hashed(p) for n, p in passwords.items()}))
        chosen = {"port": port, "url": f"http://127.0.0.1:{port}", "hub_port": _free_port(GATEWAY),
                  "proxy_api_port": _free_port(), "view_port": _free_port(), "proxy": proxy,
                  "token": secrets.token_hex(32), "learners": learners, "memory": memory_limit, "cpus": cpus,
                  "pids": pids, "image_build": took}
        (state / "settings.json").write_text(json.dumps(chosen, indent=2))
        _start_hub(state, progress)
        if start:
            start_learners(learners, progress)
        return passwords
    except BaseException:
        progress("Starting the workshop failed: removing what was made")
        down(engine)
        raise


def _start_hub(state: Path, progress: Callable[[str], None]) -> None:
    config = Path(__file__).with_name("hub_config.py")
    progress(f"$ jupyterhub -f {config}  (log: {state / 'hub.log'})")
    with open(state / "hub.log", "ab") as log:
        hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=state,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               env={**os.environ, "DOCKERLAB_WORKSHOP_DIR": str(state)})
    (state / "hub.pid").write_text(str(hub.pid))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            raise errors.CommandRefused("workshop-hub-failed", log=_tail(state / "hub.log"))
        try:
            if api("GET", "/users").ok:
                progress(f"The hub answers at {settings()['url']}")
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise errors.CommandRefused("workshop-hub-failed", log=_tail(state / "hub.log"))


def _tail(path: Path, size: int = 1500) -> str:
    try:
        return path.read_text("utf-8", "replace")[-size:]
    except FileNotFoundError:
        return ""


def api(method: str, path: str, **kwargs) -> requests.Response:
    """A call to the hub's REST API with the workshop's own token. Similar to ``curl -H 'Authorization: ...'``."""
    chosen = settings()
    return requests.request(method, f"{chosen['url']}/hub/api{path}", timeout=30,
                            headers={"Authorization": f"token {chosen['token']}"}, **kwargs)


def start_learners(learners: list[str], progress: Callable[[str], None] = print, timeout: float = 300) -> None:
    """Start each learner's environment now, so logging in is instant (``POST /users/NAME/server``)."""
    for learner in learners:
        api("POST", "/users", json={"usernames": [learner]})  # 409 when known already: fine
        answer = api("POST", f"/users/{learner}/server")
        if answer.status_code not in (201, 202, 400):
            raise errors.CommandRefused("workshop-spawn-failed", learner=learner, output=_tail(folder() / "hub.log"))
        progress(f"{learner}: starting ({container_name(learner)})")
    waiting, deadline = set(learners), time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        for learner in sorted(waiting):
            server = (api("GET", f"/users/{learner}").json().get("servers") or {}).get("", {})
            if server.get("ready"):
                progress(f"{learner}: ready ({len(learners) - len(waiting) + 1}/{len(learners)})")
                waiting.discard(learner)
        time.sleep(1)
    if waiting:
        raise errors.CommandRefused("workshop-spawn-failed", learner=", ".join(sorted(waiting)),
                                    output=_tail(folder() / "hub.log"))


def status(engine: Engine) -> dict:
    """The hub's URL and each learner: their environment (``docker ps``) and whether their server is up."""
    chosen = settings()
    users = {}
    try:
        users = {user["name"]: user for user in api("GET", "/users").json()}
        hub = "running"
    except requests.ConnectionError:
        hub = "not answering"
    learners = []
    for learner in chosen["learners"]:
        server = (users.get(learner, {}).get("servers") or {}).get("", {})
        learners.append({"name": learner, "environment": room.environment(engine, learner),
                         "server": "ready" if server.get("ready") else ("starting" if server else "stopped"),
                         "last_activity": users.get(learner, {}).get("last_activity")})
    return {"url": chosen["url"], "hub": hub, "progress": f"{chosen['url']}/services/progress/",
            "learners": learners}


def exec_in(engine: Engine, learner: str, command: list[str]) -> tuple[int, str]:
    """Run a command in a learner's environment. Similar to ``docker exec dl-workshop-LEARNER CMD``."""
    if learner not in settings()["learners"]:
        raise errors.NotFound("workshop-unknown-learner", learner=learner)
    if room.environment(engine, learner) != "running":
        raise errors.NotFound("workshop-not-running", learner=learner)
    return engine.exec(container_name(learner), command)


def _stop_process(pid_file: Path) -> None:
    try:
        pid = int(pid_file.read_text())
    except (FileNotFoundError, ValueError):
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(pid, sig) if pid == os.getpgid(pid) else os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)


def down(engine: Engine) -> dict[str, list[str]]:
    """Stop the hub and its proxy, then remove the workshop's containers, network and volumes, and its state."""
    state = folder()
    _stop_process(state / "hub.pid")  # the hub stops the learners' servers and its proxy on the way out
    _stop_process(state / "proxy.pid")
    removed = cleanup.remove(LiveSession(engine), LESSON)
    shutil.rmtree(state, ignore_errors=True)
    return removed
