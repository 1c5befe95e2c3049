"""The exercise sheets: authored with solutions, and student copies with none left."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from dockerlab.exercises import SHEETS, all_tasks

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import student_copies  # noqa: E402

SOLVED = sorted((ROOT / "exercises").glob("[0-9][0-9]-*.ipynb"))
COPIES = sorted((ROOT / "exercises" / "student").glob("[0-9][0-9]-*.ipynb"))


def test_a_sheet_for_every_lesson_from_01_with_two_to_four_tasks():
    assert [path.name[:2] for path in SOLVED] == [sheet[2:] for sheet in SHEETS]
    assert len(all_tasks()) >= 15
    for path in SOLVED:
        checks = [c for c in nbformat.read(path, as_version=4).cells if c.source.strip().endswith(".check()")]
        assert 2 <= len(checks) <= 4, path.name


def test_student_copies_are_up_to_date():
    assert student_copies.main(["--check"]) == 0


@pytest.mark.parametrize("path", COPIES, ids=lambda path: path.stem)
def test_no_solution_is_left_in_a_student_copy(path):
    copy = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in copy.cells)
    assert not any("solution" in cell.metadata.get("tags", []) for cell in copy.cells)
    assert not any(cell.get("outputs") for cell in copy.cells if cell.cell_type == "code")
    sheet = f"ex{path.name[:2]}"
    for task in (t for t in all_tasks() if t.id.startswith(path.name[:2] + ".")):
        for command in task.commands:
            if not command.startswith("#"):
                assert command.removeprefix("docker ") not in text, (sheet, command)
    assert text.count(student_copies.YOUR_TURN) == sum(t.id.startswith(path.name[:2]) for t in all_tasks())


@pytest.mark.parametrize("path", SOLVED, ids=lambda path: path.stem)
def test_solved_sheets_store_their_outputs(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, f"run `./lab regen {path.relative_to(ROOT)}`"
