"""Integration tests run against the real engine; a missing engine fails them, never skips."""
from __future__ import annotations

import contextlib
import uuid

import docker
import pytest

from dockerlab import cleanup, errors
from dockerlab.engine import Engine
from dockerlab.images import ensure_images


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The real engine, with the lab images made. No engine is a test failure."""
    try:
        engine = Engine.connect()
        engine.version()
    except errors.LabError as problem:
        pytest.fail(f"integration tests need a Docker engine: {problem}", pytrace=False)
    ensure_images(engine, progress=lambda line: None)
    return engine


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
