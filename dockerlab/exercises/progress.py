"""Every task's state at once: ``dockerlab check --all`` (a table, or JSON to collect a room's progress)."""
from __future__ import annotations

import datetime
import getpass
import socket

from ..host.session import Session
from ..text import say
from . import all_tasks
from .state import State
from .verdict import MARKS, Outcome


def progress(engine: Session, state: State | None = None) -> dict:
    """Each task's id, title, outcome and reason, judged on one look at the engine.

    Similar to ``dockerlab check --all --json``.
    """
    state = state or State.of(engine)
    tasks = []
    for task in all_tasks():
        verdict = task.verdict(state)
        tasks.append({"id": task.id, "title": task.title, "outcome": verdict.outcome.value,
                      "reason": verdict.reason})
    when = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    return {"learner": getpass.getuser(), "host": socket.gethostname(), "time": when, "tasks": tasks}


def counts(report: dict) -> dict[str, int]:
    """How many tasks are correct, not yet, not attempted."""
    return {outcome.name.lower(): sum(t["outcome"] == outcome.value for t in report["tasks"]) for outcome in Outcome}


def table(report: dict) -> str:
    """The report as an aligned text table, with a summary line first."""
    header = say("check-all-header", total=len(report["tasks"]), **counts(report))
    columns = say("check-all-columns").split("|")
    rows = [[t["id"], t["title"], f"{MARKS[Outcome(t['outcome'])]} {Outcome(t['outcome']).text}", t["reason"]]
            for t in report["tasks"]]
    widths = [max(len(row[i]) for row in [*rows, columns]) for i in range(3)]
    lines = [header, ""] + ["  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row))
                            for row in [columns, *rows]]
    return "\n".join(line.rstrip() for line in lines)
