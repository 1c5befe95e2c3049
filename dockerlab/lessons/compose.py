"""A lesson's Compose project: its ``compose.yaml`` in a folder of the course's own, and ``docker compose`` run there.

Similar to ``mkdir -p FOLDER && cd FOLDER && cat > compose.yaml``, then ``docker compose up -d`` in that folder.
The file names its project (``name:``, Compose v2's top-level element), so that every ``docker compose`` command
of the lesson reads as a learner types it in that folder; the learner's own docker CLI (with its Compose v2
plugin) runs them through the course's proxy, which labels what Compose creates as the lesson's.

A learner's own Compose project of the same name is never touched: before writing the file, the engine is asked
for containers and networks labelled with that project that are not the course's; if there are any, the lesson
stops with a message that says what to do.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .. import errors, folders, labels

if TYPE_CHECKING:
    from ..host.session import Session

PROJECT = "com.docker.compose.project"
"""The label Compose v2 puts on every container and network of a project (docker/compose ``pkg/api/labels.go``)."""

FILE = "compose.yaml"
"""The file name Compose v2 looks for first in the folder it runs in (compose-go ``cli.DefaultFileNames``)."""

_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*\.ya?ml$")
_SOLUTION = re.compile(r"^# ([a-z0-9][a-z0-9_.-]*\.ya?ml)\n")
_NAME = re.compile(r"^name:\s*['\"]?([a-z0-9][a-z0-9_-]*)['\"]?\s*$", re.MULTILINE)
_MISSING = ("is not a docker command", "unknown command", "unknown shorthand flag: 'f' in -f",
            "unknown shorthand flag: 'p' in -p")
"""What the docker CLI says when it has no ``compose`` plugin (docker/cli 20.10: "'compose' is not a docker
command."; 28: "unknown command: docker compose"); ``-f``/``-p`` after ``docker`` are then its own unknown flags."""


def folder(lesson: str) -> Path:
    """Where ``lesson``'s ``compose.yaml`` lives: ``~/.local/state/dockerlab/compose/LESSON``."""
    return folders.state() / "compose" / lesson


def project_of(text: str) -> str:
    """The project's name from a Compose file's top-level ``name:``; a file without one is refused."""
    found = _NAME.search(text)
    if not found:
        raise errors.UnsupportedCommand("compose-needs-name")
    return found.group(1)


def learners_own(engine: Session, project: str) -> list[str]:
    """The names of the containers and networks of Compose project ``project`` that are not the course's.

    Similar to ``docker ps -a --filter label=com.docker.compose.project=PROJECT`` and ``docker network ls`` with the
    same filter, keeping those without ``io.dockerlab.managed=true``."""
    wanted = f"{PROJECT}={project}"
    theirs = [labels.container_name(listed) for listed in engine.containers(label=[wanted])
              if not labels.is_managed(labels.of(listed))]
    return theirs + [network["Name"] for network in engine.networks(label=[wanted])
                     if not labels.is_managed(labels.of(network))]


def write(engine: Session, lesson: str, text: str, name: str = FILE) -> Path:
    """Write ``text`` as ``lesson``'s Compose file ``name`` (after checking its project is not the learner's own)."""
    if not _FILE_NAME.match(name):
        raise errors.UnsupportedCommand("compose-file-name", name=name)
    project = project_of(text)
    theirs = learners_own(engine, project)
    if theirs:
        raise errors.NameInUse("compose-project-taken", project=project, what=", ".join(sorted(theirs)))
    path = folder(lesson) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.strip("\n") + "\n", "utf-8")
    return path


def is_compose(words: list[str]) -> bool:
    """Whether ``docker WORDS`` is a ``docker compose`` command."""
    return words[:1] == ["compose"]


def missing(code: int, output: str) -> bool:
    """Whether a ``docker compose`` command failed because the CLI has no Compose v2 plugin."""
    return code != 0 and any(said in output for said in _MISSING)


def solution_file(name: str, text: str) -> str:
    """A line of an exercise's solution that writes the Compose file ``name``: ``# NAME`` and its text below."""
    return f"# {name}\n{text}"


def from_solution(line: str) -> tuple[str, str] | None:
    """The file name and text of a solution's line made by :func:`solution_file`, else ``None``."""
    found = _SOLUTION.match(line)
    return (found.group(1), line[found.end():]) if found else None
