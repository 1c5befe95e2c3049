"""Stored outputs a reader can trust: no output of a lesson or exercise sheet is a bare object repr.

GitHub, Binder and a fresh JupyterLab show a cell's stored text where its picture or widget is
missing; ``<Figure size 500x220 with 1 Axes>`` or ``LiveDiagram(...)`` tells the reader nothing.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
BARE_REPR = re.compile(r"^(<(Figure size|matplotlib\.|dockerlab\.)[^>]*>|<[\w.]+ object at 0x[0-9a-f]+>|"
                       r"(LiveDiagram|VBox|HBox|HTML|Button|Output)\(.*\))$", re.S)


def bare_reprs(notebook: Path) -> list[str]:
    found = []
    for index, cell in enumerate(json.loads(notebook.read_text())["cells"]):
        for output in cell.get("outputs", []):
            text = "".join(output.get("data", {}).get("text/plain", []))
            if text and BARE_REPR.match(text.strip()):
                found.append(f"cell {index}: {text.strip()[:80]}")
    return found


def test_the_check_knows_a_bare_repr():
    for text in ("<Figure size 500x220 with 1 Axes>", "LiveDiagram(lesson='05-connect')",
                 "<dockerlab.render.static.Diagram object at 0x7f00aa>", "VBox(children=(HBox(),))"):
        assert BARE_REPR.match(text), text
    for text in ("Diagram: 2 container(s), 1 network(s)", "Chart: 30 requests to http://web/ (b1, b2, b3)"):
        assert not BARE_REPR.match(text), text


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_stored_output_is_a_bare_object_repr(notebook):
    assert bare_reprs(notebook) == []
