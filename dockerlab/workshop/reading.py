"""Reading what a learner's environment reports, as the host must: the learner controls every byte of it.

The report (``progress.json``, written by ``learner.py`` in their container) lies on the learner's own
filesystem. It is opened without following a link (a learner who puts a link there gets nothing read), read
up to 64 KiB, and only known task ids, the three outcomes, known notebook names and the course check's known
questions and choices are kept.
"""
from __future__ import annotations

import json
import os
import re
import stat
from functools import cache
from pathlib import Path

from . import NOT_IN_A_ROOM, disk

LIMIT = 64 * 1024
OUTCOMES = ("correct", "not yet", "not attempted")
NOTEBOOK = re.compile(r"^\d\d-[a-z0-9-]{1,40}$")


@cache
def known_tasks() -> tuple[str, ...]:
    """Every task a room counts, in the course's order (lesson 11's are not: it does not run in a room)."""
    from ..exercises import all_tasks

    return tuple(task.id for task in all_tasks() if task.id.split(".")[0] not in NOT_IN_A_ROOM)


@cache
def titles() -> dict[str, str]:
    from ..exercises import all_tasks

    return {task.id: task.title for task in all_tasks()}


def _open_beneath(folder: Path, name: str) -> int:
    """``openat(folder, name, O_NOFOLLOW)`` with every step refusing links."""
    directory = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        return os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=directory)
    finally:
        os.close(directory)


def raw(state: Path, learner: str) -> bytes | None:
    """The report's bytes (at most ``LIMIT``), or None when there is none or it is not a plain file."""
    try:
        handle = _open_beneath(disk.mountpoint(state, learner) / "report", "progress.json")
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        return os.read(handle, LIMIT + 1)
    finally:
        os.close(handle)


def clean(data: bytes | None) -> dict:
    """The report, allow-listed: ``{"time", "tasks": {id: outcome}, "notebook", "saved", "check": {"before":
    {question: choice}, "after": {...}}}``; ``{}`` if unreadable."""
    if not data or len(data) > LIMIT:
        return {}
    try:
        report = json.loads(data)
    except ValueError:
        return {}
    if not isinstance(report, dict):
        return {}
    given_tasks, given_notebook = report.get("tasks"), report.get("notebook")
    tasks: dict = given_tasks if isinstance(given_tasks, dict) else {}
    notebook: str = given_notebook if isinstance(given_notebook, str) else ""
    return {"time": _number(report.get("time")), "saved": _number(report.get("saved")),
            "notebook": notebook if NOTEBOOK.match(notebook) else "",
            "tasks": {task: tasks[task] for task in known_tasks() if tasks.get(task) in OUTCOMES},
            "check": _check(report.get("check"))}


def _check(given: object) -> dict[str, dict[str, str]]:
    """The course check's answers, only known questions and their own choices (``coursecheck.QUESTIONS``)."""
    from ..lessons.coursecheck import QUESTIONS, WHEN

    sent: dict = given if isinstance(given, dict) else {}
    kept = {}
    for when in WHEN:
        answers = sent.get(when)
        chosen: dict = answers if isinstance(answers, dict) else {}
        kept[when] = {name: chosen[name] for name, (choices, _) in QUESTIONS.items()
                      if isinstance(chosen.get(name), str) and chosen[name] in choices}
    return kept


def _number(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e11:  # NaN fails too
        return float(value)
    return 0.0


def report(state: Path, learner: str) -> dict:
    """The learner's last report, cleaned (``{}`` when none)."""
    return clean(raw(state, learner))
