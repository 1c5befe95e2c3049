"""``docker compose`` through the course's proxy: what Compose makes is the lesson's, and a learner's own Compose
project — even one of the same name — is never touched (lesson 14).

The learner's project is made as a learner makes it: ``docker compose up -d`` in a folder of theirs, straight to
the engine, with no course label. The CLI's Compose plugin is the one the tests' ``DOCKER_CONFIG`` names
(tests/engines/matrix.py ``compose_config``), or the machine's own.
"""
from __future__ import annotations

import os
import subprocess

import pytest

from dockerlab import errors, labels
from dockerlab.lessons import compose
from dockerlab.lessons.lesson import Lab

PROJECT = "dockerlab-14"
FILE = f"""name: {PROJECT}
services:
  web:
    image: dockerlab/busybox:latest
    pull_policy: never
    command: sleep 1d
"""


@pytest.fixture
def state_home(tmp_path, monkeypatch):
    """The course's state folder (where a lesson's compose.yaml goes) of the test's own."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


def learners_compose(engine, folder, *words: str) -> subprocess.CompletedProcess:
    """``docker compose WORDS`` as the learner runs it in ``folder``: straight to the engine, no proxy."""
    return subprocess.run(["docker", "compose", *words], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "DOCKER_HOST": engine.url})


@pytest.fixture
def learners_project(engine, tmp_path):
    """The learner's own Compose project named like the lesson's, running; taken down by the test afterwards."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    (folder / "compose.yaml").write_text(FILE.replace("sleep 1d", "sleep 2d"))
    done = learners_compose(engine, folder, "up", "-d")
    assert done.returncode == 0, done.stdout + done.stderr
    yield folder
    learners_compose(engine, folder, "down")


def ids_of_project(engine, project: str) -> dict[str, str]:
    """The project's containers and networks: name -> ID."""
    wanted = f"{compose.PROJECT}={project}"
    found = {labels.container_name(c): c["Id"] for c in engine.containers(all=True, label=[wanted])}
    return found | {n["Name"]: n["Id"] for n in engine.networks(label=[wanted])}


def test_what_compose_makes_through_the_proxy_is_the_lessons_and_gets_contained_dns(engine, lesson_id, state_home):
    lab = Lab(engine, lesson_id)
    project = lab.compose_file(FILE.replace(PROJECT, "dockerlab-test"))
    lab.docker("compose up -d", quiet=True)
    container = engine.container("dockerlab-test-web-1")
    network = engine.network("dockerlab-test_default")
    assert labels.is_managed(labels.of(container), lesson_id) and labels.is_managed(labels.of(network), lesson_id)
    assert container["HostConfig"]["Dns"] == list(labels.CONTAINED_DNS)
    lab.clean()
    assert ids_of_project(engine, project) == {}


def test_a_learners_own_project_of_the_same_name_is_never_touched(engine, lesson_id, state_home, learners_project):
    before = ids_of_project(engine, PROJECT)
    assert {f"{PROJECT}-web-1", f"{PROJECT}_default"} <= set(before)
    lab = Lab(engine, lesson_id)
    with pytest.raises(errors.NameInUse) as refused:  # the lesson's cell says what to do, and writes nothing
        lab.compose_file(FILE)
    assert f"{PROJECT}-web-1" in str(refused.value) and "docker compose -p dockerlab-14 down" in str(refused.value)
    assert not (compose.folder(lesson_id) / compose.FILE).exists()

    # past the check (a file written by hand in the lesson's folder): Compose asks to stop and remove the
    # learner's containers and network, and the proxy refuses each request
    (compose.folder(lesson_id)).mkdir(parents=True)
    (compose.folder(lesson_id) / compose.FILE).write_text(FILE)
    up = lab.docker("compose up -d", quiet=True, may_fail=True)
    down = lab.docker("compose down", quiet=True, may_fail=True)
    assert up.exit_code != 0 and down.exit_code != 0, (up.output, down.output)
    assert "not the course's" in down.output or "is not the course" in down.output, down.output
    lab.clean()
    assert ids_of_project(engine, PROJECT) == before
    assert engine.container(f"{PROJECT}-web-1")["State"]["Running"]


def test_a_compose_file_without_a_project_name_is_refused_with_what_to_write(engine, lesson_id, state_home):
    lab = Lab(engine, lesson_id)
    with pytest.raises(errors.UnsupportedCommand) as refused:
        lab.compose_file(FILE.replace(f"name: {PROJECT}\n", ""))
    assert "name: dockerlab-14" in str(refused.value)
    with pytest.raises(errors.UnsupportedCommand):
        lab.compose_file(FILE, "../elsewhere.yaml")
