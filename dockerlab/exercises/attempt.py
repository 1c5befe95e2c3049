"""The learner's session with one task: ``q1.check()``, ``hint()``, ``solution()``, ``solve()``, ``reset()``.

A :class:`~dockerlab.exercises.task.Task` is content; an :class:`Attempt` is one learner working on it on
one engine: it checks the engine as it is now, remembers the last verdict and how far up the hint ladder
the learner has climbed, answers questions, and starts the task again.
"""
from __future__ import annotations

from .. import errors, labels, waiting
from ..engine.client import Engine
from ..host.session import LiveSession, Session
from ..lessons import answers
from ..text import say
from . import gradebook
from .setup import set_up
from .state import State
from .task import HINT_STEPS, Question, TargetTopology, Task
from .verdict import Outcome, Verdict


def lesson_of(task: Task) -> str:
    """The lesson label of what a sheet's cells make: ``ex04`` for task 04.1."""
    return "ex" + task.id.split(".")[0]


class Attempt:
    """One learner's work on ``task`` against ``engine``."""

    def __init__(self, task: Task, engine: Session | None = None):
        self.task, self._engine = task, engine
        self.last: Verdict | None = None
        self.step = 0

    # -- what the task is ------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.task.id

    @property
    def title(self) -> str:
        return self.task.title

    @property
    def statement(self) -> str:
        return self.task.statement

    @property
    def number(self) -> str:
        return self.task.number

    def __repr__(self) -> str:
        return repr(self.task)

    @property
    def engine(self) -> Session:
        """The engine this attempt is judged on (the default one, connected on first use)."""
        if self._engine is None:
            self._engine = LiveSession(Engine.connect(), lesson_of(self.task))
        return self._engine

    # -- checking ----------------------------------------------------------------------
    def state(self) -> State:
        """What the judge looks at now: the engine (or, for a question, the answers given)."""
        return State.of(self.engine) if self.task.reads_engine else State.answered(answers.load())

    def verdict(self, state: State | None = None) -> Verdict:
        """Judge the engine as it is now (or as ``state`` saw it); a new verdict restarts its hint ladder."""
        verdict = self.task.verdict(state or self.state())
        if self.last is None or verdict.hint != self.last.hint:
            self.step = 0
        self.last = verdict
        return verdict

    def check(self) -> Verdict:
        """Check the task and say how it stands. Similar to ``dockerlab check ID``."""
        if self.task.reads_engine:
            with self.engine.judging(self.task.id):
                state = self.state()
        else:
            state = self.state()
        verdict = self.verdict(state)
        gradebook.checked(self.task.id, verdict.correct)
        text = self.task.line(verdict)
        if verdict.outcome is Outcome.NOT_YET:
            text += ". " + say("ex-hint-offer", n=self.task.number)
        print(text)
        if isinstance(self.task.target, TargetTopology) and verdict.outcome is not Outcome.CORRECT:
            from IPython.display import display

            from ..render.difference import draw_difference

            display(draw_difference(self.task.target, state.topology))
        return verdict

    def hint_ladder(self, key: str | None = None) -> list[str]:
        """The three hints for the last verdict (or for ``key``): the idea, the kind of command, the command."""
        return self.task.hint_ladder(self.last, key)

    def hint(self) -> None:
        """The next hint for the last check: an idea first, then the kind of command, then the command."""
        ladder = self.hint_ladder()
        step = min(self.step, len(ladder) - 1)
        print(say("ex-hint", step=step + 1, steps=len(ladder), kind=say(f"ex-hint-step-{HINT_STEPS[step]}"),
                  text=ladder[step]))
        if step == len(ladder) - 1:
            print(say("ex-hint-last", n=self.task.number))
        self.step = step + 1

    def solution(self) -> None:
        """One way to do it (any other way that gives the same engine state is correct too)."""
        print(say("ex-solution") + "\n" + "\n".join(self.task.solution_lines()))

    def solve(self) -> Verdict:
        """Let the course do the task: the engine is put into its solved state, each command shown as it runs.

        The tasks it builds on are solved first where they are not correct; what it makes carries
        ``io.dockerlab.solved=ID``, and ``dockerlab check --all`` shows the task as solved by the course.
        Similar to ``dockerlab check ID --solve``.
        """
        from ..lessons.lesson import Lab
        from .solving import solve

        if self.task.reads_engine:
            with self.engine.judging(self.task.id):
                self.last = solve(self.task, Lab(self.engine, lesson_of(self.task)), reset_task)
        else:
            self.last = solve(self.task, None, reset_task)
        print(self.task.line(self.last))
        return self.last

    # -- questions -------------------------------------------------------------------------
    def answer(self, given: str) -> Verdict:
        """Give an answer (the text, or a choice's key) and check it. The widget does the same."""
        if not isinstance(self.task, Question):
            raise errors.CommandRefused("ex-not-a-question", id=self.task.id)
        answers.save(self.task.id, str(given))
        return self.check()

    def widget(self):
        """A small form to answer in: options to pick from (or a box to type into), and a button."""
        from ..lessons.form import answer_form

        if not isinstance(self.task, Question):
            raise errors.CommandRefused("ex-not-a-question", id=self.task.id)
        return answer_form(self.task.options(), say("ex-answer-button"), self.answer,
                           placeholder=say("ex-answer-placeholder"))

    # -- starting again ----------------------------------------------------------------------
    def reset(self) -> dict[str, list[str]]:
        """Start this task again: say what will be removed, remove just that, and set up again.

        Similar to ``docker rm -f`` and ``docker network rm`` of the task's own objects (never yours);
        a question forgets the answer given.
        """
        gradebook.started_again(self.task.id)
        if isinstance(self.task, Question):
            answers.forget(self.task.id)
            print(say("ex-answer-forgotten", id=self.task.id))
            return {}
        return reset_task(self.task, self.engine)


def _kind_of(engine, name: str) -> tuple[str, dict] | None:
    """``("container"|"network", labels)`` of the object called ``name``, or ``None``."""
    for kind, look in (("container", engine.container), ("network", engine.network)):
        try:
            found = look(name)
        except errors.NotFound:
            continue
        return kind, (found.get("Config", {}).get("Labels") if kind == "container" else found.get("Labels")) or {}
    return None


STILL_IN_USE = ("is in use by task", "has active endpoints")
"""What a node's engine says while a network's last users are still going: a swarm shuts a service's tasks
down after ``docker service rm`` has returned (swarmkit's ``RemoveNetwork`` refuses while a task refers to
the network), and a container being removed keeps its endpoint until it is gone."""


def _undo_on_node(engine: Session, node: str, command: str, wait: float = 30) -> None:
    """``command`` on a node of the lab cluster (``docker exec NODE sh -c COMMAND``); tried again for up to
    ``wait`` seconds while what it removes is still in use by something already on its way out."""
    waiting.until(lambda: engine.exec(node, ["sh", "-c", command]),
                  lambda done: done[0] != 0 and any(words in done[1] for words in STILL_IN_USE), wait, pause=0.5)


def _until_gone(task: Task, engine: Session, wait: float = 30) -> None:
    """Wait (up to ``wait`` seconds) until the task's check finds nothing of it: a swarm network that
    ``docker network rm`` removed from the swarm is still listed on a node until its tasks there are gone."""
    waiting.until(lambda: task.verdict(State.of(engine)).outcome,
                  lambda outcome: outcome is not Outcome.NOT_ATTEMPTED, wait)


def reset_task(task: Task, engine: Session) -> dict[str, list[str]]:
    """Remove just the objects ``task`` asks for (the sheet's own, never yours), after saying which.

    Then the sheet's set-up is made again. Similar to ``docker rm -f`` and ``docker network rm`` of those names.
    """
    from ..host.cluster import NODE_PREFIX

    lesson = lesson_of(task)
    if task.undo:
        print(say("ex-reset-will", id=task.id, what="; ".join(task.undo)))
        for line in task.undo:
            node, command = line.split("$ ", 1)
            _undo_on_node(engine, NODE_PREFIX + node.removeprefix("node"), command)
        _until_gone(task, engine)
        print(say("ex-reset-done", id=task.id))
        return {"commands": list(task.undo)}
    makes = task.names if task.makes is None else task.makes
    if task.host:
        from .hostwork import remove

        print(say("ex-reset-will", id=task.id, what=", ".join(makes)))
        _, unlabelled = remove(engine, lesson, makes)
        if unlabelled:
            print(say("ex-reset-yours-links", names=", ".join(unlabelled)))
        print(say("ex-reset-done", id=task.id))
        return {"host": makes, "yours": unlabelled}
    if not makes:
        print(say("ex-reset-nothing", id=task.id, before=task.builds_on,
                  n=task.builds_on.split(".")[1] if task.builds_on else task.number))
        return {}
    removable: dict[str, list[str]] = {"container": [], "network": []}
    yours: list[str] = []
    for name in makes:
        found = _kind_of(engine, name)
        if found is None:
            continue
        kind, object_labels = found
        (removable[kind] if labels.is_managed(object_labels, lesson) else yours).append(name)
    listed = ", ".join(removable["container"] + removable["network"]) or say("nothing")
    print(say("ex-reset-will", id=task.id, what=listed))
    if yours:
        print(say("ex-reset-yours", names=", ".join(yours)))
    for name in removable["container"]:
        engine.remove_container(name)
    for name in removable["network"]:
        try:
            engine.remove_network(name)
        except errors.LabError as refused:
            print(say("ex-reset-refused", name=name, why=refused))
    if task.sheet is not None:
        from ..lessons.lesson import Lab

        set_up(Lab(engine, lesson), task.sheet)
    print(say("ex-reset-done", id=task.id))
    return {"containers": removable["container"], "networks": removable["network"], "yours": yours}
