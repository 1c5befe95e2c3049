"""Every sheet's tasks, found by lesson number or task id (``04``, ``04.2``)."""
from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from .task import Task

SHEETS = sorted(path.stem for path in (Path(__file__).parent / "sheets").glob("ex[0-9][0-9].py"))
"""Every sheet, in lesson order: ``sheets/exNN.py`` is lesson NN's."""


def module(number: str) -> ModuleType:
    """The sheet module of lesson ``number`` (``"04"``), its tasks knowing their sheet."""
    sheet_module = importlib.import_module(f"{__package__}.sheets.ex{number}")
    for task in sheet_module.TASKS:
        task.sheet = sheet_module
    return sheet_module


def all_tasks() -> list[Task]:
    """Every task of every sheet, in order."""
    return [task for name in SHEETS for task in module(name[2:]).TASKS]


def find(task_id: str) -> Task | None:
    """The task with this id (e.g. ``04.1``), or ``None``."""
    return next((task for task in all_tasks() if task.id == task_id), None)


def task(task_id: str) -> Task:
    """The task with this id, which a sheet names (as one that another builds on)."""
    found = find(task_id)
    if found is None:
        raise KeyError(f"no exercise {task_id}")
    return found
