"""The exercise sheets, one module per lesson: ``from dockerlab.exercises import ex04``."""
from __future__ import annotations

import importlib

from ..checks import Task

SHEETS = ["ex01", "ex02", "ex03", "ex04", "ex05", "ex06", "ex07", "ex08", "ex09", "ex10"]


def all_tasks() -> list[Task]:
    """Every task of every sheet, in order."""
    tasks = []
    for sheet in SHEETS:
        tasks += importlib.import_module(f"{__name__}.{sheet}").TASKS
    return tasks


def find(task_id: str) -> Task | None:
    """The task with this id (e.g. ``04.1``), or ``None``."""
    return next((task for task in all_tasks() if task.id == task_id), None)
