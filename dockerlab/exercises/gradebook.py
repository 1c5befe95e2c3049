"""What a gradebook needs of each task, kept beside the learner's answers: checks, first success, solves.

For each task: how many times the learner checked it (``q1.check()``, ``q1.answer(...)``,
``dockerlab check ID``), when a check first found it correct, and whether the course solved it
(``q1.solve()``) since it was last started again. The file sits next to the answers file
(``$DOCKERLAB_ANSWERS``, its name with ``.attempts`` added): nothing is written anywhere else.
"""
from __future__ import annotations

import datetime
import json
import os
import tempfile
from pathlib import Path

from ..lessons import answers


def path() -> Path:
    """Where the record is kept: ``answers.attempts.json`` beside ``answers.json``."""
    kept = answers.path()
    return kept.with_name(f"{kept.stem}.attempts{kept.suffix or '.json'}")


def now() -> str:
    """The time, as the record and the gradebook write it (UTC, ISO 8601: ``2025-05-01T09:30:00Z``)."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def load() -> dict[str, dict]:
    """Each task's entry: ``{"attempts": n, "first_correct": time or None, "solved_by_course": time or None}``."""
    try:
        kept = json.loads(path().read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return kept if isinstance(kept, dict) else {}


def entry(task_id: str, kept: dict[str, dict] | None = None) -> dict:
    """One task's entry (zeros when it was never checked)."""
    found = (load() if kept is None else kept).get(task_id) or {}
    return {"attempts": int(found.get("attempts", 0)), "first_correct": found.get("first_correct"),
            "solved_by_course": found.get("solved_by_course")}


def _write(kept: dict[str, dict]) -> None:
    """Replace the file in one step, so that a notebook and a terminal never leave half of it."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(kept, out, indent=1, sort_keys=True)
    os.replace(temporary, target)


def _update(task_id: str, **changes: object) -> dict:
    kept = load()
    changed = {**entry(task_id, kept), **changes}
    kept[task_id] = changed
    _write(kept)
    return changed


def checked(task_id: str, correct: bool) -> dict:
    """The learner checked ``task_id``: one more attempt; the first correct one is dated.

    A check that is not correct after the course solved the task means the learner changed it since:
    a later correct check is the learner's own.
    """
    found = entry(task_id)
    changes: dict[str, object] = {"attempts": found["attempts"] + 1}
    if correct and not found["first_correct"] and not found["solved_by_course"]:
        changes["first_correct"] = now()
    if not correct:
        changes["solved_by_course"] = None
    return _update(task_id, **changes)


def solved(task_id: str) -> dict:
    """The course put the engine into ``task_id``'s solved state (``qN.solve()``)."""
    return _update(task_id, solved_by_course=now())


def started_again(task_id: str) -> None:
    """``qN.reset()``: the task starts again, so it is no longer the course's solve."""
    if entry(task_id)["solved_by_course"]:
        _update(task_id, solved_by_course=None)
