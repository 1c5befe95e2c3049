"""The exercise sheets, one module per lesson: ``lab, q1, q2 = sheet("04")`` in a sheet's first cell."""
from __future__ import annotations

import importlib
from types import ModuleType

from .. import errors, labels
from ..checks import Question, Task
from ..text import say

SHEETS = ["ex01", "ex02", "ex03", "ex04", "ex05", "ex06", "ex07", "ex08", "ex09", "ex10", "ex11"]


def module(number: str) -> ModuleType:
    """The sheet module of lesson ``number`` (``"04"``)."""
    return importlib.import_module(f"{__name__}.ex{number}")


def all_tasks() -> list[Task]:
    """Every task of every sheet, in order."""
    tasks = []
    for name in SHEETS:
        sheet_module = importlib.import_module(f"{__name__}.{name}")
        for task in sheet_module.TASKS:
            task.sheet = sheet_module
        tasks += sheet_module.TASKS
    return tasks


def find(task_id: str) -> Task | None:
    """The task with this id (e.g. ``04.1``), or ``None``."""
    return next((task for task in all_tasks() if task.id == task_id), None)


def lesson_of(task: Task) -> str:
    """The lesson label of what a sheet's cells make: ``ex04`` for task 04.1."""
    return "ex" + task.id.split(".")[0]


def sheet(number: str):
    """A sheet's first cell: connect, make what the tasks start from, and keep what is already built.

    Similar to ``dockerlab doctor && dockerlab setup``, then the sheet's set-up commands for what is missing.

    Returns the sheet's ``lab`` and its tasks. Unlike ``dockerlab.lesson(...)``, nothing is removed:
    run it again (or restart and run all) and your work stays; ``qN.reset()`` starts one task again.
    """
    from ..images import ensure_images
    from ..lesson import Lab, install_error_display
    from ..replay import connect

    install_error_display()
    engine = connect(f"ex{number}")
    engine.version()
    ensure_images(engine)
    lab = Lab(engine, f"ex{number}")
    sheet_module = module(number)
    for task in sheet_module.TASKS:
        task.engine, task.sheet = engine, sheet_module
    set_up(lab, sheet_module)
    print(say("ex-sheet-ready", number=number, tasks=len(sheet_module.TASKS)))
    return (lab, *sheet_module.TASKS)


def made_by(command: str) -> tuple[str, str] | None:
    """What a set-up command makes: ``("network", NAME)`` for ``network create ... NAME``,
    ``("container", NAME)`` for ``run ... --name NAME``, else ``None``."""
    from ..commands import split

    words = split(command)
    if words[:2] == ["network", "create"] and len(words) > 2:
        return "network", words[-1]
    if words[:1] == ["run"]:
        for index, word in enumerate(words):
            if word == "--name" and index + 1 < len(words):
                return "container", words[index + 1]
            if word.startswith("--name="):
                return "container", word.split("=", 1)[1]
    return None


def _existing(lab, command: str) -> str | None:
    """The name a set-up command makes, if something by that name is already there."""
    made = made_by(command)
    if made is None:
        return None
    kind, name = made
    try:
        lab.engine.network(name) if kind == "network" else lab.engine.container(name)
    except errors.NotFound:
        return None
    return name


def set_up(lab, sheet_module: ModuleType) -> None:
    """Make what the sheet's tasks start from, skipping what is there already.

    Similar to the ``docker`` commands of the sheet's SETUP.
    """
    if hasattr(sheet_module, "set_up"):
        sheet_module.set_up(lab)
        return
    for command in getattr(sheet_module, "SETUP", []):
        if _existing(lab, command) is None:
            lab.docker(command, quiet=True)


def _kind_of(engine, name: str) -> tuple[str, dict] | None:
    """``("container"|"network", labels)`` of the object called ``name``, or ``None``."""
    for kind, look in (("container", engine.container), ("network", engine.network)):
        try:
            found = look(name)
        except errors.NotFound:
            continue
        return kind, (found.get("Config", {}).get("Labels") if kind == "container" else found.get("Labels")) or {}
    return None


def reset_task(task: Task) -> dict[str, list[str]]:
    """Remove just the objects ``task`` asks for (the sheet's own, never yours), after saying which.

    Then the sheet's set-up is made again. Similar to ``docker rm -f`` and ``docker network rm`` of those names.
    """
    from ..cluster import NODE_PREFIX

    engine = task._engine()
    lesson = lesson_of(task)
    if task.undo:
        print(say("ex-reset-will", id=task.id, what="; ".join(task.undo)))
        for line in task.undo:
            node, command = line.split("$ ", 1)
            engine.exec(NODE_PREFIX + node.removeprefix("node"), ["sh", "-c", command])
        print(say("ex-reset-done", id=task.id))
        return {"commands": list(task.undo)}
    makes = task.names if task.makes is None else task.makes
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
        from ..lesson import Lab

        set_up(Lab(engine, lesson), task.sheet)
    print(say("ex-reset-done", id=task.id))
    return {"containers": removable["container"], "networks": removable["network"], "yours": yours}


__all__ = ["Question", "Task", "all_tasks", "find", "reset_task", "set_up", "sheet"]
