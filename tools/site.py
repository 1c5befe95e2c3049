"""The course as a static website, in English and Korean, built from the stored outputs (``./lab site``).

    python tools/site.py                 # build/site: en/, ko/, and index.html (the English edition)
    python tools/site.py --only en       # one edition (faster while writing)
    python tools/site.py --lite          # and JupyterLite in build/site/lite: "Run in the browser" on each page

Every lesson, exercise sheet (the student copy), the notes page and the course map of each edition becomes
a page (Sphinx with MyST-NB and the book theme; nothing is executed: the pages show what the real engine
answered when ``./lab regen`` ran them). On the way, a copy of each notebook is made fit for a page that
has no kernel: a widget's view gives way to the picture and text stored beside it (a live diagram's strip
of frames, a prediction's question), every picture gets its own text description as its alt text, and a
link to a notebook or to the notes page points at its page. Launch buttons and the language switch come
from ``book/site.toml`` (the repository, the Binder and workshop-hub addresses an instructor sets).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
EDITIONS = {"en": ROOT, "ko": ROOT / "ko"}
WIDGET = "application/vnd.jupyter.widget-view+json"
PICTURE = ("image/png", "image/svg+xml", "image/jpeg")
LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+(?:\([^)\s]*\)[^)\s]*)*)\)")
HEADER_PICTURE = re.compile(r"!\[([^\]]*)\]\((pictures/[^)]+\.svg)\)")


def pages(edition: Path) -> list[Path]:
    """An edition's pages, as paths inside it: lessons and course map, student sheets, the notes page."""
    found = [*sorted((edition / "notebooks").glob("*.ipynb")),
             *sorted((edition / "exercises" / "student").glob("*.ipynb"))]
    notes = edition / "notes-checked.md"
    return [path.relative_to(edition) for path in [*found, *([notes] if notes.exists() else [])]]


def page_text(output: dict) -> str:
    """The text form stored beside an output's picture or widget."""
    text = output.get("data", {}).get("text/plain", "")
    return "".join(text) if isinstance(text, list) else text


def without_widgets(cell: nbformat.NotebookNode) -> None:
    """Outputs a page can show with no kernel: a widget's stored picture and text, never its empty view."""
    kept = []
    for output in cell.get("outputs", []):
        data = output.get("data")
        if data is not None and WIDGET in data:
            del data[WIDGET]
            if not data:
                continue
        kept.append(output)
    cell["outputs"] = kept


def picture_alt(cell: nbformat.NotebookNode) -> str | None:
    """The text description of the cell's first picture (the diagram in words), for its alt text."""
    for output in cell.get("outputs", []):
        if any(kind in output.get("data", {}) for kind in PICTURE):
            return page_text(output).strip() or None
    return None


def goal_description(notebook: nbformat.NotebookNode) -> str | None:
    """The words of the lesson's goal picture (the cell that draws it with ``goal=True``)."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and "goal=True" in cell.source:
            return picture_alt(cell)
    return None


def svg_description(svg: Path) -> str | None:
    """An SVG's own ``<title>`` and ``<desc>``, when it carries them."""
    text = svg.read_text("utf-8", "replace")[:20000]
    parts = [re.sub(r"\s+", " ", found).strip() for found in
             re.findall(r"<(?:title|desc)>(.*?)</(?:title|desc)>", text, re.S)]
    return ". ".join(part for part in parts if part) or None


class Links:
    """Rewrites a page's links: to another page of the site (``.html``), else to the repository."""

    def __init__(self, edition: Path, page: Path, site_pages: set[Path], repository: str, branch: str):
        self.edition, self.page, self.site_pages = edition, page, site_pages
        self.repository, self.branch = repository, branch

    def target(self, target: str) -> str:
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            return target
        path, hash_mark, fragment = target.partition("#")
        resolved = (self.edition / self.page.parent / path).resolve()
        try:
            inside = resolved.relative_to(self.edition)
        except ValueError:
            inside = None
        if inside in self.site_pages:
            return f"{path.rsplit('.', 1)[0]}.html{hash_mark}{fragment}"
        if resolved.is_relative_to(ROOT) and resolved.exists():
            kind = "tree" if resolved.is_dir() else "blob"
            return (f"https://github.com/{self.repository}/{kind}/{self.branch}/"
                    f"{resolved.relative_to(ROOT).as_posix()}{hash_mark}{fragment}")
        return target

    def markdown(self, text: str) -> str:
        def replace(match: re.Match) -> str:
            bang, words, target = match.groups()
            if bang:  # a picture stays a file of the site
                return match.group(0)
            return f"[{words}]({self.target(target)})"

        return LINK.sub(replace, text)


def prepare_notebook(source: Path, links: Links) -> nbformat.NotebookNode:
    """A copy of the notebook fit for a page: no widget views, alt texts, links to pages."""
    notebook = nbformat.read(source, as_version=4)
    goal = goal_description(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            def header_alt(match: re.Match) -> str:
                own = goal or svg_description(source.parent / match.group(2)) or match.group(1)
                return f"![{own}]({match.group(2)})"

            cell.source = links.markdown(HEADER_PICTURE.sub(header_alt, cell.source))
        elif cell.cell_type == "code":
            without_widgets(cell)
            alt = picture_alt(cell)
            if alt:
                cell.metadata.setdefault("mystnb", {})["image"] = {"alt": alt}
    notebook.metadata.pop("widgets", None)
    return notebook


def prepare(language: str, out: Path, settings: dict) -> Path:
    """The Sphinx source folder of one edition: its pages made fit for the site, and the front page."""
    edition = EDITIONS[language]
    source = out / "src" / language
    if source.exists():
        shutil.rmtree(source)
    site_pages = set(pages(edition))
    for page in sorted(site_pages):
        target = source / page
        target.parent.mkdir(parents=True, exist_ok=True)
        links = Links(edition, page, site_pages, settings["repository"], settings["branch"])
        if page.suffix == ".ipynb":
            nbformat.write(prepare_notebook(edition / page, links), target)
        else:
            target.write_text(links.markdown((edition / page).read_text("utf-8")), "utf-8")
    shutil.copytree(edition / "notebooks" / "pictures", source / "notebooks" / "pictures")
    (source / "index.md").write_text(front_page(language, site_pages), "utf-8")
    return source


def front_page(language: str, site_pages: set[Path]) -> str:
    """The edition's first page: the course in a few lines, and the table of contents (the course map's order)."""
    from dockerlab.text import say

    def listed(paths: list[Path]) -> str:
        return "\n".join(path.with_suffix("").as_posix() for path in paths if path in site_pages)

    lessons = sorted(path for path in site_pages if path.parts[0] == "notebooks" and path.stem[:2].isdigit()
                     and path.stem[:2] != "00")
    sheets = sorted(path for path in site_pages if path.parts[0] == "exercises")
    start = [Path("notebooks/00-welcome.ipynb"), Path("notebooks/index.ipynb"), Path("notes-checked.md")]
    return "\n".join([
        f"# {say('site-title')}", "", say("site-intro"), "",
        f"```{{toctree}}\n:caption: {say('site-start')}\n:maxdepth: 1\n\n{listed(start)}\n```", "",
        f"```{{toctree}}\n:caption: {say('site-lessons')}\n:maxdepth: 2\n\n{listed(lessons)}\n```", "",
        f"```{{toctree}}\n:caption: {say('site-exercises')}\n:maxdepth: 1\n\n{listed(sheets)}\n```", ""])


OVERRIDES = {"repository": "DOCKERLAB_SITE_REPOSITORY", "branch": "DOCKERLAB_SITE_BRANCH",
             "binder": "DOCKERLAB_SITE_BINDER", "hub": "DOCKERLAB_SITE_HUB"}


def settings_of() -> dict:
    """``book/site.toml``, each value overridable by its variable (``DOCKERLAB_SITE_HUB=https://...``)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    values = tomllib.loads((BOOK / "site.toml").read_text("utf-8"))
    return {key: os.environ.get(OVERRIDES.get(key, ""), value) for key, value in values.items()}


def lite_contents(out: Path) -> Path:
    """The notebooks the browser's JupyterLite opens: both editions' lessons and student sheets, for its kernel."""
    contents = out / "src" / "lite"
    if contents.exists():
        shutil.rmtree(contents)
    for language, edition in EDITIONS.items():
        prefix = Path("ko") if language == "ko" else Path()
        for page in pages(edition):
            target = contents / prefix / page
            target.parent.mkdir(parents=True, exist_ok=True)
            if page.suffix == ".ipynb":
                notebook = nbformat.read(edition / page, as_version=4)
                notebook.metadata["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)",
                                                   "language": "python"}
                nbformat.write(notebook, target)
            else:
                shutil.copyfile(edition / page, target)
        shutil.copytree(edition / "notebooks" / "pictures", contents / prefix / "notebooks" / "pictures")
    return contents


def build(language: str, out: Path, settings: dict) -> Path:
    """Run Sphinx on one edition; its pages go to ``out/<language>``."""
    os.environ["DOCKERLAB_LANG"] = language  # the front page's words (this process)
    source = prepare(language, out, settings)
    html = out / language
    env = {**os.environ, "DOCKERLAB_LANG": language, "DOCKERLAB_SITE_SETTINGS": json.dumps(settings),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", "-c", str(BOOK), "-D", f"language={language}",
                    "-j", "auto", "-d", str(out / "doctrees" / language), str(source), str(html)],
                   check=True, env=env)
    return html


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--only", choices=sorted(EDITIONS))
    parser.add_argument("--lite", action="store_true", help="also build JupyterLite (tools/lite.py) and link it")
    args = parser.parse_args(argv)
    settings = settings_of()
    started = time.monotonic()
    if args.lite:
        sys.path.insert(0, str(ROOT / "tools"))
        from lite import build as build_lite

        build_lite(args.out / "lite", lite_contents(args.out))
        settings["lite"] = True
    for language in [args.only] if args.only else list(EDITIONS):
        build(language, args.out, settings)
    (args.out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>dockerlab</title>'
        '<meta http-equiv="refresh" content="0; url=en/index.html"></head>'
        '<body><a href="en/index.html">dockerlab</a> · <a href="ko/index.html">한국어</a></body></html>\n', "utf-8")
    print(f"The site is in {args.out} ({time.monotonic() - started:.0f} s): open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
