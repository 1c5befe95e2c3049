"""Integration tests run against the real engine; a missing engine fails them, never skips."""
from __future__ import annotations

import contextlib
import re
import uuid

import docker
import pytest

from dockerlab import errors, labels
from dockerlab.engine.client import Engine
from dockerlab.engine.images import ensure_images
from dockerlab.host import cleanup, cluster, hostshell
from dockerlab.host.session import LiveSession


@pytest.fixture(scope="session")
def engine() -> LiveSession:
    """The real engine and its host (a live session), with the lab images made. No engine is a test failure."""
    try:
        engine = LiveSession(Engine.connect(), labels.TESTS)
        engine.version()
    except errors.LabError as problem:
        pytest.fail(f"integration tests need a Docker engine: {problem}", pytrace=False)
    ensure_images(engine, progress=lambda line: None)
    for lesson in _earlier_tests_lessons(engine):
        cleanup.remove(engine, lesson)
    return engine


def _earlier_tests_lessons(engine: LiveSession) -> set[str]:
    """The lessons an earlier, interrupted test run left objects of (its own names: tests, checks, test-*)."""
    found = set()
    for kind in ("containers", "networks"):
        for attrs in getattr(engine.api, kind)(**({"all": True} if kind == "containers" else {}),
                                               filters={"label": labels.MANAGED}):
            lesson = labels.of(attrs).get(labels.LESSON, "")
            if lesson in (labels.TESTS, labels.CHECKS) or lesson.startswith("test-"):
                found.add(lesson)
    return found


class Learner:
    """Makes objects the way a learner would (plain SDK, no course labels) and removes them after."""

    def __init__(self, client: docker.DockerClient):
        self.client = client
        self.made: list[object] = []

    def container(self, name: str, **kwargs):
        made = self.client.containers.run("dockerlab/busybox", ["sleep", "1d"], name=name, detach=True, **kwargs)
        self.made.append(made)
        return made

    def network(self, name: str, **kwargs):
        made = self.client.networks.create(name, check_duplicate=True, **kwargs)
        self.made.append(made)
        return made

    def volume(self, name: str, **kwargs):
        made = self.client.volumes.create(name, **kwargs)
        self.made.append(made)
        return made

    def remove_all(self) -> None:
        for thing in reversed(self.made):
            with contextlib.suppress(docker.errors.NotFound):
                if isinstance(thing, docker.models.containers.Container):
                    thing.remove(force=True, v=True)
                else:
                    thing.remove()


@pytest.fixture
def learner(engine: Engine):
    """The learner's own objects (canaries): removed by the test itself, by ID, even if it fails."""
    own = Learner(engine.client)
    yield own
    own.remove_all()


@pytest.fixture
def lesson_id(engine: Engine):
    """A lesson id unique to the test; whatever it made is removed afterwards, even if the test fails."""
    lesson = f"test-{uuid.uuid4().hex[:8]}"
    yield lesson
    cleanup.remove(engine, lesson)


def host_state(engine) -> dict:
    """Everything of the engine's host that `cluster up` and `down` could change (read where the engine's
    dockerd runs: a matrix engine's network namespace is not this process's, whose rules and links belong
    to whatever else runs on the machine)."""
    commands = (["iptables-save"], ["iptables", "-t", "nat", "-S"], ["iptables", "-t", "filter", "-S"])
    rules = "".join(hostshell.run(engine, command, check=False)[1] for command in commands)
    rules = [re.sub(r"\[\d+:\d+\]", "", line) for line in rules.splitlines() if not line.startswith("#")]
    links = hostshell.run(engine, ["ip", "-o", "link"], check=False)[1]
    return {"rules": sorted(rules),
            "links": sorted(line.split(":")[1].strip() for line in links.splitlines()),
            "containers": sorted(c["Id"] for c in engine.containers(all=True)),
            "networks": sorted(n["Id"] for n in engine.networks()),
            "volumes": sorted(v["Name"] for v in engine.api.volumes().get("Volumes") or [])}


def host_changes(engine, before: dict) -> dict:
    """What is new or gone on the host since ``before`` (a :func:`host_state`), by kind; empty if nothing."""
    now = host_state(engine)
    changes = {}
    for kind, things in before.items():
        new, gone = sorted(set(now[kind]) - set(things)), sorted(set(things) - set(now[kind]))
        if new or gone:
            changes[kind] = {"new": new, "gone": gone}
    return changes


@pytest.fixture
def host_without_cluster(engine):
    """The host's state with no lab cluster; the cluster is removed again after the test."""
    cluster.down(engine)
    state = host_state(engine)
    yield state
    cluster.down(engine)  # even when the test failed
