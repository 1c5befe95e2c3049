"""Exercises that check the learner's real engine: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

In the spirit of Kaggle's learntools: every task has three outcomes — *not attempted*, *not yet*
(with the specific reason) and *correct*. A check reads what the engine and the kernel really have
(a topology snapshot, plus DNS, HTTP or ping probes from throwaway containers of the course), never
the learner's code, so any correct way counts: ``lab.docker``, the docker CLI in a terminal, the SDK.
Every sentence a check says lives in the catalogue (``locale/en.json``), under ``ex-<id>-...`` keys.
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import answers, labels, probe
from .commands import nslookup_addresses
from .engine import Engine
from .text import say
from .topology import Container, Network, Topology

PROBE_LESSON = "checks"
HINT_STEPS = ("nudge", "kind", "command")


class Outcome(str, enum.Enum):
    """The three answers a check can give."""

    NOT_ATTEMPTED = "not attempted"
    NOT_YET = "not yet"
    CORRECT = "correct"

    @property
    def text(self) -> str:
        return say({"NOT_ATTEMPTED": "outcome-not-attempted", "NOT_YET": "outcome-not-yet",
                    "CORRECT": "outcome-correct"}[self.name])


MARKS = {Outcome.NOT_ATTEMPTED: "○", Outcome.NOT_YET: "✘", Outcome.CORRECT: "✔"}


@dataclass
class Verdict:
    """A check's answer: the outcome, why, and which hint ladder fits."""

    outcome: Outcome
    reason: str = ""
    hint: str = ""  # which hint ladder fits
    fields: dict = field(default_factory=dict)  # the facts the reason names, for the hints too

    @property
    def correct(self) -> bool:
        return self.outcome is Outcome.CORRECT

    def _ipython_display_(self) -> None:
        """Nothing more to show: :meth:`Task.check` already said it."""


class NotYet(Exception):
    """Raised inside a judge: the task is not done yet. ``key`` names the reason (and its hints)."""

    def __init__(self, key: str, hint: str | None = None, **fields: object):
        super().__init__(key)
        self.key, self.hint, self.fields = key, hint or key, fields


class NotAttempted(Exception):
    """Raised inside a judge: nothing of the task exists yet."""


# -- what a judge may look at ----------------------------------------------------------------
class LiveProbes:
    """Probes on the real engine, from the course's own throwaway containers."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def resolve(self, network: str, name: str) -> list[str]:
        """The addresses ``name`` has for a container on ``network``.

        Similar to ``docker run --rm --network NETWORK dockerlab/busybox nslookup NAME``.
        """
        _, output = self.engine.run(labels.BUSYBOX_IMAGE, ["nslookup", name], lesson=PROBE_LESSON,
                                    network=network, dns=["127.0.0.1"], detach=False, remove=True)
        return nslookup_addresses(output)

    def fetch(self, url: str) -> str | None:
        """What ``wget`` gets from ``url`` in the host's network namespace, or ``None``."""
        info, output = self.engine.run(labels.BUSYBOX_IMAGE, ["timeout", "3", "wget", "-qO-", url],
                                       lesson=PROBE_LESSON, network="host", detach=False, remove=True)
        return output if info["State"]["ExitCode"] == 0 else None

    def node(self, node: str, command: str) -> tuple[int, str]:
        """A command on a lab host of the cluster (``docker`` there is that host's own engine)."""
        from . import cluster
        from .errors import LabError

        try:
            return self.engine.exec(cluster.NODE_PREFIX + node.removeprefix("node"), ["sh", "-c", command])
        except LabError:  # no such node (no cluster up): the command did not run
            return -1, ""


class RecordedProbes:
    """Probe answers recorded earlier (for the fast tests): the same questions get the same answers."""

    def __init__(self, recorded: dict):
        self.recorded = recorded

    def resolve(self, network: str, name: str) -> list[str]:
        return self.recorded.get("resolve", {}).get(f"{network} {name}", [])

    def fetch(self, url: str) -> str | None:
        return self.recorded.get("fetch", {}).get(url)

    def node(self, node: str, command: str) -> tuple[int, str]:
        code, output = self.recorded.get("node", {}).get(f"{node} {command}", (-1, ""))
        return code, output


class State:
    """What a judge may look at: the live topology, every container (stopped too), and probes."""

    def __init__(self, topology: Topology, statuses: dict[str, str], probes, answers: dict | None = None):
        self.topology, self.statuses, self.probes = topology, statuses, probes
        self.answers = answers if answers is not None else {}
        self.asked: dict[str, dict] = {"resolve": {}, "fetch": {}, "node": {}}

    @classmethod
    def of(cls, engine: Engine) -> State:
        """The engine as it is now."""
        topology = probe.snapshot(engine)
        # read after the snapshot: a container that was stopping while it was read counts as stopped
        statuses = {labels.container_name(c): c["State"] for c in engine.containers(all=True)}
        return cls(topology, statuses, LiveProbes(engine), answers.load())

    @classmethod
    def recorded(cls, record: dict) -> State:
        """A state recorded from the engine earlier (see :meth:`record`)."""
        return cls(Topology.from_facts(record["facts"]), record["statuses"], RecordedProbes(record),
                   record.get("answers", {}))

    # -- looking ------------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        return name in self.statuses or name in self.topology.networks

    def running(self, name: str) -> Container:
        """The running container ``name``; not there or stopped is a clear reason."""
        if name not in self.statuses:
            raise NotYet("missing", name=name)
        if name not in self.topology.containers or self.statuses[name] not in ("running", "paused"):
            raise NotYet("stopped", name=name, status=self.statuses[name])
        return self.topology.containers[name]

    def network(self, name: str) -> Network:
        if name not in self.topology.networks:
            raise NotYet("absent", name=name)
        return self.topology.networks[name]

    def attempted(self, *names: str) -> None:
        """Nothing of the task exists: not attempted."""
        if not any(self.exists(name) for name in names):
            raise NotAttempted()

    # -- probing (answers are kept, so a state can be recorded) ----------------------------
    def resolve(self, network: str, name: str) -> list[str]:
        found = self.probes.resolve(network, name)
        self.asked["resolve"][f"{network} {name}"] = found
        return found

    def fetch_from_host(self, url: str) -> str | None:
        found = self.probes.fetch(url)
        self.asked["fetch"][url] = found
        return found

    def on_node(self, node: str, command: str) -> tuple[int, str]:
        found = self.probes.node(node, command)
        self.asked["node"][f"{node} {command}"] = list(found)
        return found


# -- tasks -------------------------------------------------------------------------------------
def _text(task_id: str, key: str, fallback: str | None = None, /, **fields: object) -> str | None:
    """``ex-<id>-<key>``, else the shared ``ex-<fallback or key>``, else ``None``."""
    for candidate in (f"ex-{task_id}-{key}", f"ex-{fallback or key}"):
        try:
            return say(candidate, **fields)
        except KeyError:
            continue
    return None


@dataclass
class Task:
    """One thing to do on the engine, with its check, hint ladder, solution and reset.

    ``names`` are what the task is about (nothing of them: not attempted); ``makes`` are the objects
    the task asks for, which :meth:`reset` removes (default: ``names``).
    """

    id: str
    judge: Callable[[State], None] | None
    commands: list[str]
    names: list[str] = field(default_factory=list)
    makes: list[str] | None = None
    builds_on: str = ""  # the task whose objects this one changes (its reset is that task's)
    undo: list[str] = field(default_factory=list)  # "node1$ command" lines that undo a task on the lab cluster
    target: object = None  # a TargetTopology, for tasks stated as a picture
    engine: Engine | None = None
    sheet: Any = None  # the sheet module, for its set-up
    last: Verdict | None = None
    step: int = 0

    @property
    def title(self) -> str:
        return say(f"ex-{self.id}-title")

    @property
    def statement(self) -> str:
        return say(f"ex-{self.id}-statement")

    @property
    def number(self) -> str:
        return self.id.split(".")[1]

    def _engine(self) -> Engine:
        if self.engine is None:
            self.engine = Engine.connect()
        return self.engine

    def verdict(self, state: State | None = None) -> Verdict:
        """Judge the engine as it is now (or as ``state`` saw it)."""
        state = state or State.of(self._engine())
        try:
            if self.names:
                state.attempted(*self.names)
            if self.judge is not None:
                self.judge(state)
            verdict = Verdict(Outcome.CORRECT, say("ex-correct"))
        except NotAttempted:
            verdict = Verdict(Outcome.NOT_ATTEMPTED, self._nothing_yet(), "start")
        except NotYet as missing:
            reason = _text(self.id, "why-" + missing.key, **missing.fields)
            verdict = Verdict(Outcome.NOT_YET, reason or missing.key, missing.hint, missing.fields)
        if self.last is None or verdict.hint != self.last.hint:
            self.step = 0  # a new verdict: its hint ladder starts again
        self.last = verdict
        return verdict

    def _nothing_yet(self) -> str:
        if self.names:
            return say("ex-not-attempted", names=", ".join(self.names))
        return say("ex-not-attempted-cluster" if self.undo else "ex-not-attempted-answer", n=self.number)

    def line(self, verdict: Verdict) -> str:
        """``✘ 05.1 not yet: why`` — one line for a verdict."""
        return f"{MARKS[verdict.outcome]} {self.id} {verdict.outcome.text}: {verdict.reason}"

    def check(self) -> Verdict:
        """Check the task and say how it stands. Similar to ``dockerlab check ID``."""
        from .replay import refuse_check

        refuse_check(self.id, self.number)
        state = State.of(self._engine())
        verdict = self.verdict(state)
        text = self.line(verdict)
        if verdict.outcome is Outcome.NOT_YET:
            text += ". " + say("ex-hint-offer", n=self.number)
        print(text)
        if self.target is not None and verdict.outcome is not Outcome.CORRECT:
            from IPython.display import display

            from .render.difference import draw_difference

            display(draw_difference(self.target, state.topology))
        return verdict

    def hint_ladder(self, key: str | None = None) -> list[str]:
        """The three hints for a verdict: the idea, the kind of command, the command."""
        key = key or (self.last.hint if self.last else "start")
        fields = self.last.fields if self.last and self.last.hint == key else {}
        ladder = []
        for step in HINT_STEPS:
            text = (_text(self.id, f"{step}-{key}", **fields) if key != "start" else None) \
                or _text(self.id, step)
            ladder.append(text or "; ".join(c for c in self.commands))
        return ladder

    def hint(self) -> None:
        """The next hint for the last check: an idea first, then the kind of command, then the command."""
        ladder = self.hint_ladder()
        step = min(self.step, len(ladder) - 1)
        print(say("ex-hint", step=step + 1, steps=len(ladder), kind=say(f"ex-hint-step-{HINT_STEPS[step]}"),
                  text=ladder[step]))
        if step == len(ladder) - 1:
            print(say("ex-hint-last", n=self.number))
        self.step = step + 1

    def solution(self) -> None:
        """One way to do it (any other way that gives the same engine state is correct too)."""
        lines = [f"  {c}" if c.startswith(("#", "node", "q")) else f"  $ {c}" for c in self.commands]
        print(say("ex-solution") + "\n" + "\n".join(lines))

    def reset(self) -> dict[str, list[str]]:
        """Start this task again: say what will be removed, remove just that, and set up again."""
        from .exercises import reset_task

        return reset_task(self)

    def __repr__(self) -> str:
        return f"Task {self.id}: {self.title}"


@dataclass
class Question(Task):
    """A task that checks understanding: an answer, given in a widget or with ``qN.answer(...)``.

    ``expected`` is the right answer (or the right choice's key); ``choices`` keys, if any, are
    offered as options whose text is ``ex-<id>-choice-<key>``.
    """

    expected: str = ""
    choices: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.judge = self._judge_answer

    def _judge_answer(self, state: State) -> None:
        given = state.answers.get(self.id)
        if given is None:
            raise NotAttempted()
        if _normal(given) != _normal(self.expected):
            raise NotYet("wrong", given=self._shown(given))

    def _shown(self, given: str) -> str:
        return _text(self.id, f"choice-{given}") or given if self.choices else given

    def verdict(self, state: State | None = None) -> Verdict:
        return super().verdict(state or State(Topology(None, [], [], []), {}, None, answers.load()))

    def answer(self, given: str) -> Verdict:
        """Give an answer (the text, or a choice's key) and check it. The widget does the same."""
        answers.save(self.id, str(given))
        return self.check()

    def check(self) -> Verdict:
        verdict = self.verdict()
        text = self.line(verdict)
        if verdict.outcome is Outcome.NOT_YET:
            text += ". " + say("ex-hint-offer", n=self.number)
        print(text)
        return verdict

    def widget(self):
        """A small form to answer in: options to pick from (or a box to type into), and a button."""
        from .form import answer_form

        options = [(_text(self.id, f"choice-{key}"), key) for key in self.choices] or None
        return answer_form(options, say("ex-answer-button"), self.answer, placeholder=say("ex-answer-placeholder"))

    def reset(self) -> dict[str, list[str]]:
        """Forget the answer given, so the question can be answered afresh."""
        answers.forget(self.id)
        print(say("ex-answer-forgotten", id=self.id))
        return {}


def _normal(text: str) -> str:
    return " ".join(str(text).lower().replace("/udp", " udp").split())


@dataclass
class TargetTopology:
    """A task stated as a picture: these networks, and these containers attached to them."""

    networks: dict[str, dict]       # name -> {"subnet": ..., "internal": bool}
    containers: dict[str, list[str]]  # name -> the networks it is attached to

    def differences(self, topology: Topology) -> list[tuple[str, str]]:
        """What differs from the live topology: (what, why) pairs, missing parts first."""
        found = []
        for name, wanted_fields in self.networks.items():
            network = topology.networks.get(name)
            if network is None:
                found.append((say("ex-plan-network", name=name), say("ex-plan-missing")))
                continue
            for key, value in wanted_fields.items():
                if getattr(network, key) != value:
                    found.append((say("ex-plan-network", name=name),
                                  say("ex-plan-differs", field=key, have=getattr(network, key), want=value)))
        for name, wanted_networks in self.containers.items():
            container = topology.containers.get(name)
            if container is None:
                found.append((say("ex-plan-container", name=name), say("ex-plan-missing-container")))
                continue
            for joined in wanted_networks:
                if joined not in container.networks:
                    found.append((say("ex-plan-on", name=name, network=joined), say("ex-plan-missing")))
            for joined in container.networks:
                if joined not in wanted_networks:
                    found.append((say("ex-plan-on", name=name, network=joined), say("ex-plan-extra")))
        return found

    def judge(self, state: State) -> None:
        differences = self.differences(state.topology)
        if differences:
            what, why = differences[0]
            more = " " + say("ex-plan-more", n=len(differences) - 1) if len(differences) > 1 else ""
            raise NotYet("extra" if why == say("ex-plan-extra") else "plan", what=what, why=why, more=more)
