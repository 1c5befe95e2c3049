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


TAUGHT = [path for path in NOTEBOOKS if path.stem != "00-welcome"]
PICTURES = NOTEBOOKS[0].parent / "pictures"


@pytest.mark.parametrize("path", TAUGHT, ids=lambda path: path.stem)
def test_lesson_opens_with_its_goal_and_a_picture_of_where_it_ends(path):
    cells = nbformat.read(path, as_version=4).cells
    first = cells[0]
    assert first.cell_type == "markdown" and f"](pictures/{path.stem}.svg)" in first.source, \
        f"{path.name}: the first cell states the goal and shows pictures/{path.stem}.svg"
    assert (PICTURES / f"{path.stem}.svg").is_file(), f"run `./lab regen {path}` to draw pictures/{path.stem}.svg"
    assert any("goal=True" in cell.source for cell in code_cells(path)), \
        f"{path.name}: one lab.draw(..., goal=True) draws the picture the first cell shows"


PREDICT = re.compile(r"""^guess = lab\.predict\(\s*["']([\w-]+)["']\s*,\s*\[([^\]]*)\]""", re.M)


@pytest.mark.parametrize("path", TAUGHT, ids=lambda path: path.stem)
def test_lesson_asks_for_a_prediction_before_it_reveals(path):
    import json

    messages = json.loads((NOTEBOOKS[0].parents[1] / "dockerlab" / "locale" / "en.json").read_text("utf-8"))
    sources = [cell.source for cell in code_cells(path)]
    asked = [(index, match) for index, source in enumerate(sources) for match in PREDICT.finditer(source)]
    assert all("guess = lab.predict(" in source for source in sources if "lab.predict(" in source), \
        f"{path.name}: name a prediction `guess` (its text tells the learner to call guess.lock)"
    assert asked, f"{path.name}: ask the learner to predict (lab.predict) before a revealing cell"
    for index, match in asked:
        key, choices = match.group(1), re.findall(r"""["']([\w-]+)["']""", match.group(2))
        for wanted in [f"predict-{path.stem}-{key}"] + [f"predict-{path.stem}-{key}-{choice}" for choice in choices]:
            assert wanted in messages, f"{path.name}: no message {wanted!r} in locale/en.json"
        later = "\n".join(sources[index + 1:])
        assert "guess.reveal(" in later, f"{path.name}: prediction {key!r} is never revealed"
        assert sources[index].strip().splitlines()[-1] == "guess", \
            f"{path.name}: end prediction {key!r}'s cell with `guess`: shown, it asks and waits for the answer"
    for source in sources:
        assert not re.search(r"""\.reveal\(\s*["']""", source), \
            f"{path.name}: reveal what the engine showed (a value worked out in the cell), not a fixed answer"


def _only_asserts(source: str) -> bool:
    import ast

    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(statement, ast.Assert) for statement in body)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_cells_that_only_check_are_collapsed_for_the_reader(path):
    for cell in code_cells(path):
        if _only_asserts(cell.source):
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, \
                f"{path.name}: collapse this check (metadata jupyter.source_hidden): {cell.source[:80]!r}"
