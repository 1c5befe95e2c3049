"""Start and stop the matrix's engines (see the package docstring).

Each non-reference engine is Debian's docker.io of one suite, in a root made by
``debootstrap`` (cached in ``DOCKERLAB_ENGINES`` or /var/cache/dockerlab-engines),
started by ``nsenter --net=NETNS unshare --mount`` with ``pivot_root`` into that
root, so that runc resolves paths in it (``chroot`` is not enough). Its data lives
inside the root and is wiped at stop; its network namespace is deleted; its cgroups
removed. Nothing of it is left on the machine but the cached root.
"""
from __future__ import annotations

import contextlib
import grp
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dockerlab import errors
from dockerlab.engine import images

CACHE = Path(os.environ.get("DOCKERLAB_ENGINES", "/var/cache/dockerlab-engines"))
# several copies of the matrix side by side (each with its own DOCKERLAB_ENGINES root): a suffix for their names
INSTANCE = os.environ.get("DOCKERLAB_ENGINE_INSTANCE", "")
PACKAGES = "docker.io,iproute2,iptables,nftables,busybox-static,procps"


@dataclass(frozen=True)
class MatrixEngine:
    """One engine of the matrix: its name, Debian suite and the docker.io version it brings."""

    name: str
    suite: str
    version: str

    @property
    def root(self) -> Path:
        return CACHE / self.suite

    @property
    def netns(self) -> str:
        return f"dl-engine-{self.name}{INSTANCE}"

    @property
    def socket(self) -> Path:
        return self.root / "run" / "dockerlab-engine.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    @property
    def pidfile(self) -> Path:
        return self.root / "run" / "dockerlab-engine.pid"

    @property
    def log(self) -> Path:
        return Path(f"/var/log/dockerlab-engine-{self.name}{INSTANCE}.log")

    @property
    def cgroup_parent(self) -> str:
        return f"/dl-engine-{self.name}{INSTANCE}"


REFERENCE = "reference"
ENGINES = {engine.name: engine for engine in (
    MatrixEngine("trixie", "trixie", "26.1"),
    MatrixEngine("sid", "sid", "28.5"),
)}


def say(text: str) -> None:
    print(f"[engines] {text}", file=sys.stderr, flush=True)


def _run(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=check)


def install(engine: MatrixEngine) -> None:
    """``debootstrap --variant=minbase --include=docker.io,... SUITE ROOT``, once (about a minute)."""
    if (engine.root / "usr/sbin/dockerd").exists():
        return
    if shutil.which("debootstrap") is None:
        say("$ apt-get install -y debootstrap")
        _run("apt-get", "install", "-y", "-qq", "debootstrap")
    work = engine.root.with_name(engine.suite + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    say(f"$ debootstrap --variant=minbase --include={PACKAGES} {engine.suite} {engine.root}   (once, about a minute)")
    started = time.monotonic()
    try:
        images.run_in_phases(["debootstrap", "--variant=minbase", f"--include={PACKAGES}", engine.suite, str(work)],
                             say, tag=f"the Debian {engine.suite} root of the {engine.name} engine")
    except errors.LabError as failed:
        raise SystemExit(str(failed)) from None
    shutil.rmtree(work / "var/cache/apt/archives", ignore_errors=True)
    work.rename(engine.root)
    say(f"  {engine.suite} installed in {time.monotonic() - started:.0f} s")


def _pid(engine: MatrixEngine) -> int | None:
    try:
        pid = int(engine.pidfile.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def running(engine: MatrixEngine) -> bool:
    """Whether ``engine`` runs already (and answers on its socket)."""
    return bool(_pid(engine)) and engine.socket.exists()


def start(engine: MatrixEngine, timeout: float = 60) -> str:
    """Start ``engine`` in its own namespaces; return its ``DOCKER_HOST``."""
    install(engine)
    if running(engine):
        return engine.url
    root = engine.root
    if not Path(f"/run/netns/{engine.netns}").exists():
        _run("ip", "netns", "add", engine.netns)
    enter = ["nsenter", f"--net=/run/netns/{engine.netns}"]
    _run(*enter, "ip", "link", "set", "lo", "up")
    # a fresh machine forwards nothing until dockerd says so
    _run(*enter, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0")
    (root / "etc/resolv.conf").write_text("nameserver 127.0.0.1\n")
    (root / ".oldroot").mkdir(exist_ok=True)
    engine.socket.unlink(missing_ok=True)
    script = f"""set -e
mount --bind {root} {root}
mount -t proc proc {root}/proc
mount -t sysfs sysfs {root}/sys
mount --rbind /sys/fs/cgroup {root}/sys/fs/cgroup
mount --rbind /dev {root}/dev
cd {root}; pivot_root . .oldroot; umount -l /.oldroot; cd /
exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin dockerd --data-root /var/lib/docker --exec-root /run/docker \
  --pidfile /run/dockerlab-engine.pid -H unix:///run/dockerlab-engine.sock \
  --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent {engine.cgroup_parent} --dns 127.0.0.1 {_socket_group()}
"""
    say(f"starting Debian {engine.suite}'s dockerd {engine.version} in network namespace {engine.netns}")
    with engine.log.open("w") as log:
        subprocess.Popen([*enter, "unshare", "--mount", "--propagation", "private", "/bin/bash", "-c", script],
                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if engine.socket.exists() and _answers(engine):
            say(f"  {engine.name} answers at {engine.url}")
            return engine.url
        time.sleep(0.5)
    tail = engine.log.read_text()[-2000:] if engine.log.exists() else ""
    raise SystemExit(f"the {engine.name} engine did not answer within {timeout:.0f} s; its log ends:\n{tail}")


def _socket_group() -> str:
    """``--group GID`` of this machine's ``docker`` group, so that its members may use the engine's socket too
    (the engine's own root has a ``docker`` group of its own, with another number)."""
    try:
        return f"--group {grp.getgrnam('docker').gr_gid}"
    except KeyError:
        return ""


def _answers(engine: MatrixEngine) -> bool:
    done = subprocess.run(["docker", "-H", engine.url, "version", "--format", "{{.Server.Version}}"],
                          capture_output=True, text=True)
    return done.returncode == 0


def stop(engine: MatrixEngine, timeout: float = 30) -> None:
    """Remove the engine's containers, stop it, delete its namespace, data and cgroups: no trace."""
    pid = _pid(engine)
    if pid:
        docker = ["docker", "-H", engine.url]
        ids = _run(*docker, "ps", "-aq", check=False).stdout.split()
        if ids:
            _run(*docker, "rm", "-f", "-v", *ids, check=False)
        _run(*docker, "swarm", "leave", "--force", check=False)
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _pid(engine):
            time.sleep(0.3)
        if _pid(engine):
            os.kill(pid, signal.SIGKILL)
    # what the engine's mount namespace held goes with its last process; the netns we remove ourselves
    _run("ip", "netns", "del", engine.netns, check=False)
    shutil.rmtree(engine.root / "var/lib/docker", ignore_errors=True)
    shutil.rmtree(engine.root / "run/docker", ignore_errors=True)
    engine.socket.unlink(missing_ok=True)
    engine.pidfile.unlink(missing_ok=True)
    for controller in Path("/sys/fs/cgroup").glob("*"):
        group = controller / engine.cgroup_parent.lstrip("/")
        for folder, _, _ in os.walk(group, topdown=False):  # a cgroup goes with rmdir, innermost first
            with contextlib.suppress(OSError):
                os.rmdir(folder)
    say(f"{engine.name} stopped; nothing of it is left but the cached root {engine.root}")


ROOT = Path(__file__).resolve().parents[2]


def load_lab_images(engine: MatrixEngine) -> None:
    """Make the lab images in ``engine``: the busybox image is built, the node image copied from the reference."""
    env = {**os.environ, "DOCKER_HOST": engine.url}
    subprocess.run([sys.executable, "-m", "dockerlab", "setup"], env=env, check=True)
    have = subprocess.run(["docker", "-H", engine.url, "image", "inspect", "dockerlab/node:latest"],
                          capture_output=True).returncode == 0
    if not have:
        say("$ docker save dockerlab/node | docker -H ENGINE load   (the lab hosts' image, from the reference engine)")
        save = subprocess.Popen(["docker", "save", "dockerlab/node:latest"], stdout=subprocess.PIPE)
        subprocess.run(["docker", "-H", engine.url, "load", "-q"], stdin=save.stdout, check=True,
                       stdout=subprocess.DEVNULL)
        save.wait()
