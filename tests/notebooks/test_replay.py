"""A session with no engine replays every lesson, and what it shows equals the stored outputs.

Each lesson runs with ``DOCKERLAB_REPLAY=1`` and ``DOCKER_HOST`` pointing nowhere: its recording
(``notebooks/recordings/``, made with the stored outputs by ``./lab regen``) answers every call.
Every output is compared with the stored one, exactly, except the banner that says it is a
recording and a widget's view (a live diagram's picture is drawn by the browser). A recording that
disagrees with the stored outputs, or lacks an answer, fails here.
"""
from __future__ import annotations

import asyncio
import base64
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from dockerlab.exercises import module
from dockerlab.exercises.task import Question
from dockerlab.replay import BANNER

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
SHEETS = sorted((ROOT / "exercises").glob("[0-9][0-9]-*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"
ASKS_THE_ENGINE = (".check()", ".hint()")
"""Cells of a sheet whose answer depends on a check, which needs a real engine."""


@pytest.fixture(scope="module")
def replayed(request) -> dict[Path, nbformat.NotebookNode]:
    """The lessons and sheets of the tests that run, replayed with no engine reachable (several kernels at once)."""
    ours = [item for item in request.session.items  # nbval's notebook cells, in the same session, have no module
            if getattr(item, "module", None) is request.module and hasattr(item, "callspec")]
    chosen = sorted({item.callspec.params["path"] for item in ours if "path" in item.callspec.params})
    async def replay(path: Path, room: asyncio.Semaphore) -> tuple[Path, nbformat.NotebookNode]:
        async with room:
            notebook = nbformat.read(path, as_version=4)
            await NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                                 resources={"metadata": {"path": str(path.parent)}}).async_execute()
            return path, notebook

    async def all_of_them() -> list[tuple[Path, nbformat.NotebookNode]]:
        room = asyncio.Semaphore(max(2, min(8, os.cpu_count() or 2)))
        return await asyncio.gather(*(replay(path, room) for path in chosen))

    with pytest.MonkeyPatch.context() as environment:  # what the kernels inherit
        environment.setenv("DOCKERLAB_REPLAY", "1")
        environment.setenv("DOCKER_HOST", "unix:///nowhere")
        environment.delenv("DOCKERLAB_RECORD", raising=False)
        return dict(asyncio.run(all_of_them()))


def _shown(outputs: list) -> list:
    """What a cell showed, as compared: streams, text and pictures, not the banner or a widget's view."""
    shown = []
    for output in outputs:
        if output.get("metadata", {}).get(BANNER):
            continue
        if output["output_type"] == "stream":
            if shown and shown[-1][0] == output["name"]:  # one stream, however the kernel cut it
                shown[-1] = (output["name"], shown[-1][1] + output["text"])
            else:
                shown.append((output["name"], output["text"]))
        elif output["output_type"] == "error":
            shown.append(("error", output["ename"], output["evalue"]))
        elif WIDGET not in output.get("data", {}):
            data = output.get("data", {})
            shown.append(("data", data.get("text/plain"), _decoded(data.get("image/png"))))
    return shown


def _decoded(png: str | None) -> bytes | None:
    return base64.b64decode(png) if png else None


def _differences(stored: nbformat.NotebookNode, replayed: nbformat.NotebookNode, skip=()) -> list[str]:
    found = []
    for number, (before, after) in enumerate(zip(stored.cells, replayed.cells, strict=True), 1):
        if before.cell_type != "code" or before.source.strip().endswith(skip or ("\0",)):
            continue
        if _shown(before.outputs) != _shown(after.outputs):
            found.append(f"cell {number} ({before.source.splitlines()[0][:60]!r}):\n"
                         f"  stored:   {_shown(before.outputs)!r:.600}\n  replayed: {_shown(after.outputs)!r:.600}")
    return found


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_a_replayed_lesson_shows_its_stored_outputs(path, replayed):
    replayed = replayed[path]
    banners = [o for o in replayed.cells[_first_code(replayed)].outputs if o.get("metadata", {}).get(BANNER)]
    assert len(banners) == 1 and "RECORDING" in banners[0]["data"]["text/plain"]
    differences = _differences(nbformat.read(path, as_version=4), replayed)
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("path", SHEETS, ids=lambda path: path.stem)
def test_a_replayed_sheet_shows_its_stored_outputs_and_its_checks_need_an_engine(path, replayed):
    replayed = replayed[path]
    differences = _differences(nbformat.read(path, as_version=4), replayed, skip=ASKS_THE_ENGINE)
    assert not differences, "\n".join(differences)
    questions = _questions(path)
    checks = [cell for cell in replayed.cells if cell.cell_type == "code" and cell.source.strip().endswith(".check()")]
    assert checks
    stored = {cell.source: cell.outputs for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"}
    for cell in checks:
        said = "".join(o.get("text", "") for o in cell.outputs)
        if cell.source.strip().removesuffix(".check()") in questions:
            assert _shown(cell.outputs) == _shown(stored[cell.source]), said   # judged on the answer alone
        else:
            assert "needs a real Docker engine" in said, said


def _questions(path: Path) -> set[str]:
    """The sheet's ``qN`` that are questions: their check judges the learner's answer, not the engine."""
    tasks = module(path.stem[:2]).TASKS
    return {f"q{number}" for number, task in enumerate(tasks, 1) if isinstance(task, Question)}


def _first_code(notebook: nbformat.NotebookNode) -> int:
    return next(index for index, cell in enumerate(notebook.cells)
                if cell.cell_type == "code" and "dockerlab.lesson(" in cell.source)
