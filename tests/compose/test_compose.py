"""``docker compose up`` from the repository, as a learner with Docker Desktop would, on an engine of the matrix.

Run against an engine of the matrix (``python -m tests.engines start sid``, then ``DOCKER_HOST=...``): that
engine is in network and mount namespaces of its own, as Docker Desktop's is in its VM, so the course in the
container takes its host views through its helper container, and JupyterLab's published port is the
engine's. With no registry here, the image's base is made from the same Debian packages the Dockerfile
installs, by ``debootstrap`` and ``docker import`` (as ``dockerlab/node`` is), and pip installs from wheels
downloaded beforehand (``PIP_NO_INDEX``, ``PIP_FIND_LINKS``): the build runs every step of the Dockerfile a
learner's build runs, with no network. Compose v2 is Debian's ``docker-compose`` from the engine's root.

The journey: build, ``up``, JupyterLab answering on the engine's 127.0.0.1 only, lesson 01 through nbval in the
container on the learner's engine, the learner's work surviving ``down`` and ``up``, and after ``down -v``
the engine's containers, networks and volumes exactly as before.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time

import pytest

from tests.engines.matrix import CACHE, ENGINES, ROOT

BASE_SUITE = "trixie"
BASE_IMAGE = "dockerlab/compose-base:trixie"
COURSE_IMAGE = "dockerlab/course:local"
TOKEN = "dockerlab-compose-test"
WHEELS = ROOT / "build" / "compose-wheels"
TARGET_PYTHON = "3.13"  # Debian 13's python3
PLATFORMS = ("manylinux_2_41_x86_64", "manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
             "manylinux1_x86_64", "linux_x86_64")
TOOLS = ("setuptools>=77", "setuptools-scm>=8", "nbval>=0.11", "pytest>=8")
"""Built with the course (the build's own tools), and the test's tools installed in the running container."""


def dockerfile_packages() -> str:
    """The Debian packages the Dockerfile installs (its ``ARG PACKAGES``), comma-separated for debootstrap."""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("ARG PACKAGES="):
            return ",".join(line.split("=", 1)[1].strip('"').split())
    raise AssertionError("the Dockerfile names no ARG PACKAGES")


def matrix_engine():
    """The engine of the matrix ``DOCKER_HOST`` points at (its root, its network namespace)."""
    url = os.environ.get("DOCKER_HOST", "")
    for engine in ENGINES.values():
        if url == engine.url:
            return engine
    pytest.fail(f"DOCKER_HOST={url!r} is no engine of the matrix: start one with `python -m tests.engines start sid` "
                "and point DOCKER_HOST at it (the test publishes ports and mounts the socket in its namespaces)",
                pytrace=False)


def run(*command: str, env: dict | None = None, check: bool = True, timeout: float = 900) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"$ {' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def compose_binary(engine) -> str:
    """Debian's Compose v2 in the engine's root (installed there once, with apt, from the machine's network)."""
    binary = engine.root / "usr/libexec/docker/cli-plugins/docker-compose"
    if not binary.exists():
        run("chroot", str(engine.root), "/bin/sh", "-c", "apt-get update -qq; DEBIAN_FRONTEND=noninteractive "
            "apt-get install -y -qq --no-install-recommends docker-compose")
    return str(binary)


def base_image(docker: list[str]) -> None:
    """The Dockerfile's base made here: ``debootstrap --variant=minbase --include=PACKAGES trixie`` + ``docker import``.

    The root is cached beside the matrix's engines (once, about two minutes); docker.io's own images
    of Debian are made the same way (debuerreotype runs debootstrap).
    """
    from dockerlab.engine.images import run_in_phases

    packages = dockerfile_packages()
    root = CACHE / f"compose-base-{BASE_SUITE}"
    stamp = root / ".dockerlab-packages"
    if not stamp.exists() or stamp.read_text() != packages:
        work = root.with_name(root.name + ".tmp")
        shutil.rmtree(work, ignore_errors=True)
        run_in_phases(["debootstrap", "--variant=minbase", f"--include={packages}", BASE_SUITE, str(work)],
                      print, tag=BASE_IMAGE)
        shutil.rmtree(work / "var/cache/apt/archives", ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
        work.rename(root)
        stamp.write_text(packages)
    archive = root.with_suffix(".tar")
    if not archive.exists() or archive.stat().st_mtime < stamp.stat().st_mtime:
        with tarfile.open(archive, "w") as tar:
            tar.add(root, arcname=".", filter=lambda info: None if info.name == "./.dockerlab-packages" else info)
    run(*docker, "import", "--change", 'CMD ["/bin/bash"]', str(archive), BASE_IMAGE)


def wheelhouse() -> None:
    """Every wheel the image's pip needs, for Debian 13's Python: the course's requirements and the build's tools."""
    marker = WHEELS / ".complete"
    if marker.exists() and marker.read_text() == (ROOT / "pyproject.toml").read_text():
        return
    shutil.rmtree(WHEELS, ignore_errors=True)
    WHEELS.mkdir(parents=True)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    run(*pip, "wheel", "--no-deps", "-w", str(WHEELS), str(ROOT))
    course = [str(path) for path in WHEELS.glob("dockerlab-*.whl")]
    run(*pip, "download", "-d", str(WHEELS), "--only-binary=:all:", "--python-version", TARGET_PYTHON,
        "--implementation", "cp", *(f"--platform={platform}" for platform in PLATFORMS), *course, *TOOLS)
    for path in course:
        os.unlink(path)  # the image builds the course from its source, as a learner's build does
    marker.write_text((ROOT / "pyproject.toml").read_text())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def inventory(docker: list[str]) -> dict[str, set[str]]:
    """The engine's containers, networks and volumes by name, and its images by tag."""
    return {"containers": set(run(*docker, "ps", "-a", "--format", "{{.Names}}").split()),
            "networks": set(run(*docker, "network", "ls", "--format", "{{.Name}}").split()),
            "volumes": set(run(*docker, "volume", "ls", "--format", "{{.Name}}").split()),
            "images": set(run(*docker, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}").split())}


class Course:
    """The course's compose project on the engine: ``compose("up", "-d")``, ``inside("cat", ...)``, ``fetch(path)``."""

    def __init__(self, engine, compose: str, port: int):
        self.engine, self.port = engine, port
        self.command = [compose, "-f", str(ROOT / "compose.yaml"), "--project-directory", str(ROOT)]
        # the socket as the engine sees it (the bind mount's source is read in the engine's mount namespace)
        self.env = {"DOCKER_HOST": engine.url, "DOCKERLAB_SOCKET": "/run/dockerlab-engine.sock",
                    "DOCKERLAB_PORT": str(port), "DOCKERLAB_TOKEN": TOKEN, "DOCKERLAB_BASE": BASE_IMAGE,
                    "DOCKER_BUILDKIT": "0", "COMPOSE_BAKE": "false"}

    def compose(self, *words: str, timeout: float = 900) -> str:
        return run(*self.command, *words, env=self.env, timeout=timeout)

    def inside(self, *command: str, timeout: float = 900) -> str:
        return self.compose("exec", "-T", "lab", *command, timeout=timeout)

    def fetch(self, path: str) -> tuple[int, str]:
        """GET ``path`` from JupyterLab at the engine's 127.0.0.1 (where its port is published)."""
        script = ("import sys, urllib.request, urllib.error\n"
                  "try:\n r = urllib.request.urlopen(sys.argv[1], timeout=5)\n"
                  " print(r.status); print(r.read().decode())\n"
                  "except urllib.error.HTTPError as e: print(e.code)\n"
                  "except OSError as e: print(0); print(e)")
        done = subprocess.run(["nsenter", f"--net=/run/netns/{self.engine.netns}", sys.executable, "-c", script,
                               f"http://127.0.0.1:{self.port}{path}"], capture_output=True, text=True)
        status, _, body = done.stdout.partition("\n")
        return int(status or 0), body

    def wait_until_open(self, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body = self.fetch(f"/api/contents/notebooks/00-welcome.ipynb?token={TOKEN}")
            if status == 200:
                return body
            time.sleep(1)
        raise AssertionError("JupyterLab did not answer:\n" + self.compose("logs", "--tail", "40"))


@pytest.fixture(scope="module")
def course():
    engine = matrix_engine()
    docker = ["docker", "-H", engine.url]
    times = [time.monotonic()]
    compose = compose_binary(engine)
    base_image(docker)
    times.append(time.monotonic())
    wheelhouse()
    times.append(time.monotonic())
    before = inventory(docker)
    lab = Course(engine, compose, free_port())
    lab.compose("build", "--build-arg", "PIP_NO_INDEX=1",
                "--build-arg", "PIP_FIND_LINKS=/opt/dockerlab/src/build/compose-wheels")
    times.append(time.monotonic())
    lab.compose("up", "-d")
    times.append(time.monotonic())
    print("compose base {:.0f} s, wheels {:.0f} s, build {:.0f} s, up {:.0f} s".format(
        *(later - earlier for earlier, later in itertools.pairwise(times))))
    yield lab, docker, before
    run(*lab.command, "down", "-v", env=lab.env, check=False)


def test_jupyterlab_opens_the_course_on_127_0_0_1_only(course):
    lab, docker, _ = course
    welcome = json.loads(lab.wait_until_open())
    assert welcome["name"] == "00-welcome.ipynb" and welcome["content"]["cells"]
    status, _ = lab.fetch("/api/contents/notebooks/00-welcome.ipynb")  # without the token
    assert status == 403
    container = lab.compose("ps", "-q", "lab").strip()
    bindings = json.loads(run(*docker, "inspect", container))[0]["HostConfig"]["PortBindings"]["8888/tcp"]
    assert bindings == [{"HostIp": "127.0.0.1", "HostPort": str(lab.port)}]
    logs = lab.compose("logs", "lab")
    assert f"http://127.0.0.1:{lab.port}/lab/tree/notebooks/00-welcome.ipynb?token={TOKEN}" in logs


def test_a_lesson_runs_through_the_container_on_the_learners_engine(course):
    lab, _, _ = course
    lab.wait_until_open()
    container = lab.compose("ps", "-q", "lab").strip()
    run("docker", "-H", lab.engine.url, "cp", str(WHEELS), f"{container}:/tmp/wheels")
    run("docker", "-H", lab.engine.url, "cp", str(ROOT / "tests/notebooks/sanitize.cfg"), f"{container}:/tmp/")
    lab.inside("pip", "install", "--quiet", "--no-index", "--find-links", "/tmp/wheels", "nbval", "pytest")
    result = lab.inside("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
                        "--nbval-sanitize-with", "/tmp/sanitize.cfg", "/work/notebooks/01-default-bridge.ipynb")
    assert " passed" in result and "failed" not in result, result


def test_the_work_stays_in_its_volume_and_nothing_else_is_left(course):
    lab, docker, before = course
    lab.wait_until_open()
    lab.inside("sh", "-c", "echo 'my notes' > /work/notebooks/mine.md")
    lab.compose("down")
    after_down = inventory(docker)
    assert after_down["containers"] == before["containers"]
    assert after_down["networks"] == before["networks"]
    assert after_down["volumes"] - before["volumes"] == {"dockerlab_work"}
    lab.compose("up", "-d")
    lab.wait_until_open()
    assert lab.inside("cat", "/work/notebooks/mine.md").strip() == "my notes"
    lab.compose("down", "-v")
    after = inventory(docker)
    assert {kind: after[kind] for kind in ("containers", "networks", "volumes")} == \
        {kind: before[kind] for kind in ("containers", "networks", "volumes")}
    # kept for the next `up`: the course's image and the lab image it built (`docker image rm` removes them)
    assert after["images"] - before["images"] <= {COURSE_IMAGE, "dockerlab/busybox:latest"}
