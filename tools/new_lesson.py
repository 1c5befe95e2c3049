"""Start a new lesson (and its exercise sheet) with everything the course's tests ask of one.

    python tools/new_lesson.py 14-compose "Compose networks"          # notebooks/14-compose.ipynb
    python tools/new_lesson.py 14-compose "Compose networks" --sheet  # and exercises/14-compose.ipynb

It writes a lesson that already runs and passes the structure tests — a goal with its picture, the first
and last cells, a prediction revealed by what the engine showed, cells that assert what they show — and,
with ``--sheet``, the sheet module (``dockerlab/exercises/sheets/exNN.py``) with one engine task and one
question, its notebook, and every message both need in ``dockerlab/locale/en.json``. Replace the example's
content with the lesson's own; CONTRIBUTING.md ("Add a lesson") walks through the rest: the Korean twin,
the stored outputs, the recording, the course map.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^(\d\d)-[a-z0-9]+(-[a-z0-9]+)*$")
KERNEL = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
          "language_info": {"name": "python"}}


def _hidden(source: str) -> nbformat.NotebookNode:
    """A cell that only checks: collapsed for the reader (its output is the proof)."""
    return new_code_cell(source, metadata={"jupyter": {"source_hidden": True}})


def lesson(name: str, title: str) -> nbformat.NotebookNode:
    """A first lesson that runs: two containers on a network of the lesson's own reach each other by name."""
    number = name[:2]
    net = f"net{number}"
    subnet = f"10.{60 + int(number)}.0.0/24"
    cells = [
        new_markdown_cell(f"# {number} · {title}\n\n**Goal:** (one sentence: what the learner will see on their "
                          f"engine by the end).\n\n![where this lesson ends](pictures/{name}.svg)\n\n"
                          "(Why it matters, in two or three sentences.)\n\n**In this lesson**\n"
                          "1. Two containers on a network of their own"),
        new_code_cell(f'import dockerlab\n\nlab = dockerlab.lesson("{name}")'),
        new_markdown_cell("## 1. Two containers on a network of their own"),
        new_code_cell(f'lab.docker("network create --subnet {subnet} {net}")\n'
                      f'lab.docker("run -d --name a{number} --network {net} dockerlab/busybox sleep 1d")\n'
                      f'lab.docker("run -d --name b{number} --network {net} dockerlab/busybox sleep 1d")'),
        new_markdown_cell(f"Can `a{number}` reach `b{number}` by its name? Guess first:"),
        new_code_cell('guess = lab.predict("by-name", ["yes", "no"])\nguess'),
        new_code_cell(f'reached = lab.docker("exec a{number} ping -c 1 -W 2 b{number}")\n'
                      'seen = "yes" if "1 packets received" in reached.output else "no"\n'
                      "guess.reveal(seen)"),
        _hidden(f'assert lab.ip("b{number}", "{net}") in reached.output'),
        new_markdown_cell("The picture of what the engine built:"),
        new_code_cell(f'lab.draw(title="a{number} and b{number} on {net}", goal=True)'),
        _hidden(f'assert set(lab.snapshot().containers) == {{"a{number}", "b{number}"}}'),
        new_markdown_cell("## Summary\n\n- (What the learner saw, one line each.)"),
        new_code_cell("lab.end()"),
    ]
    return new_notebook(cells=cells, metadata=KERNEL)


def _task_heading(number: str, k: int, found: dict[str, str]) -> str:
    """A task's heading, as every sheet has it: an anchor for links to the task, its title and statement
    as the catalogue (``ex-NN.k-title``, ``ex-NN.k-statement``) has them."""
    task = f"{number}.{k}"
    return (f'## <span id="task-{task}"></span>Task {k} — {found[f"ex-{task}-title"]}\n\n'
            f'{found[f"ex-{task}-statement"]}')


def _stuck(k: int) -> nbformat.NotebookNode:
    return new_markdown_cell(f"Stuck? `q{k}.hint()` gives a hint (call it again for the next one); "
                             f"`q{k}.solution()` shows one way; `q{k}.solve()` lets the course do it.")


def sheet(name: str, title: str) -> nbformat.NotebookNode:
    """The sheet's notebook: one engine task and one question, written with their solutions in place; each
    task's heading is followed by its own set-up cell (a link to ``#task-NN.k`` opens there)."""
    number = name[:2]
    found = messages(name, title, with_sheet=True)
    setup = 'from dockerlab.exercises import sheet\n\nlab, q{k} = sheet("{number}", task="{number}.{k}")'
    cells = [
        new_markdown_cell(f"# Exercises {number} · {title}\n\nPractice for lesson [{name}](../notebooks/{name}.ipynb). "
                          "Each task asks for something on the engine.\nDo it any way you like — "
                          '`lab.docker("...")` in a cell here, or the `docker` CLI in a terminal — then run its '
                          "check."),
        new_code_cell(f'from dockerlab.exercises import sheet\n\nlab, q1, q2 = sheet("{number}")'),
        new_markdown_cell(_task_heading(number, 1, found)),
        new_code_cell(setup.format(k=1, number=number)),
        new_code_cell(f'lab.docker("network create --subnet {sheet_subnet(number)} ex{number}-net")',
                      metadata={"tags": ["solution"]}),
        new_code_cell("q1.check()"),
        _stuck(1),
        new_markdown_cell(_task_heading(number, 2, found)),
        new_code_cell(setup.format(k=2, number=number)),
        new_code_cell("q2.widget()", metadata={"tags": ["nbval-ignore-output"]}),
        new_code_cell("q2.answer('yes')", metadata={"tags": ["solution"]}),
        new_code_cell("q2.check()"),
        _stuck(2),
        new_markdown_cell("## Clean up\n\nThis removes everything this sheet made (your tasks' work too), and "
                          "nothing else."),
        new_code_cell("lab.end()"),
    ]
    return new_notebook(cells=cells, metadata=KERNEL)


def sheet_subnet(number: str) -> str:
    """The example task's network range (10.60-10.159 are left to new lessons: 10.(60+NN).0.0/24 and .1.0/24)."""
    return f"10.{60 + int(number)}.1.0/24"


def sheet_module(name: str, title: str) -> str:
    number = name[:2]
    return f'''"""Exercises for lesson {number}, {title.lower()}."""
from ..task import Question, Task
from .common import subnet

q1 = Task("{number}.1", lambda state: subnet(state, "ex{number}-net", "{sheet_subnet(number)}"),
          ["docker network create --subnet {sheet_subnet(number)} ex{number}-net"], ["ex{number}-net"])
q2 = Question("{number}.2", None, ["q2.answer('yes')"], expected="yes", choices=["yes", "no"])

TASKS = [q1, q2]
'''


def messages(name: str, title: str, with_sheet: bool) -> dict[str, str]:
    """The messages the example needs, in English (their Korean goes into ko.json by hand)."""
    number = name[:2]
    found = {f"predict-{name}-by-name": f"Can a{number} reach b{number} by its name on their network?",
             f"predict-{name}-by-name-yes": "yes: the engine's DNS answers for containers on a user-defined network",
             f"predict-{name}-by-name-no": "no: a name is not an address"}
    if with_sheet:
        found |= {f"ex-{number}.1-title": "(title)", f"ex-{number}.1-statement": "(the statement)",
                  f"ex-{number}.1-nudge": "(the idea)", f"ex-{number}.1-kind": "(the kind of command)",
                  f"ex-{number}.1-command": f"`docker network create --subnet {sheet_subnet(number)} ex{number}-net`.",
                  f"ex-{number}.2-title": "(a question)", f"ex-{number}.2-statement": "(the question)",
                  f"ex-{number}.2-nudge": "(the idea)", f"ex-{number}.2-kind": "(where the lesson showed it)",
                  f"ex-{number}.2-command": "`q2.answer('yes')`.",
                  f"ex-{number}.2-choice-yes": "yes", f"ex-{number}.2-choice-no": "no"}
    return found


def _write_messages(found: dict[str, str]) -> None:
    path = ROOT / "dockerlab" / "locale" / "en.json"
    catalogue = json.loads(path.read_text("utf-8"))
    clash = sorted(set(found) & set(catalogue))
    if clash:
        raise SystemExit(f"locale/en.json already has {', '.join(clash)}")
    path.write_text(json.dumps({**catalogue, **found}, ensure_ascii=False, indent=2) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="NN-slug, e.g. 14-compose")
    parser.add_argument("title", help='the lesson\'s title, e.g. "Compose networks"')
    parser.add_argument("--sheet", action="store_true", help="also its exercise sheet")
    args = parser.parse_args(argv)
    if not NAME.match(args.name):
        parser.error("the name is two digits, a dash and words in lower case joined by dashes: 14-compose")
    made = [ROOT / "notebooks" / f"{args.name}.ipynb"]
    if args.sheet:
        made += [ROOT / "exercises" / f"{args.name}.ipynb",
                 ROOT / "dockerlab" / "exercises" / "sheets" / f"ex{args.name[:2]}.py"]
    there = [str(path.relative_to(ROOT)) for path in made if path.exists()]
    if there:
        parser.error(f"already there: {', '.join(there)}")
    _write_messages(messages(args.name, args.title, args.sheet))
    nbformat.write(lesson(args.name, args.title), made[0])
    if args.sheet:
        nbformat.write(sheet(args.name, args.title), made[1])
        made[2].write_text(sheet_module(args.name, args.title))
    for path in made:
        print(f"wrote {path.relative_to(ROOT)}")
    print("next: CONTRIBUTING.md, \"Add a lesson\" (content, Korean, ./lab regen, course map)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
