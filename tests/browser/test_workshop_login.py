"""A workshop in a browser: a learner logs in and gets their JupyterLab; the instructor sees and resets them.

Brings up a workshop with one learner, logs in through the hub's login page in a real headless Chromium,
waits for the learner's environment to start and JupyterLab to show the lessons; then the instructor, in
a second browser context, lands on the room's progress, sees the learner and empties their engine with
the page's button. Ends the workshop; screenshots go to ``artifacts/browser/``.
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
        passwords = dict(re.findall(r"^  (\w+) +([a-z2-9]{10})$", done.stdout, re.M))
        yield f"http://127.0.0.1:{port}", passwords
    finally:
        assert run_cli("workshop", "down", env=env).returncode == 0
    assert not any(engine.labelled("workshop").values())


def log_in(page, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("[type=submit]")


def test_a_learner_logs_in_and_gets_jupyterlab_then_the_instructor_sees_them(workshop, engine):
    from playwright.sync_api import sync_playwright

    url, passwords = workshop
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            log_in(page, url, "learner1", "not-the-password")
            page.wait_for_selector("text=Invalid username or password", timeout=30_000)
            log_in(page, url, "learner1", passwords["learner1"])
            try:
                page.wait_for_url(re.compile(r"/user/learner1/lab"), timeout=180_000)
                page.wait_for_selector(".jp-DirListing-item:has-text('notebooks')", timeout=120_000)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "workshop-login-timeout.png"))
                raise
            page.screenshot(path=str(ARTIFACTS / "workshop-learner1.png"))

            made = engine.exec("dl-workshop-learner1", ["docker", "run", "-d", "--name", "c1", "dockerlab/busybox",
                                                        "sleep", "1d"])
            assert made[0] == 0, made
            room = browser.new_page(viewport={"width": 1400, "height": 600})  # a second browser, its own cookies
            log_in(room, url, "instructor", passwords["instructor"])
            room.wait_for_url(re.compile(r"/services/progress/"), timeout=60_000)
            room.wait_for_selector("tr:has(th:text-is('learner1')) td:text-is('running')", timeout=90_000)
            room.wait_for_selector("th:text-is('04.1')", timeout=90_000)
            room.screenshot(path=str(ARTIFACTS / "workshop-progress.png"))
            room.click("tr:has(th:text-is('learner1')) button:text-is('reset engine')")
            room.wait_for_url(re.compile(r"/services/progress/$"), timeout=60_000)
            assert engine.exec("dl-workshop-learner1", ["docker", "ps", "-aq", "--filter", "name=c1"])[1] == ""
        finally:
            browser.close()
