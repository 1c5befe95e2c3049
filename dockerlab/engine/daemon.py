"""Install and start a Docker engine on this machine when none answers.

Similar to ``apt-get install docker.io`` followed by ``dockerd &``. It only
acts when it safely can (root on Debian or Ubuntu); everywhere else it
stops with what the learner should do instead.
"""
from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .. import errors
from ..text import say
from . import where
from .client import Engine, engine_url, socket_path

LOG_FILE = Path(os.environ.get("DOCKERLAB_DOCKERD_LOG", "/var/log/dockerlab-dockerd.log"))
PACKAGES = ["docker.io", "busybox-static", "iptables"]
START_TIMEOUT = 60.0


def answering(url: str | None = None) -> Engine | None:
    """The engine at ``url`` if it answers a version request, else ``None``."""
    try:
        engine = Engine.connect(url, timeout=5)
        engine.version()
        return engine
    except errors.EngineUnreachable:
        return None


def _is_debian_like() -> bool:
    try:
        text = Path("/etc/os-release").read_text()
    except OSError:
        return False
    return any(word in text for word in ("ID=debian", "ID=ubuntu", "ID_LIKE=debian", "ID_LIKE=ubuntu"))


def _run(command: list[str], progress: Callable[[str], None]) -> None:
    progress("$ " + " ".join(command))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        tail = "\n".join(done.stdout.strip().splitlines()[-8:])
        raise errors.EngineInstallFailed("engine-install-failed", command=" ".join(command), output=tail)


def install_packages(progress: Callable[[str], None]) -> None:
    """Install Debian's engine and static busybox. Similar to ``apt-get install -y docker.io``."""
    _run(["apt-get", "update", "-qq"], progress)
    _run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES], progress)


def _dockerd_running() -> bool:
    pidfile = Path("/var/run/docker.pid")
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return Path(f"/proc/{pid}/comm").read_text().strip() == "dockerd"


def _log_tail(lines: int = 12) -> str:
    try:
        return "\n".join(LOG_FILE.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return ""


def start_dockerd(progress: Callable[[str], None]) -> subprocess.Popen | None:
    """Start ``dockerd`` in the background, its log in :data:`LOG_FILE`. Idempotent."""
    if _dockerd_running():
        progress(say("dockerd-already-starting"))
        return None
    LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
    progress("$ dockerd &   " + say("dockerd-log", log=LOG_FILE))
    with open(LOG_FILE, "ab") as log:
        return subprocess.Popen(["dockerd"], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, close_fds=True)


def wait_until_answering(process: subprocess.Popen | None, timeout: float = START_TIMEOUT) -> Engine:
    """Wait for the engine socket to answer; say why when it does not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        engine = answering()
        if engine is not None:
            return engine
        if process is not None and process.poll() is not None:
            raise errors.EngineInstallFailed("dockerd-exited", log=LOG_FILE, tail=_log_tail())
        time.sleep(0.2)
    raise errors.EngineInstallFailed("dockerd-timeout", seconds=int(timeout), log=LOG_FILE, tail=_log_tail())


def ensure_engine(progress: Callable[[str], None] = print) -> Engine:
    """Return an answering engine, installing and starting one if this machine allows it.

    Similar to ``sudo apt-get install docker.io && sudo dockerd &``. Raises a
    :class:`~dockerlab.errors.LabError` that says what to do when it cannot.
    """
    url = engine_url()
    engine = answering(url)  # a socket this user may not use raises, with what to do
    if engine is not None:
        return engine
    found = where.find()
    if found.how != "default" and socket_path(url) != where.DEFAULT_SOCKET:
        if found.how == "DOCKER_HOST":
            raise errors.EngineUnreachable("engine-unreachable-remote", url=url)
        raise errors.EngineUnreachable("engine-unreachable-found", url=url, source=found.source or found.how)
    if sys.platform == "darwin" or platform.system() == "Windows":
        raise errors.EngineUnreachable("engine-start-desktop")
    if os.geteuid() != 0:
        raise errors.EngineUnreachable("engine-start-not-root")
    if shutil.which("dockerd") is None:
        if not (_is_debian_like() and shutil.which("apt-get")):
            raise errors.EngineUnreachable("engine-install-elsewhere")
        progress(say("engine-installing"))
        install_packages(progress)
    if Path("/run/systemd/system").is_dir() and shutil.which("systemctl"):
        _run(["systemctl", "start", "docker"], progress)
        process = None
    else:
        process = start_dockerd(progress)
    engine = wait_until_answering(process)
    progress(say("engine-answering", version=engine.version()["Version"], url=engine_url()))
    return engine
