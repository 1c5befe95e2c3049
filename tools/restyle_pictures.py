"""Redraw the stored pictures of the lessons and sheets from their recordings, after the drawing's style changed.

    python tools/restyle_pictures.py                      # every English lesson and sheet
    python tools/restyle_pictures.py notebooks/02-*.ipynb # some

Colours, line styles or an SVG's title are the drawing's, not the engine's: what the pictures show is in the
recordings. This replays each notebook (``DOCKERLAB_REPLAY=1``, no engine) and puts the replayed pictures in
place of the stored ones, cell by cell, only where the replayed cell shows the same text as the stored one;
it also redraws the lessons' goal pictures (``notebooks/pictures/``). Every other output stays as the real
engine gave it. ``tests/notebooks/test_replay.py`` then holds the stored pictures to the replayed ones again.
The Korean edition's outputs come from a run of their own, which no recording keeps: ``./lab translate``
redraws them.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
PICTURES = ("image/png", "image/svg+xml")


def _words(outputs: list) -> list:
    """What a cell showed apart from its pictures: its streams (however the kernel cut them) and its texts."""
    shown: list = []
    for output in outputs:
        if output["output_type"] == "stream":
            if shown and shown[-1][0] == output["name"]:
                shown[-1] = (output["name"], shown[-1][1] + output["text"])
            else:
                shown.append((output["name"], output["text"]))
        else:
            shown.append((output["output_type"], output.get("data", {}).get("text/plain"), output.get("evalue")))
    return shown


def restyle(path: Path) -> int:
    """Replay ``path`` and take its redrawn pictures; returns how many pictures changed."""
    from dockerlab.replay import BANNER

    stored = nbformat.read(path, as_version=4)
    replayed = nbformat.read(path, as_version=4)
    NotebookClient(replayed, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    changed = 0
    for before, after in zip(stored.cells, replayed.cells, strict=True):
        if before.cell_type != "code":
            continue
        shown = [output for output in after.outputs if not output.get("metadata", {}).get(BANNER)]
        if _words(before.outputs) != _words(shown):
            continue
        pictures = [output for output in shown if "data" in output]
        for old, new in zip([output for output in before.outputs if "data" in output], pictures, strict=True):
            for kind in PICTURES:
                if kind in old.data and kind in new.data and old.data[kind] != new.data[kind]:
                    old.data[kind] = new.data[kind]
                    changed += 1
    nbformat.write(stored, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")) + sorted(
        (ROOT / "exercises").glob("[0-9][0-9]-*.ipynb"))
    os.environ.update(DOCKERLAB_REPLAY="1", DOCKER_HOST="unix:///nowhere")
    os.environ.pop("DOCKERLAB_RECORD", None)
    for path in paths:
        os.environ["DOCKERLAB_GOAL_PICTURES"] = str(path.resolve().parent / "pictures")
        print(f"==> {path}: {restyle(path.resolve())} picture(s) redrawn", flush=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
