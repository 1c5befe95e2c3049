"""The course map points at sections that exist, and README.md and index.ipynb carry it exactly."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import course_map  # noqa: E402


@pytest.mark.parametrize("topic, lesson, heading", course_map.MAP, ids=[row[0][:40] for row in course_map.MAP])
def test_each_topic_points_at_a_real_section(topic, lesson, heading):
    assert heading in course_map.headings(lesson), f"{lesson} has no heading {heading!r}"


def test_every_lesson_after_the_welcome_is_on_the_map():
    lessons = {path.stem for path in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")} - {"00-welcome"}
    assert lessons <= {lesson for _, lesson, _ in course_map.MAP}


def test_readme_and_index_carry_the_map():
    assert course_map.readme_section() in (ROOT / "README.md").read_text(), \
        "run `python tools/course_map.py --write`"
    index = nbformat.read(ROOT / "notebooks" / "index.ipynb", as_version=4)
    assert [cell.source for cell in index.cells] == [cell.source for cell in course_map.index_notebook().cells]
