"""What the package prints for a learner comes from the locale: no English sentence in a print() or a progress line.

A command it echoes (``$ docker network create ...``, ``node1$ ...``) stays as it is; a comment after it
(``   # ...``) and every sentence is a message, so that a Korean learner reads it in Korean.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.prose import english_prose

PACKAGE = Path(__file__).resolve().parents[2] / "dockerlab"
PRINTERS = {"print", "progress", "progress_line"}


def printed_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every literal a print() or progress() call in ``path`` shows, its fields left out."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name not in PRINTERS:
            continue
        for argument in node.args:
            for part in ast.walk(argument):
                if isinstance(part, ast.Call):  # say(...) and the like: what they return is not a literal here
                    break
                if isinstance(part, ast.JoinedStr):
                    text = "".join(value.value if isinstance(value, ast.Constant) else " 0 " for value in part.values)
                    found.append((node.lineno, text))
                    break
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.append((node.lineno, part.value))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(path.relative_to(PACKAGE)) for path in MODULES])
def test_the_package_prints_no_english_sentence_of_its_own(path):
    found = [(line, text, english_prose(text)) for line, text in printed_literals(path)]
    found = [f"line {line}: {text!r} ({', '.join(prose)})" for line, text, prose in found if prose]
    assert not found, (f"{path.relative_to(PACKAGE.parent)} prints English of its own; put it in "
                       "locale/en.json and ko.json and print say(KEY):\n" + "\n".join(found))


def test_the_check_finds_a_printed_sentence(tmp_path):
    module = tmp_path / "module.py"
    module.write_text('print("$ sudo iptables-save -c   # before and after: the dropping rules")\n'
                      'progress(f"Swarm ready: {nodes} node(s)")\nprint(f"$ docker network create {name}")\n'
                      'print("  " + say("lab-packets", packets=1, rule="x"))\n')
    shown = [(line, english_prose(text)) for line, text in printed_literals(module)]
    assert [line for line, prose in shown if prose] == [1, 2]
