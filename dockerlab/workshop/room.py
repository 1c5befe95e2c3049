"""Where the room stands: each learner's environment, lesson, task, last activity, who is stuck, and the course
check's answers before and after (``course_check``: the room's count per question).

Read without entering any learner's container: the environment's state from the workshop engine
(``docker ps``), the learner's last activity from the hub, and their exercises from the report their
environment writes (``reading.py``). ``reset_engine`` is the one command run inside one (the instructor's
explicit action).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import errors
from ..engine.client import Engine
from ..lessons import coursecheck
from . import container_name, reading

STUCK_AFTER = 600.0  # seconds without a new correct task while the current one says "not yet", or idle
RESET_ENGINE = ("docker ps -aq | xargs -r docker rm -f >/dev/null; docker network prune -f >/dev/null; "
                "docker volume prune -f >/dev/null; docker ps -a -q | wc -l")
OUTPUT_LIMIT = 4096


def environment(engine: Engine, learner: str) -> str:
    """``running``, ``exited`` ... as ``docker ps`` says, or ``not started`` (the learner has not logged in)."""
    try:
        return engine.container(container_name(learner))["State"]["Status"]
    except errors.NotFound:
        return "not started"


def current(tasks: dict[str, str], notebook: str) -> tuple[str, str]:
    """The lesson they are on (from the notebook saved last, else the first unfinished) and its first task
    not yet correct."""
    lesson = notebook[:2] if notebook else ""
    ids = list(reading.known_tasks())
    if not lesson:
        unfinished = [task for task in ids if tasks.get(task) != "correct"]
        lesson = unfinished[0].split(".")[0] if unfinished else ""
    open_tasks = [task for task in ids if task.startswith(lesson + ".") and tasks.get(task) != "correct"]
    return lesson, open_tasks[0] if open_tasks else ""


@dataclass
class Learner:
    """One row of the room: what the view, the API, the projector and the gradebook show."""

    name: str
    environment: str = "not started"
    server: str = "stopped"
    tasks: dict[str, str] = field(default_factory=dict)
    lesson: str = ""
    task: str = ""
    activity: float = 0.0  # when they last did something (hub activity, a notebook saved), 0 if never
    reported: float = 0.0  # when their environment last reported
    stuck: str = ""  # why they look stuck, or ""
    progressed: float = 0.0  # when a task last became correct (or when first seen)
    check: dict[str, dict[str, str]] = field(default_factory=dict)  # the course check's {when: {question: choice}}

    @property
    def done(self) -> int:
        return sum(outcome == "correct" for outcome in self.tasks.values())

    def score(self, when: str) -> dict[str, int]:
        """Their course check ``when`` ("before", "after"): how many questions they answered, how many right."""
        chosen = self.check.get(when, {})
        return {"answered": len(chosen), "right": coursecheck.right(chosen)}

    def as_dict(self) -> dict:
        return {"name": self.name, "environment": self.environment, "server": self.server, "tasks": self.tasks,
                "lesson": self.lesson, "task": self.task, "activity": self.activity, "reported": self.reported,
                "stuck": self.stuck, "done": self.done,
                "check": {when: self.score(when) for when in coursecheck.WHEN}}


def course_check(learners: dict[str, Learner]) -> dict[str, dict[str, dict[str, int]]]:
    """The room's course check, per question and ``when``: how many learners answered it, how many right
    (``{"names": {"before": {"answered": 9, "right": 4}, "after": {...}}}``)."""
    counted = {}
    for name, (_, correct) in coursecheck.QUESTIONS.items():
        counted[name] = {when: {"answered": sum(name in learner.check.get(when, {}) for learner in learners.values()),
                                "right": sum(learner.check.get(when, {}).get(name) == correct
                                             for learner in learners.values())}
                         for when in coursecheck.WHEN}
    return counted


def renew(previous: dict[str, Learner], state: Path, engine: Engine, hub_users: dict[str, dict],
          learners: list[str], now: float | None = None) -> dict[str, Learner]:
    """The room read again; ``previous`` gives each learner's history (when they last progressed)."""
    now = now or time.time()
    room = {}
    for name in learners:
        report = reading.report(state, name)
        before = previous.get(name) or Learner(name, progressed=now)
        tasks = report.get("tasks", {})
        newly = {task for task, outcome in tasks.items() if outcome == "correct"} - {
            task for task, outcome in before.tasks.items() if outcome == "correct"}
        user = hub_users.get(name, {})
        server = (user.get("servers") or {}).get("", {})
        lesson, task = current(tasks, report.get("notebook", ""))
        room[name] = Learner(
            name=name, environment=environment(engine, name),
            server="ready" if server.get("ready") else ("starting" if server else "stopped"),
            tasks=tasks, lesson=lesson, task=task, reported=report.get("time", 0.0), check=report.get("check", {}),
            activity=max(_when(user.get("last_activity")), report.get("saved", 0.0)),
            progressed=now if newly else before.progressed)
    moving = sum(now - learner.progressed < STUCK_AFTER for learner in room.values())
    for learner in room.values():
        learner.stuck = stuck(learner, now, others_moving=moving - (now - learner.progressed < STUCK_AFTER))
    return room


def stuck(learner: Learner, now: float, others_moving: int) -> str:
    """Why a learner looks stuck: their task says "not yet" and nothing became correct for ``STUCK_AFTER``, or
    they are idle that long while others move on. Empty when not."""
    if learner.environment != "running":
        return ""
    minutes = int((now - learner.progressed) // 60)
    if learner.task and learner.tasks.get(learner.task) == "not yet" and now - learner.progressed >= STUCK_AFTER:
        return f"{learner.task} not yet for {minutes} min"
    if learner.activity and now - learner.activity >= STUCK_AFTER and others_moving:
        return f"idle for {int((now - learner.activity) // 60)} min"
    return ""


def _when(stamp: str | None) -> float:
    """An ISO time from the hub (``2026-12-07T05:26:00.123Z``) as a Unix time, 0 if none."""
    if not stamp:
        return 0.0
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def reset_engine(engine: Engine, learner: str) -> int:
    """Remove every container, network and volume in the learner's own engine; keep their images and files.

    Similar to ``docker rm -f $(docker ps -aq) && docker network prune && docker volume prune`` there.
    Returns how many containers remain (0). What comes back is the learner's: only a number is taken from it.
    """
    if environment(engine, learner) != "running":
        raise errors.NotFound("workshop-not-running", learner=learner)
    code, output = engine.exec(container_name(learner), ["sh", "-c", RESET_ENGINE])
    output = output[-OUTPUT_LIMIT:]
    words = output.split()
    if code != 0 or not words or not words[-1].isdigit():
        raise errors.CommandRefused("workshop-command-failed", learner=learner, output=output.strip()[-300:])
    return int(words[-1])
