"""The course's website in a real browser: every page of both editions, read as a person and a screen reader would.

The site is built once (``tools/site.py``; or ``DOCKERLAB_SITE=build/site`` to check one ``./lab site`` made)
and served on 127.0.0.1. Headless Chromium opens every page of the English and Korean editions once and keeps
what it saw; the tests below judge that: each page renders its title and content with no widget left
unrendered, every picture loads and carries its own description as its alt text, every internal link and
anchor reaches a page and an element that exist, the language switch lands on the twin page, axe-core finds
no serious or critical accessibility violation, and nothing is asked of any address but the site's own.
Then a few journeys: the course map to a section, a task link, the search.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin

import pytest

from tests.browser.conftest import launch

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DOCKERLAB_CHROMIUM", "/usr/bin/chromium")
AXE = Path(os.environ.get("DOCKERLAB_AXE", ROOT / ".venv/share/dockerlab-site/node_modules/axe-core/axe.min.js"))
EDITIONS = ("en", "ko")
AXE_PAGES = ("index.html", "notebooks/index.html", "notes-checked.html", "notebooks/00-welcome.html",
             "notebooks/02-veth-pairs.html", "notebooks/11-overlay.html", "exercises/student/04-user-networks.html",
             "search.html")
"""The pages axe-core reads, in both languages: one of each kind the site has (every page shares the theme;
axe takes seconds on a long lesson, so not all 60)."""
LESSON_PICTURES = {"notebooks/02-veth-pairs.html": 5, "notebooks/11-overlay.html": 4}
"""Lessons opened in both languages with at least this many pictures (the goal picture, drawings, strips)."""

SEEN = """() => ({
  title: document.querySelector('article h1')?.textContent.trim() ?? '',
  text: document.querySelector('article')?.innerText ?? '',
  lang: document.documentElement.lang,
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  twin: document.querySelector('a.dockerlab-language')?.href ?? null,
  launch: [...document.querySelectorAll('.dockerlab-launch a')].map(a => a.href),
  pictures: [...document.querySelectorAll('article img')].map(img => ({
      src: img.currentSrc || img.src, loaded: img.complete && img.naturalWidth > 0, alt: img.alt,
      seen: img.dataset.seen ?? ''})),
})"""


SETTLED = """async () => Promise.all([...document.querySelectorAll('article img')].map(img => {
  img.loading = 'eager';
  if (img.complete && img.naturalWidth > 0) { img.dataset.seen = 'loaded'; return null; }
  return new Promise(done => {
    const end = what => { img.dataset.seen = img.dataset.seen || what; done(); };
    img.addEventListener('load', () => end('loaded'), {once: true});
    img.addEventListener('error', () => end('error'), {once: true});
    setTimeout(() => end('still loading after 120 s'), 120000);
    if (img.complete) img.src = img.src;  // a lazy picture not asked for yet says "complete" with no pixels
  });
}))"""
"""Every picture of the page asked for now and either loaded or failed (a picture the theme loads lazily, below
the first screen, would otherwise not have been asked for yet when the page's load event came: Chromium calls it
complete, with no pixels, so it is asked for again). Up to 120 s on a machine busy with CI's other lanes."""


class Site:
    """What the browser saw on every page: ``pages[path] = {...}`` (paths like ``en/notebooks/02-veth-pairs.html``)."""

    def __init__(self, folder: Path, url: str):
        self.folder, self.url = folder, url
        self.pages: dict[str, dict] = {}
        self.outside: list[str] = []

    def path_of(self, url: str) -> str | None:
        """The site path an address names (``None`` for another host)."""
        if not url.startswith(self.url):
            return None
        path = urldefrag(url)[0][len(self.url):].split("?")[0]
        return path + "index.html" if path.endswith("/") or not path else path


def html_pages(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for edition in EDITIONS
                  for path in (folder / edition).rglob("*.html") if not path.relative_to(folder / edition)
                  .parts[0].startswith("_"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    given = os.environ.get("DOCKERLAB_SITE")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, str(ROOT / "tools" / "site.py"), "--out", str(out)], check=True, cwd=ROOT)
    return out


@pytest.fixture(scope="module")
def server(built):
    handler = functools.partial(QuietHandler, directory=str(built))
    httpd = SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class SiteServer(http.server.ThreadingHTTPServer):
    request_queue_size = 128
    """Chromium opens several connections at once; on a busy machine a backlog of 5 made it wait and retry."""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: `./lab test` installs it", pytrace=False)
    if not AXE.exists():
        pytest.fail(f"no axe-core at {AXE}: `./lab site` installs it (npm install axe-core)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = launch(playwright, CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(built, server, browser) -> Site:
    """Every page of both editions, opened once: what it showed, and what axe-core found on it."""
    seen = Site(built, server)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
               else (seen.outside.append(route.request.url), route.abort()))
    axe = AXE.read_text("utf-8")
    for path in html_pages(built):
        response = page.goto(server + path, wait_until="load")
        page.evaluate(SETTLED)
        record = page.evaluate(SEEN)
        record["status"] = response.status if response else 0
        record["axe"] = []
        if path.split("/", 1)[1] not in AXE_PAGES:
            seen.pages[path] = record
            continue
        page.add_script_tag(content=axe)
        record["axe"] = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' '))})`)""")
        seen.pages[path] = record
    page.close()
    return seen


def test_every_page_of_both_editions_renders(site):
    assert {path.split("/")[0] for path in site.pages} == set(EDITIONS)
    for edition in EDITIONS:
        names = {path.split("/", 1)[1] for path in site.pages if path.startswith(edition + "/")}
        assert {"index.html", "notebooks/index.html", "notebooks/00-welcome.html", "notes-checked.html",
                "exercises/student/04-user-networks.html"} <= names, edition
        lessons = {name for name in names if re.match(r"notebooks/\d\d-", name)}
        sheets = {name for name in names if name.startswith("exercises/student/")}
        assert len(lessons) >= 14 and len(sheets) >= 11, (edition, sorted(lessons), sorted(sheets))
    problems = []
    for path, record in site.pages.items():
        if record["status"] != 200:
            problems.append(f"{path}: HTTP {record['status']}")
        if path.rsplit("/", 1)[-1] not in ("genindex.html", "search.html") and not record["title"]:
            problems.append(f"{path}: no heading")
        if re.search(r"widget model not found|Error displaying widget|Loading widget", record["text"], re.I):
            problems.append(f"{path}: a widget is left unrendered")
        if record["lang"] != path.split("/")[0]:
            problems.append(f"{path}: <html lang={record['lang']!r}>")
    assert not problems, "\n".join(problems)


def test_the_lessons_show_their_pictures_in_both_languages(site):
    for edition in EDITIONS:
        for lesson, least in LESSON_PICTURES.items():
            pictures = site.pages[f"{edition}/{lesson}"]["pictures"]
            assert len(pictures) >= least, (edition, lesson, pictures)
            assert all(picture["loaded"] for picture in pictures), (edition, lesson)


def test_every_picture_loads_and_says_what_it_shows(site):
    problems = []
    for path, record in site.pages.items():
        for picture in record["pictures"]:
            if not picture["loaded"]:
                problems.append(f"{path}: {picture['src']} did not load ({picture['seen']})")
            alt = picture["alt"].strip()
            if "/_images/" in picture["src"] and (len(alt) < 12 or alt == "where this lesson ends"):
                problems.append(f"{path}: {picture['src'].rsplit('/', 1)[-1]} has no description of its own: {alt!r}")
    assert not problems, "\n".join(problems)
    header = site.pages["en/notebooks/02-veth-pairs.html"]["pictures"][0]
    assert "c1" in header["alt"] and "docker0" in header["alt"], header  # the goal picture, in its own words


def test_every_internal_link_and_anchor_resolves(site):
    problems, checked = [], 0
    for path, record in site.pages.items():
        for link in [*record["links"], *([record["twin"]] if record["twin"] else [])]:
            target = site.path_of(link)
            if target is None:
                continue
            checked += 1
            fragment = unquote(urldefrag(link)[1])
            if target.endswith(".html") and target.split("/")[0] in EDITIONS:
                if target not in site.pages:
                    problems.append(f"{path}: {link} -> no such page")
                elif fragment and fragment not in site.pages[target]["ids"]:
                    problems.append(f"{path}: {link} -> {target} has no #{fragment}")
            elif not (site.folder / target).exists():
                problems.append(f"{path}: {link} -> no file {target}")
    assert checked > 1000, checked  # every page's navigation, the course maps and the lessons' own links
    assert not problems, f"{len(problems)} broken:\n" + "\n".join(problems[:60])


def test_the_language_switch_lands_on_the_twin_page(site):
    problems = []
    for path, record in site.pages.items():
        if path.rsplit("/", 1)[-1] in ("genindex.html", "search.html"):
            continue
        edition, rest = path.split("/", 1)
        other = "ko" if edition == "en" else "en"
        if record["twin"] is None or site.path_of(record["twin"]) != f"{other}/{rest}":
            problems.append(f"{path}: the switch goes to {record['twin']}")
    assert not problems, "\n".join(problems)


def test_each_notebook_page_offers_its_launch_links(site):
    record = site.pages["ko/exercises/student/04-user-networks.html"]
    assert any("codespaces.new/" in link for link in record["launch"]), record["launch"]
    binder = next(link for link in record["launch"] if "/v2/gh/" in link)
    assert "ko%2Fexercises%2Fstudent%2F04-user-networks.ipynb" in binder, binder


def test_no_serious_or_critical_accessibility_violation(site):
    assert sum(1 for path in site.pages if path.split("/", 1)[1] in AXE_PAGES) == 2 * len(AXE_PAGES)
    found = [f"{path}: {violation}" for path, record in site.pages.items() for violation in record["axe"]]
    assert not found, f"{len(found)} found by axe-core:\n" + "\n".join(found[:40])


def test_nothing_is_asked_of_another_address(site):
    assert not site.outside, sorted(set(site.outside))[:20]


def test_the_course_map_leads_to_a_section_and_a_task_link_to_its_task(site, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site.url + "en/notebooks/index.html")
    page.get_by_role("link", name="3. Inside the wire: VXLAN").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("11-overlay.html#3.-Inside-the-wire:-VXLAN"), page.url
    heading = page.locator("section", has=page.get_by_role("heading", name="3. Inside the wire: VXLAN")).last
    assert heading.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= -5 && r.top < innerHeight; }")
    page.goto(site.url + "en/exercises/student/04-user-networks.html#task-04.2")
    task = page.locator("section:has(> [id='task-04.2'])")  # Sphinx writes a section's further ids as spans
    assert task.locator("h2").first.inner_text().startswith("Task 2")
    assert task.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= -5 && r.top < innerHeight; }")
    page.close()


SEARCH_FINISHED = """() => {
    const title = document.querySelector('#search-results h2');
    return title !== null && title.innerText === Documentation.gettext('Search Results');
}"""
"""Sphinx's search has shown every result: it appends them one at a time, then retitles the list."""
NETWORK_CHANGED = "net::ERR_NETWORK_CHANGED"
"""Chromium cancels the requests it has in flight when the machine's network changes (its network change notifier
watches the links and addresses of its namespace): the lane that runs lessons on the machine's own engine makes and
removes bridges and veths there all the time. A load whose requests it cancelled so is made once more."""


def test_the_search_finds_a_lesson_in_each_language(site, browser):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
    page.on("pageerror", lambda error: failed.append(f"page error: {error}"))
    for edition, word, lesson in (("en", "MASQUERADE", "08-ports-and-nat"), ("ko", "헤어핀", "08-ports-and-nat")):
        for attempt in (1, 2):
            page.goto(f"{site.url}{edition}/search.html?q={word}")
            try:
                page.wait_for_function(SEARCH_FINISHED, timeout=90000)
                break
            except PlaywrightTimeout:
                if attempt == 1 and any(NETWORK_CHANGED in failure for failure in failed):
                    failed.clear()  # Chromium dropped its requests when this machine's interfaces changed
                    continue
                pytest.fail(f"{edition}: the search did not finish in 90 s; failed: {failed}; shown: "
                            f"{page.inner_text('#search-results')[:300]!r}", pytrace=False)
        found = page.locator("#search-results li a").evaluate_all("links => links.map(a => a.href)")
        shown = f"{edition}: {page.inner_text('#search-results')[:300]!r}; failed: {failed}"
        assert any(lesson in link for link in found), (shown, found[:10])
        summary = page.inner_text("#search-results .search-summary")
        # the closing line (Sphinx 9's Korean catalogue has it empty: book/_ext/dockerlab_book.py gives it)
        assert summary and (str(len(found)) in summary or len(found) == 1), (shown, len(found))
    page.close()


def test_the_site_join_keeps_relative_links(site):
    """``path_of`` reads an address the way the links are followed (a guard on the checks above)."""
    assert site.path_of(urljoin(site.url + "en/notebooks/index.html", "02-veth-pairs.html#x")) == \
        "en/notebooks/02-veth-pairs.html"
    assert site.path_of("https://github.com/x") is None
