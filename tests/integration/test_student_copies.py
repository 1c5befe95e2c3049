"""On a clean engine, every check of every student copy answers "not attempted"."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from dockerlab.exercises import SHEETS
from dockerlab.host import cleanup

COPIES = sorted((Path(__file__).resolve().parents[2] / "exercises" / "student").glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("path", COPIES, ids=lambda path: path.stem)
def test_student_copy_checks_say_not_attempted(engine, path, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_ANSWERS", str(tmp_path / "answers.json"))  # no answer given yet
    for sheet in SHEETS:
        cleanup.remove(engine, sheet)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    answers = ["".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
               for cell in notebook.cells if cell.cell_type == "code" and cell.source.strip().endswith(".check()")]
    assert answers and all(" not attempted: " in answer and answer.startswith("○") for answer in answers), answers
    assert not any(output.output_type == "error" for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.outputs)
