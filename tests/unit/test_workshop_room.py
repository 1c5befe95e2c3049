"""The workshop's room, read as the host must read what a hostile learner writes (no engine)."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from dockerlab import errors
from dockerlab.workshop import disk, front, hub, learner, pages, reading, room


@pytest.fixture(autouse=True)
def learners_here(monkeypatch):
    """The learners' filesystems in the test's folder (not below the workshop engine's)."""
    monkeypatch.setattr(disk, "mountpoint", lambda state, learner: state / "learners" / learner)


HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def report_file(state, name, content: bytes):
    folder = state / "learners" / name / "report"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "progress.json").write_bytes(content)
    return folder / "progress.json"


def test_a_report_keeps_only_known_tasks_outcomes_and_notebooks(tmp_path):
    report_file(tmp_path, "ada", json.dumps({
        "time": 1e9, "saved": float("nan"), "notebook": HOSTILE,
        "tasks": {"01.1": "correct", "01.2": HOSTILE, HOSTILE: "correct", "11.1": "correct", "02.1": "not yet"},
    }).encode())
    assert reading.report(tmp_path, "ada") == {"time": 1e9, "saved": 0.0, "notebook": "",
                                              "tasks": {"01.1": "correct", "02.1": "not yet"},
                                              "check": {"before": {}, "after": {}}}
    assert not any(task.startswith("11.") for task in reading.known_tasks())  # lesson 11 is not in a room


@pytest.mark.parametrize("content", [b"[1, 2]", b"{not json", b"{}" + b" " * reading.LIMIT, b"\xff\xfe"])
def test_an_unreadable_report_is_no_report(tmp_path, content):
    report_file(tmp_path, "ada", content)
    assert reading.report(tmp_path, "ada") == {}


def test_a_report_that_is_a_link_is_not_followed(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"time": 5, "tasks": {"01.1": "correct"}}))
    path = report_file(tmp_path, "ada", b"{}")
    path.unlink()
    os.symlink(secret, path)
    assert reading.raw(tmp_path, "ada") is None
    folder = path.parent
    path.unlink()
    folder.rmdir()
    os.symlink(tmp_path, folder)  # the folder itself a link
    assert reading.raw(tmp_path, "ada") is None


def test_the_room_page_escapes_everything_and_runs_no_script():
    one = room.Learner(name=HOSTILE, environment=HOSTILE, lesson=HOSTILE, task=HOSTILE, stuck=HOSTILE,
                       tasks={"01.1": "correct", "01.2": HOSTILE})
    page = pages.room({"x": one}, 0, "/services/progress/", "<input type=hidden name=_xsrf value=t>")
    assert "<script" not in page and "<img" not in page and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;" in page and "&quot;&gt;&lt;img" in page
    assert "script-src" not in pages.CSP and "default-src 'none'" in pages.CSP  # no script may run at all
    assert "frame-ancestors 'none'" in pages.CSP and "form-action 'self'" in pages.CSP


def test_the_gradebook_has_a_row_per_learner_and_no_formulas():
    ada = room.Learner(name="ada", tasks={"01.1": "correct", "01.2": "not yet"})
    evil = room.Learner(name="=HYPERLINK(1)")
    lines = pages.gradebook({"ada": ada, "evil": evil}).splitlines()
    counted = len(reading.known_tasks())
    assert lines[0].startswith("learner,correct,tasks,01.1,01.2,01.3")
    assert lines[1].startswith(f"ada,1,{counted},correct,not yet,not attempted")
    assert lines[2].startswith(f"'=HYPERLINK(1),0,{counted}")


def test_progress_csv_in_a_terminal_is_the_rooms_gradebook(tmp_path, monkeypatch, capsys):
    """``dockerlab workshop progress --csv``: the same gradebook as the room's page, from the learners' reports."""
    import argparse
    import csv
    import io

    from dockerlab.commands import workshop as command

    monkeypatch.setattr(hub, "settings", lambda: {"learners": ["ada", "ben"]})
    monkeypatch.setattr(hub, "folder", lambda: tmp_path)
    report_file(tmp_path, "ada", json.dumps({"time": 5, "tasks": {"01.1": "correct", "01.2": "not yet"}}).encode())
    assert command.run(argparse.Namespace(action="progress", csv=True, json=False)) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["learner"], row["correct"], row["01.1"], row["01.2"], row["02.1"]) for row in rows] == [
        ("ada", "1", "correct", "not yet", "not attempted"), ("ben", "0", "not attempted", "not attempted",
                                                             "not attempted")]
    assert {row["tasks"] for row in rows} == {str(len(reading.known_tasks()))}


def test_who_is_stuck():
    now = 10_000.0
    stuck = room.Learner(name="a", environment="running", task="04.2", tasks={"04.2": "not yet"}, progressed=now - 700,
                         activity=now)
    moving = room.Learner(name="b", environment="running", task="04.2", tasks={"04.2": "not yet"}, progressed=now - 60,
                          activity=now)
    idle = room.Learner(name="c", environment="running", task="04.1", tasks={}, progressed=now - 60,
                        activity=now - 900)
    assert room.stuck(stuck, now, others_moving=1) == "04.2 not yet for 11 min"
    assert room.stuck(moving, now, others_moving=1) == ""
    assert room.stuck(idle, now, others_moving=1) == "idle for 15 min"
    assert room.stuck(idle, now, others_moving=0) == ""  # everyone is idle: a break, not a learner stuck
    assert room.current({"04.1": "correct"}, "04-user-networks") == ("04", "04.2")
    assert room.current({}, "") == ("01", "01.1")


def test_a_course_update_keeps_what_the_learner_changed(tmp_path):
    course, work, manifest = tmp_path / "course", tmp_path / "work", tmp_path / "work/.dockerlab/course.json"
    (course / "notebooks").mkdir(parents=True)
    for name in ("a.ipynb", "b.ipynb"):
        (course / "notebooks" / name).write_text("v1")
    assert learner.merge_course(course, work, manifest)["added"] == ["notebooks/a.ipynb", "notebooks/b.ipynb"]
    (work / "notebooks/a.ipynb").write_text("mine")
    for name in ("a.ipynb", "b.ipynb", "c.ipynb"):
        (course / "notebooks" / name).write_text("v2")
    assert learner.merge_course(course, work, manifest) == {
        "added": ["notebooks/c.ipynb"], "updated": ["notebooks/b.ipynb"], "kept": ["notebooks/a.ipynb"]}
    assert (work / "notebooks/a.ipynb").read_text() == "mine" and (work / "notebooks/b.ipynb").read_text() == "v2"


def test_pids_are_shared_out_of_pid_max(monkeypatch):
    pid_max = int(Path("/proc/sys/kernel/pid_max").read_text())
    each = hub.pids_per_learner(20)
    assert 256 <= each <= 4096 and each * 20 <= pid_max - hub.PID_RESERVE
    with pytest.raises(errors.CommandRefused, match="pid_max"):
        hub.pids_per_learner(20, asked=pid_max)


def test_the_front_door_keeps_the_room_on_its_own_origin():
    config = front.caddyfile("192.0.2.7", 8443, 8444, 20001, None)
    hub_site, room_site = config.split("http://192.0.2.7:8444 {")
    assert "redir http://192.0.2.7:8444{uri}" in hub_site  # the room's page is never served in the hub's origin
    assert "handle /services/progress/* {\n\t\treverse_proxy 10.196.0.2:20001" in room_site
    assert "redir * /services/progress/" in room_site and "/user/" not in room_site
    assert "bind 192.0.2.7" in hub_site and "bind 192.0.2.7" in room_site


@pytest.mark.parametrize("guide", ["docs/instructor-guide.md", "docs/instructor-guide.ko.md"])
def test_the_guides_timings_count_the_courses_tasks(guide):
    """Every lesson has a row; each row's task count is the course's (lesson 11's too)."""
    from collections import Counter

    from dockerlab.exercises import all_tasks

    counts = Counter(task.id.split(".")[0] for task in all_tasks())
    text = (Path(__file__).parents[2] / guide).read_text("utf-8")
    rows = {line[2:4]: line for line in text.splitlines() if re.match(r"^\| \d\d [^|]", line)}
    lessons = {p.name[:2] for p in (Path(__file__).parents[2] / "notebooks").glob("[0-9][0-9]-*.ipynb")}
    assert lessons <= set(rows), sorted(lessons - set(rows))
    for lesson, line in rows.items():
        found = re.search(r"\((\d+) tasks\)|\(과제 (\d+)개\)", line)
        assert (int(found.group(1) or found.group(2)) if found else 0) == counts.get(lesson, 0), line


def test_a_login_is_known_by_the_browsers_address_only_through_the_front_door():
    from types import SimpleNamespace

    from dockerlab.workshop.auth import client

    def handler(peer: str, forwarded: str):
        context = SimpleNamespace(_orig_remote_ip=peer)
        return SimpleNamespace(request=SimpleNamespace(connection=SimpleNamespace(context=context), remote_ip="x",
                                                       headers={"X-Forwarded-For": forwarded}))

    assert client(handler("10.196.0.2", "192.0.2.50, 10.196.0.1")) == "192.0.2.50"  # Caddy, then the proxy
    assert client(handler("10.196.1.2", "192.0.2.99")) == "10.196.1.2"  # a learner's container says what it likes


def test_a_report_keeps_only_the_course_checks_known_questions_and_choices(tmp_path):
    report_file(tmp_path, "ada", json.dumps({"time": 5, "tasks": {}, "check": {
        "before": {"names": "yes", "dns": HOSTILE, HOSTILE: "no", "veth": ["cable"]},
        "after": {"names": "no", "dns": "embedded"}, HOSTILE: {"names": "no"}}}).encode())
    assert reading.report(tmp_path, "ada")["check"] == {"before": {"names": "yes"},
                                                       "after": {"names": "no", "dns": "embedded"}}
    report_file(tmp_path, "ben", json.dumps({"time": 5, "check": [1]}).encode())
    assert reading.report(tmp_path, "ben")["check"] == {"before": {}, "after": {}}


def test_the_learners_report_carries_their_course_check(tmp_path, monkeypatch):
    """``learner.reading()`` takes the check's answers from the learner's own answers file."""
    from dockerlab.lessons import coursecheck

    monkeypatch.setenv("DOCKERLAB_ANSWERS", str(tmp_path / "answers.json"))
    (tmp_path / "answers.json").write_text(json.dumps({"check:before:names": "yes", "check:after:names": "no",
                                                      "predict:04-user-networks:x": "y"}))
    assert coursecheck.kept() == {"before": {"names": "yes"}, "after": {"names": "no"}}


def checked_room():
    ada = room.Learner(name="ada", check={"before": {"names": "yes", "dns": "embedded"},
                                         "after": {"names": "no", "dns": "embedded", "veth": "cable"}})
    ben = room.Learner(name="ben", check={"before": {"names": "no"}, "after": {}})
    cy = room.Learner(name="cy")
    return {"ada": ada, "ben": ben, "cy": cy}


def test_the_room_counts_the_course_check_before_and_after_per_question_and_per_learner():
    learners = checked_room()
    counted = room.course_check(learners)
    assert counted["names"] == {"before": {"answered": 2, "right": 1}, "after": {"answered": 1, "right": 1}}
    assert counted["veth"] == {"before": {"answered": 0, "right": 0}, "after": {"answered": 1, "right": 1}}
    assert learners["ada"].as_dict()["check"] == {"before": {"answered": 2, "right": 1},
                                                  "after": {"answered": 3, "right": 3}}
    assert learners["cy"].score("after") == {"answered": 0, "right": 0}


def test_the_rooms_pages_show_the_course_check_before_and_after():
    learners = checked_room()
    page = pages.room(learners, 0, "/services/progress/", "")
    assert "course check" in page and "Course check: right before and after the course" in page
    assert '<span title="3 answered">3/7</span>' in page  # ada after
    assert "<td>1 of 2</td><td>1 of 1</td>" in page  # question 1: right of answered, before and after
    wall = pages.projector(learners, "/services/progress/")
    assert "<td>1 of 2</td><td>1 of 1</td>" in wall and "ada" not in wall  # the projector names no one
    rows = pages.gradebook(learners).splitlines()
    assert rows[0].endswith(",check before,check after")
    assert rows[1].endswith(",1,3") and rows[2].endswith(",1,") and rows[3].endswith(",,")


def test_progress_in_a_terminal_shows_each_learners_course_check(tmp_path, monkeypatch, capsys):
    import argparse

    from dockerlab.commands import workshop as command

    monkeypatch.setenv("DOCKERLAB_LANG", "en")
    monkeypatch.setattr(hub, "settings", lambda: {"learners": ["ada", "ben"]})
    monkeypatch.setattr(hub, "folder", lambda: tmp_path)
    report_file(tmp_path, "ada", json.dumps({"time": 5, "tasks": {},
                                             "check": {"before": {"names": "yes"}, "after": {"names": "no"}}}).encode())
    assert command.run(argparse.Namespace(action="progress", csv=False, json=False)) == 0
    out = capsys.readouterr().out
    assert "ada            course check: 0/7 right before the course, 1/7 after" in out
    assert "ben" in out and out.count("course check") == 1
