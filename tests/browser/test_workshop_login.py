"""A learner's first minute at a workshop: the hub's login page, then their own JupyterLab with the course.

Brings up a workshop with one learner, logs in through the page in a real headless Chromium, waits for
the learner's environment to start and JupyterLab to show the lessons, then ends the workshop.
"""
from __future__ import annotations

import re
import socket

import pytest

from tests.browser.conftest import launch
from tests.browser.test_jupyterlab import ARTIFACTS, CHROMIUM
from tests.conftest import run_cli


@pytest.fixture
def workshop(engine, tmp_path):
    env = {"DOCKERLAB_WORKSHOP_DIR": str(tmp_path / "state")}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = run_cli("workshop", "up", "--learners", "1", "--lazy", "--port", str(port), env=env, timeout=600)
    try:
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        password = re.search(r"^  learner1 +([a-z2-9]{10})$", done.stdout, re.M).group(1)
        yield f"http://127.0.0.1:{port}", password
    finally:
        assert run_cli("workshop", "down", env=env).returncode == 0
    assert not any(engine.labelled("workshop").values())


def test_a_learner_logs_in_and_gets_jupyterlab_with_the_lessons(workshop):
    from playwright.sync_api import sync_playwright

    url, password = workshop
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{url}/hub/login")
            page.fill("input[name=username]", "learner1")
            page.fill("input[name=password]", "not-the-password")
            page.click("[type=submit]")
            page.wait_for_selector("text=Invalid username or password", timeout=30_000)
            page.fill("input[name=username]", "learner1")
            page.fill("input[name=password]", password)
            page.click("[type=submit]")
            try:
                page.wait_for_url(re.compile(r"/user/learner1/lab"), timeout=180_000)
                page.wait_for_selector(".jp-DirListing-item:has-text('notebooks')", timeout=120_000)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "workshop-login-timeout.png"))
                raise
            page.screenshot(path=str(ARTIFACTS / "workshop-learner1.png"))
        finally:
            browser.close()
