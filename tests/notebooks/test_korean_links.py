"""Every link of the Korean pages (and of the notes page's English twin) reaches a file that exists, and a
notebook link a section heading it has.

When a lesson's headings change (or its Korean translation renames them), this names the page and the
link to update: a row of the table in ko/notes-checked.md, or a line of README.ko.md.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import translate  # noqa: E402

# the Korean notebooks whose translation is complete (the others still carry English text and its links)
TRANSLATED = [translate.korean_path(english) for english in translate.english_notebooks()
              if not translate.problems(english)]
PAGES = [ROOT / "README.ko.md", ROOT / "ko" / "notes-checked.md", ROOT / "notes-checked.md",
         ROOT / "docs" / "instructor-guide.ko.md", ROOT / "docs" / "glossary.ko.md", *TRANSLATED]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading: str) -> str:
    """JupyterLab's anchor for a heading: spaces become dashes, the rest is kept (as tools/course_map.py)."""
    return heading.replace(" ", "-")


def headings(notebook: Path) -> set[str]:
    cells = nbformat.read(notebook, as_version=4).cells
    return {anchor(line.lstrip("#").strip()) for cell in cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if re.match(r"#{1,6} ", line)}


def text_of(page: Path) -> str:
    if page.suffix == ".ipynb":
        return "\n".join(cell.source for cell in nbformat.read(page, as_version=4).cells
                         if cell.cell_type == "markdown")
    return page.read_text("utf-8")


def links(page: Path) -> list[str]:
    found = []
    for target in LINK.findall(text_of(page)):
        # a link in parentheses keeps its closing one: [..](a-(b).ipynb#x-(y)) is read up to the first ")"
        if "(" in target and target.count("(") > target.count(")"):
            rest = text_of(page).split(target, 1)[1]
            target += rest[: rest.index(")") + 1]
        found.append(target)
    return [target for target in found if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("page", [page for page in PAGES if page.exists()],
                         ids=lambda page: str(page.relative_to(ROOT)))
def test_every_link_reaches_its_target(page):
    broken = []
    for target in links(page):
        path, _, section = target.partition("#")
        file = (page.parent / unquote(path)).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no file {file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}")
        elif section and file.suffix == ".ipynb" and unquote(section) not in headings(file):
            broken.append(f"{target}: {file.relative_to(ROOT)} has no heading with the anchor #{section}")
    assert not broken, f"{page.relative_to(ROOT)}: update these links:\n" + "\n".join(broken)


def test_the_notes_page_checks_every_sentence_with_a_verdict_and_a_link():
    """Every statement of fact gets a verdict; the closing feeling an answer."""
    rows = [line for line in (ROOT / "ko" / "notes-checked.md").read_text("utf-8").splitlines()
            if re.match(r"\| \d+ \|", line)]
    assert len(rows) >= 25
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        feeling = row is rows[-1] and cells[2] == "—"  # "도커 너무 어렵습니다!!!" is answered, not judged
        assert cells[2] in ("맞음", "틀림", "부정확") or feeling, row
        assert cells[1].startswith('"') and LINK.search(cells[4]), row
