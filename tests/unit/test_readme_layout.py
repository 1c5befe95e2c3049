"""The README's layout is the tree's: every module and folder, with its docstring's first sentence."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import readme_layout  # noqa: E402


def test_the_readme_lists_every_module_as_the_tree_has_it():
    assert readme_layout.section() in (ROOT / "README.md").read_text(), "run `python tools/readme_layout.py --write`"


def test_every_module_of_the_package_is_in_the_layout():
    listed = readme_layout.section()
    for path in (ROOT / "dockerlab").rglob("*.py"):
        if path.name not in ("__init__.py", *readme_layout.GENERATED):
            assert f" {path.name} " in listed, path
