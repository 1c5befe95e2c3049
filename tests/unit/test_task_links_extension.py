"""The course's JupyterLab extension that opens a task link (``...ipynb#task-04.2``) at the task: where it is
shipped, where ``./lab`` puts it, and that JupyterLab recognises it (the browser tier opens the links)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib
from jupyter_core.paths import jupyter_path
from jupyterlab_server.config import get_federated_extensions

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "labextension" / "dockerlab-task-links"
TARGET = "share/jupyter/labextensions/dockerlab-task-links"


def test_jupyterlab_recognises_the_extension_and_its_entry_point():
    found = get_federated_extensions([str(SOURCE.parent)])["dockerlab-task-links"]
    build = found["jupyterlab"]["_build"]
    assert (SOURCE / build["load"]).is_file() and build["extension"] == "./extension"
    assert 'containers["dockerlab-task-links"]' in (SOURCE / build["load"]).read_text()


def test_an_installed_course_has_it_where_jupyterlab_looks():
    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    shipped = {f"{folder}/{Path(path).name}": path for folder, paths in data_files.items() for path in paths
               if folder.startswith(TARGET)}  # the data-files also carry the course (test_packaging.py)
    assert shipped == {f"{TARGET}/package.json": "labextension/dockerlab-task-links/package.json",
                       f"{TARGET}/static/remoteEntry.js": "labextension/dockerlab-task-links/static/remoteEntry.js"}
    script = (ROOT / "lab").read_text()
    installed = dict(re.findall(r'install -D -m 644 (labextension/\S+) "\$VENV/\$links/(\S+)"', script))
    assert {f"{TARGET}/{path}": source for source, path in installed.items()} == shipped  # an editable install
    assert str(Path(sys.prefix) / "share/jupyter/labextensions") in jupyter_path("labextensions")
