"""The Korean edition cannot drift: every markdown cell translated from the English cell as it is now,
the code cells the English ones, the built notebooks up to date and run."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import translate  # noqa: E402

ENGLISH = translate.english_notebooks()

# Notebooks whose Korean text is still to be written (`python tools/translate.py todo NAME` lists the cells).
# Each entry leaves this list when its translation is complete; the test below fails once an entry here
# is in fact complete, so the list can only shrink.
PENDING: set[str] = set()


@pytest.mark.parametrize("english", ENGLISH, ids=translate.name_of)
def test_every_cell_is_translated_from_the_english_as_it_is_now(english):
    problems = translate.problems(english)
    if translate.name_of(english) in PENDING:
        assert problems, f"{translate.name_of(english)} is fully translated: take it out of PENDING"
        return
    assert not problems, "the Korean edition is behind the English one:\n" + "\n".join(map(str, problems))


def test_pending_names_are_notebooks():
    assert {translate.name_of(path) for path in ENGLISH} >= PENDING


def test_the_korean_notebooks_are_built_from_the_current_sources():
    stale = [str(path.relative_to(ROOT)) for path, built in translate.built().items()
             if not translate._same_but_outputs(path, built)]
    assert not stale, f"out of date: {', '.join(stale)}; run `python tools/translate.py build`"


@pytest.mark.parametrize("english", ENGLISH, ids=translate.name_of)
def test_korean_code_cells_are_the_english_code_cells_with_their_words_translated(english):
    """The same commands in both editions; only titles, printed lines and comments in the learner's language."""
    def code(path: Path) -> list[tuple[str, str]]:
        return [(cell.id, cell.source) for cell in nbformat.read(path, as_version=4).cells
                if cell.cell_type == "code"]

    words = translate.code_translations(english)
    expected = [(cell_id, translate.code_words.korean_source(source, words.get(cell_id, [])))
                for cell_id, source in code(english)]
    assert code(translate.korean_path(english)) == expected


@pytest.mark.parametrize("english", [path for path in ENGLISH if translate.name_of(path) not in PENDING],
                         ids=translate.name_of)
def test_translated_notebooks_carry_the_outputs_of_a_korean_run(english):
    for cell in nbformat.read(translate.korean_path(english), as_version=4).cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, \
                f"run `./lab translate {translate.name_of(english)}`: a cell of its Korean notebook has no output"


@pytest.fixture
def edition(tmp_path, monkeypatch):
    """A copy of the welcome lesson and its translation, with the tool pointed at the copy."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "00-welcome.ipynb", tmp_path / "notebooks")
    (tmp_path / "ko" / "translations" / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "ko" / "translations" / "notebooks" / "00-welcome.yaml",
                tmp_path / "ko" / "translations" / "notebooks")
    monkeypatch.setattr(translate, "ROOT", tmp_path)
    monkeypatch.setattr(translate, "EDITION", tmp_path / "ko")
    monkeypatch.setattr(translate, "TRANSLATIONS", tmp_path / "ko" / "translations")
    return tmp_path / "notebooks" / "00-welcome.ipynb"


def test_a_changed_english_cell_fails_until_its_translation_is_updated(edition):
    assert translate.problems(edition) == []
    notebook = nbformat.read(edition, as_version=4)
    cell = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    cell.source += "\n\nOne more English sentence."
    nbformat.write(notebook, edition)

    [problem] = translate.problems(edition)
    assert (problem.notebook, problem.cell) == ("notebooks/00-welcome", cell.id)
    assert "changed since it was translated" in problem.what
    assert f"python tools/translate.py accept notebooks/00-welcome {cell.id}" in problem.what

    translate.sync(edition)  # shows the new English beside the old, keeps the Korean
    [entry] = [entry for entry in translate.load(edition) if entry["id"] == cell.id]
    assert entry["english_now"] == cell.source and entry["korean"]
    assert translate.problems(edition), "sync alone does not make a stale translation fresh"

    translate.accept(edition, cell.id)
    assert translate.problems(edition) == []


def test_a_new_english_cell_is_missing_until_translated(edition):
    notebook = nbformat.read(edition, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("A new paragraph.", id="new-cell"))
    nbformat.write(notebook, edition)
    assert [(p.cell, "not translated yet" in p.what) for p in translate.problems(edition)] == [("new-cell", True)]
    translate.sync(edition)
    entries = translate.load(edition)
    entries[-1]["korean"] = "새 문단입니다."
    translate.save(edition, entries)
    assert translate.problems(edition) == []
    korean = translate.korean_notebook(edition)
    assert korean.cells[-1].source == "새 문단입니다."
    assert korean.metadata["dockerlab"]["language"] == "ko"
