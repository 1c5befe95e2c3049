"""Faults a learner meets: two dockerd processes, a lesson and a sheet open at once, a re-run first cell,
the engine gone and back."""
from __future__ import annotations

import shutil
import subprocess

import pytest

import dockerlab
from dockerlab import cleanup, hostshell


@pytest.fixture
def second_dockerd(tmp_path):
    """Another process named dockerd on the machine (as a second engine or a lab node would be)."""
    impostor = tmp_path / "dockerd"
    shutil.copy("/bin/sleep", impostor)
    process = subprocess.Popen([str(impostor), "300"])
    yield process
    process.kill()
    process.wait()


def test_host_commands_through_the_helper_work_while_another_dockerd_runs(engine, second_dockerd, monkeypatch):
    monkeypatch.setattr(hostshell, "runs_here", lambda engine: False)  # the way a non-root learner runs them
    code, output = hostshell.run(engine, ["ip", "-o", "link", "show", "lo"])
    assert code == 0 and "lo:" in output


@pytest.fixture
def two_ids(engine, lesson_id):
    ids = (lesson_id, f"{lesson_id}-ex")
    yield ids
    for each in ids:
        cleanup.remove(engine, each)


def test_a_lesson_and_its_sheet_open_at_once_leave_each_other_alone(two_ids, capsys):
    lesson_id, sheet_id = two_ids
    lesson = dockerlab.lesson(lesson_id)
    sheet = dockerlab.lesson(sheet_id)
    lesson.docker("network create shared-l-net", quiet=True)
    lesson.docker("run -d --name in-lesson --network shared-l-net dockerlab/busybox sleep 1d", quiet=True)
    sheet.docker("run -d --name in-sheet dockerlab/busybox sleep 1d", quiet=True)
    capsys.readouterr()

    again = dockerlab.lesson(lesson_id)  # the lesson's first cell, run again
    said = capsys.readouterr().out
    assert f"Removing what an earlier run of {lesson_id} left behind" in said
    assert "in-lesson" in said and "shared-l-net" in said and "in-sheet" not in said
    assert sheet.container("in-sheet")["State"]["Running"]

    again.docker("run -d --name in-lesson dockerlab/busybox sleep 1d", quiet=True)
    sheet.end()
    assert again.container("in-lesson")["State"]["Running"]
    again.end()
    assert not any(cleanup.find(again.engine, lesson_id).values())


def test_a_first_cell_with_nothing_left_says_only_that_it_is_ready(lesson_id, capsys):
    dockerlab.lesson(lesson_id)
    assert "Removing" not in capsys.readouterr().out


def test_the_engine_gone_and_back_mid_lesson(engine, lesson_id, tmp_path):
    """While the engine is away the CLI prints the course's message; the next command after it is back works."""
    from dockerlab.engine import Engine, socket_path
    from dockerlab.lesson import Lab
    from tests.integration.proxy import EngineProxy

    engine_side = EngineProxy(str(tmp_path / "engine.sock"), target=socket_path(engine.url))
    lab = Lab(Engine.connect(engine_side.url), lesson_id)
    try:
        lab.docker("run -d --name survivor dockerlab/busybox sleep 1d", quiet=True)
        engine_side.cut()
        gone = lab.docker("ps", should_fail=True)
        assert "No Docker engine answers" in gone.output
        engine_side.restore()
        assert "survivor" in lab.docker("ps --format '{{.Names}}'").output
    finally:
        lab.proxy().stop()
        engine_side.cut()
