"""Adding a lesson is what CONTRIBUTING.md says: its walk-through, followed on a scratch lesson.

The block of commands under "Add a lesson" runs, line by line, in a fresh clone of the course (lesson
``14-compose`` becomes ``98-scratch``); each comment line is a thing a person writes, which this test
writes for them (the Korean of the new messages and cells, a course-map row). Then the project's own
checks of a lesson, a sheet and the Korean edition pass, and the new notebooks run on the engine with
their outputs compared.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT

NAME, NUMBER, TITLE = "98-scratch", "98", "A scratch lesson"


def walk_through() -> list[str]:
    """The commands and comments of the fenced block under CONTRIBUTING.md's "## Add a lesson"."""
    text = (ROOT / "CONTRIBUTING.md").read_text()
    section = text.split("## Add a lesson", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.replace("14-compose", NAME).replace('"Compose networks"', f'"{TITLE}"')
            for line in block.splitlines() if line.strip()]


def _korean_messages(course: Path) -> None:
    english = json.loads((course / "dockerlab/locale/en.json").read_text("utf-8"))
    path = course / "dockerlab/locale/ko.json"
    korean = json.loads(path.read_text("utf-8"))
    for key, text in english.items():
        if key not in korean:
            fields = "".join(f" {{{field}}}" for field in re.findall(r"\{(\w+)\}", text))
            korean[key] = f"시험용 문장입니다.{fields}"
    path.write_text(json.dumps(korean, ensure_ascii=False, indent=2) + "\n", "utf-8")


def _korean_cells(course: Path, run) -> None:
    for folder in ("notebooks", "exercises"):
        path = course / "ko/translations" / folder / f"{NAME}.yaml"
        data = yaml.safe_load(path.read_text("utf-8"))
        for entry in data["cells"]:
            if not entry.get("korean"):
                heading = re.match(r"(#+ [^\n]*)", entry.get("english_now") or entry["english"])
                entry["korean"] = (f"{heading.group(1)}\n\n" if heading else "") + "시험용 셀입니다."
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        for entry in data["cells"]:
            run(f"python tools/translate.py accept {folder}/{NAME} {entry['id']}")


def _course_map(course: Path) -> None:
    tool = course / "tools/course_map.py"
    row = f'    ("a scratch topic", "{NAME}", "1. Two containers on a network of their own", "시험용 주제"),\n]\n'
    tool.write_text(tool.read_text().replace("\n]\n", "\n" + row, 1))


def test_the_walk_through_adds_a_lesson_the_checks_accept(tmp_path):
    course = tmp_path / "course"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(course)], check=True)
    env = {**os.environ, "PYTHONPATH": str(course), "DOCKERLAB_VENV": str(Path(sys.executable).parents[1])}

    def run(line: str) -> None:
        command = line.replace("python ", f"{sys.executable} ", 1) if line.startswith("python ") else line
        if command.startswith("./lab test "):
            return  # the checks below, narrowed to what the new lesson touches
        done = subprocess.run(command, shell=True, cwd=course, env=env, capture_output=True, text=True,
                              timeout=900)
        assert done.returncode == 0, f"{line}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"

    writes = {"# write the lesson": lambda: None,  # the scaffold's example is the lesson here
              "# write the Korean of each new message": lambda: _korean_messages(course),
              "# write the Korean of each cell": lambda: _korean_cells(course, run),
              "# add the lesson's topics to MAP": lambda: _course_map(course)}
    for line in walk_through():
        if line.startswith("#"):
            step = next((write for start, write in writes.items() if line.startswith(start)), None)
            assert step is not None, f"CONTRIBUTING.md has a step this test does not know: {line}"
            step()
        else:
            run(line)

    checks = ["tests/notebooks/test_lesson_structure.py", "tests/notebooks/test_exercise_sheets.py",
              "tests/notebooks/test_course_map.py", "tests/notebooks/test_korean_edition.py",
              "tests/unit/test_korean_messages.py", "tests/unit/test_text_labels_errors.py",
              "-k", f"{NAME} or not carry_the_outputs",  # the other notebooks' outputs are the course's own business
              f"notebooks/{NAME}.ipynb", f"exercises/{NAME}.ipynb", "--nbval", "--nbval-current-env",
              "--nbval-sanitize-with", "tests/notebooks/sanitize.cfg"]
    done = subprocess.run([sys.executable, "-m", "pytest", *checks, "-p", "no:cacheprovider", "-q"], cwd=course,
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
