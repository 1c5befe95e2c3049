"""Run the course's notebooks on the real engine and store their outputs.

    ./lab regen                      # every lesson and sheet, and the course check
    ./lab regen notebooks/01-*.ipynb # some

The stored outputs are what nbval compares later, so run this after
changing a lesson, and read the diff before committing it. Each run also
records what the engine answered (``notebooks/recordings/``,
``exercises/recordings/``), which a session with no engine replays.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled")


def regenerate(path: Path, timeout: int = 600) -> None:
    """Execute one notebook in its own folder and write it back with clean metadata."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in notebook.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


def main(argv: list[str] | None = None) -> int:
    # each lesson's picture of where it ends (lab.draw(goal=True)), shown by its first cell from pictures/
    # beside it (the Korean edition's lessons have their own, with Korean labels)
    pictures = os.environ.get("DOCKERLAB_GOAL_PICTURES")
    # what the engine and the host answered each cell, for sessions with no engine (dockerlab/replay/)
    # (the English run's: a Korean notebook asks the engine the same, and must not overwrite them)
    record = os.environ.get("DOCKERLAB_RECORD", "1")
    # answers, predictions and other state of these runs go to a folder of their own, never the learner's
    state = Path(tempfile.mkdtemp(prefix="dockerlab-regen-"))
    os.environ["DOCKERLAB_ANSWERS"] = str(state / "answers.json")
    os.environ["XDG_STATE_HOME"] = str(state / "state")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or [*sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")),
                               ROOT / "notebooks" / "course-check.ipynb",
                               *sorted((ROOT / "exercises").glob("[0-9][0-9]-*.ipynb"))]
    for path in paths:
        print(f"==> {path.relative_to(ROOT) if path.is_absolute() else path}", flush=True)
        os.environ["DOCKERLAB_GOAL_PICTURES"] = pictures or str(path.resolve().parent / "pictures")
        os.environ["DOCKERLAB_RECORD"] = "0" if path.resolve().relative_to(ROOT).parts[0] == "ko" else record
        regenerate(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
