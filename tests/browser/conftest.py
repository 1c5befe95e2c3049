from tests.integration.conftest import engine  # noqa: F401 - the real engine, same rules

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def launch(playwright, chromium: str):
    """Debian's Chromium, headless, with nothing that reaches out of the machine."""
    return playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
