"""What the package ships: every non-Python file it reads, one version, the declared licence."""
from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

import dockerlab

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dockerlab"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _shipped_files() -> set[Path]:
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["dockerlab"]
    return {path for pattern in patterns for path in PACKAGE.glob(pattern)}


def _data_files() -> set[Path]:
    return {path for path in PACKAGE.rglob("*") if path.is_file() and path.suffix not in (".py", ".pyc")
            and "__pycache__" not in path.parts}


def test_package_data_names_every_data_file_and_nothing_else():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["dockerlab"]
    assert _data_files() == _shipped_files()
    assert all(any(PACKAGE.glob(pattern)) for pattern in patterns), "a package-data pattern matches no file"


def test_the_version_comes_from_git_tags_and_is_written_once():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    assert "setuptools-scm>=8" in PYPROJECT["build-system"]["requires"]
    assert PYPROJECT["tool"]["setuptools_scm"]["version_file"] == "dockerlab/_version.py"
    assert "dynamic" not in PYPROJECT["tool"]["setuptools"]  # setuptools-scm gives it, dockerlab/version.py reads it
    assert metadata.version("dockerlab") == dockerlab.__version__


def test_the_declared_licences_are_there():
    assert PYPROJECT["project"]["license"] == "MIT AND CC-BY-4.0"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE", "LICENSE-CONTENT.md"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "Copyright (c) 2026 the dockerlab authors" in text
    content = (ROOT / "LICENSE-CONTENT.md").read_text()
    assert "Creative Commons Attribution 4.0 International" in content and "notes" in content


def test_the_course_a_learner_opens_is_installed_with_the_package():
    """Every file ``dockerlab open`` copies is named by the data-files, and so are the recordings."""
    from dockerlab.commands.workcopy import course_files

    data_files = PYPROJECT["tool"]["setuptools"]["data-files"]
    shipped = {(Path(target) / Path(path).name).relative_to("share/dockerlab/course").as_posix()
               for target, patterns in data_files.items()
               if target.startswith("share/dockerlab/course") and target != "share/dockerlab/course/recordings"
               for pattern in patterns for path in ROOT.glob(pattern)}
    assert set(course_files(ROOT)) == shipped
    recordings = [path for pattern in data_files["share/dockerlab/course/recordings"] for path in ROOT.glob(pattern)]
    assert len(recordings) >= 25 and len({path.name for path in recordings}) == len(recordings)
