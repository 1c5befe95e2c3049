"""Lesson 02 run in the browser with no server: JupyterLite's Pyodide kernel replays the recording of a real engine.

The site is built with JupyterLite (``tools/site.py --lite``; or ``DOCKERLAB_SITE=build/site`` for one that
``./lab site --lite`` made) and served on 127.0.0.1 as plain files. Headless Chromium opens lesson 02 from the
site's JupyterLite and runs it with *Run All Cells*, as a learner would, then reads every cell: the banner that
says it is a recording, each cell's commands and the engine's recorded answers line by line as the stored
outputs of the real run have them, no error, and the drawings (an SVG there, as Pyodide has no matplotlib)
showing the topology the real run drew. Nothing is asked of any address but the site's own (no CDN, no PyPI).

An opt-in tier, in no lane of CI: ``./lab test lite`` (about a minute and a half: the build, Pyodide starting,
the lesson replayed).
"""
from __future__ import annotations

import functools
import html
import http.server
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from tests.browser.conftest import launch

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DOCKERLAB_CHROMIUM", "/usr/bin/chromium")
LESSON = "notebooks/02-veth-pairs.ipynb"
PROMPTS = "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)"
SEEN = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(cell => ({
  prompt: cell.querySelector('.jp-InputPrompt')?.textContent.trim() ?? '',
  text: cell.querySelector('.jp-OutputArea')?.textContent ?? '',
  stderr: cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
  pictures: [...cell.querySelectorAll('.jp-OutputArea-output img[src^="data:image/svg+xml"]')]
      .map(img => decodeURIComponent(img.src.slice(img.src.indexOf(',') + 1)))
      .concat([...cell.querySelectorAll('.jp-OutputArea-output .dockerlab-diagram svg')].map(svg => svg.outerHTML)),
}))"""
"""Every code cell as the page shows it: its prompt, its outputs' text (``textContent``: JupyterLab leaves cells
out of view unlaid, so ``innerText`` would be empty there), its error outputs and its pictures' SVG text."""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no line per file asked
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    given = os.environ.get("DOCKERLAB_SITE")
    folder = Path(given) if given else tmp_path_factory.mktemp("site")
    if not given:
        subprocess.run([sys.executable, str(ROOT / "tools" / "site.py"), "--lite", "--out", str(folder)],
                       check=True, cwd=ROOT)
    assert (folder / "lite" / "lab" / "index.html").exists(), f"{folder} has no JupyterLite: build it with --lite"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def stored_cells() -> list[nbformat.NotebookNode]:
    return [cell for cell in nbformat.read(ROOT / LESSON, as_version=4).cells if cell.cell_type == "code"]


def printed(cell: nbformat.NotebookNode, name: str = "stdout") -> str:
    return "".join(output.get("text", "") for output in cell.outputs
                   if output.output_type == "stream" and output.name == name)


def plain(output: nbformat.NotebookNode) -> str:
    text = output.get("data", {}).get("text/plain", "")
    return "".join(text) if isinstance(text, list) else text


@pytest.fixture(scope="module")
def replayed(site) -> tuple[list[dict], list[str]]:
    """What every code cell of lesson 02 showed after Run All, and the addresses asked that were not the site's."""
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright, CHROMIUM)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site)
                   else (outside.append(route.request.url), route.abort()))
        page.goto(f"{site}lite/lab/index.html?path={LESSON}")
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=180_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=180_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:  # until no cell waits or runs (a failing cell stops the rest)
            asked = page.locator(".jp-Stdin-input")
            if asked.count():  # a prediction waits for its typed answer, as in JupyterLab: Enter alone, no guess
                asked.first.press("Enter")
                time.sleep(1)
                continue
            prompts = [prompt.strip() for prompt in page.evaluate(PROMPTS)]
            if "[*]:" not in prompts and any(re.fullmatch(r"\[\d+\]:", prompt) for prompt in prompts):
                break
            time.sleep(2)
        seen = page.evaluate(SEEN)
        browser.close()
    return seen, outside


def test_run_all_replays_lesson_02_in_the_browser_with_no_server(replayed):
    from dockerlab.text import say

    seen, outside = replayed
    stored = stored_cells()
    assert not outside, sorted(set(outside))[:10]
    assert len(seen) == len(stored)
    # a cell whose input is folded away shows no prompt; Run All stops at a failing cell, so the last one ran too
    not_run = [number for number, cell in enumerate(seen, 1)
               if (cell["prompt"] or number == len(seen)) and not re.fullmatch(r"\[\d+\]:", cell["prompt"])]
    assert not not_run, f"cells not run (a cell before them failed?): {not_run}"
    banner = say("replay-banner", version="X", api="X", kernel="X", os="X", date="X").split("Docker X")[0]
    assert seen[0]["text"].startswith(banner.strip()), seen[0]["text"][:300]
    for number, (cell, shown) in enumerate(zip(stored, seen, strict=True), 1):
        assert shown["stderr"] == sum(1 for output in cell.outputs if output.get("name") == "stderr"), \
            f"cell {number} shows an error: {shown['text'][-1500:]}"
        lines = [line.rstrip() for line in shown["text"].splitlines()]
        for line in printed(cell).splitlines():  # each line as printed, whole (nothing before it, nothing lost)
            assert line.rstrip() in lines, f"cell {number}: {line!r} is not shown: {shown['text'][:800]!r}"


def test_the_drawings_show_what_the_real_run_drew(replayed):
    """Every cell that stored a picture shows one; a drawing's SVG describes the topology the real run drew."""
    seen, _ = replayed
    drawn = 0
    for number, (cell, shown) in enumerate(zip(stored_cells(), seen, strict=True), 1):
        pictures = [output for output in cell.outputs if "image/png" in output.get("data", {})]
        if not pictures:
            continue
        assert shown["pictures"], f"cell {number} stored a picture and shows none: {shown['text'][:300]!r}"
        assert all(svg.lstrip().startswith("<svg") and "<title>" in svg for svg in shown["pictures"]), number
        descriptions = {html.unescape(match) for svg in shown["pictures"]
                        for match in re.findall(r"<desc>(.*?)</desc>", unquote(svg), re.S)}
        for output in pictures:
            if plain(output).startswith("Diagram:"):  # a drawing of the lesson's topology (lab.draw, lab.path)
                assert plain(output) in descriptions, (number, plain(output), descriptions)
                drawn += 1
    assert drawn >= 2, "lesson 02 draws its two containers and their path"
