"""The workshop's own Docker engine: learners' environments run here, never on the machine's engine.

A second ``dockerd`` (this machine's own binary) with its own data, sockets and cgroups, started in a
network namespace of its own (``dl-workshop``) and a mount namespace of its own, with
``--userns-remap``: a learner's root is an unprivileged uid on the host (``REMAP_BASE``), so no capability
a learner holds counts in the host's user namespace. Similar to::

    ip netns add dl-workshop
    ip netns exec dl-workshop unshare --mount dockerd --userns-remap dockerlab-workshop \\
        --data-root /var/lib/dockerlab-workshop/engine -H unix:///run/dockerlab-workshop/docker.sock ...

The namespace forwards nothing (``ip_forward=0``) and has no route off the machine: its only link is a veth
pair to the host (``UPLINK``), through which the front server reaches the hub's proxy. Its firewall lets the
learners reach the hub's API and nothing else. The engine's images are kept between workshops (the learner
image is built once); everything else goes at ``stop``.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .. import errors
from ..processes import live_pid

# several copies side by side (the test lanes): a suffix for every name, as tests/engines does
INSTANCE = os.environ.get("DOCKERLAB_ENGINE_INSTANCE", "")
REMAP_USER = "dockerlab-workshop"
REMAP_BASE = 400_000_000  # a learner's root on the host: far from the usual subordinate ranges (100000+)
REMAP_SIZE = 65536
PUBLIC_ADDRESS = "10.196.0.2"  # the namespace's end of the uplink: the hub's proxy and API listen here
HOST_ADDRESS = "10.196.0.1"  # the host's end
LEARNER_BRIDGES = "dlw+"  # every learner network's bridge: dlw1, dlw2, ...


@dataclass(frozen=True)
class Places:
    """Where the workshop engine keeps its things."""

    netns: str
    run: Path
    root: Path
    uplink: str
    cgroup_parent: str

    @property
    def socket(self) -> Path:
        return self.run / "docker.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    @property
    def pidfile(self) -> Path:
        return self.run / "dockerd.pid"

    @property
    def log(self) -> Path:
        return self.run / "dockerd.log"

    @property
    def learners(self) -> Path:
        """Where the learners' filesystems are mounted: a shared mount, so that the engine (in its own mount
        namespace) sees each one mounted after it started."""
        return self.root / "learners"

    @property
    def enter(self) -> list[str]:
        """The prefix that runs a command in the workshop's network namespace (``ip netns exec``)."""
        return ["nsenter", f"--net=/run/netns/{self.netns}"]


def places() -> Places:
    suffix = hashlib.sha256(INSTANCE.encode()).hexdigest()[:4] if INSTANCE else "0"
    root = Path(os.environ.get("DOCKERLAB_WORKSHOP_ENGINE_DIR", f"/var/lib/dockerlab-workshop{INSTANCE}"))
    return Places(netns=f"dl-workshop{INSTANCE}", run=Path(f"/run/dockerlab-workshop{INSTANCE}"), root=root,
                  uplink=f"dlws{suffix}", cgroup_parent=f"/dl-workshop{INSTANCE}")


def _run(*command: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if check and done.returncode != 0:
        raise errors.CommandRefused("workshop-engine-failed", command=" ".join(command),
                                    output=(done.stderr or done.stdout).strip()[-600:])
    return done


def mounted(path: Path) -> bool:
    """Whether something is mounted at ``path`` (a bind mount on the same filesystem too, unlike ``ismount``)."""
    wanted = str(path).encode()
    return any(line.split()[1] == wanted for line in Path("/proc/self/mounts").read_bytes().splitlines())


def pid(where: Places | None = None) -> int | None:
    """The running engine's process id, or None."""
    return live_pid((where or places()).pidfile)


def _identity_files(where: Places) -> Path:
    """passwd, group, subuid, subgid as the engine sees them (bind-mounted in its own mount namespace only):
    the host's own, plus the remap user and its subordinate range. The host's files are not changed."""
    etc = where.root / "etc"
    etc.mkdir(parents=True, exist_ok=True)
    for name, line in (("passwd", f"{REMAP_USER}:x:{REMAP_BASE}:{REMAP_BASE}::/nonexistent:/usr/sbin/nologin"),
                       ("group", f"{REMAP_USER}:x:{REMAP_BASE}:")):
        lines = [kept for kept in Path(f"/etc/{name}").read_text().splitlines()
                 if not kept.startswith(REMAP_USER + ":")]
        (etc / name).write_text("\n".join([*lines, line]) + "\n")
    for name in ("subuid", "subgid"):
        (etc / name).write_text(f"{REMAP_USER}:{REMAP_BASE}:{REMAP_SIZE}\n")
    return etc


def _network(where: Places) -> None:
    """The namespace, its sysctls and its one link to the host (no default route: nothing leaves the machine)."""
    if not Path(f"/run/netns/{where.netns}").exists():
        _run("ip", "netns", "add", where.netns)
    enter = where.enter
    for setting in ("net.ipv4.ip_forward=0", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1", "net.ipv4.conf.all.rp_filter=1",
                    "net.ipv4.conf.default.rp_filter=1", "net.ipv4.conf.all.route_localnet=0"):
        _run(*enter, "sysctl", "-q", "-w", setting)
    _run(*enter, "ip", "link", "set", "lo", "up")
    if _run("ip", "link", "show", where.uplink, check=False).returncode != 0:
        _run("ip", "link", "add", where.uplink, "type", "veth", "peer", "name", "uplink", "netns", where.netns)
        _run("sysctl", "-q", "-w", f"net.ipv6.conf.{where.uplink}.disable_ipv6=1")
        _run("ip", "addr", "add", f"{HOST_ADDRESS}/30", "dev", where.uplink)
        _run("ip", "link", "set", where.uplink, "up")
        _run(*enter, "ip", "addr", "add", f"{PUBLIC_ADDRESS}/30", "dev", "uplink")
        _run(*enter, "ip", "link", "set", "uplink", "up")


def firewall(where: Places, public_port: int, hub_port: int) -> None:
    """The namespace's firewall: the host's front server reaches the proxy, learners reach the hub's API;
    nothing else comes in and nothing is forwarded. Similar to ``iptables -P INPUT DROP`` plus two ACCEPTs."""
    rules = [["-P", "FORWARD", "DROP"], ["-P", "INPUT", "DROP"], ["-F", "INPUT"],
             ["-A", "INPUT", "-i", "lo", "-j", "ACCEPT"],
             ["-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"],
             ["-A", "INPUT", "-i", "uplink", "-s", HOST_ADDRESS, "-p", "tcp", "--dport", str(public_port),
              "-j", "ACCEPT"],
             ["-A", "INPUT", "-i", LEARNER_BRIDGES, "-p", "tcp", "--dport", str(hub_port), "-j", "ACCEPT"]]
    for rule in rules:
        _run(*where.enter, "iptables", "-w", *rule)
    for rule in (["-P", "INPUT", "DROP"], ["-P", "FORWARD", "DROP"]):
        _run(*where.enter, "ip6tables", "-w", *rule, check=False)  # IPv6 is off in the namespace anyway


def start(timeout: float = 90) -> str:
    """Start the workshop engine (once); returns its ``DOCKER_HOST``."""
    where = places()
    if pid(where) and where.socket.exists():
        return where.url
    dockerd = shutil.which("dockerd")
    if dockerd is None:
        raise errors.NotFound("workshop-dockerd-missing")
    where.run.mkdir(parents=True, exist_ok=True)
    where.run.chmod(0o700)
    (where.root / "engine").mkdir(parents=True, exist_ok=True)
    where.root.chmod(0o711)
    etc = _identity_files(where)
    _network(where)
    where.learners.mkdir(exist_ok=True)
    where.learners.chmod(0o711)
    if not mounted(where.learners):  # mounts below it reach the engine's namespace (a slave of it)
        _run("mount", "--bind", str(where.learners), str(where.learners))
        _run("mount", "--make-shared", str(where.learners))
    where.socket.unlink(missing_ok=True)
    binds = "; ".join(f"mount --bind {etc / name} /etc/{name}" for name in ("passwd", "group", "subuid", "subgid"))
    script = f"""set -e
touch /etc/subuid /etc/subgid 2>/dev/null || true
{binds}
exec {dockerd} --data-root {where.root / 'engine'} --exec-root {where.run / 'exec'} --pidfile {where.pidfile} \
  -H {where.url} --userns-remap {REMAP_USER} --cgroup-parent {where.cgroup_parent} \
  --exec-opt native.cgroupdriver=cgroupfs --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
  --log-opt max-size=10m --log-opt max-file=2 --dns 127.0.0.1
"""
    with where.log.open("w") as log:
        subprocess.Popen([*where.enter, "unshare", "--mount", "--propagation", "slave", "/bin/sh", "-c", script],
                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if where.socket.exists() and _run("docker", "-H", where.url, "version", check=False).returncode == 0:
            return where.url
        time.sleep(0.5)
    raise errors.CommandRefused("workshop-engine-failed", command="dockerd",
                                output=where.log.read_text()[-1500:] if where.log.exists() else "")


def stop(timeout: float = 30) -> None:
    """Remove the engine's containers, stop it, delete its namespace (and so the uplink) and cgroups.
    Its images stay in ``root/engine`` for the next workshop."""
    where = places()
    number = pid(where)
    if number:
        ids = _run("docker", "-H", where.url, "ps", "-aq", check=False).stdout.split()
        if ids:
            _run("docker", "-H", where.url, "rm", "-f", *ids, check=False)
        os.kill(number, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and pid(where):
            time.sleep(0.3)
        if pid(where):
            os.kill(number, signal.SIGKILL)
    _run("ip", "netns", "del", where.netns, check=False)
    _run("ip", "link", "del", where.uplink, check=False)
    while mounted(where.learners) and _run("umount", str(where.learners), check=False).returncode == 0:
        pass
    for controller in Path("/sys/fs/cgroup").glob("*"):
        group = controller / where.cgroup_parent.lstrip("/")
        for folder, _, _ in os.walk(group, topdown=False):  # a cgroup goes with rmdir, innermost first
            with contextlib.suppress(OSError):
                os.rmdir(folder)
    shutil.rmtree(where.run, ignore_errors=True)


def delegate(container_id: str) -> int:
    """Give the learner's root its own cgroup to make children in (their engine's containers go there).

    Made before the container starts (runc then uses it and writes the limits into it). Only the folder changes
    owner (v2: also the files that move processes), never its limit files: the learner's limits stay the host's.
    Similar to ``mkdir /sys/fs/cgroup/memory/dl-workshop/ID && chown 400000000 ...``. Returns how many.
    """
    base = Path("/sys/fs/cgroup")
    relative = places().cgroup_parent.lstrip("/") + "/" + container_id
    unified = (base / "cgroup.controllers").exists()
    hierarchies = [base] if unified else [c for c in sorted(base.iterdir()) if c.is_dir() and not c.is_symlink()]
    for hierarchy in hierarchies:
        folder = hierarchy / relative
        folder.mkdir(parents=True, exist_ok=True)
        delegated = ["cgroup.procs", "cgroup.threads", "cgroup.subtree_control"] if unified else []
        for path in [folder, *(folder / name for name in delegated)]:
            with contextlib.suppress(FileNotFoundError):
                os.chown(path, REMAP_BASE, REMAP_BASE)
    return len(hierarchies)
