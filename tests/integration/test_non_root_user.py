"""A learner who is not root, as in the dev container: a user in the ``docker`` group (with sudo,
which the course never uses) runs ``dockerlab setup``, ``dockerlab doctor`` and lessons 01-10 of the
Korean edition (the language of the notes the course grew from; its code cells are the English ones, so
the same commands run, and ``./lab test`` runs the English lessons as root), each cell with its assertions
(``--nbval-lax``: CI runs it on Docker 20.10, the machine's own engine, beside the other engines' lanes).

This test runs as root, because it makes that user (``useradd``, labelled by its comment, removed
with its home afterwards, also after an interrupted run). Everything the user runs goes to the engine
``DOCKER_HOST`` names (the machine's own by default), whose socket must belong to the ``docker`` group.
When others use that engine at the same time, give the test one of its own, so that its default-bridge
lessons meet no other run's: the machine's dockerd in a network namespace,

    ip netns add dloc && nsenter --net=/run/netns/dloc ip link set lo up
    mkdir -p /var/lib/dl-oc /run/dl-oc
    setsid nsenter --net=/run/netns/dloc dockerd --data-root /var/lib/dl-oc --exec-root /run/dl-oc \\
        --pidfile /run/dl-oc/dockerd.pid -H unix:///run/dl-oc/docker.sock --group docker --dns 127.0.0.1 &
    DOCKER_HOST=unix:///run/dl-oc/docker.sock .venv/bin/python -m pytest tests/integration/test_non_root_user.py

The engine's host is then another network namespace, so the course takes its host views through its
helper container, and the doctor says so.
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from dockerlab.engine.client import engine_url, socket_path
from dockerlab.text import say
from tests.conftest import ROOT

LABEL = "dockerlab test learner"
LESSONS = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "ko/notebooks").glob("[01][0-9]-*.ipynb"))
           if "01" <= path.name[:2] <= "10"]
USER_PATH = "/usr/local/bin:/usr/bin:/bin"
USER_PYTHON = "/usr/bin/python3"
"""The distribution's Python: one every user may run (a Python under root's home is not)."""
TIMEOUT = 900


def _remove_user(name: str) -> None:
    """``userdel -r NAME``: the user and its home go; a process it left is stopped first."""
    if subprocess.run(["userdel", "-r", name], capture_output=True).returncode != 0:
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        time.sleep(0.5)
        subprocess.run(["userdel", "-r", "-f", name], capture_output=True, check=True)


def _leftover_users() -> list[str]:
    return [entry.pw_name for entry in pwd.getpwall() if entry.pw_gecos == LABEL]


@pytest.fixture
def learner():
    """A fresh user in the ``docker`` group (and ``sudo``, where that group exists), removed afterwards."""
    if os.geteuid() != 0:
        pytest.fail("this test makes a user: run it as root", pytrace=False)
    for name in _leftover_users():
        _remove_user(name)
    groups = ["docker"] + (["sudo"] if _group_exists("sudo") else [])
    name = f"dl-{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment", LABEL,
                    "--groups", ",".join(groups), name], check=True, capture_output=True)
    try:
        yield name
    finally:
        _remove_user(name)
    assert name not in _leftover_users() and not Path(f"/home/{name}").exists()


def _group_exists(group: str) -> bool:
    try:
        grp.getgrnam(group)
        return True
    except KeyError:
        return False


def own_checkout(name: str) -> Path:
    """The user's own copy of the course (its tracked files) and a virtualenv of their own in their home,
    as a dev container has them; made by root (with root's pip cache), then handed to the user."""
    home = Path(pwd.getpwnam(name).pw_dir)
    checkout = home / "dockerlab"
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout
    for relative in filter(None, tracked.decode().split("\0")):
        source, target = ROOT / relative, checkout / relative
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    if subprocess.run([USER_PYTHON, "-c", "import ensurepip"], capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "python3-venv"], capture_output=True, check=True)
    venv = home / "venv"
    subprocess.run([USER_PYTHON, "-m", "venv", str(venv)], capture_output=True, check=True)
    installed = subprocess.run([str(venv / "bin/pip"), "install", "-q", "--disable-pip-version-check",
                                "-e", str(checkout), "pytest", "nbval"], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-2000:]
    subprocess.run(["chown", "-R", f"{name}:{name}", str(home)], check=True)
    return checkout


def as_user(name: str, *command: str, timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    """``runuser -u NAME -- COMMAND`` in the user's own checkout, with their own clean environment."""
    home = Path(pwd.getpwnam(name).pw_dir)
    env = [f"HOME={home}", f"USER={name}", f"LOGNAME={name}", "LANG=C.UTF-8",
           f"PATH={home / 'venv/bin'}:{USER_PATH}", f"DOCKER_HOST={engine_url()}"]
    return subprocess.run(["runuser", "-u", name, "--", "env", "-i", *env, *command], cwd=home / "dockerlab",
                          capture_output=True, text=True, timeout=timeout)


def test_a_docker_group_user_sets_up_checks_and_runs_lessons_01_to_10(learner, capsys):
    started = time.monotonic()
    assert len(LESSONS) == 10, LESSONS
    path = socket_path()
    if path:
        assert Path(path).exists(), f"no engine socket at {path}: start the engine DOCKER_HOST names"
        group = grp.getgrgid(os.stat(path).st_gid).gr_name
        assert group == "docker", f"{path} belongs to group {group}: start that dockerd with --group docker"
    checkout = own_checkout(learner)
    readable = as_user(learner, "python", "-c", "import dockerlab; print(dockerlab.__file__)")
    assert readable.returncode == 0 and readable.stdout.startswith(str(checkout)), readable.stdout + readable.stderr

    setup = as_user(learner, "dockerlab", "setup")
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "dockerlab/busybox" in setup.stdout

    doctor = as_user(learner, "dockerlab", "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "The course can run here." in doctor.stdout
    assert say("doctor-host-helper") in doctor.stdout, doctor.stdout
    assert say("doctor-host-direct") not in doctor.stdout

    # each cell with its assertions (the reference lane compares the Korean edition's outputs, as root)
    lessons_started = time.monotonic()
    lessons = as_user(learner, "python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval-lax",
                      "--nbval-current-env", *LESSONS)
    lessons_took = time.monotonic() - lessons_started
    assert lessons.returncode == 0, lessons.stdout[-6000:] + lessons.stderr[-2000:]
    assert " passed" in lessons.stdout and "failed" not in lessons.stdout
    with capsys.disabled():
        print(f"\n[non-root user] Korean lessons 01-10: {lessons_took:.0f} s; "
              f"whole test: {time.monotonic() - started:.0f} s")
