"""Where the room stands: each learner's environment and the state of every exercise in it.

Read from the main engine and, inside each learner's environment, from ``dockerlab check``
(similar to ``docker exec dl-workshop-learner1 dockerlab check --all --json``).
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import errors
from ..engine.client import Engine
from . import container_name

RESET_ENGINE = ("docker ps -aq | xargs -r docker rm -f >/dev/null; docker network prune -f >/dev/null; "
                "docker volume prune -f >/dev/null; docker ps -a -q | wc -l")


def environment(engine: Engine, learner: str) -> str:
    """``running``, ``exited`` ... as ``docker ps`` says, or ``not started`` (the learner has not logged in)."""
    try:
        return engine.container(container_name(learner))["State"]["Status"]
    except errors.NotFound:
        return "not started"


def _outcomes(report: Any) -> dict[str, str]:
    """``{task id: outcome}`` from ``check --all --json`` (``{"tasks": [...], "learner": ...}``, a list of
    tasks, or a mapping by id)."""
    if isinstance(report, dict) and isinstance(report.get("tasks"), list):
        report = report["tasks"]
    items = report.items() if isinstance(report, dict) else ((t.get("id"), t) for t in report or [])
    return {str(task): str(value.get("outcome") if isinstance(value, dict) else value) for task, value in items}


def exercises(engine: Engine, learner: str) -> dict[str, str]:
    """The outcome of every exercise in the learner's own engine (``dockerlab check --all --json`` there)."""
    name = container_name(learner)
    code, output = engine.exec(name, ["dockerlab", "check", "--all", "--json"])
    if code not in (0, 1) or not output.lstrip().startswith(("[", "{")):  # 1: some task is not correct yet
        raise errors.CommandRefused("workshop-command-failed", learner=learner, output=output.strip()[-500:])
    return _outcomes(json.loads(output))


def room(engine: Engine, learners: list[str]) -> dict[str, dict]:
    """Every learner's environment state and exercise outcomes, read in parallel."""
    def one(learner: str) -> dict:
        state = environment(engine, learner)
        if state != "running":
            return {"environment": state, "exercises": {}}
        try:
            return {"environment": state, "exercises": exercises(engine, learner)}
        except errors.LabError as problem:  # one learner's failed check does not hide the room
            return {"environment": state, "exercises": {}, "problem": str(problem)}

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(learners, pool.map(one, learners), strict=False))


def reset_engine(engine: Engine, learner: str) -> int:
    """Remove every container, network and volume in the learner's own engine; keep their images and files.

    Similar to ``docker rm -f $(docker ps -aq) && docker network prune && docker volume prune`` there.
    Returns how many containers remain (0).
    """
    if environment(engine, learner) != "running":
        raise errors.NotFound("workshop-not-running", learner=learner)
    code, output = engine.exec(container_name(learner), ["sh", "-c", RESET_ENGINE])
    if code != 0:
        raise errors.CommandRefused("workshop-command-failed", learner=learner, output=output.strip())
    return int(output.split()[-1])
