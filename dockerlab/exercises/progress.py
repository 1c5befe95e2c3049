"""Every task's state at once: ``dockerlab check --all`` (a table, JSON to collect a room's progress, or a CSV
gradebook), and :func:`room_csv`, a room's gradebook from each learner's JSON (the instructor's view)."""
from __future__ import annotations

import csv
import datetime
import getpass
import io
import socket
from collections.abc import Iterable, Mapping

from ..host.session import Session
from ..text import say
from . import all_tasks, gradebook
from .state import State
from .verdict import MARKS, Outcome

SOLVED_BY_COURSE = "solved by the course"
"""The gradebook's outcome of a task the course solved (``qN.solve()``), apart from ``correct``."""

CSV_COLUMNS = ["learner", "task", "title", "outcome", "attempts", "first_correct"]
"""The gradebook's columns: one row per learner and task; ``first_correct`` in UTC, ISO 8601, or empty."""


def progress(engine: Session, state: State | None = None) -> dict:
    """Each task's id, title, outcome and reason, judged on one look at the engine, with the learner's record:
    how many checks, when first correct, and whether the course solved it.

    Similar to ``dockerlab check --all --json``.
    """
    state = state or State.of(engine)
    kept = gradebook.load()
    tasks = []
    for task in all_tasks():
        verdict = task.verdict(state)
        record = gradebook.entry(task.id, kept)
        tasks.append({"id": task.id, "title": task.title, "outcome": verdict.outcome.value,
                      "solved_by_course": bool(verdict.correct and record["solved_by_course"]),
                      "reason": verdict.reason, "attempts": record["attempts"],
                      "first_correct": record["first_correct"]})
    when = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    return {"learner": getpass.getuser(), "host": socket.gethostname(), "time": when, "tasks": tasks}


def graded(task: dict) -> str:
    """A task's outcome in the gradebook: ``correct``, ``solved by the course``, ``not yet`` or ``not attempted``."""
    return SOLVED_BY_COURSE if task.get("solved_by_course") else task["outcome"]


def counts(report: dict) -> dict[str, int]:
    """How many tasks are correct (of which solved by the course), not yet, not attempted."""
    found = {outcome.name.lower(): sum(t["outcome"] == outcome.value for t in report["tasks"]) for outcome in Outcome}
    found["solved_by_course"] = sum(bool(t.get("solved_by_course")) for t in report["tasks"])
    return found


def _state(task: dict) -> str:
    if task.get("solved_by_course"):
        return f"{MARKS[Outcome.CORRECT]} {say('outcome-solved-by-course')}"
    return f"{MARKS[Outcome(task['outcome'])]} {Outcome(task['outcome']).text}"


def table(report: dict) -> str:
    """The report as an aligned text table, with a summary line first."""
    found = counts(report)
    header = say("check-all-header", total=len(report["tasks"]), **found)
    if found["solved_by_course"]:
        header += " " + say("check-all-solved", n=found["solved_by_course"])
    columns = say("check-all-columns").split("|")
    rows = [[t["id"], t["title"], _state(t), t["reason"]] for t in report["tasks"]]
    widths = [max(len(row[i]) for row in [*rows, columns]) for i in range(3)]
    lines = [header, ""] + ["  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row))
                            for row in [columns, *rows]]
    return "\n".join(line.rstrip() for line in lines)


def csv_rows(report: dict, learner: str | None = None) -> list[dict[str, str]]:
    """One learner's gradebook rows (``CSV_COLUMNS``), from their ``check --all --json`` report.

    ``learner`` names the learner when the report's own name (the account it ran under) is not the one to
    show. A task the report does not have (an older course) is left out; missing counts read as 0.
    """
    name = learner if learner is not None else str(report.get("learner", ""))
    return [{"learner": name, "task": task["id"], "title": task.get("title", ""), "outcome": graded(task),
             "attempts": str(int(task.get("attempts") or 0)), "first_correct": task.get("first_correct") or ""}
            for task in report.get("tasks", [])]


def to_csv(rows: Iterable[Mapping[str, str]]) -> str:
    """Rows as CSV text: a header line, commas, quotes where needed, CRLF line ends (RFC 4180), UTF-8."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def room_csv(reports: Mapping[str, dict] | Iterable[dict]) -> str:
    """A room's gradebook: one CSV of every learner's rows, learners in the order given.

    ``reports`` maps each learner's name (as the instructor knows them) to their ``dockerlab check --all
    --json`` report, or is a list of reports, each named by its own ``learner``. Similar to running
    ``dockerlab check --all --csv`` for each learner and keeping one header.
    """
    named = reports.items() if isinstance(reports, Mapping) else ((None, report) for report in reports)
    return to_csv(row for learner, report in named for row in csv_rows(report, learner))
