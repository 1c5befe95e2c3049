"""A workshop in a browser: a learner logs in and gets their JupyterLab; the instructor lands on the room.

Brings up a workshop with one learner, logs in through the hub's login page in a real headless Chromium at
1280 px, waits for the learner's environment to start and JupyterLab to show the lessons (and lesson 01's
picture); then the instructor, in a second browser context, lands on the room (its own origin), sees the learner,
and empties their engine through the page's confirmation. The room's table fits 1280 px. Screenshots go to
``artifacts/browser/``.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import launch
from tests.browser.test_jupyterlab import ARTIFACTS, CHROMIUM
from tests.conftest import run_cli
from tests.integration.test_workshop import free_port


@pytest.fixture
def workshop(tmp_path):
    env = {"DOCKERLAB_WORKSHOP_DIR": str(tmp_path / "state")}
    port = free_port()
    done = run_cli("workshop", "up", "--learners", "1", "--lazy", "--port", str(port), "--disk", "1g", env=env,
                   timeout=1200)
    try:
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        passwords = dict(re.findall(r"^  (\w+) +([a-z2-9]{10})$", done.stdout, re.M))
        yield f"http://127.0.0.1:{port}", passwords, env
    finally:
        assert run_cli("workshop", "down", "--yes", "--to", str(tmp_path), env=env).returncode == 0


def log_in(page, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("[type=submit]")


def test_a_learner_logs_in_and_gets_jupyterlab_then_the_instructor_lands_on_the_room(workshop):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    url, passwords, env = workshop
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            log_in(page, url, "learner1", "not-the-password")
            page.wait_for_selector("text=Invalid username or password", timeout=30_000)
            log_in(page, url, "learner1", passwords["learner1"])
            try:
                page.wait_for_url(re.compile(r"/user/learner1/lab"), timeout=300_000)
                page.wait_for_selector(".jp-DirListing-item:has-text('notebooks')", timeout=120_000)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "workshop-login-timeout.png"))
                raise
            page.screenshot(path=str(ARTIFACTS / "workshop-learner1.png"))
            picture = page.request.get(f"{url}/user/learner1/files/notebooks/pictures/01-default-bridge.svg")
            assert picture.ok and b"<svg" in picture.body()[:2000]

            made = run_cli("workshop", "exec", "learner1", "--", "docker", "run", "-d", "--name", "c1",
                           "dockerlab/busybox", "sleep", "1d", env=env)
            assert made.returncode == 0, made.stderr
            room = browser.new_page(viewport={"width": 1280, "height": 700})  # a second browser, its own cookies
            log_in(room, url, "instructor", passwords["instructor"])
            room.wait_for_url(re.compile(rf"127\.0\.0\.1:{int(url.rsplit(':', 1)[1]) + 1}/services/progress/"),
                              timeout=60_000)
            room.wait_for_selector("tr:has(td.name:text-is('learner1')) td:text-is('running')", timeout=90_000)
            width = room.evaluate("document.querySelector('table').getBoundingClientRect().width")
            assert width <= 1260, width  # readable at 1280 px without scrolling sideways
            room.screenshot(path=str(ARTIFACTS / "workshop-room.png"))
            room.click("tr:has(td.name:text-is('learner1')) a:text-is('reset engine')")
            room.wait_for_selector("text=Empty the engine of learner1?")
            room.click("button:text-is('Empty it')")
            try:
                room.wait_for_selector("text=/The engine of learner1 (is empty|could not)/", timeout=90_000)  # or why
            except PlaywrightTimeout:
                room.screenshot(path=str(ARTIFACTS / "workshop-reset-failed.png"))
                raise AssertionError(f"{room.url}: {room.inner_text('body')[:1500]}") from None
            assert "The engine of learner1 is empty (0 containers left)." in room.inner_text("body"), \
                room.inner_text("body")[:1500]
            listed = run_cli("workshop", "exec", "learner1", "--", "docker", "ps", "-aq", env=env)
            assert listed.returncode == 0 and listed.stdout.strip() == ""
        finally:
            browser.close()
