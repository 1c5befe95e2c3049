"""The course map points at sections that exist, and README.md and both index notebooks carry it exactly."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import course_map  # noqa: E402


@pytest.mark.parametrize("topic, lesson, heading, korean", course_map.MAP, ids=[row[0][:40] for row in course_map.MAP])
def test_each_topic_points_at_a_real_section_in_both_editions(topic, lesson, heading, korean):
    assert heading in course_map.headings(lesson), f"{lesson} has no heading {heading!r}"
    assert course_map.korean_heading(lesson, heading) in course_map.headings(lesson, course_map.KOREAN)
    assert korean.strip() and topic.strip()


def test_every_lesson_after_the_welcome_is_on_the_map():
    lessons = {path.stem for path in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")} - {"00-welcome"}
    assert lessons <= {lesson for _, lesson, _, _ in course_map.MAP}


def test_readme_and_index_carry_the_map():
    assert course_map.readme_section() in (ROOT / "README.md").read_text(), \
        "run `python tools/course_map.py --write`"
    for language, folder in (("en", ROOT / "notebooks"), ("ko", course_map.KOREAN)):
        index = nbformat.read(folder / "index.ipynb", as_version=4)
        made = course_map.index_notebook(language)
        assert [cell.source for cell in index.cells] == [cell.source for cell in made.cells], \
            "run `python tools/course_map.py --write`"
