"""A release, as a learner installs it: built from a fresh clone, installed into an empty folder's venv, opened.

The clone is tagged ``v0.9.0``: the wheel and the sdist carry that version (from the tag) and the course's
notebooks. Installed with pip into a new venv in an empty folder, ``dockerlab open`` copies the course into
the learner's working folder and JupyterLab serves the welcome lesson. The learner edits lesson 02; the
course's ``v0.9.1`` changes lessons 02 and 03; after the upgrade, lesson 03 is the new one, the learner's
lesson 02 is untouched and the course's new lesson 02 lies beside it. No engine is needed (the course opens,
and says that no lesson can run until one answers).
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "dockerlab-release-test"


def run(*command: str | Path, cwd: Path | None = None, env: dict | None = None) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, f"$ {' '.join(map(str, command))}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def git(clone: Path, *words: str) -> str:
    return run("git", "-c", "user.name=dockerlab test", "-c", "user.email=test@dockerlab.invalid", *words, cwd=clone)


UV = Path(sys.executable).with_name("uv")
"""uv (the ``[site]`` extra): it builds and installs as pip does, from the same index, in seconds, not minutes."""


def build(clone: Path, out: Path, *kinds: str) -> list[Path]:
    run(UV, "build", "--quiet", *kinds, "--out-dir", out, cwd=clone)
    return sorted(path for path in out.iterdir() if path.name.endswith((".whl", ".tar.gz")))  # uv adds a .gitignore


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """A fresh clone of the committed course, tagged v0.9.0, built; and a learner's empty folder with a venv."""
    work = tmp_path_factory.mktemp("release")
    clone = work / "clone"
    run("git", "clone", "--quiet", "--no-local", ROOT, clone)
    git(clone, "tag", "v0.9.0")
    first = build(clone, work / "dist-0.9.0", "--sdist", "--wheel")
    learner = work / "learner"
    learner.mkdir()
    run(UV, "venv", "--quiet", "--python", sys.executable, learner / ".venv")
    return clone, first, learner


def open_course(learner: Path) -> tuple[str, subprocess.Popen]:
    """``dockerlab open`` in the learner's folder, with no engine: what it printed until JupyterLab answered."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DOCKER_HOST": "unix:///nowhere", "DOCKERLAB_TOKEN": TOKEN, "HOME": str(learner)}
    env.pop("DOCKERLAB_ANSWERS", None)
    server = subprocess.Popen([learner / ".venv/bin/dockerlab", "open", "--work", "course", "--port", str(port),
                               "--no-browser"], cwd=learner, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines = []
    deadline = time.monotonic() + 120
    url = f"http://127.0.0.1:{port}/api/contents/notebooks/00-welcome.ipynb?token={TOKEN}"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                assert json.load(answer)["content"]["cells"]
                break
        except OSError:
            time.sleep(1)
    else:
        server.kill()
        raise AssertionError("JupyterLab did not answer:\n" + server.stdout.read())  # type: ignore[union-attr]
    os.killpg(server.pid, signal.SIGTERM)
    output, _ = server.communicate(timeout=60)
    lines.append(output)
    return "".join(lines), server


def test_the_release_carries_its_tags_version_and_the_course(release):
    _, built, _ = release
    assert [path.name for path in built] == ["dockerlab-0.9.0-py3-none-any.whl", "dockerlab-0.9.0.tar.gz"]
    wheel = zipfile.ZipFile(built[0]).namelist()
    shared = "dockerlab-0.9.0.data/data/share/dockerlab/course/"
    for name in ("notebooks/00-welcome.ipynb", "notebooks/pictures/02-veth-pairs.svg",
                 "exercises/student/04-user-networks.ipynb", "ko/notebooks/.dockerlab-language",
                 "notes-checked.md", "recordings/02-veth-pairs.json.gz", "recordings/ex04.json.gz"):
        assert shared + name in wheel, name
    assert not any(re.match(re.escape(shared) + r"exercises/\d", name) for name in wheel)  # no solutions
    licences = [name for name in wheel if "/licenses/" in name]
    assert sorted(Path(name).name for name in licences) == ["LICENSE", "LICENSE-CONTENT.md"]
    with tarfile.open(built[1]) as sdist:
        names = sdist.getnames()
    assert "dockerlab-0.9.0/CHANGELOG.md" in names and "dockerlab-0.9.0/notebooks/02-veth-pairs.ipynb" in names


def test_installed_in_an_empty_folder_it_opens_the_course_and_an_update_keeps_the_learners_edit(release):
    """Installed with its dependencies from the package index (``uv pip install`` is ``pip install``, faster)."""
    clone, built, learner = release
    pip = [UV, "pip", "install", "--quiet", "--python", learner / ".venv/bin/python"]
    run(*pip, built[0])
    assert run(learner / ".venv/bin/dockerlab", "--version").strip() == "dockerlab 0.9.0"
    printed, _ = open_course(learner)
    assert "Open the course at http://127.0.0.1:" in printed and "no lesson can run" in printed, printed
    lesson = learner / "course/notebooks/02-veth-pairs.ipynb"
    assert lesson.exists() and (learner / "course/exercises/student/04-user-networks.ipynb").exists()
    mine = json.loads(lesson.read_text())
    mine["cells"].insert(0, {"cell_type": "markdown", "id": "mine", "metadata": {}, "source": "My own notes."})
    lesson.write_text(json.dumps(mine))

    for name in ("02-veth-pairs", "03-drivers"):  # the course's next version changes two lessons
        path = clone / "notebooks" / f"{name}.ipynb"
        newer = json.loads(path.read_text())
        newer["cells"][0]["source"] = "".join(newer["cells"][0]["source"]) + "\n\nCorrected in 0.9.1."
        path.write_text(json.dumps(newer, indent=1, ensure_ascii=False) + "\n")
    git(clone, "commit", "--quiet", "-am", "0.9.1")
    git(clone, "tag", "v0.9.1")
    wheel = next(path for path in build(clone, clone.parent / "dist-0.9.1", "--wheel") if path.suffix == ".whl")
    run(*pip, "--no-deps", wheel)
    printed, _ = open_course(learner)
    assert "You changed notebooks/02-veth-pairs.ipynb" in printed, printed
    assert json.loads(lesson.read_text())["cells"][0]["source"] == "My own notes."
    beside = json.loads((learner / "course/notebooks/02-veth-pairs.new.ipynb").read_text())
    assert "Corrected in 0.9.1." in "".join(beside["cells"][0]["source"])
    updated = json.loads((learner / "course/notebooks/03-drivers.ipynb").read_text())
    assert "Corrected in 0.9.1." in "".join(updated["cells"][0]["source"])
