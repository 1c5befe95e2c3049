from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import engine  # noqa: F401 - the real engine, same rules

COURSE_EXTENSIONS = Path(__file__).resolve().parents[2] / "labextension"
SERVER_CONFIG = Path(__file__).resolve().parents[2] / "tools" / "jupyter-server-config.json"
"""What ``./lab open`` installs as the environment's ``jupyter_server_config.json``: the same server for the tests."""

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def launch(playwright, chromium: str):
    """Debian's Chromium, headless, with nothing that reaches out of the machine."""
    return playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)


@contextlib.contextmanager
def running_jupyterlab(work: Path, settings: dict[str, dict], token: str, env: dict[str, str] | None = None,
                       ) -> Iterator[str]:
    """JupyterLab serving ``work`` on a free local port with these user settings, until the block ends.

    Similar to ``jupyter lab --no-browser`` with ``JUPYTERLAB_SETTINGS_DIR`` holding ``settings`` and the
    course's own JupyterLab extension (``labextension/``, which ``pip install`` puts in the environment);
    its log is ``work/jupyterlab.log``; the learner's answers go to ``work/answers.json`` (never the test run's
    own: a prediction typed here was read later by the same run's lesson 02 as "You guessed docker0"); ``env``
    adds to the kernels' environment (``DOCKERLAB_ANSWERS``...).
    Yields the server's address.
    """
    folder = work / "settings"
    for name, values in settings.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(values))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with open(work / "jupyterlab.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
             "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             f"--LabApp.extra_labextensions_path={COURSE_EXTENSIONS}", "--LabApp.extension_manager=readonly",
             f"--config={SERVER_CONFIG}"],
            stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "DOCKERLAB_ANSWERS": str(work / "answers.json"), **(env or {}),
                 "JUPYTERLAB_SETTINGS_DIR": str(folder)})
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    server.kill()
                    pytest.fail(f"JupyterLab did not start: {(work / 'jupyterlab.log').read_text()[-2000:]}")
                time.sleep(0.3)
        for warm in ("/lab", THEME):  # served once before a browser asks: a cold server's first answers are slow
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{url}{warm}?token={token}", timeout=60).read()
        try:
            yield url
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
ANSWERS = {"en": "The engine's answer:", "ko": "엔진의 답:"}
CHECK = {"en": "leaves this question unanswered", "ko": "이 질문에는 답하지 않고 넘어갑니다"}
"""In the prompt of a course check's question (``check-type``), never of a prediction's."""
THEME = "/lab/api/themes/@jupyterlab/theme-light-extension/index.css"
IDLE = {"en": "| Idle", "ko": "| 대기"}
NO_THEME = "Stylesheet failed to load"


def open_notebook(page, address: str, language: str = "en", timeout: float = 120_000) -> None:
    """Open a notebook in JupyterLab and wait until its kernel is idle; once more if the first load failed.

    On a loaded machine, JupyterLab's first page may give up on its theme ("Error Loading Theme: Stylesheet
    failed to load"), and its status bar never says the kernel is idle: a learner would reload the page."""
    text = "document.body.innerText"
    idle_or_broken = f"() => {text}.includes({json.dumps(IDLE[language])}) || {text}.includes({json.dumps(NO_THEME)})"
    for attempt in (1, 2):
        page.goto(address, timeout=timeout)
        try:
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout)
            page.wait_for_function(idle_or_broken, timeout=timeout)
            if NO_THEME not in page.inner_text("body"):
                return
        except Exception:  # playwright's timeout: reload once, then let it fail
            if attempt == 2:
                raise
    raise AssertionError(f"JupyterLab could not load its theme twice: {page.inner_text('body')[:300]}")


def outputs(page) -> str:
    """What the cells printed (not their sources, which hold the markers too)."""
    return page.evaluate("() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
                         ".map(output => output.innerText).join('\\n')")


def run_menu(page, item: str) -> None:
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text(item, exact=True).click()


FAILED = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
"""A cell's traceback (or anything else it printed to stderr) as JupyterLab shows it."""


def run_until(page, done, language: str, answered: list[int], timeout: float = 600) -> None:
    """Let the cells run; answer each typed prediction with its first choice once the page shows no answer yet,
    and each course check's question with its first choice; ``answered``: how many of each (predictions, check).

    A cell that fails ends the wait at once (Run All stops there: ``done`` would never come)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        failed = page.locator(FAILED)
        assert not failed.count(), failed.all_inner_texts()
        box = page.locator(".jp-Stdin-input")
        if box.count():
            if CHECK[language] in box.first.locator("xpath=..").inner_text():  # the course check: no engine's answer
                answered[1] += 1
            else:
                shown = outputs(page).count(ANSWERS[language])
                assert shown == answered[0], f"{shown} engine's answers shown with {answered[0]} predictions made"
                answered[0] += 1
            box.first.fill("1")
            box.first.press("Enter")
            page.wait_for_timeout(500)
        page.wait_for_timeout(300)
    raise AssertionError("the lesson did not finish in time")
