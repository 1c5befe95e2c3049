"""The exercise sheets, one module per lesson: ``lab, q1, q2 = sheet("04")`` in a sheet's first cell.

Each sheet's tasks are content (``sheets/exNN.py``); :func:`sheet` hands the learner an
:class:`~dockerlab.exercises.attempt.Attempt` of each, on their engine.
"""
from __future__ import annotations

from .. import errors
from ..text import say
from .attempt import Attempt, lesson_of, reset_task
from .registry import SHEETS, all_tasks, find, module
from .setup import set_up
from .task import Question, Task


def sheet(number: str, task: str | None = None):
    """A sheet's first cell: connect, make what the tasks start from, and keep what is already built.

    Similar to ``dockerlab doctor && dockerlab setup``, then the sheet's set-up commands for what is missing.

    Returns the sheet's ``lab`` and an attempt of each of its tasks. Unlike ``dockerlab.lesson(...)``,
    nothing is removed: run it again (or restart and run all) and your work stays; ``qN.reset()``
    starts one task again. With ``task="04.2"`` (the set-up cell of one task, which a link to
    ``...#task-04.2`` opens at), that task alone is prepared: the earlier tasks it builds on are solved
    by the course where nothing of them exists yet. Returns ``lab`` and that task's attempt.
    """
    from ..engine.images import ensure_images
    from ..lessons.lesson import Lab, install_error_display
    from ..replay import open_session

    install_error_display()
    sheet_module = module(number)
    chosen = None
    if task is not None:
        chosen = next((found for found in sheet_module.TASKS if found.id == task), None)
        if chosen is None:
            raise errors.NotFound("ex-sheet-no-task", id=task, number=number,
                                  known=", ".join(found.id for found in sheet_module.TASKS))
    engine = open_session(f"ex{number}")
    engine.version()
    ensure_images(engine)
    lab = Lab(engine, f"ex{number}")
    set_up(lab, sheet_module)
    if chosen is not None:
        from .solving import prepare

        prepare(chosen, lab, reset_task)
        return lab, Attempt(chosen, engine)
    print(say("ex-sheet-ready", number=number, tasks=len(sheet_module.TASKS)))
    return (lab, *(Attempt(each, engine) for each in sheet_module.TASKS))


__all__ = ["SHEETS", "Attempt", "Question", "Task", "all_tasks", "find", "lesson_of", "module", "set_up", "sheet"]
