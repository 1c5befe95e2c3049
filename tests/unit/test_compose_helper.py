"""A lesson's Compose project with no engine: its file, its folder, the project's name, a missing Compose, a
learner's own project of the same name (lesson 14; the real engine: tests/integration/test_compose.py)."""
from __future__ import annotations

import pytest

from dockerlab import errors, labels
from dockerlab.exercises import find
from dockerlab.lessons import compose
from dockerlab.lessons.lesson import Lab
from tests.unit.fake_engine import fake_engine

FILE = "name: dockerlab-14\nservices:\n  web:\n    image: dockerlab/busybox:latest\n"
PROJECT_LABEL = {compose.PROJECT: "dockerlab-14"}


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


class _Session:
    """Answers ``docker`` as a CLI with or without its Compose plugin; keeps the folder each command ran in."""

    lesson = "14-compose"

    def __init__(self, output: str = "", code: int = 0):
        self.output, self.code, self.ran = output, code, []

    def for_lesson(self, lesson):
        return self

    def docker(self, words, folder=None):
        self.ran.append((words, folder))
        return self.code, self.output


def test_the_project_is_the_files_top_level_name():
    assert compose.project_of(FILE) == "dockerlab-14"
    assert compose.project_of("services: {}\nname: 'ex14-fix'\n") == "ex14-fix"
    with pytest.raises(errors.UnsupportedCommand):
        compose.project_of("services:\n  web:\n    name: nested\n")


def test_a_compose_command_runs_in_the_lessons_folder_and_others_where_they_are(capsys):
    session = _Session("Docker Compose version 2.40.3\n")
    lab = Lab(session, "14-compose")  # type: ignore[arg-type]
    lab.docker("compose version")
    lab.docker("docker compose ps")
    lab.docker("network ls")
    folder = str(compose.folder("14-compose"))
    assert session.ran == [(["compose", "version"], folder), (["compose", "ps"], folder), (["network", "ls"], None)]
    assert compose.folder("14-compose").is_dir()


@pytest.mark.parametrize("said", ["docker: 'compose' is not a docker command.\nSee 'docker --help'\n",
                                  "unknown command: docker compose\n\nRun 'docker --help' for more information\n"])
def test_a_cli_without_compose_v2_gets_what_to_install(said):
    lab = Lab(_Session(said, code=1), "14-compose")  # type: ignore[arg-type]
    with pytest.raises(errors.CliMissing) as missing:
        lab.docker("compose version")
    assert "docker-compose-plugin" in str(missing.value) and "Docker Desktop" in str(missing.value)


def test_a_compose_command_that_fails_otherwise_says_its_own_error():
    lab = Lab(_Session("service \"web\" refers to undefined network front: invalid compose project\n", 1),
              "14-compose")  # type: ignore[arg-type]
    with pytest.raises(errors.CommandRefused) as failed:
        lab.docker("compose up -d")
    assert "undefined network front" in str(failed.value)


def test_the_file_is_written_and_shown_unless_a_learners_project_has_the_name(capsys):
    engine = fake_engine()
    lab = Lab(engine, "14-compose")
    assert lab.compose_file(FILE) == "dockerlab-14"
    assert (compose.folder("14-compose") / "compose.yaml").read_text() == FILE
    assert capsys.readouterr().out == "# compose.yaml\n" + FILE
    engine.api.create_container(labels.BUSYBOX_IMAGE, ["sleep", "1d"], name="dockerlab-14-web-1",
                                labels={**labels.labels_for("14-compose"), **PROJECT_LABEL})
    assert compose.learners_own(engine, "dockerlab-14") == []  # the course's own: the file may be written again
    engine.api.create_container(labels.BUSYBOX_IMAGE, ["sleep", "1d"], name="theirs-web-1", labels=PROJECT_LABEL)
    with pytest.raises(errors.NameInUse) as taken:
        lab.compose_file(FILE.replace("image", "  image"))
    assert "theirs-web-1" in str(taken.value) and "docker compose -p dockerlab-14 down" in str(taken.value)
    assert (compose.folder("14-compose") / "compose.yaml").read_text() == FILE


def test_a_solution_writes_its_file_then_runs_compose():
    task = find("14.1")
    written = compose.from_solution(task.commands[0])
    assert written is not None and written[0] == "alias.yaml" and compose.project_of(written[1]) == "ex14-alias"
    assert compose.from_solution("# a comment") is None and compose.from_solution("docker ps") is None
    shown = "\n".join(task.solution_lines())
    assert shown.startswith("  # alias.yaml\n  name: ex14-alias\n  services:") and \
        shown.endswith("\n  $ docker compose -f alias.yaml up -d")
