"""Every lesson run in JupyterLab in a real browser as a learner runs it: Run All Cells.

Every English lesson but 11 (its lab cluster of Docker hosts is tested by ``tests/integration``) with Run
All; the lessons with a live diagram (02, 05), in both editions, also run up to the cell after the live
diagram appears, its "Stop live updates" button pressed, then the rest (what the learner of the c3 case did).
Each time: every prediction (and the course check's every question, in lesson 00) is asked, and a prediction
asked before its answer shows (the test answers each typed prediction only after checking that the page holds no
more engine's answers than predictions answered so far), no cell fails, and the lesson ends clean. With Run
All, a live widget's last picture has exactly the labels of the engine's own picture (``lab.draw()``, taken by
a cell the test adds just before ``lab.end()``); stopped early, the widget shows its strip of frames and the
lesson says it looks at the engine itself. Screenshots go to ``artifacts/browser/``.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from dockerlab.lessons.coursecheck import QUESTIONS
from tests.browser.conftest import FAILED, launch, open_notebook, outputs, run_menu, run_until, running_jupyterlab
from tests.browser.test_jupyterlab import SETTINGS, TOKEN

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DOCKERLAB_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "browser"
ENGINE_LABELS = "DOCKERLAB-ENGINE-LABELS"
DONE = "DOCKERLAB-RUN-DONE"
NOT_HERE = {"11-overlay"}
"""Its Docker hosts are a lab cluster that ``tests/integration/test_cluster.py`` brings up and judges."""
PROBE = f"""import html as _html, json as _json, re as _re
_labels = sorted({{_html.unescape(t) for t in _re.findall(r"<text[^>]*>([^<]*)</text>", lab.draw().svg())}})
print("{ENGINE_LABELS} " + _json.dumps(_labels, ensure_ascii=False))"""


def lessons() -> list[str]:
    """Every numbered lesson of the English edition (``index`` is the course's contents)."""
    return sorted(path.stem for path in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def live_lessons() -> list[str]:
    """The lessons whose cells start a live diagram."""
    return [name for name in lessons() if "lab.live(" in (ROOT / "notebooks" / f"{name}.ipynb").read_text()]


def code_of(folder: str, name: str) -> list[str]:
    return [cell.source for cell in nbformat.read(ROOT / folder / f"{name}.ipynb", as_version=4).cells
            if cell.cell_type == "code"]


LESSONS = [*(("notebooks", name, "run-all") for name in lessons() if name not in NOT_HERE),
           *((folder, name, "stop-early") for folder in ("notebooks", "ko/notebooks") for name in live_lessons())]


def prepared(folder: str, name: str, work: Path) -> str:
    """A copy of the lesson, outputs cleared, the engine's picture printed just before lab.end(), a last marker cell."""
    target = work / folder
    target.mkdir(parents=True, exist_ok=True)
    language = ROOT / folder / ".dockerlab-language"
    if language.exists():
        shutil.copy(language, target)
    notebook = nbformat.read(ROOT / folder / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:  # as a learner who cleared them: no stored answer on the page before its question
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    end = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and "lab.end()" in cell.source)
    notebook.cells.insert(end, nbformat.v4.new_code_cell(PROBE))
    notebook.cells.append(nbformat.v4.new_code_cell(f'print("{DONE}")'))
    nbformat.write(notebook, target / f"{name}.ipynb")
    return f"{folder}/{name}.ipynb"


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: `./lab test` installs it", pytrace=False)
    work = tmp_path_factory.mktemp("live")
    answers = tmp_path_factory.mktemp("answers") / "answers.json"
    with running_jupyterlab(work, SETTINGS, TOKEN, env={"DOCKERLAB_ANSWERS": str(answers)}) as url:
        yield url, work, answers


def idle(page) -> bool:
    return page.evaluate("() => document.body.innerText.includes('| Idle')") and not \
        page.locator(".jp-Stdin-input").count()


@pytest.mark.parametrize("folder, name, how", LESSONS, ids=[f"{f.split('/')[0]}-{n}-{h}" for f, n, h in LESSONS])
def test_a_lesson_run_as_a_learner_runs_it(jupyterlab, engine, folder, name, how):
    from playwright.sync_api import expect, sync_playwright

    url, work, answers = jupyterlab
    logged_before = len((work / "jupyterlab.log").read_text())  # the server's log of this lesson's run follows
    answers.unlink(missing_ok=True)  # a learner who has answered nothing yet: the English run before this one
    # locked in lesson 02's and 05's predictions, which their Korean twins (the same questions) then do not ask
    language = "ko" if folder.startswith("ko") else "en"
    path = prepared(folder, name, work)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"run-all-{language}-{name}-{how}"
    with sync_playwright() as playwright:
        browser = launch(playwright, CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_notebook(page, f"{url}/lab/tree/{path}?token={TOKEN}&reset", timeout=90_000)
            answered = [0, 0]  # predictions, the course check's questions
            if how == "run-all":
                run_menu(page, "Run All Cells")
            else:  # run up to the cell after the live diagram's, press its button, then run the rest
                cells = page.locator(".jp-Notebook .jp-CodeCell")
                code = [c for c in nbformat.read(work / path, as_version=4).cells if c.cell_type == "code"]
                live_at = next(i for i, cell in enumerate(code) if "lab.live(" in cell.source)
                after = cells.nth(live_at + 2)  # the live diagram, the change after it, then stop
                after.locator(".jp-InputPrompt").click()
                run_menu(page, "Run All Above Selected Cell")
                ran = cells.nth(live_at + 1).locator(".jp-InputPrompt")
                run_until(page, lambda: re.search(r"\[\d+\]", ran.inner_text()) and idle(page), language, answered)
                assert not re.search(r"\[\d+\]", after.locator(".jp-InputPrompt").inner_text())
                stop = page.locator(".dockerlab-live button").first
                assert stop.is_enabled()
                stop.click()
                page.wait_for_selector(".dockerlab-live .dockerlab-frames", timeout=60_000)
                # the button's click made the live diagram's cell the active one: the learner clicks where to go on
                after.locator(".jp-InputPrompt").click()
                expect(after).to_have_class(re.compile(r"\bjp-mod-active\b"))
                run_menu(page, "Run Selected Cell and All Below")
            run_until(page, lambda: DONE in outputs(page), language, answered)
            page.screenshot(path=f"{shot}.png", full_page=True)
            errors = page.locator(FAILED)
            assert errors.count() == 0, errors.all_inner_texts()
            asked = sum("lab.predict(" in source for source in code_of(folder, name))
            assert answered[0] == asked, f"{answered[0]} predictions asked where the lesson has {asked}"
            checks = len(QUESTIONS) * sum("dockerlab.course_check(" in source for source in code_of(folder, name))
            assert answered[1] == checks, f"{answered[1]} course check's questions asked where the lesson has {checks}"
            live = page.locator(".dockerlab-live").first
            printed = outputs(page)
            if name not in live_lessons():
                assert live.count() == 0
            elif how == "run-all":
                engine_labels = json.loads(re.search(rf"{ENGINE_LABELS} (\[.*\])", printed).group(1))
                drawn = sorted({text.strip() for text in live.locator("svg text").all_text_contents()})
                assert drawn == sorted({label.strip() for label in engine_labels}), (drawn, engine_labels)
            else:
                assert live.locator(".dockerlab-frames").count() == 1
        except Exception:
            page.screenshot(path=f"{shot}-failed.png", full_page=True)
            (ARTIFACTS / f"{shot.name}-failed.txt").write_text(page.inner_text("body"))
            raise
        finally:
            browser.close()
    leftovers = engine.labelled(name)
    assert not any(leftovers.values()), leftovers
    log = (work / "jupyterlab.log").read_text()[logged_before:]
    assert "cannot be longer than the websocket_ping_interval" not in log  # the course's server settings hold
    # a page too busy to answer the server's ping for a minute loses its connection: it must get the same session
    # back (the messages sent meanwhile kept and replayed), as the outputs checked above show it did
    for lost in log.split("WebSocket ping timeout")[1:]:
        assert "Restoring connection for" in lost, "the page lost its kernel's session after a ping timeout"


def test_every_lesson_is_run_here():
    assert {name for _, name, how in LESSONS if how == "run-all"} == set(lessons()) - NOT_HERE
    assert {"02-veth-pairs", "05-connect"} <= set(live_lessons())  # the live diagram is looked for where it is
    for folder in ("notebooks", "ko/notebooks"):  # each live diagram stopped early by its button, in both editions
        assert {name for f, name, how in LESSONS if f == folder and how == "stop-early"} == set(live_lessons())
