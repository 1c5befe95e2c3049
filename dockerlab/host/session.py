"""What a lesson may ask of an engine and its host: one interface, and the live session that answers it.

A lesson (and an exercise's judge) talks to the engine only through a :class:`Session`: the engine's
own calls (similar to ``docker inspect``, ``docker run``, ``docker network create`` ...), the learner's
``docker`` CLI behind the course's proxy, a command on the engine's host (``sudo CMD`` there), the facts
a snapshot is made from, a packet capture on a lab host, ``dockerlab doctor``, and a live feed of
pictures. Three sessions answer it: :class:`LiveSession` (the real engine), a recorder (the real engine,
each answer written down) and a player (the answers written down, no engine at all) — see
:mod:`dockerlab.replay`. Nothing above this interface knows which one it has.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Protocol

from .. import labels
from ..engine import dockercli
from ..engine.calls import EngineCalls
from ..engine.client import Engine
from ..engine.proxy import Proxy
from ..model.topology import Topology
from . import cluster, health, hostshell, probe, prompt
from .watch import Watcher


class Feed(Protocol):
    """What a live diagram follows: topologies handed on as the engine changes (a :class:`Watcher`)."""

    lesson: str | None
    topology: Topology | None
    refreshes: int
    latencies: list[float]
    on_status: Callable[[str], None]

    @property
    def running(self) -> bool: ...
    def subscribe(self, on_topology: Callable[[Topology], None]) -> None: ...
    def start(self) -> None: ...
    def refresh(self) -> Topology: ...
    def stop(self) -> None: ...
    def wait(self, condition: Callable[[Topology], bool], timeout: float) -> bool: ...


class Session(EngineCalls, Protocol):
    """Everything a lesson or a judge may ask of the engine and its host (see the module's docstring).

    The engine's calls are :class:`~dockerlab.engine.calls.EngineCalls` (exactly
    :class:`~dockerlab.engine.client.Engine`'s); the rest are below.
    """

    url: str
    lesson: str

    # -- beyond the engine's API -------------------------------------------------------------------
    def docker(self, words: list[str]) -> tuple[int, str]:
        """The learner's own ``docker WORDS``, through the course's labelling proxy: exit code and output."""
        ...

    def host(self, command: list[str], check: bool = True) -> tuple[int, str]:
        """``sudo COMMAND`` on the engine's host: exit code and output (a failure raises unless ``check=False``)."""
        ...

    def host_prompt(self) -> list[str]:
        """What the learner types before a host command on this machine (``sudo``, ``nsenter ...``, or nothing)."""
        ...

    def snapshot_facts(self, lesson: str | None = None) -> dict:
        """What a topology is made from (``dockerlab snapshot --json``'s facts), for ``lesson`` or everything."""
        ...

    def capture(self, node: str, packet_filter: str, while_running: tuple[str, str],
                count: int = 2) -> tuple[int, str]:
        """``tcpdump`` on a lab host's underlay while a command runs on another: exit code and output."""
        ...

    def doctor(self) -> health.Report:
        """``dockerlab doctor``'s checks of this engine."""
        ...

    def follow(self, lesson: str | None) -> Feed:
        """A feed of topologies of ``lesson`` (everything if ``None``), one after each change."""
        ...

    def judging(self, task: str) -> contextlib.AbstractContextManager[None]:
        """Around an exercise's judge reading the learner's engine (a player cannot: it has no engine)."""
        ...

    def close(self) -> None:
        """The lesson ends: stop what the session started (its proxy)."""
        ...

    def for_lesson(self, lesson: str) -> Session:
        """The same engine, with ``lesson``'s label on what the docker CLI creates through it."""
        ...


def snapshot(session: Session, lesson: str | None = None) -> Topology:
    """What the engine and the kernel really have now (only ``lesson``'s part, if given).

    Similar to ``dockerlab snapshot [--lesson LESSON]``.
    """
    return probe.topology_of(session.snapshot_facts(lesson), lesson)


class LiveSession(Engine):
    """The real engine and its host, for one lesson (its label goes on what the CLI creates)."""

    def __init__(self, engine: Engine, lesson: str = labels.CLI):
        super().__init__(engine.client, engine.url)
        self.lesson = lesson
        self._proxy: Proxy | None = None

    def docker(self, words: list[str]) -> tuple[int, str]:
        return dockercli.run(words, self.proxy().url)

    def proxy(self) -> Proxy:
        """This lesson's labelling proxy, started on first use. Similar to ``dockerlab proxy --lesson LESSON``."""
        if self._proxy is None or not self._proxy.running:
            self._proxy = Proxy(self.lesson, upstream=self.url).start()
        return self._proxy

    def host(self, command: list[str], check: bool = True) -> tuple[int, str]:
        return hostshell.run(self, command, check=check)

    def host_prompt(self) -> list[str]:
        return prompt.words_before(self)

    def snapshot_facts(self, lesson: str | None = None) -> dict:
        return probe.gather(self, lesson=lesson)

    def capture(self, node: str, packet_filter: str, while_running: tuple[str, str],
                count: int = 2) -> tuple[int, str]:
        return cluster.capture(self, node, packet_filter, while_running, count)

    def doctor(self) -> health.Report:
        return health.diagnose(self.url)

    def follow(self, lesson: str | None) -> Feed:
        return Watcher(self, lesson)

    @contextlib.contextmanager
    def judging(self, task: str) -> Iterator[None]:
        yield

    def for_lesson(self, lesson: str) -> LiveSession:
        return self if lesson == self.lesson else LiveSession(self, lesson)

    def close(self) -> None:
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None
