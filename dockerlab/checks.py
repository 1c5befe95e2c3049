"""Exercises that check the learner's real engine: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

In the spirit of Kaggle's learntools: every task has three outcomes — *not attempted*, *not yet*
(with the specific reason) and *correct*. A check reads what the engine and the kernel really have
(a topology snapshot, plus a DNS or HTTP probe from a throwaway container of the course), never the
learner's code, so any correct way counts: ``lab.docker``, the docker CLI in a terminal, the SDK.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Callable

from . import labels, probe
from .commands import nslookup_addresses
from .engine import Engine
from .topology import Container, Network, Topology

PROBE_LESSON = "checks"


class Outcome(str, enum.Enum):
    """The three answers a check can give."""

    NOT_ATTEMPTED = "not attempted"
    NOT_YET = "not yet"
    CORRECT = "correct"


MARKS = {Outcome.NOT_ATTEMPTED: "○", Outcome.NOT_YET: "✘", Outcome.CORRECT: "✔"}


@dataclass
class Verdict:
    """A check's answer: the outcome, why, and which hint fits."""

    outcome: Outcome
    reason: str = ""
    hint: str = ""  # key into the task's hints

    @property
    def correct(self) -> bool:
        return self.outcome is Outcome.CORRECT

    def _ipython_display_(self) -> None:
        """Nothing more to show: :meth:`Task.check` already said it."""


class NotYet(Exception):
    """Raised inside a judge: the task is not done yet, for this reason (and this hint)."""

    def __init__(self, reason: str, hint: str = ""):
        super().__init__(reason)
        self.reason, self.hint = reason, hint


class NotAttempted(Exception):
    """Raised inside a judge: nothing of the task exists yet."""


class State:
    """What a judge may look at: the live topology, every container (stopped too), and probes."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.topology = probe.snapshot(engine)
        self.statuses = {labels.container_name(c): c["State"] for c in engine.containers(all=True)}

    # -- looking ------------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        return name in self.statuses or name in self.topology.networks

    def running(self, name: str) -> Container:
        """The running container ``name``; not there or stopped is a clear reason."""
        if name not in self.statuses:
            raise NotYet(f"there is no container named {name} yet", "missing")
        if name not in self.topology.containers:
            raise NotYet(f"{name} exists but is not running ({self.statuses[name]}): start it", "stopped")
        return self.topology.containers[name]

    def network(self, name: str) -> Network:
        if name not in self.topology.networks:
            raise NotYet(f"there is no network named {name} yet", "missing")
        return self.topology.networks[name]

    def attempted(self, *names: str) -> None:
        """Nothing of the task exists: not attempted."""
        if not any(self.exists(name) for name in names):
            raise NotAttempted()

    # -- probing (from the course's own throwaway containers) ------------------------------
    def resolve(self, network: str, name: str) -> list[str]:
        """The addresses ``name`` has for a container on ``network`` (``nslookup`` there)."""
        _, output = self.engine.run(labels.BUSYBOX_IMAGE, ["nslookup", name], lesson=PROBE_LESSON,
                                    network=network, dns=["127.0.0.1"], detach=False, remove=True)
        return nslookup_addresses(output)

    def fetch_from_host(self, url: str) -> str | None:
        """What ``wget`` gets from ``url`` in the host's network namespace, or ``None``."""
        info, output = self.engine.run(labels.BUSYBOX_IMAGE, ["timeout", "3", "wget", "-qO-", url],
                                       lesson=PROBE_LESSON, network="host", detach=False, remove=True)
        return output if info["State"]["ExitCode"] == 0 else None


@dataclass
class Task:
    """One thing to do on the engine, with its check, hints and solution."""

    id: str
    title: str
    statement: str
    judge: Callable[[State], None]
    hints: dict[str, str]
    commands: list[str]
    names: list[str] = field(default_factory=list)
    target: object = None  # a TargetTopology, for tasks stated as a picture
    engine: Engine | None = None
    last: Verdict | None = None

    def _engine(self) -> Engine:
        if self.engine is None:
            self.engine = Engine.connect()
        return self.engine

    def verdict(self, state: State | None = None) -> Verdict:
        """Judge the engine as it is now (or as ``state`` saw it)."""
        state = state or State(self._engine())
        try:
            state.attempted(*self.names)
            self.judge(state)
            verdict = Verdict(Outcome.CORRECT, "well done")
        except NotAttempted:
            verdict = Verdict(Outcome.NOT_ATTEMPTED, f"nothing of this task ({', '.join(self.names)}) exists "
                                                     "on the engine yet", "start")
        except NotYet as missing:
            verdict = Verdict(Outcome.NOT_YET, missing.reason, missing.hint)
        self.last = verdict
        return verdict

    def check(self) -> Verdict:
        """Check the task and say how it stands. Similar to ``dockerlab check ID``."""
        state = State(self._engine())
        verdict = self.verdict(state)
        text = f"{MARKS[verdict.outcome]} {self.id} {verdict.outcome.value}: {verdict.reason}"
        if verdict.outcome is Outcome.NOT_YET:
            text += f". For a hint: q{self.id.split('.')[1]}.hint()"
        print(text)
        if self.target is not None and verdict.outcome is not Outcome.CORRECT:
            from .render.difference import draw_difference

            from IPython.display import display

            display(draw_difference(self.target, state.topology))
        return verdict

    def hint(self) -> None:
        """A hint that fits the last check (or the first step)."""
        key = self.last.hint if self.last and self.last.hint in self.hints else "start"
        print(f"Hint: {self.hints.get(key) or self.hints['start']}")

    def solution(self) -> None:
        """One way to do it (any other way that gives the same engine state is correct too)."""
        lines = [f"  {c}" if c.startswith("#") else f"  $ {c}" for c in self.commands]
        print("One solution:\n" + "\n".join(lines))

    def __repr__(self) -> str:
        return f"Task {self.id}: {self.title}"


@dataclass
class TargetTopology:
    """A task stated as a picture: these networks, and these containers attached to them."""

    networks: dict[str, dict]       # name -> {"subnet": ..., "internal": bool}
    containers: dict[str, list[str]]  # name -> the networks it is attached to

    def differences(self, topology: Topology) -> list[tuple[str, str]]:
        """What differs from the live topology: (what, why) pairs, missing parts first."""
        found = []
        for name, wanted in self.networks.items():
            network = topology.networks.get(name)
            if network is None:
                found.append((f"network {name}", "missing"))
                continue
            for key, value in wanted.items():
                if getattr(network, key) != value:
                    found.append((f"network {name}", f"{key} is {getattr(network, key)}, not {value}"))
        for name, wanted in self.containers.items():
            container = topology.containers.get(name)
            if container is None:
                found.append((f"container {name}", "missing (or not running)"))
                continue
            for network in wanted:
                if network not in container.networks:
                    found.append((f"{name} on {network}", "missing"))
            for network in container.networks:
                if network not in wanted:
                    found.append((f"{name} on {network}", "extra: not in the plan"))
        return found

    def judge(self, state: State) -> None:
        differences = self.differences(state.topology)
        if differences:
            what, why = differences[0]
            more = f" (and {len(differences) - 1} more difference(s), drawn below)" if len(differences) > 1 else ""
            raise NotYet(f"{what}: {why}{more}", "extra" if why.startswith("extra") else "missing")
