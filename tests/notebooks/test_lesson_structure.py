"""Every lesson has the shape the course promises; nbval then runs each one on the engine."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def code_cells(path: Path) -> list:
    return [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def test_there_are_lessons():
    assert [path.name for path in NOTEBOOKS][:2] == ["00-welcome.ipynb", "01-default-bridge.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_lesson_starts_and_ends_clean(path):
    cells = code_cells(path)
    assert f'lab = dockerlab.lesson("{path.stem}")' in cells[0].source
    assert cells[-1].source.strip() == "lab.end()"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_outputs_are_stored_and_compared(path):
    for cell in code_cells(path):
        assert cell.execution_count is not None, f"run `./lab regen {path.name}`: a cell has no stored output"
        assert not any(output.output_type == "error" for output in cell.outputs), cell.source
        tags = set(cell.metadata.get("tags", []))
        assert not tags & {"nbval-skip", "nbval-ignore-output"} and "NBVAL_" not in cell.source, cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_lessons_talk_to_the_engine_only_through_the_helper(path):
    for cell in code_cells(path):
        assert not re.search(r"^\s*(!|%%?sh|%%?bash)|import (docker|subprocess)\b|\bos\.system", cell.source, re.M), \
            cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_lesson_asserts_what_it_shows(path):
    asserting = [cell for cell in code_cells(path) if re.search(r"^\s*assert ", cell.source, re.M)]
    assert len(asserting) >= 2
