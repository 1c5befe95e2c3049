"""The instructor's reading of the room and its gradebook (no engine: each learner's ``check --all --json`` given)."""
from __future__ import annotations

import csv
import io
import json

from dockerlab import errors
from dockerlab.exercises.progress import CSV_COLUMNS
from dockerlab.workshop import container_name, room

ANA = {"learner": "jovyan", "tasks": [
    {"id": "01.1", "title": "Two, on the bridge", "outcome": "correct", "attempts": 3,
     "first_correct": "2026-12-07T09:30:00+00:00"},
    {"id": "01.3", "title": "The first address", "outcome": "correct", "solved_by_course": True, "attempts": 0}]}


class Room:
    """Learners' environments as the main engine sees them: ``docker inspect`` and ``docker exec``."""

    def __init__(self, reports: dict[str, object], stopped: tuple[str, ...] = ()):
        self.reports, self.stopped = reports, stopped

    def container(self, name: str) -> dict:
        learner = next((who for who in [*self.reports, *self.stopped] if container_name(who) == name), None)
        if learner is None:
            raise errors.NotFound("workshop-not-running", learner=name)
        return {"State": {"Status": "exited" if learner in self.stopped else "running"}}

    def exec(self, name: str, command: list[str]) -> tuple[int, str]:
        assert command == ["dockerlab", "check", "--all", "--json"]
        report = next(report for who, report in self.reports.items() if container_name(who) == name)
        return (1, json.dumps(report)) if report is not None else (2, "Traceback: something broke")


def test_the_rooms_gradebook_has_every_learners_rows_under_the_name_the_workshop_knows():
    reading = room.room(Room({"ana": ANA, "ben": None}, stopped=("cleo",)), ["ana", "ben", "cleo", "dan"])
    assert reading["ana"]["exercises"] == {"01.1": "correct", "01.3": "correct"}
    assert "problem" in reading["ben"] and reading["cleo"]["environment"] == "exited"
    assert reading["dan"]["environment"] == "not started"
    rows = list(csv.DictReader(io.StringIO(room.gradebook(reading))))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(row["learner"], row["task"], row["outcome"], row["attempts"], row["first_correct"]) for row in rows] == [
        ("ana", "01.1", "correct", "3", "2026-12-07T09:30:00+00:00"),
        ("ana", "01.3", "solved by the course", "0", "")]


def test_an_empty_room_has_a_gradebook_of_its_header_only():
    assert room.gradebook({}).splitlines() == [",".join(CSV_COLUMNS)]
