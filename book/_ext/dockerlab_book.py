"""What the course's website adds to Sphinx: JupyterLab's anchors, task anchors, launch links, the language switch.

- Every section also answers to the anchor JupyterLab gives its heading (the heading with its spaces made
  dashes: ``03-drivers.html#7.-Which-one-when?``), so the links the notebooks carry work on the site too.
- Every task of an exercise sheet answers to ``#task-NN.K`` (``exercises/student/04-user-networks.html#task-04.2``),
  the link an instructor puts in a slide or a chat.
- Each page gets its launch links (JupyterLite, Binder, Codespaces, a workshop hub through nbgitpuller) and a
  link to its twin in the other language, from the settings tools/site.py passes in ``DOCKERLAB_SITE_SETTINGS``.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote, urlencode

from docutils import nodes
from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parents[2]
EDITION_FOLDER = {"en": "", "ko": "ko/"}
TASK = re.compile(r"^(?:Task|과제)\s+(\d+)\b")
SHEET = re.compile(r"^exercises/student/(\d\d)-")


def jupyterlab_anchor(heading: str) -> str:
    """JupyterLab's anchor for a heading: its spaces become dashes, the rest is kept (as tools/course_map.py)."""
    return heading.replace(" ", "-")


def shown(title: nodes.Node) -> str:
    """A heading's text as a reader sees it: raw HTML in it (a task's ``<span id="task-04.2"></span>``) left out."""
    return "".join(child.astext() for child in title.children if not isinstance(child, nodes.raw))


def heading_forms(title: nodes.Node) -> list[str]:
    """A heading as written in the notebook (inline code in backticks) and as shown (JupyterLab's text)."""
    written = "".join(f"`{child.astext()}`" if isinstance(child, nodes.literal) else child.astext()
                      for child in title.children if not isinstance(child, nodes.raw))
    return list(dict.fromkeys([written, shown(title)]))


def add_anchors(app: Sphinx, doctree: nodes.document) -> None:
    """Give each section JupyterLab's anchors, and each task of a sheet its ``task-NN.K`` anchor."""
    docname = app.env.docname
    sheet = SHEET.match(docname)
    taken = set(doctree.ids)
    for section in doctree.findall(nodes.section):
        title = next(iter(section.findall(nodes.title)), None)
        if title is None:
            continue
        wanted = [jupyterlab_anchor(form) for form in heading_forms(title)]
        task = TASK.match(shown(title))
        if sheet and task:
            anchor = f"task-{sheet.group(1)}.{int(task.group(1))}"
            wanted.insert(0, anchor)
            # the notebook's own anchor (raw HTML, one node or one per tag): the section carries it instead
            raw = [child for child in title.children if isinstance(child, nodes.raw)]
            if "".join(child.astext().strip() for child in raw) == f'<span id="{anchor}"></span>':
                for child in raw:
                    title.remove(child)
        for anchor in wanted:
            if anchor not in taken:
                section["ids"].append(anchor)
                doctree.ids[anchor] = section
                taken.add(anchor)


def settings() -> dict:
    return json.loads(os.environ.get("DOCKERLAB_SITE_SETTINGS", "{}"))


def launch_links(language: str, source: str, to_root: str, chosen: dict) -> list[dict]:
    """Where this page can be opened and run: each link with its words, in the page's language."""
    from dockerlab.text import say

    repository, branch = chosen.get("repository", "OWNER/dockerlab"), chosen.get("branch", "main")
    path = EDITION_FOLDER[language] + source
    links = []
    if chosen.get("lite"):
        links.append({"kind": "lite", "url": f"{to_root}../lite/lab/index.html?{urlencode({'path': path})}",
                      "text": say("site-launch-lite"), "tip": say("site-launch-lite-tip")})
    binder = chosen.get("binder", "").rstrip("/")
    if binder:
        links.append({"kind": "binder", "url": f"{binder}/v2/gh/{repository}/{branch}?"
                                              f"{urlencode({'urlpath': f'lab/tree/{path}'})}",
                      "text": "Binder", "tip": say("site-launch-binder-tip")})
    links.append({"kind": "codespaces", "url": f"https://codespaces.new/{repository}?quickstart=1",
                  "text": "Codespaces", "tip": say("site-launch-codespaces-tip")})
    hub = chosen.get("hub", "").rstrip("/")
    if hub:
        folder = repository.split("/")[-1]
        query = urlencode({"repo": f"https://github.com/{repository}", "branch": branch,
                           "urlpath": f"lab/tree/{folder}/{path}"}, quote_via=quote)
        links.append({"kind": "hub", "url": f"{hub}/hub/user-redirect/git-pull?{query}",
                      "text": say("site-launch-hub"), "tip": say("site-launch-hub-tip")})
    return links


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The launch links and the twin page of ``pagename``, for the template ``dockerlab-launch.html``."""
    from dockerlab.text import say

    language = app.config.language or "en"
    other = "ko" if language == "en" else "en"
    to_root = "../" * pagename.count("/")
    chosen = settings()
    source = Path(app.env.doc2path(pagename, False)).as_posix() if pagename in app.env.all_docs else None
    notebook = source is not None and source.endswith(".ipynb")
    twin_source = ROOT / EDITION_FOLDER[other] / source if source else None
    twin = pagename == "index" or (twin_source is not None and twin_source.exists())
    context.update(
        dockerlab_launch=launch_links(language, source, to_root, chosen) if notebook else [],
        dockerlab_twin=f"{to_root}../{other}/{pagename}.html" if twin else None,
        dockerlab_twin_language=other,
        dockerlab_words={"launch_label": say("site-launch-label"), "other_language": say("site-other-language")},
    )


def focusable_code(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Every code block can take the keyboard's focus (``<pre tabindex="0">``), so a block wider than the page
    scrolls with the arrow keys too (WCAG 2.1.1, axe-core's scrollable-region-focusable). The theme adds the
    same from a script once the page has laid out, which a reader with a slow machine may not have yet."""
    if isinstance(context.get("body"), str):
        context["body"] = context["body"].replace('<div class="highlight"><pre>',
                                                  '<div class="highlight"><pre tabindex="0">')


SEARCH_FOUND = "Search finished, found one page matching the search query."
"""The key of the search's closing line in Sphinx's catalogues; Sphinx 9's Korean one has it empty, so the
Korean site's search ended without saying how many pages it found."""


def search_words(app: Sphinx) -> None:
    """The search's closing line in the site's language where Sphinx's own translation of it is empty."""
    from dockerlab.text import say

    if (app.config.language or "en") == "en":
        return
    line = json.dumps(say("site-search-found", count="${resultCount}"), ensure_ascii=False)
    app.add_js_file(None, body=f"""(() => {{ const key = {json.dumps(SEARCH_FOUND)};
  const known = Documentation.TRANSLATIONS[key];
  if (!known || !known[0]) Documentation.TRANSLATIONS[key] = [{line}]; }})();""")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", search_words)
    app.connect("doctree-read", add_anchors, priority=400)  # before the table of contents is collected (500)
    app.connect("html-page-context", page_context)
    app.connect("html-page-context", focusable_code)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
