"""The orders a learner really runs lessons in, on the real engine: the lesson goes on or says what to do.

Two lessons open at once (their names meet), a cell run twice, a lesson started again half-way, a live
diagram stopped early and then waited on. Nothing here is a bare traceback: each failure is a
:class:`~dockerlab.errors.LabError` whose message says what to do, and nothing of another lesson is
touched without the learner asking.
"""
from __future__ import annotations

import pytest

import dockerlab
from dockerlab import errors, labels
from dockerlab.lessons import neighbours

FIRST, SECOND = "01-default-bridge", "02-veth-pairs"


@pytest.fixture
def two_lessons(engine, capsys):
    for lesson in (FIRST, SECOND):
        engine.remove_labelled(lesson)
    yield
    for lesson in (FIRST, SECOND):
        engine.remove_labelled(lesson)


def test_two_lessons_open_at_once_say_whose_name_is_taken_and_clear_only_by_label(engine, two_lessons, capsys):
    second = dockerlab.lesson(SECOND)
    second.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    capsys.readouterr()
    first = dockerlab.lesson(FIRST)  # its first cell finds what lesson 02 left in its way
    said = capsys.readouterr().out
    assert f"{SECOND}: 1 container (c1)" in said and f"dockerlab reset --lesson {SECOND}" in said
    with pytest.raises(errors.CommandRefused, match=f"taken by a container that lesson {SECOND} left behind"):
        first.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    assert engine.labelled(SECOND)["containers"] == ["c1"]  # untouched until the learner clears it
    engine.run(labels.BUSYBOX_IMAGE, ["sleep", "1d"], lesson="someone-else", name="not-a-lesson")
    try:
        found = neighbours.left_by_others(first.engine, FIRST)
        assert set(found) == {SECOND, "someone-else"}
    finally:
        engine.remove_labelled("someone-else")


def test_a_cell_run_twice_says_what_failed_and_the_lesson_goes_on(engine, two_lessons):
    lab = dockerlab.lesson(SECOND)
    lab.docker("run -d --name c3 dockerlab/busybox sleep 1d")
    with pytest.raises(errors.CommandRefused, match="already in use"):
        lab.docker("run -d --name c3 dockerlab/busybox sleep 1d")
    assert lab.container("c3")["State"]["Running"]
    lab.end()


def test_a_lesson_started_again_half_way_removes_only_its_own_leftovers(engine, two_lessons, capsys):
    lab = dockerlab.lesson(SECOND)
    lab.docker("run -d --name c1 dockerlab/busybox sleep 1d")
    other = dockerlab.lesson(FIRST)
    other.docker("run -d --name bystander dockerlab/busybox sleep 1d")
    capsys.readouterr()
    again = dockerlab.lesson(SECOND)  # the kernel restarted: the first cell again
    assert "c1" in capsys.readouterr().out
    assert engine.labelled(SECOND)["containers"] == [] and engine.labelled(FIRST)["containers"] == ["bystander"]
    again.end()
    other.end()


def test_a_live_diagram_stopped_early_still_answers_the_lessons_wait(engine, two_lessons, capsys):
    lab = dockerlab.lesson(SECOND)
    live = lab.live()
    live.stop_button.click()  # the learner pressed "Stop live updates"
    lab.docker("run -d --name c3 dockerlab/busybox sleep 1d")
    capsys.readouterr()
    assert live.wait_for(lambda t: "c3" in t.containers, timeout=30)
    assert "live diagram is stopped" in capsys.readouterr().out
    assert "dockerlab-frames" in live.picture.value and "c3" not in live.picture.value  # the picture at the stop
    lab.end()
