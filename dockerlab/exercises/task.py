"""What an exercise task is: its id, what it asks, how its outcome is judged, its hints and one solution.

In the spirit of Kaggle's learntools: every task has three outcomes — *not attempted*, *not yet*
(with the specific reason) and *correct*. A judge reads what the engine and the kernel really have
(:class:`~dockerlab.exercises.state.State`: a topology snapshot, plus DNS, HTTP or ping probes from
throwaway containers of the course), never the learner's code, so any correct way counts. Every sentence
a task says lives in the catalogue, under ``ex-<id>-...`` keys. A task is content only: the learner's
session with it (their engine, the last verdict, the hint they are at) is an
:class:`~dockerlab.exercises.attempt.Attempt`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model.topology import Topology
from ..text import say
from . import answering, prepared
from .state import State
from .verdict import MARKS, NotAttempted, NotYet, Outcome, Verdict

HINT_STEPS = ("nudge", "kind", "command")


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
    """One thing to do on the engine: its judge, its hint ladders and one solution.

    ``names`` are what the task is about (nothing of them: not attempted); ``makes`` are the objects
    the task asks for, which starting it again removes (default: ``names``). ``reads_engine`` is false for
    a question, judged on the learner's answer alone.
    """

    id: str
    judge: Callable[[State], None] | None
    commands: list[str]
    names: list[str] = field(default_factory=list)
    makes: list[str] | None = None
    builds_on: str = ""  # the task whose objects this one changes (its reset is that task's)
    needs: list[str] = field(default_factory=list)  # the tasks whose result this one starts from (solved first)
    undo: list[str] = field(default_factory=list)  # "node1$ command" lines that undo a task on the lab cluster
    target: object = None  # a TargetTopology, for tasks stated as a picture
    host: bool = False  # done by hand on the engine's host (namespaces, links, rules): ``makes`` names them
    sheet: Any = None  # the sheet module, for its set-up
    reads_engine = True

    def __post_init__(self) -> None:
        if self.builds_on and self.builds_on not in self.needs:
            self.needs = [self.builds_on, *self.needs]

    @property
    def title(self) -> str:
        return say(f"ex-{self.id}-title")

    @property
    def statement(self) -> str:
        return say(f"ex-{self.id}-statement")

    @property
    def number(self) -> str:
        return self.id.split(".")[1]

    def verdict(self, state: State) -> Verdict:
        """Judge the engine as ``state`` saw it."""
        try:
            if self.names:
                state.attempted(*self.names)
            if self.judge is not None:
                self.judge(state)
            verdict = Verdict(Outcome.CORRECT, say("ex-correct"))
        except NotAttempted:
            verdict = Verdict(Outcome.NOT_ATTEMPTED, self._nothing_yet(), "start")
        except NotYet as missing:
            if self.needs and self.names and prepared.untouched(self.id, state.fingerprint(self.names)):
                return Verdict(Outcome.NOT_ATTEMPTED, say("ex-not-attempted-prepared", names=", ".join(self.names)),
                               "start")
            reason = _text(self.id, "why-" + missing.key, **missing.fields)
            verdict = Verdict(Outcome.NOT_YET, reason or missing.key, missing.hint, missing.fields, missing.settling)
        return verdict

    def _nothing_yet(self) -> str:
        if self.names:
            return say("ex-not-attempted", names=", ".join(self.names))
        if self.host:
            return say("ex-not-attempted-host", names=", ".join(self.makes or []))
        return say("ex-not-attempted-cluster" if self.undo else "ex-not-attempted-answer", n=self.number)

    def line(self, verdict: Verdict) -> str:
        """``✘ 05.1 not yet: why`` — one line for a verdict."""
        return f"{MARKS[verdict.outcome]} {self.id} {verdict.outcome.text}: {verdict.reason}"

    def hint_ladder(self, last: Verdict | None = None, key: str | None = None) -> list[str]:
        """The three hints for a verdict: the idea, the kind of command, the command."""
        key = key or (last.hint if last else "start")
        fields = last.fields if last and last.hint == key else {}
        ladder = []
        for step in HINT_STEPS:
            text = (_text(self.id, f"{step}-{key}", **fields) if key != "start" else None) \
                or _text(self.id, step)
            ladder.append(text or "; ".join(c for c in self.commands))
        return ladder

    def solution_lines(self) -> list[str]:
        """One way to do it, as the lines to show (commands with ``$``; on the engine's host ``$ sudo``)."""
        return [f"  $ sudo {c.removeprefix('host$ ')}" if c.startswith("host$ ") else
                f"  $ sudo {c.removeprefix('host[iptables]$ ')}   # " + say("ex-solution-iptables-only")
                if c.startswith("host[iptables]$ ") else
                f"  {c}" if c.startswith(("#", "node", "q")) else f"  $ {c}" for c in self.commands]

    def __repr__(self) -> str:
        return f"Task {self.id}: {self.title}"


@dataclass
class Question(Task):
    """A task that checks understanding: an answer, given in a widget or with ``qN.answer(...)``.

    ``expected`` is the right answer (or the right choice's key); ``choices`` keys, if any, are
    offered as options whose text is ``ex-<id>-choice-<key>``, and each wrong one says why it is wrong
    (``ex-<id>-why-wrong-<key>``). An address is judged as an address (see :mod:`.answering`):
    ``subnet`` is the network it is in, ``known`` the wrong addresses a learner may give, each with the
    catalogue key that says why (``ex-<id>-why-wrong-<key>``).
    """

    expected: str = ""
    choices: list[str] = field(default_factory=list)
    subnet: str | None = None
    known: dict[str, str] = field(default_factory=dict)
    reads_engine = False

    def __post_init__(self) -> None:
        self.judge = self._judge_answer

    def _judge_answer(self, state: State) -> None:
        given = state.answers.get(self.id)
        if given is None:
            raise NotAttempted()
        if self.choices:
            answering.judge_choice(self.id, given, self.expected, self.choices)
        elif answering.addresses(self.expected):
            answering.judge_address(self.id, given, self.expected, self.subnet, self.known)
        elif answering.words(given) != answering.words(self.expected):
            raise NotYet("wrong", given=given)

    def options(self) -> list[tuple[str, str]] | None:
        """The choices as (text, key) pairs for the answer form, or ``None`` for a box to type into."""
        return [(_text(self.id, f"choice-{key}") or key, key) for key in self.choices] or None


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
