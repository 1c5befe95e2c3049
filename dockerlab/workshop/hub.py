"""Start, inspect and stop a workshop: the workshop engine, the hub and its proxy, the front door, the learners.

``up`` starts the workshop's own engine (``engine.py``), makes the learner image there (once), each learner's
network and filesystem, the accounts, starts JupyterHub in the engine's network namespace (similar to
``ip netns exec dl-workshop jupyterhub -f hub_config.py``) and Caddy in front of it (``front.py``). ``down``
collects the learners' work first, then stops it all and removes everything it made, by label.
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
import warnings
from collections.abc import Callable
from pathlib import Path

import requests
import urllib3

from .. import errors, folders
from ..engine.client import Engine
from ..text import say
from . import INSTRUCTOR, LESSON, accounts, container_name, disk, engine, front, network_name, room, subnet
from .image import ensure_learner_image

PROXY_PACKAGE = "configurable-http-proxy@5"
PID_RESERVE = 4096  # process ids kept for the host, the hub and the workshop engine


def folder() -> Path:
    """The workshop's state: settings, accounts, roster, the hub's database and logs, the learners' disks.

    ``$DOCKERLAB_WORKSHOP_DIR``, else ``workshop`` in the course's state folder (``$XDG_STATE_HOME/dockerlab``).
    """
    chosen = os.environ.get("DOCKERLAB_WORKSHOP_DIR")
    return Path(chosen) if chosen else folders.state() / "workshop"


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


def size_bytes(text: str, least: int = 256 * 2**20, key: str = "workshop-memory") -> int:
    """``768m``, ``1g``, ``1.5G`` in bytes, as ``docker run --memory`` reads them."""
    units = {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30}
    number, unit = text.strip().lower().rstrip("b") or "0", ""
    if number[-1:] in units:
        number, unit = number[:-1], number[-1]
    try:
        size = int(float(number) * units[unit])
    except ValueError:
        size = 0
    if size < least:
        raise errors.CommandRefused(key, memory=text)
    return size


def memory_bytes(text: str) -> int:
    return size_bytes(text)


def pids_per_learner(learners: int, asked: int | None = None) -> int:
    """Each learner's process limit: what is asked, else an equal share of the kernel's ``pid_max`` once the
    host's reserve is kept, at most 4096 — so the room together cannot take the host's last process ids."""
    pid_max = int(Path("/proc/sys/kernel/pid_max").read_text())
    share = (pid_max - PID_RESERVE) // max(learners, 1)
    chosen = asked or min(share, 4096)
    if chosen < 256 or chosen * learners > pid_max - PID_RESERVE:
        raise errors.CommandRefused("workshop-pids", pids=chosen, learners=learners, pid_max=pid_max,
                                    share=max(share, 0))
    return chosen


def _free_port(host: str = "127.0.0.1", taken: tuple[int, ...] = ()) -> int:
    """A free port below the kernel's ephemeral range (32768+), where outgoing connections cannot take it."""
    for _ in range(200):
        port = secrets.choice(range(20000, 32000))
        if port not in taken and _port_free(port, host):
            return port
    raise errors.NameInUse("workshop-port-in-use", port="20000-32000", address=host)


def _port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the proxy will: TIME_WAIT is no owner
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def workshop_engine() -> Engine:
    """The workshop's own engine (started if it is not running)."""
    return Engine.connect(engine.start())


def up(learners: list[str], port: int = 8000, listen: str = "127.0.0.1", memory: str = "1g", cpus: float = 1.0,
       pids: int | None = None, disk_size: str = "3g", tls: tuple[str, str] | None = None, start: bool = True,
       cull_after: int = 3600, progress: Callable[[str], None] = print) -> dict:
    """Start the workshop; returns the accounts' passwords, the URLs and the certificate's fingerprint."""
    if (folder() / "settings.json").exists():
        raise errors.NameInUse("workshop-already-up", url=settings()["url"])
    owner = engine.places().run / "workshop"
    if owner.exists() and (Path(owner.read_text()) / "settings.json").exists():  # one room per machine
        raise errors.NameInUse("workshop-elsewhere", state=owner.read_text())
    memory_limit, disk_limit = size_bytes(memory), size_bytes(disk_size, 2**30, "workshop-disk")
    pids = pids_per_learner(len(learners), pids)
    for wanted in (port, port + 1):
        if not _port_free(wanted, listen):
            raise errors.NameInUse("workshop-port-in-use", port=wanted, address=listen)
    caddy = front.ensure_caddy(progress)
    proxy = ensure_proxy(progress)
    progress(say("workshop-engine-starting"))
    lab = workshop_engine()
    took = ensure_learner_image(lab, progress=progress)
    state = folder()
    try:
        state.mkdir(parents=True, exist_ok=True)
        state.chmod(0o700)
        if lab.labelled(LESSON)["containers"] or lab.labelled(LESSON)["networks"]:
            lab.remove_labelled(LESSON)
        for index, learner in enumerate(learners, start=1):
            net, gateway, bridge = subnet(index)
            lab.create_network(network_name(learner), lesson=LESSON, subnet=net, gateway=gateway,
                               options={"com.docker.network.bridge.name": bridge,
                                        "com.docker.network.bridge.enable_ip_masquerade": "false"})
            disk.make(state, learner, disk_limit)
        progress(say("workshop-learners-made", count=len(learners), disk=disk_size))
        passwords = accounts.issue(state, [INSTRUCTOR, *learners])
        scheme = "https" if listen not in ("127.0.0.1", "localhost", "::1") else "http"
        host = f"[{listen}]" if ":" in listen else listen
        url = f"{scheme}://{host}:{port}"
        chosen = {"port": port, "listen": listen, "url": url, "room_url": f"{scheme}://{host}:{port + 1}"
                  "/services/progress/", "engine": lab.url, "proxy": proxy, "token": secrets.token_hex(32),
                  "learners": learners, "memory": memory_limit, "cpus": cpus, "pids": pids, "disk": disk_limit,
                  "cull_after": cull_after, "image_build": took}
        ports: dict[str, int] = {}
        for which in ("proxy_port", "hub_port", "proxy_api_port", "view_port"):
            ports[which] = _free_port(taken=tuple(ports.values()))
        chosen.update(ports)
        (state / "settings.json").write_text(json.dumps(chosen, indent=2))
        owner.write_text(str(state))
        engine.firewall(engine.places(), ports["proxy_port"], ports["hub_port"])
        certificate = None
        if scheme == "https":
            certificate = (Path(tls[0]), Path(tls[1])) if tls else front.self_signed(state, listen)
        front.start(state, caddy, front.caddyfile(listen, port, port + 1, ports["proxy_port"], certificate))
        _start_hub(state, progress)
        if start:
            start_learners(learners, progress)
        return {"passwords": passwords, "url": url, "room_url": chosen["room_url"],
                "fingerprint": front.fingerprint(certificate[0]) if certificate else ""}
    except BaseException:
        progress(say("workshop-failed-undo"))
        _stop(state, lab)
        raise


def _start_hub(state: Path, progress: Callable[[str], None]) -> None:
    config = Path(__file__).with_name("hub_config.py")
    progress(f"$ ip netns exec {engine.places().netns} jupyterhub -f {config}  "
             + say("dockerd-log", log=state / "hub.log"))
    with open(state / "hub.log", "ab") as log:
        hub = subprocess.Popen([*engine.places().enter, sys.executable, "-m", "jupyterhub", "-f", str(config)],
                               cwd=state, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               env={**os.environ, "DOCKERLAB_WORKSHOP_DIR": str(state)})
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            raise errors.CommandRefused("workshop-hub-failed", log=_tail(state / "hub.log"))
        try:
            if api("GET", "/users").ok:
                progress(say("workshop-hub-answers", url=settings()["url"]))
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise errors.CommandRefused("workshop-hub-failed", log=_tail(state / "hub.log"))


def _tail(path: Path, size: int = 1500) -> str:
    try:
        return path.read_text("utf-8", "replace")[-size:]
    except FileNotFoundError:
        return ""


def api(method: str, path: str, **kwargs) -> requests.Response:
    """A call to the hub's REST API with the workshop's own token, through the front door (its certificate may
    be self-signed: the call stays on this machine). Similar to ``curl -H 'Authorization: token ...'``."""
    chosen = settings()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        return requests.request(method, f"{chosen['url']}/hub/api{path}", timeout=30, verify=False,
                                headers={"Authorization": f"token {chosen['token']}"}, **kwargs)


def start_learners(learners: list[str], progress: Callable[[str], None] = print, timeout: float = 300) -> None:
    """Start each learner's environment now, so logging in is instant (``POST /users/NAME/server``)."""
    for learner in learners:
        api("POST", "/users", json={"usernames": [learner]})  # 409 when known already: fine
        answer = api("POST", f"/users/{learner}/server")
        if answer.status_code not in (201, 202, 400):
            raise errors.CommandRefused("workshop-spawn-failed", learner=learner, output=_tail(folder() / "hub.log"))
        progress(say("workshop-learner-starting", learner=learner, container=container_name(learner)))
    waiting, deadline = set(learners), time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        for learner in sorted(waiting):
            server = (api("GET", f"/users/{learner}").json().get("servers") or {}).get("", {})
            if server.get("ready"):
                progress(say("workshop-learner-ready", learner=learner, n=len(learners) - len(waiting) + 1,
                             total=len(learners)))
                waiting.discard(learner)
        time.sleep(1)
    if waiting:
        raise errors.CommandRefused("workshop-spawn-failed", learner=", ".join(sorted(waiting)),
                                    output=_tail(folder() / "hub.log"))


def status() -> dict:
    """The URLs and each learner: their environment (``docker ps``), server, last activity, disk used."""
    chosen = settings()
    lab = Engine.connect(chosen["engine"])
    users = {}
    try:
        users = {user["name"]: user for user in api("GET", "/users").json()}
        hub = "running"
    except requests.RequestException:
        hub = "not answering"
    learners = []
    for learner in chosen["learners"]:
        server = (users.get(learner, {}).get("servers") or {}).get("", {})
        learners.append({"name": learner, "environment": room.environment(lab, learner),
                         "server": "ready" if server.get("ready") else ("starting" if server else "stopped"),
                         "last_activity": users.get(learner, {}).get("last_activity"),
                         "disk": disk.usage(folder(), learner)})
    return {"url": chosen["url"], "hub": hub, "room": chosen["room_url"], "learners": learners}


def learner_engine(learner: str) -> Engine:
    """The workshop engine, once ``learner`` is known and their environment runs."""
    chosen = settings()
    if learner not in chosen["learners"]:
        raise errors.NotFound("workshop-unknown-learner", learner=learner)
    lab = Engine.connect(chosen["engine"])
    if room.environment(lab, learner) != "running":
        raise errors.NotFound("workshop-not-running", learner=learner)
    return lab


def exec_in(learner: str, command: list[str]) -> tuple[int, str]:
    """Run a command in a learner's environment. Similar to ``docker exec dl-workshop-LEARNER CMD``."""
    return learner_engine(learner).exec(container_name(learner), command)


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


def _stop(state: Path, lab: Engine | None) -> dict[str, list[str]]:
    """Stop the front door, the hub and its proxy, remove what is labelled, the learners' filesystems, the
    engine and the state folder."""
    front.stop(state)
    _stop_process(state / "hub.pid")  # the hub stops the learners' servers and its proxy on the way out
    _stop_process(state / "proxy.pid")
    removed: dict[str, list[str]] = {}
    if lab is not None:
        removed = lab.remove_labelled(LESSON)
    for image_file in (state / "learners").glob("*.img"):
        disk.remove(state, image_file.stem)
    engine.stop()
    shutil.rmtree(state, ignore_errors=True)
    return removed


def down() -> dict[str, list[str]]:
    """Stop the workshop and remove everything it made: the learners' work too (collect it first)."""
    state = folder()
    lab = None
    if engine.pid():
        lab = Engine.connect(engine.places().url)
    return _stop(state, lab)
