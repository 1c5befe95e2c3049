"""The exercise sheets: authored with solutions, and student copies with none left."""
from __future__ import annotations

import json
import re
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
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
EVERY_SHEET = [*SOLVED, *COPIES, *sorted((ROOT / "ko" / "exercises").glob("**/[0-9][0-9]-*.ipynb"))]
ENGLISH = json.loads((ROOT / "dockerlab" / "locale" / "en.json").read_text("utf-8"))


def test_every_lesson_from_01_has_a_sheet_of_its_own():
    """A lesson added later fails here until it has an exercise sheet (and its tasks)."""
    lessons = [path.stem for path in LESSONS if path.name[:2] != "00"]
    assert [path.stem for path in SOLVED] == lessons
    assert [f"ex{path.name[:2]}" for path in SOLVED] == SHEETS
    for lesson in lessons:
        tasks = [task for task in all_tasks() if task.id.startswith(lesson[:2] + ".")]
        assert len(tasks) >= 2, lesson


@pytest.mark.parametrize("path", EVERY_SHEET, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_link_to_a_task_opens_its_heading_and_its_first_cell_prepares_it_alone(path):
    """``...#task-04.2`` names an anchor in the task's heading; the next cell is that task's set-up."""
    cells = nbformat.read(path, as_version=4).cells
    number = path.name[:2]
    for task in (task for task in all_tasks() if task.id.startswith(number + ".")):
        anchor = f'<span id="task-{task.id}"></span>'
        found = [index for index, cell in enumerate(cells)
                 if cell.cell_type == "markdown" and cell.source.startswith(f"## {anchor}")]
        assert len(found) == 1, (task.id, "heading with its anchor")
        setup = cells[found[0] + 1]
        assert setup.cell_type == "code" and setup.source.endswith(f'lab, q{task.number} = sheet("{number}", '
                                                                    f'task="{task.id}")'), task.id


@pytest.mark.parametrize("path", SOLVED, ids=lambda path: path.stem)
def test_each_task_is_stated_in_the_sheet_as_the_catalogue_states_it(path):
    """The words a learner reads in the sheet are the words the check and ``dockerlab check --list`` use."""
    headings = [cell.source for cell in nbformat.read(path, as_version=4).cells
                if cell.cell_type == "markdown" and cell.source.startswith("## <span id=")]
    stated = {re.match(r'## <span id="task-([0-9.]+)"', text).group(1): text for text in headings}
    for task_id, text in stated.items():
        number = task_id.split(".")[1]
        assert text == (f'## <span id="task-{task_id}"></span>Task {number} — {ENGLISH[f"ex-{task_id}-title"]}'
                        f'\n\n{ENGLISH[f"ex-{task_id}-statement"]}'), task_id


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
                assert command.split("$ ", 1)[-1].removeprefix("docker ") not in text, (sheet, command)
    assert text.count(student_copies.YOUR_TURN) == sum(t.id.startswith(path.name[:2]) for t in all_tasks())


@pytest.mark.parametrize("path", SOLVED, ids=lambda path: path.stem)
def test_solved_sheets_store_their_outputs(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, f"run `./lab regen {path.relative_to(ROOT)}`"
