"""Start and stop the matrix's engines (see the package docstring).

Each non-reference engine is a distribution's docker.io of one suite (Debian's, or Ubuntu's for Docker 29),
in a root made by ``debootstrap`` (cached in ``DOCKERLAB_ENGINES`` or /var/cache/dockerlab-engines),
started by ``nsenter --net=NETNS unshare --mount`` with ``pivot_root`` into that
root, so that runc resolves paths in it (``chroot`` is not enough). Its data lives
inside the root and is wiped at stop; its network namespace is deleted; its cgroups
removed. Nothing of it is left on the machine but the cached root.
"""
from __future__ import annotations

import contextlib
import grp
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dockerlab import errors
from dockerlab.engine import images
from dockerlab.processes import live_pid

CACHE = Path(os.environ.get("DOCKERLAB_ENGINES", "/var/cache/dockerlab-engines"))
# several copies of the matrix side by side (each with its own DOCKERLAB_ENGINES root): a suffix for their names
INSTANCE = os.environ.get("DOCKERLAB_ENGINE_INSTANCE", "")
PACKAGES = "docker.io,iproute2,iptables,nftables,busybox-static,procps"
ROOTLESS_PACKAGES = ["rootlesskit", "slirp4netns", "uidmap"]
"""What Debian's ``dockerd-rootless.sh`` (in docker.io's contrib) needs, added to a root for a rootless engine."""
LEARNER = ("learner", 1500)
"""The user a rootless engine runs as, made in the root (with a subordinate ID range, as ``useradd`` gives)."""


@dataclass(frozen=True)
class Distro:
    """What ``debootstrap`` needs to know of a distribution to install one of its suites, in one place.

    ``mirror``: its archive (``None``: debootstrap's own default, Debian's); ``components``; ``script``: the
    debootstrap script for its suites when Debian 12's debootstrap has none of that name (``gutsy`` is the one
    every later Ubuntu suite uses); ``keyring``: the archive's signing keys (``None``: the machine's own
    debian-archive-keyring), fetched from ``keyring_deb`` in the archive itself and trusted only if it holds
    the key ``key_fingerprint`` (pinned here: the key signs the suite's ``InRelease``, which debootstrap checks).
    """

    name: str
    mirror: str | None = None
    components: str = "main"
    script: str | None = None
    keyring_deb: str = ""
    keyring_member: str = ""
    key_fingerprint: str = ""

    @property
    def keyring(self) -> Path | None:
        return CACHE / f"{self.name.lower()}-archive-keyring.gpg" if self.keyring_deb else None

    def debootstrap(self, suite: str, packages: str, into: Path) -> list[str]:
        """The debootstrap command that makes a root of ``suite`` with ``packages`` in ``into``."""
        command = ["debootstrap", "--variant=minbase", f"--components={self.components}", f"--include={packages}"]
        if self.keyring:
            command.append(f"--keyring={self.keyring}")
        command += [suite, str(into)]
        if self.mirror:
            command.append(self.mirror)
            if self.script:
                command.append(self.script)
        return command


DEBIAN = Distro("Debian")
UBUNTU = Distro("Ubuntu", mirror="http://archive.ubuntu.com/ubuntu", components="main,universe",
                script="/usr/share/debootstrap/scripts/gutsy",
                keyring_deb="pool/main/u/ubuntu-keyring/ubuntu-keyring_2023.11.28.1build1_all.deb",
                keyring_member="./usr/share/keyrings/ubuntu-archive-keyring.gpg",
                key_fingerprint="F6ECB3762474EDA9D21B7022871920D1991BC93C")
"""Ubuntu's archive, for Docker 29 (26.04 "resolute" ships docker.io 29.1.3, in universe). Its signing key is
"Ubuntu Archive Automatic Signing Key (2018)"; Debian 12 packages no ubuntu-keyring, so the keyring comes
from Ubuntu's own ``ubuntu-keyring`` package, checked against that key's fingerprint before debootstrap uses it."""


def fetch_keyring(distro: Distro) -> None:
    """Put ``distro``'s archive keyring in :data:`CACHE` (once), refusing one without its pinned key."""
    keyring = distro.keyring
    if keyring is None or keyring.exists():
        return
    assert distro.mirror
    CACHE.mkdir(parents=True, exist_ok=True)
    deb = keyring.with_suffix(".deb")
    say(f"$ curl {distro.mirror}/{distro.keyring_deb}   (its archive keyring, once)")
    _run("curl", "-fsS", "-o", str(deb), f"{distro.mirror}/{distro.keyring_deb}")
    member = subprocess.run(f"dpkg-deb --fsys-tarfile {deb} | tar -xO {distro.keyring_member}", shell=True,
                            capture_output=True, check=True).stdout
    deb.unlink()
    keys = subprocess.run(["gpg", "--show-keys", "--with-colons"], input=member, capture_output=True,
                          check=True).stdout.decode()
    fingerprints = {line.split(":")[9] for line in keys.splitlines() if line.startswith("fpr:")}
    if distro.key_fingerprint not in fingerprints:
        raise SystemExit(f"{distro.keyring_deb} holds no key {distro.key_fingerprint} (it has "
                         f"{', '.join(sorted(fingerprints)) or 'none'}): not used")
    keyring.write_bytes(member)


FRESH_HOST = {"net.ipv4.ip_forward": "0"}
"""A fresh machine forwards nothing until dockerd turns forwarding on (28.5 then sets ``-P FORWARD DROP`` itself)."""
NO_BRIDGE_NETFILTER = {**FRESH_HOST, "net.bridge.bridge-nf-call-iptables": "0",
                       "net.bridge.bridge-nf-call-ip6tables": "0"}
"""A fresh 27.3+ host: ``br_netfilter`` is loaded on demand only (for ``icc=false`` or ``userland-proxy=false``,
moby v28.5.2 ``libnetwork/drivers/bridge/bridge_linux.go``, docker-v29.1.3
``daemon/libnetwork/drivers/bridge/bridge_linux.go`` the same), so frames crossing a bridge skip iptables.
This kernel has br_netfilter built in and its ``bridge-nf-call-*`` sysctls are per network namespace:
0 in the engine's namespace is what a host without the module does (the machine's own stay 1)."""
NFTABLES_HOST = {**NO_BRIDGE_NETFILTER, "net.ipv4.ip_forward": "1", "net.ipv6.conf.all.forwarding": "1",
                 "net.ipv6.conf.default.forwarding": "1"}
"""A fresh 29 host set up for the nftables backend as Docker's docs ask: that backend does not turn forwarding on
(its firewaller drops no other forwarding), dockerd refuses to start until the host's owner has ("IPv4 forwarding
is disabled: check your host's firewalling and set sysctl net.ipv4.ip_forward=1"), and refuses an IPv6 network
until IPv6 forwarding is on too (``net.ipv6.conf.all.forwarding=1`` and ``default.forwarding=1``); docker-v29.1.3
``daemon/libnetwork/drivers/bridge/bridge_linux.go``, ``setup_ip_forwarding.go`` ``checkIPv4Forwarding`` and
``checkIPv6Forwarding``."""


@dataclass(frozen=True)
class MatrixEngine:
    """One engine of the matrix, with every setting it runs with, in one place.

    ``suite``: the suite whose docker.io it runs (its root is shared by the engines of one suite), of ``distro``;
    ``version``: the docker.io version that suite brings; ``daemon``: its ``daemon.json`` (what a learner's
    ``/etc/docker/daemon.json`` sets, e.g. ``bip``, ``default-address-pools``); ``sysctls``: set in its network
    namespace before dockerd starts (the host state a learner's machine has); ``learners_own``: before the
    tests, a learner's own container (on docker0, with a published port) and network are made, and after
    them the lane fails unless both are still there, untouched; ``rootless``: dockerd runs as the user
    :data:`LEARNER` through Debian's ``dockerd-rootless.sh`` (RootlessKit, slirp4netns, no cgroups on v1),
    in a network namespace of its own like the others; ``about``: what the engine stands for.
    """

    name: str
    suite: str
    version: str
    daemon: Mapping[str, object] = field(default_factory=dict, hash=False)
    sysctls: Mapping[str, str] = field(default_factory=lambda: dict(FRESH_HOST), hash=False)
    learners_own: bool = False
    rootless: bool = False
    about: str = ""
    distro: Distro = DEBIAN

    @property
    def root(self) -> Path:
        return CACHE / self.suite

    @property
    def _own(self) -> str:
        """A suffix for what engines sharing one suite's root must not share (socket, data, exec root)."""
        return "" if self.name == self.suite else f"-{self.name}"

    @property
    def netns(self) -> str:
        return f"dl-engine-{self.name}{INSTANCE}"

    @property
    def runtime_dir(self) -> str:
        """A rootless engine's ``$XDG_RUNTIME_DIR`` inside the root."""
        return f"/run/user/{LEARNER[1]}"

    @property
    def socket(self) -> Path:
        if self.rootless:
            return self.root / self.runtime_dir.lstrip("/") / "docker.sock"
        return self.root / "run" / f"dockerlab-engine{self._own}.sock"

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    @property
    def pidfile(self) -> Path:
        return self.root / "run" / f"dockerlab-engine{self._own}.pid"

    @property
    def data_root(self) -> str:
        """Inside the root: ``/var/lib/docker`` (or ``/var/lib/docker-NAME``; a rootless engine's is its user's)."""
        if self.rootless:
            return f"/home/{LEARNER[0]}/.local/share/docker"
        return f"/var/lib/docker{self._own}"

    @property
    def exec_root(self) -> str:
        return self.runtime_dir if self.rootless else f"/run/docker{self._own}"

    @property
    def config_file(self) -> Path:
        """Its ``daemon.json``, written at start from :attr:`daemon` (``{}`` for the defaults)."""
        return self.root / "etc" / "docker" / f"dockerlab-engine-{self.name}.json"

    @property
    def log(self) -> Path:
        return Path(f"/var/log/dockerlab-engine-{self.name}{INSTANCE}.log")

    @property
    def cgroup_parent(self) -> str:
        return f"/dl-engine-{self.name}{INSTANCE}"

    def settings(self) -> str:
        """Its settings in one line, as the test lane says them."""
        daemon = json.dumps(dict(self.daemon), separators=(",", ":")) if self.daemon else "defaults"
        sysctls = " ".join(f"{key}={value}" for key, value in self.sysctls.items())
        return (f"daemon.json {daemon}; sysctls {sysctls}" + ("; rootless" if self.rootless else "")
                + ("; a learner's own container" if self.learners_own else ""))


CUSTOM_BIP = "192.168.200.1/24"
CUSTOM_POOLS = [{"base": "172.30.0.0/16", "size": 24}, {"base": "172.31.0.0/16", "size": 24}]
"""Settings learners really have: docker0 moved off 172.17 and the pools of Docker's docs' example
(``default-address-pools``, dockerd reference), neither overlapping the lessons' own subnets (10.1xx-10.25x)."""

REFERENCE = "reference"
ENGINES = {engine.name: engine for engine in (
    MatrixEngine("trixie", "trixie", "26.1", about="Debian 13's docker.io, defaults"),
    MatrixEngine("sid", "sid", "28.5", about="Debian sid's docker.io, defaults"),
    MatrixEngine("sid-ko", "sid", "28.5", about="the reference again, for the Korean edition beside the English"),
    MatrixEngine("sid-custom", "sid", "28.5", daemon={"bip": CUSTOM_BIP, "default-address-pools": CUSTOM_POOLS},
                 sysctls=NO_BRIDGE_NETFILTER, learners_own=True,
                 about="a fresh 27.3+ host with a learner's settings: custom bip and address pools, "
                       "bridge-nf-call-iptables=0, the learner's own container on docker0"),
    MatrixEngine("sid-rootless", "sid", "28.5", rootless=True,
                 about="rootless Docker (dockerd-rootless.sh: RootlessKit, slirp4netns, builtin port driver)"),
    MatrixEngine("resolute", "resolute", "29.1", sysctls=NO_BRIDGE_NETFILTER, distro=UBUNTU,
                 about="Ubuntu 26.04's docker.io, defaults (the iptables backend, the containerd image store)"),
    MatrixEngine("resolute-nft", "resolute", "29.1", daemon={"firewall-backend": "nftables"},
                 sysctls=NFTABLES_HOST, distro=UBUNTU,
                 about="Ubuntu 26.04's docker.io with Docker 29's native nftables backend"),
)}
def say(text: str) -> None:
    print(f"[engines] {text}", file=sys.stderr, flush=True)


def _run(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=check)


def install(engine: MatrixEngine) -> None:
    """``debootstrap --variant=minbase --include=docker.io,... SUITE ROOT [MIRROR SCRIPT]``, once (minutes)."""
    if any((engine.root / folder / "dockerd").exists() for folder in ("usr/sbin", "usr/bin")):  # Debian's, Ubuntu's
        return
    if shutil.which("debootstrap") is None:
        say("$ apt-get install -y debootstrap")
        _run("apt-get", "install", "-y", "-qq", "debootstrap")
    work = engine.root.with_name(engine.suite + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    fetch_keyring(engine.distro)
    command = engine.distro.debootstrap(engine.suite, PACKAGES, work)
    say(f"$ {' '.join(command)}   (once, a minute or a few)")
    started = time.monotonic()
    try:
        images.run_in_phases(command, say,
                             tag=f"the {engine.distro.name} {engine.suite} root of the {engine.name} engine")
    except errors.LabError as failed:
        raise SystemExit(str(failed)) from None
    shutil.rmtree(work / "var/cache/apt/archives", ignore_errors=True)
    work.rename(engine.root)
    say(f"  {engine.suite} installed in {time.monotonic() - started:.0f} s")


def prepare_rootless(engine: MatrixEngine) -> None:
    """Add RootlessKit, slirp4netns and uidmap to the root (Debian's packages, once) and its user :data:`LEARNER`."""
    root = engine.root
    if not (root / "usr/bin/rootlesskit").exists():
        say(f"$ apt-get install {' '.join(ROOTLESS_PACKAGES)}   (in the {engine.suite} root, once)")
        # in a mount namespace of its own, with this machine's resolv.conf (the root's says 127.0.0.1)
        script = (f"mount --bind /etc/resolv.conf {root}/etc/resolv.conf && mount -t proc proc {root}/proc && "
                  f"DEBIAN_FRONTEND=noninteractive chroot {root} apt-get install -y -qq --no-install-recommends "
                  + " ".join(ROOTLESS_PACKAGES))
        done = _run("unshare", "--mount", "--propagation", "private", "sh", "-c", script, check=False)
        if done.returncode != 0:
            raise SystemExit(f"could not add {', '.join(ROOTLESS_PACKAGES)} to {root}:\n{done.stdout}{done.stderr}")
    name, uid = LEARNER
    if _run("chroot", str(root), "id", name, check=False).returncode != 0:
        _run("chroot", str(root), "useradd", "-m", "-u", str(uid), "-s", "/bin/sh", name)


def _pid(engine: MatrixEngine) -> int | None:
    return live_pid(engine.pidfile)


def running(engine: MatrixEngine) -> bool:
    """Whether ``engine`` runs already (and answers on its socket)."""
    return bool(_pid(engine)) and engine.socket.exists()


def _dockerd(engine: MatrixEngine) -> str:
    """The end of the start script: dockerd as root, with the engine's own paths and settings."""
    root = engine.root
    return f"""exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin dockerd --data-root {engine.data_root} \
  --exec-root {engine.exec_root} --config-file /{engine.config_file.relative_to(root)} \
  --pidfile /{engine.pidfile.relative_to(root)} -H unix:///{engine.socket.relative_to(root)} \
  --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent {engine.cgroup_parent} --dns 127.0.0.1 {_socket_group()}
"""


def _rootless_dockerd(engine: MatrixEngine) -> str:
    """The end of the start script for a rootless engine: dockerd-rootless.sh as :data:`LEARNER`."""
    name, uid = LEARNER
    return f"""mkdir -p {engine.runtime_dir} && chown {uid}:{uid} {engine.runtime_dir} && chmod 700 {engine.runtime_dir}
exec setpriv --reuid={uid} --regid={uid} --init-groups env -i HOME=/home/{name} USER={name} \
  XDG_RUNTIME_DIR={engine.runtime_dir} PATH=/usr/share/docker.io/contrib:/usr/sbin:/usr/bin:/sbin:/bin \
  sh /usr/share/docker.io/contrib/dockerd-rootless.sh --config-file /{engine.config_file.relative_to(engine.root)} \
  --dns 127.0.0.1
"""


def start(engine: MatrixEngine, timeout: float = 60) -> str:
    """Start ``engine`` in its own namespaces; return its ``DOCKER_HOST``.

    Engines of one suite share its root on disk, but each has its own ``/run/netns`` (a tmpfs in its mount
    namespace): the namespaces a lesson names there by hand (``ip netns add dockerlab-12-red``) are that
    engine's alone. Shared, sid-ko's ``ip link show`` met the reference's as empty files ("Peer netns reference
    is invalid"), and two engines running sheet 12 at once would make the same names."""
    install(engine)
    if engine.rootless:
        prepare_rootless(engine)
    if running(engine):
        return engine.url
    root = engine.root
    if not Path(f"/run/netns/{engine.netns}").exists():
        _run("ip", "netns", "add", engine.netns)
    enter = ["nsenter", f"--net=/run/netns/{engine.netns}"]
    _run(*enter, "ip", "link", "set", "lo", "up")
    for key, value in engine.sysctls.items():  # the host state this engine stands for
        _run(*enter, "sysctl", "-q", "-w", f"{key}={value}")
    engine.config_file.parent.mkdir(parents=True, exist_ok=True)
    engine.config_file.write_text(json.dumps(dict(engine.daemon), indent=2) + "\n")
    (root / "etc/resolv.conf").write_text("nameserver 127.0.0.1\n")
    (root / ".oldroot").mkdir(exist_ok=True)
    engine.socket.unlink(missing_ok=True)
    script = f"""set -e
mount --bind {root} {root}
mkdir -p {root}/run/netns
mount -t tmpfs -o mode=0755,size=4m dl-netns {root}/run/netns
mount -t proc proc {root}/proc
mount -t sysfs sysfs {root}/sys
mount --rbind /sys/fs/cgroup {root}/sys/fs/cgroup
mount --rbind /dev {root}/dev
cd {root}; pivot_root . .oldroot; umount -l /.oldroot; cd /
""" + (_rootless_dockerd(engine) if engine.rootless else _dockerd(engine))
    say(f"starting {engine.distro.name} {engine.suite}'s dockerd {engine.version} in network namespace {engine.netns} "
        f"({engine.settings()})")
    with engine.log.open("w") as log:
        started = subprocess.Popen([*enter, "unshare", "--mount", "--propagation", "private", "/bin/bash", "-c",
                                    script], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    if engine.rootless:  # every step execs the next: this process becomes RootlessKit, dockerd's parent
        engine.pidfile.write_text(f"{started.pid}\n")
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
    shutil.rmtree(engine.root / engine.data_root.lstrip("/"), ignore_errors=True)
    shutil.rmtree(engine.root / engine.exec_root.lstrip("/"), ignore_errors=True)
    engine.config_file.unlink(missing_ok=True)
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
    """Make the lab images in ``engine``: the busybox image is built, the node image copied from the reference.

    Docker 29 keeps images in containerd's image store on a fresh install (``docker info``: driver-type
    io.containerd.snapshotter.v1); the ``docker save`` archive of the machine's engine loads into it, and the
    busybox image's ``FROM scratch`` build works there as on the others (measured on resolute: 10 s in all)."""
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

