"""The README's "Layout" section, made from the tree: each folder and module with the first line of its docstring.

    python tools/readme_layout.py          # print it
    python tools/readme_layout.py --write  # write it into README.md (between its layout markers)

``tests/unit/test_readme_layout.py`` checks that README.md carries exactly what this makes, so a module
added, moved or renamed without the README is a failing test.
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- layout: begin -->", "<!-- layout: end -->"
WIDTH = 28
GENERATED = ("_version.py",)
"""Written by the build, not kept in git (setuptools-scm's version from the git tag): not part of the layout."""
TOP = [("notebooks/", "the lessons, and index.ipynb (the course map)"),
       ("exercises/", "the exercise sheets (solved) and student/ (the copies learners open)"),
       ("ko/", "the Korean edition: notebooks and sheets built from ko/translations/"),
       ("docs/", "instructor guide, settings, topology format, glossary, pictures"),
       ("tests/", "unit (no engine), integration, browser, notebooks, engines (the matrix and CI's lanes)"),
       ("benchmarks/", "measured figures, in benchmarks/results/"),
       ("tools/", "regen_outputs, student_copies, translate, course_map, new_lesson, readme_layout, site, lite,"
                   " restyle_pictures"),
       ("book/", "the website's Sphinx settings, its extension (anchors, launch links) and site.toml"),
       ("binder/", "one-click sessions (read-only: Binder has no engine)"),
       (".devcontainer/", "one click with a real engine: Codespaces / dev containers"),
       ("Dockerfile", "the course in one container: compose.yaml starts it (docker compose up)"),
       ("lab", "./lab open | test | regen | translate | site | doctor | setup")]


def summary(path: Path) -> str:
    """The first line of a module's (or a package's) docstring."""
    source = path / "__init__.py" if path.is_dir() else path
    docstring = ast.get_docstring(ast.parse(source.read_text())) if source.exists() else None
    if not docstring:
        raise SystemExit(f"{source.relative_to(ROOT)} has no docstring: write one (its first line goes in the README)")
    paragraph = " ".join(docstring.strip().split("\n\n")[0].split())
    sentence = re.split(r"(?<=[.:;!?])\s+(?=[A-Z`(])", paragraph)[0]
    return re.sub(r":\w+:`~?([^`]+)`", r"\1", sentence).replace("``", "`")


def entries(folder: Path, depth: int) -> list[str]:
    lines = []
    children = sorted(folder.iterdir(), key=lambda path: (path.is_dir(), path.name))
    for child in children:
        if child.name.startswith(".") or child.name in ("__init__.py", "__pycache__", *GENERATED):
            continue
        if child.is_dir() and (child / "__init__.py").exists():
            lines.append(_line(depth, child.name + "/", summary(child)))
            lines += entries(child, depth + 1)
        elif child.suffix == ".py":
            lines.append(_line(depth, child.name, summary(child)))
    return lines


def _line(depth: int, name: str, text: str) -> str:
    indent = "    " + "  " * depth
    return f"{indent}{name:<{WIDTH - 2 * depth}} {text}".rstrip()


def section() -> str:
    lines = [_line(0, "dockerlab/", summary(ROOT / "dockerlab")), *entries(ROOT / "dockerlab", 1)]
    lines += [_line(0, name, text) for name, text in TOP]
    return f"{BEGIN}\n\n" + "\n".join(lines) + f"\n\n{END}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if not args.write:
        print(section())
        return 0
    readme = ROOT / "README.md"
    text = readme.read_text()
    if BEGIN not in text:
        raise SystemExit(f"README.md has no {BEGIN} ... {END} markers")
    readme.write_text(re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: section(), text, flags=re.S))
    return 0


if __name__ == "__main__":
    sys.exit(main())
