"""A link to one task opens its sheet at that task: ``…/exercises/student/04-user-networks.ipynb#task-04.2``.

JupyterLab runs with a learner's settings (nothing changed but the news), serves the English and the Korean
student copies, and a headless Chromium opens each link: the task's heading must be in view at the top of
the notebook, and the heading before it scrolled away.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser.conftest import launch, running_jupyterlab
from tests.browser.test_jupyterlab import ARTIFACTS, CHROMIUM, SETTINGS, TOKEN

ROOT = Path(__file__).resolve().parents[2]
LINKS = [("exercises/student/04-user-networks.ipynb", "04.2", "Task 2 — Kept apart"),
         ("ko/exercises/student/04-user-networks.ipynb", "04.2", "과제 2 — 떨어뜨려 두기"),
         ("exercises/student/11-overlay.ipynb", "11.4", "Task 4 — Diagnose a broken overlay")]


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: `./lab test` installs it", pytrace=False)
    work = tmp_path_factory.mktemp("sheets")
    for path, _, _ in LINKS:
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, work / path)
    shutil.copy(ROOT / "ko" / "exercises" / "student" / ".dockerlab-language", work / "ko" / "exercises" / "student")
    learners = {name: values for name, values in SETTINGS.items() if "notification" in name}
    with running_jupyterlab(work, learners, TOKEN) as url:
        yield url


@pytest.mark.parametrize("path, task, heading", LINKS, ids=lambda value: str(value).replace("/", "-"))
def test_a_task_link_opens_the_sheet_at_that_task(sheets, path, task, heading):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{sheets}/lab/tree/{path}?token={TOKEN}&reset#task-{task}")
            anchor = page.locator(f"[data-jupyter-id='task-{task}'], [id='task-{task}']").first
            anchor.wait_for(state="attached", timeout=90_000)
            title = page.locator(".jp-MarkdownOutput h2", has_text=heading).first
            page.wait_for_function(
                """([name]) => { const found = document.querySelector(`[data-jupyter-id='${name}'], [id='${name}']`);
                                 const box = found && found.closest('h2').getBoundingClientRect();
                                 return box && box.top >= 0 && box.top < window.innerHeight / 2; }""",
                arg=[f"task-{task}"], timeout=30_000)
            first = page.locator(".jp-MarkdownOutput h1").first
            assert first.bounding_box() is None or first.bounding_box()["y"] < 0, "the sheet's title is still in view"
            assert heading in title.inner_text()
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"task-link-{task}.png"))
            raise
        finally:
            browser.close()
