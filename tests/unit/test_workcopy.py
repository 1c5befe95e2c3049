"""The learner's working copy: a newer course updates what the learner left alone and never what they changed."""
from __future__ import annotations

import json
from pathlib import Path

from dockerlab.commands import workcopy
from dockerlab.commands.workcopy import sync


def course(root: Path, version: str, changed: dict[str, str] | None = None) -> Path:
    """A course folder with two lessons, a picture, a sheet and the Korean welcome; ``changed`` overrides texts."""
    files = {"notebooks/01-default-bridge.ipynb": f"lesson 01 of {version}",
             "notebooks/02-veth-pairs.ipynb": "lesson 02",
             "notebooks/pictures/02-veth-pairs.svg": "<svg/>",
             "exercises/student/04-user-networks.ipynb": "sheet 04",
             "exercises/04-user-networks.ipynb": "the solved sheet: never copied",
             "ko/notebooks/00-welcome.ipynb": "환영합니다",
             "ko/notebooks/.dockerlab-language": "ko\n"}
    files.update(changed or {})
    folder = root / version
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_the_first_start_copies_what_a_learner_opens(tmp_path):
    work = tmp_path / "work"
    done = sync(course(tmp_path, "v1"), work)
    assert sorted(done.added) == ["exercises/student/04-user-networks.ipynb", "ko/notebooks/.dockerlab-language",
                                  "ko/notebooks/00-welcome.ipynb", "notebooks/01-default-bridge.ipynb",
                                  "notebooks/02-veth-pairs.ipynb", "notebooks/pictures/02-veth-pairs.svg"]
    assert not (work / "exercises" / "04-user-networks.ipynb").exists()  # the solutions stay with the course
    assert (work / "ko/notebooks/.dockerlab-language").read_text() == "ko\n"  # the Korean folder speaks Korean
    assert set(json.loads((work / workcopy.MANIFEST).read_text())) == set(done.added)
    assert sync(course(tmp_path, "v1"), work) == workcopy.Synced()  # a second start changes nothing


def test_an_update_keeps_the_learners_edit_and_puts_the_new_version_beside_it(tmp_path):
    work = tmp_path / "work"
    sync(course(tmp_path, "v1"), work)
    (work / "notebooks/01-default-bridge.ipynb").write_text("lesson 01, with my notes")
    newer = course(tmp_path, "v2", {"notebooks/02-veth-pairs.ipynb": "lesson 02, corrected"})
    done = sync(newer, work)
    assert done.kept == ["notebooks/01-default-bridge.ipynb"]
    assert done.updated == ["notebooks/02-veth-pairs.ipynb"]
    assert (work / "notebooks/01-default-bridge.ipynb").read_text() == "lesson 01, with my notes"
    assert (work / "notebooks/01-default-bridge.new.ipynb").read_text() == "lesson 01 of v2"
    assert (work / "notebooks/02-veth-pairs.ipynb").read_text() == "lesson 02, corrected"
    again = sync(newer, work)  # told once: the next start leaves both alone
    assert again == workcopy.Synced()
    assert (work / "notebooks/01-default-bridge.ipynb").read_text() == "lesson 01, with my notes"


def test_an_edit_the_course_did_not_change_is_simply_kept(tmp_path):
    work = tmp_path / "work"
    sync(course(tmp_path, "v1"), work)
    (work / "notebooks/02-veth-pairs.ipynb").write_text("my lesson 02")
    done = sync(course(tmp_path, "v2"), work)
    assert "notebooks/02-veth-pairs.ipynb" not in done.kept + done.updated
    assert (work / "notebooks/02-veth-pairs.ipynb").read_text() == "my lesson 02"
    assert not (work / "notebooks/02-veth-pairs.new.ipynb").exists()


def test_a_deleted_lesson_comes_back(tmp_path):
    work = tmp_path / "work"
    sync(course(tmp_path, "v1"), work)
    (work / "notebooks/02-veth-pairs.ipynb").unlink()
    assert sync(course(tmp_path, "v1"), work).added == ["notebooks/02-veth-pairs.ipynb"]


def test_the_source_tree_is_a_course_folder():
    folder = workcopy.course_folder()
    names = workcopy.course_files(folder)
    assert "notebooks/00-welcome.ipynb" in names and "ko/notebooks/.dockerlab-language" in names
    assert any(name.startswith("exercises/student/") for name in names)
    assert not any(name.startswith(("tests/", "exercises/0")) for name in names)
