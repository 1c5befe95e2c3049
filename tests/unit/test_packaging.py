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


def test_the_version_is_written_once():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "dockerlab.version.__version__"}
    assert metadata.version("dockerlab") == dockerlab.__version__


def test_the_declared_licence_is_there():
    assert PYPROJECT["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "Copyright (c) 2026 the dockerlab authors" in text
