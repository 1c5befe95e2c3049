"""Start and stop the matrix's engines (see the package docstring).

Each non-reference engine is Debian's docker.io of one suite, in a root made by
``debootstrap`` (cached in ``DOCKERLAB_ENGINES`` or /var/cache/dockerlab-engines),
started by ``nsenter --net=NETNS unshare --mount`` with ``pivot_root`` into that
root, so that runc resolves paths in it (``chroot`` is not enough). Its data lives
inside the root and is wiped at stop; its network namespace is deleted; its cgroups
removed. Nothing of it is left on the machine but the cached root.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dockerlab import errors, images

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


def start(engine: MatrixEngine, timeout: float = 60) -> str:
    """Start ``engine`` in its own namespaces; return its ``DOCKER_HOST``."""
    install(engine)
    if _pid(engine) and engine.socket.exists():
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
  --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent {engine.cgroup_parent} --dns 127.0.0.1
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.engines", description=__doc__)
    parser.add_argument("action", choices=["install", "start", "stop", "list", "test", "compose"])
    parser.add_argument("engine", nargs="?", choices=[*sorted(ENGINES), "all"])
    options, pytest_args = parser.parse_known_args(argv)
    if options.action == "list":
        print(REFERENCE, *ENGINES)
        return 0
    if options.action == "compose":
        return test_compose(ENGINES[options.engine or "sid"], pytest_args)
    if options.action == "test":
        if options.engine in (None, "all"):
            return test_side_by_side(list(ENGINES.values()), pytest_args)
        return test(ENGINES[options.engine], pytest_args)
    if options.engine is None:
        parser.error("name an engine")
    engine = ENGINES[options.engine] if options.engine != "all" else None
    if engine is None:
        parser.error("name one engine")
    if options.action == "install":
        install(engine)
    elif options.action == "start":
        print(start(engine))
    else:
        stop(engine)
    return 0


MATRIX_TESTS = ["tests/integration/test_snapshot_truth.py", "tests/integration/test_live_diagram.py",
                "tests/integration/test_exercises.py", "tests/integration/test_images_and_doctor.py",
                "notebooks", "exercises", "--ignore=exercises/student"]
"""What runs on every engine of the matrix: every lesson and exercise sheet through nbval, every exercise's
good and bad states, the snapshot truth test, the live diagram and the doctor (unit, browser and the
reference-only tests run once, on the reference engine)."""
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


def test(engine: MatrixEngine, pytest_args: list[str], log: Path | None = None) -> int:
    """Start ``engine``, run the matrix's tests on it, stop it (also when they fail); pytest's exit code.

    With ``log``, pytest's output goes to that file (engines tested side by side).
    """
    started = time.monotonic()
    try:
        url = start(engine)
        load_lab_images(engine)
        # each engine's run keeps its own exercise answers (engines may be tested side by side)
        env = {**os.environ, "DOCKER_HOST": url, "DOCKERLAB_ANSWERS": f"/tmp/dockerlab-answers-{engine.name}.json"}
        Path(env["DOCKERLAB_ANSWERS"]).unlink(missing_ok=True)
        say(f"running the lessons, exercises, snapshot truth, live diagram and doctor on {engine.name} "
            f"(Debian {engine.suite}, Docker {engine.version})")
        command = [sys.executable, "-m", "pytest", *MATRIX_TESTS, "--nbval", "--nbval-current-env",
                   "--nbval-sanitize-with", "tests/notebooks/sanitize.cfg", "-p", "no:cacheprovider", *pytest_args]
        if log is None:
            code = subprocess.run(command, env=env, cwd=ROOT).returncode
        else:
            with log.open("w") as output:
                code = subprocess.run(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT).returncode
    finally:
        stop(engine)
    say(f"{engine.name}: {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return code


def test_compose(engine: MatrixEngine, pytest_args: list[str]) -> int:
    """``docker compose up`` of the course on ``engine`` (tests/compose): start it, run the test, stop it."""
    try:
        url = start(engine)
        env = {**os.environ, "DOCKER_HOST": url, "DOCKERLAB_ANSWERS": f"/tmp/dockerlab-answers-{engine.name}.json"}
        command = [sys.executable, "-m", "pytest", "tests/compose", "-p", "no:cacheprovider", *pytest_args]
        return subprocess.run(command, env=env, cwd=ROOT).returncode
    finally:
        stop(engine)


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1][-100:] if lines else ""


def test_side_by_side(engines: list[MatrixEngine], pytest_args: list[str]) -> int:
    """Test several engines at once (each in its own namespaces), showing progress; the worst exit code.

    Each engine's pytest output goes to /tmp/dockerlab-matrix-NAME.log and is printed when it ends.
    """
    from concurrent.futures import ThreadPoolExecutor

    logs = {engine.name: Path(f"/tmp/dockerlab-matrix-{engine.name}.log") for engine in engines}
    for log in logs.values():
        log.write_text("")
    with ThreadPoolExecutor(len(engines)) as pool:
        futures = {engine.name: pool.submit(test, engine, pytest_args, logs[engine.name]) for engine in engines}
        while not all(future.done() for future in futures.values()):
            time.sleep(60)
            for name, future in futures.items():
                if not future.done():
                    say(f"  {name}: {_last_line(logs[name])}")
        codes = {name: future.result() for name, future in futures.items()}
    for name, log in logs.items():
        print(f"\n========== engine {name} ==========", flush=True)
        print(log.read_text(errors="replace"), flush=True)
    return max(codes.values(), default=0)
