import time

from tests.integration.conftest import engine  # noqa: F401 - the real engine, same rules

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def launch(playwright, chromium: str):
    """Debian's Chromium, headless, with nothing that reaches out of the machine."""
    return playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)


ANSWERS = {"en": "The engine's answer:", "ko": "엔진의 답:"}


def outputs(page) -> str:
    """What the cells printed (not their sources, which hold the markers too)."""
    return page.evaluate("() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
                         ".map(output => output.innerText).join('\\n')")


def run_menu(page, item: str) -> None:
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text(item, exact=True).click()


def run_until(page, done, language: str, answered: list[int], timeout: float = 600) -> None:
    """Let the cells run; answer each typed prediction with its first choice once the page shows no answer yet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        box = page.locator(".jp-Stdin-input")
        if box.count():
            shown = outputs(page).count(ANSWERS[language])
            assert shown == answered[0], f"{shown} engine's answers shown with {answered[0]} predictions made"
            box.first.fill("1")
            box.first.press("Enter")
            answered[0] += 1
            page.wait_for_timeout(500)
        page.wait_for_timeout(300)
    raise AssertionError("the lesson did not finish in time")
