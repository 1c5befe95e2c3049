"""The learner's working copy of the course: the lessons and sheets to open, apart from the course's own files.

``dockerlab open`` (and the course's container) copies the course's notebooks into a folder of the
learner's (``~/dockerlab`` by default) and opens them there, so that a newer course (``git pull``, a new
release, a new image) never overwrites or conflicts with what the learner changed. A manifest in that
folder (``.dockerlab/course.json``) remembers the digest of each file as the course gave it: at each
start, a file the learner has not touched is brought up to date; a file the learner changed is kept,
and when the course changed it too, the course's new version is put beside it (``NAME.new.ipynb``) and
named. Similar to ``rsync --ignore-existing`` with a memory of what was the course's.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

COURSE_FILES = ("notebooks/*.ipynb", "notebooks/pictures/*.svg", "exercises/student/*.ipynb", "notes-checked.md",
                "ko/notebooks/*.ipynb", "ko/notebooks/pictures/*.svg", "ko/notebooks/.dockerlab-language",
                "ko/exercises/student/*.ipynb", "ko/exercises/student/.dockerlab-language", "ko/notes-checked.md")
"""What a learner opens (relative to the course's folder). The solved sheets and the tests stay with the course."""

MANIFEST = Path(".dockerlab") / "course.json"
NEW = ".new"


@dataclasses.dataclass
class Synced:
    """What one start did to the working copy, file by file (paths relative to it)."""

    added: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    kept: list[str] = dataclasses.field(default_factory=list)
    """Changed by the learner and by the course: the learner's stays, the course's is beside it (``.new``)."""


def course_folder() -> Path:
    """Where the course's own files are: this source tree, or the installed package's ``share/dockerlab/course``."""
    source = Path(__file__).resolve().parents[2]
    if (source / "notebooks" / "00-welcome.ipynb").exists():
        return source
    for prefix in (sys.prefix, sys.base_prefix, os.path.expanduser("~/.local")):
        installed = Path(prefix) / "share" / "dockerlab" / "course"
        if (installed / "notebooks" / "00-welcome.ipynb").exists():
            return installed
    raise FileNotFoundError("the course's notebooks are not installed with this dockerlab")


def recordings_folder(course: Path) -> Path | None:
    """The installed course's recordings (one folder for lessons and sheets), for a session with no engine."""
    folder = course / "recordings"
    return folder if folder.is_dir() else None


def course_files(course: Path) -> list[str]:
    return sorted({path.relative_to(course).as_posix() for pattern in COURSE_FILES for path in course.glob(pattern)})


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beside(name: str) -> str:
    """Where the course's newer version of a file the learner changed goes: ``02-veth-pairs.new.ipynb``."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}{NEW}.{suffix}" if dot else name + NEW


def sync(course: Path, work: Path) -> Synced:
    """Bring ``work`` up to date with ``course``, keeping every file the learner changed."""
    manifest_path = work / MANIFEST
    try:
        given: dict[str, str] = json.loads(manifest_path.read_text("utf-8"))
    except (OSError, ValueError):
        given = {}
    done = Synced()
    for name in course_files(course):
        source, target = course / name, work / name
        new = _digest(source)
        if not target.exists():
            done.added.append(name)
        elif (mine := _digest(target)) == new:
            given[name] = new
            continue
        elif given.get(name) == mine:  # untouched since the course gave it: the course's newer version
            done.updated.append(name)
        else:  # the learner's own: kept; the course's version beside it, when it is new to them
            if given.get(name) != new:
                shutil.copyfile(source, target.with_name(beside(target.name)))
                done.kept.append(name)
                given[name] = new
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        given[name] = new
    manifest_path.parent.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(given, indent=1, sort_keys=True) + "\n", "utf-8")
    return done
