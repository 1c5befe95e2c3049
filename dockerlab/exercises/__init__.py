"""The exercise sheets, one module per lesson: ``lab, q1, q2 = sheet("04")`` in a sheet's first cell.

Each sheet's tasks are content (``sheets/exNN.py``); :func:`sheet` hands the learner an
:class:`~dockerlab.exercises.attempt.Attempt` of each, on their engine.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from ..text import say
from .attempt import Attempt, lesson_of
from .setup import set_up
from .task import Question, Task

SHEETS = sorted(path.stem for path in (Path(__file__).parent / "sheets").glob("ex[0-9][0-9].py"))
"""Every sheet, in lesson order: ``sheets/exNN.py`` is lesson NN's."""


def module(number: str) -> ModuleType:
    """The sheet module of lesson ``number`` (``"04"``)."""
    return importlib.import_module(f"{__name__}.sheets.ex{number}")


def all_tasks() -> list[Task]:
    """Every task of every sheet, in order."""
    tasks = []
    for name in SHEETS:
        sheet_module = importlib.import_module(f"{__name__}.sheets.{name}")
        for task in sheet_module.TASKS:
            task.sheet = sheet_module
        tasks += sheet_module.TASKS
    return tasks


def find(task_id: str) -> Task | None:
    """The task with this id (e.g. ``04.1``), or ``None``."""
    return next((task for task in all_tasks() if task.id == task_id), None)


def sheet(number: str):
    """A sheet's first cell: connect, make what the tasks start from, and keep what is already built.

    Similar to ``dockerlab doctor && dockerlab setup``, then the sheet's set-up commands for what is missing.

    Returns the sheet's ``lab`` and an attempt of each of its tasks. Unlike ``dockerlab.lesson(...)``,
    nothing is removed: run it again (or restart and run all) and your work stays; ``qN.reset()``
    starts one task again.
    """
    from ..engine.images import ensure_images
    from ..lessons.lesson import Lab, install_error_display
    from ..replay import open_session

    install_error_display()
    engine = open_session(f"ex{number}")
    engine.version()
    ensure_images(engine)
    lab = Lab(engine, f"ex{number}")
    sheet_module = module(number)
    for task in sheet_module.TASKS:
        task.sheet = sheet_module
    set_up(lab, sheet_module)
    print(say("ex-sheet-ready", number=number, tasks=len(sheet_module.TASKS)))
    return (lab, *(Attempt(task, engine) for task in sheet_module.TASKS))


__all__ = ["Attempt", "Question", "Task", "all_tasks", "find", "lesson_of", "set_up", "sheet"]
