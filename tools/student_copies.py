"""Make the student copies of the exercise sheets: the solution cells emptied, no outputs.

    python tools/student_copies.py          # write exercises/student/*.ipynb
    python tools/student_copies.py --check  # exit 1 if a copy is missing or out of date

The sheets in ``exercises/`` are authored with their solutions in place (cells tagged ``solution``),
and CI runs them; learners open the copies in ``exercises/student/``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SHEETS = ROOT / "exercises"
STUDENT = SHEETS / "student"
YOUR_TURN = "# Your turn: lab.docker(\"...\") here, or the docker CLI in a terminal. Then run the check below."


def student_copy(sheet: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The sheet with every solution cell replaced by an empty one, and no outputs."""
    copy = nbformat.from_dict(sheet)
    for cell in copy.cells:
        if cell.cell_type != "code":
            continue
        if "solution" in cell.metadata.get("tags", []):
            cell.source = YOUR_TURN
            cell.metadata["tags"] = ["your-turn"]
        cell.outputs = []
        cell.execution_count = None
    copy.cells = [nbformat.from_dict({**cell, "source": cell.source.replace("](../notebooks/", "](../../notebooks/")})
                  for cell in copy.cells]
    return copy


def expected() -> dict[Path, str]:
    """Each student copy's path and its exact text."""
    return {STUDENT / path.name: nbformat.writes(student_copy(nbformat.read(path, as_version=4))) + "\n"
            for path in sorted(SHEETS.glob("[0-9][0-9]-*.ipynb"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    copies = expected()
    if args.check:
        stale = [path.name for path, text in copies.items() if not path.exists() or path.read_text() != text]
        for name in stale:
            print(f"out of date: exercises/student/{name} (run `python tools/student_copies.py`)")
        return 1 if stale else 0
    STUDENT.mkdir(exist_ok=True)
    for path, text in copies.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
