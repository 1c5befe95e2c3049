"""The Korean edition in a browser: JupyterLab's own menus in Korean, and a drawing whose Hangul labels
are on the page (as text the browser draws with the Korean font the set-up installs)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from tests.browser.conftest import launch, running_jupyterlab
from tests.browser.test_jupyterlab import ARTIFACTS, CHROMIUM, SETTINGS, TOKEN

ROOT = Path(__file__).resolve().parents[2]
LABEL = "브리지 docker0 · 내장 DNS"
DRAWING = f"""import io
from IPython.display import SVG, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from dockerlab.render import fonts
from dockerlab.text import say

assert fonts.use_korean_fallback()
figure = Figure(figsize=(4, 1))
FigureCanvasAgg(figure)
figure.text(0.05, 0.5, "{LABEL} · " + say("outcome-correct"))
svg = io.StringIO()
figure.savefig(svg, format="svg", metadata={{"Date": None}})
display(SVG(svg.getvalue()))"""


@pytest.fixture(scope="module")
def korean_jupyterlab(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: `./lab test` installs it", pytrace=False)
    work = tmp_path_factory.mktemp("ko")
    shutil.copy(ROOT / "ko" / "notebooks" / ".dockerlab-language", work)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# 그림의 한글"), nbformat.v4.new_code_cell(DRAWING)]
    nbformat.write(notebook, work / "hangul.ipynb")
    korean = json.loads((ROOT / "tools" / "jupyterlab-korean.json").read_text())
    settings = {**SETTINGS, "@jupyterlab/translation-extension/plugin.jupyterlab-settings":
                korean["@jupyterlab/translation-extension:plugin"]}
    with running_jupyterlab(work, settings, TOKEN) as url:
        yield url


def test_jupyterlab_in_korean_draws_hangul_labels(korean_jupyterlab):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(f"{korean_jupyterlab}/lab/tree/hangul.ipynb?token={TOKEN}&reset", timeout=180_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            # the language pack's menus: File, Edit, Run are 파일, 편집, 실행
            page.get_by_role("menuitem", name="파일", exact=True).wait_for(timeout=60_000)
            page.wait_for_function("() => document.body.innerText.includes('| 대기')", timeout=90_000)
            page.get_by_role("menuitem", name="실행", exact=True).click()
            page.get_by_text("모든 셀 실행", exact=True).click()
            # an untrusted notebook's SVG is shown as an <img> of the SVG's text
            drawing = page.locator(".jp-RenderedSVG img, .jp-RenderedSVG svg").first
            drawing.wait_for(timeout=120_000)
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, errors.all_inner_texts()
            # matplotlib draws each glyph as a path whose id names the font and the glyph: Nanum's are there
            source = drawing.evaluate("d => d.tagName === 'IMG' ? decodeURIComponent(d.src) : d.outerHTML")
            assert "Nanum" in source, source[:500]
            assert drawing.evaluate("d => d.getBoundingClientRect().width") > 200
            page.screenshot(path=str(ARTIFACTS / "korean-edition.png"))
        finally:
            browser.close()
