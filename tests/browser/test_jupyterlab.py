"""A person's view: lesson 02 run in JupyterLab in a real headless Chromium.

Starts JupyterLab on a free local port, opens a copy of lesson 02, runs every cell from the Run
menu (answering each prediction when it asks), and checks what the page shows: the live diagram's
labels (each container's lo and eth0, the bridge's gateway, the legend), the drawn
pictures at 2x and the frames' strip. (Whether the host's uplink is drawn depends on the engine's host:
test_lessons_run_all compares the whole live picture with the engine's own.)
A screenshot goes to ``artifacts/browser/``.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.conftest import launch, open_notebook, outputs, run_menu, run_until, running_jupyterlab

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DOCKERLAB_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "browser"
TOKEN = "dockerlab-browser-test"
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                       "checkForUpdates": False},
}


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: `./lab test` installs it "
                    "(apt-get install chromium)", pytrace=False)
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / "02-veth-pairs.ipynb", work)
    with running_jupyterlab(work, SETTINGS, TOKEN) as url:
        yield url


def test_lesson_02_shows_the_diagram_in_a_browser(jupyterlab, engine):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_notebook(page, f"{jupyterlab}/lab/tree/02-veth-pairs.ipynb?token={TOKEN}&reset", timeout=90_000)
            run_menu(page, "Run All Cells")
            answered = [0, 0]  # each prediction waits for its typed answer, as a learner's does
            try:
                run_until(page, lambda: "Cleaned up:" in outputs(page), "en", answered, timeout=600)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "lesson-02-timeout.png"))
                (ARTIFACTS / "lesson-02-timeout.txt").write_text(page.inner_text("body"))
                raise
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, errors.all_inner_texts()

            live = page.locator(".dockerlab-live").first
            live.scroll_into_view_if_needed()
            labels = live.locator("svg text").all_text_contents()
            words = [word.strip(":,·()") for word in " ".join(labels).split()]  # "docker0:" is the word docker0
            assert "docker0" in words, labels
            assert any(word.startswith("veth") for word in words), labels
            assert {"c1", "c2", "eth0", "lo", "gateway", "Legend"} <= set(words), labels
            assert any(label.startswith("lo 127.0.0.1/8") for label in labels), labels  # lo inside each box
            # no uplink asserted: it is drawn only where the engine's host has one (the reference engine runs in
            # a network namespace of its own, with none); test_live_diagram compares the picture with the engine
            assert "stopped" in live.inner_text()
            pictures = page.locator(".jp-RenderedImage img")
            assert pictures.count() >= 3  # lab.draw(...) pictures and the live diagram's strip of frames
            # drawn at 2x and shown at 1x: sharp on a HiDPI screen
            sizes = pictures.first.evaluate("img => [img.naturalWidth, img.width]")
            assert sizes[0] >= 2 * sizes[1] - 2 and sizes[1] > 300, sizes
            page.screenshot(path=str(ARTIFACTS / "lesson-02-live-diagram.png"))
        finally:
            browser.close()
    leftovers = engine.labelled("02-veth-pairs")
    assert not any(leftovers.values()), leftovers
