"""A way on for a stuck learner: ``qN.solve()`` puts the engine into the task's solved state.

Similar to running the task's solution commands yourself (``qN.solution()`` shows them), after the
tasks it builds on: each command is shown as it runs, what it creates carries the label
``io.dockerlab.solved=<id>``, and the progress (``dockerlab check --all``) shows the task as *solved by
the course*, apart from the tasks the learner did. Only the sheet's own objects are removed on the way;
an object of the learner's that is in the way is left alone, and the verdict says so.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .. import errors, labels, waiting
from ..host import firewall
from ..lessons import answers
from ..text import say
from . import gradebook, prepared, registry
from .state import State, fingerprint_now
from .task import Question, Task
from .verdict import Outcome, Verdict

_NODE = re.compile(r"^(node\d+)\$ (.*)$")
_LABELLED = re.compile(r"^((?:docker\s+)?(?:(?:container\s+)?(?:run|create)|network\s+create|service\s+create))(?=\s)")
_HOST_MAKES = re.compile(r"^ip (?:netns add|link add) (\S+)")


IPTABLES_HOST = "host[iptables]$ "
"""A solution's line for the engine's host that applies only where the engine writes its rules with iptables
(``DOCKER-USER``); Docker 29's nftables backend has no such chain, and its chains drop no frames of a bridge of
the learner's own (lesson 12's case "bridged-frames")."""


def steps(task: Task) -> list[tuple[str, str, str]]:
    """The task's solution as (where, command, node) steps: ``docker`` on the engine, ``node`` on a lab host,
    ``host`` on the engine's host (as root), ``host-iptables`` there only with the iptables backend; comments and
    answers are left out."""
    found = []
    for line in task.commands:
        if line.startswith("#") or re.match(r"^q\d+\.", line):
            continue
        if line.startswith("host$ "):
            found.append(("host", line.removeprefix("host$ "), ""))
        elif line.startswith(IPTABLES_HOST):
            found.append(("host-iptables", line.removeprefix(IPTABLES_HOST), ""))
        elif (node := _NODE.match(line)) is not None:
            found.append(("node", node.group(2), node.group(1)))
        else:
            found.append(("docker", line, ""))
    return found


def labelled(command: str, task_id: str) -> str:
    """``docker run ...`` (or ``network create``, ``service create``) with the label of a course's solve added."""
    return _LABELLED.sub(lambda found: f"{found.group(1)} --label {labels.SOLVED}={task_id}", command, count=1)


def creates(task: Task) -> bool:
    """Whether the task's solution makes objects of its own (rather than changing what is there)."""
    for where, command, _ in steps(task):
        if where.startswith("host") and _HOST_MAKES.match(command):
            return True
        if not where.startswith("host") and _LABELLED.match(command):
            return True
    return False


def _on_host(lab, commands: list[str]) -> None:
    """Commands on the engine's host, each shown as ``$ sudo ...``, run in one shell that stops at a failure."""
    for command in commands:
        print(f"$ sudo {command}")
    code, output = lab.engine.host(["sh", "-e", "-c", "; ".join(commands)], check=False)
    if code != 0:
        raise errors.CommandRefused("command-failed", command="; ".join(commands), code=code,
                                    output=output.strip() or "-")


def _run(task: Task, lab) -> bool:
    """Run the task's solution, each command shown; stop at the first one that fails."""
    on_host = [command for where, command, _ in steps(task) if where == "host"]
    if any(where == "host-iptables" for where, _, _ in steps(task)) and \
            firewall.read_backend(lab.engine) == "iptables":
        on_host += [command for where, command, _ in steps(task) if where == "host-iptables"]
    try:
        if on_host:
            _on_host(lab, on_host)
        for where, command, node in steps(task):
            if where.startswith("host"):
                continue
            if where == "node":
                lab.on(node, labelled(command, task.id))
            else:
                lab.docker(labelled(command, task.id))
    except errors.LabError as failed:
        print(failed)
        return False
    return True


Restart = Callable[[Task, Any], object]
"""How a task starts again (:func:`dockerlab.exercises.attempt.reset_task`): handed in, as an attempt has it."""


def _start_again(task: Task, lab, restart: Restart) -> None:
    """Remove what the sheet made for ``task`` (for a task that changes another's objects: that task's)."""
    again = registry.task(task.builds_on) if task.builds_on else task
    gradebook.started_again(again.id)
    restart(again, lab.engine)


def _verdict(task: Task, lab) -> Verdict:
    return task.verdict(State.of(lab.engine))


def _settled(task: Task, lab, wait: float = 60) -> Verdict:
    """The task's verdict once what its solution started has settled (a service's replicas running):
    checked again each second, up to ``wait`` seconds, while the check says it is on its way."""
    return waiting.until(lambda: _verdict(task, lab), lambda verdict: verdict.settling, wait)


def solve(task: Task, lab, restart: Restart, needed_by: str | None = None) -> Verdict:
    """Put the engine into ``task``'s solved state, building on the tasks it needs; say every step.

    A task already correct is left as it is. ``restart`` starts a task again when the way from the
    engine's state fails. Returns the verdict of the task's check afterwards.
    """
    if isinstance(task, Question):
        answers.save(task.id, task.expected)
        gradebook.solved(task.id)
        print(say("ex-solve-answer", id=task.id, answer=task.expected))
        return task.verdict(State.answered(answers.load()))
    before = _verdict(task, lab)
    if before.correct:
        print(say("ex-solve-already", id=task.id))
        return before
    print(say("ex-solve-start" if needed_by is None else "ex-solve-needed", id=task.id, by=needed_by))
    if creates(task) and before.outcome is not Outcome.NOT_ATTEMPTED:
        _start_again(task, lab, restart)
    for needed in task.needs:
        ensure(registry.task(needed), lab, restart, task.id)
    _run(task, lab)
    verdict = _settled(task, lab)
    if not verdict.correct:
        print(say("ex-solve-again", id=task.id, reason=verdict.reason))
        _start_again(task, lab, restart)
        for needed in task.needs:
            ensure(registry.task(needed), lab, restart, task.id)
        _run(task, lab)
        verdict = _settled(task, lab)
    if verdict.correct:
        gradebook.solved(task.id)
        print(say("ex-solve-done", id=task.id, n=task.number))
    else:
        print(say("ex-solve-failed", id=task.id, reason=verdict.reason))
    return verdict


def ensure(task: Task, lab, restart: Restart, needed_by: str) -> Verdict:
    """A task that ``needed_by`` starts from: kept when correct, else solved by the course."""
    verdict = _verdict(task, lab)
    return verdict if verdict.correct else solve(task, lab, restart, needed_by)


def prepare(task: Task, lab, restart: Restart) -> None:
    """A task's own set-up cell: make what it starts from, then say it is ready.

    An earlier task it builds on is solved by the course when nothing of it exists yet; one the learner
    started and that is not correct yet is left as it is, with what to do.
    """
    for needed_id in task.needs:
        needed = registry.task(needed_id)
        verdict = _verdict(needed, lab)
        if verdict.outcome is Outcome.NOT_ATTEMPTED:
            solve(needed, lab, restart, needed_by=task.id)
        elif verdict.outcome is Outcome.NOT_YET:
            print(say("ex-prepare-not-yet", id=task.id, needed=needed.id, reason=verdict.reason))
    if task.needs and task.names and not task.host and not task.undo:
        prepared.remember(task.id, fingerprint_now(lab.engine, task.names))
    print(say("ex-task-ready", id=task.id, n=task.number))
