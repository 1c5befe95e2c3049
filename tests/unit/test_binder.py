"""Binder: repo2docker renders the build from binder/ (the course and JupyterLab, no engine), the README's
badge opens the welcome lesson, and a Binder session is recognised."""
from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest

from dockerlab.engine.binder import MARKERS, in_binder
from tests.conftest import ROOT

COPY_REPOSITORY = "COPY --chown=0:0 src/ ${REPO_DIR}/"
PIP_INSTALL = 'pip install --no-cache-dir -r "binder/requirements.txt"'


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory) -> str:
    """``repo2docker --no-build --no-run .``: the Dockerfile Binder would build, with no engine reachable."""
    nowhere = tmp_path_factory.mktemp("no-engine") / "docker.sock"
    done = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--no-run", str(ROOT)],
                          capture_output=True, text=True, timeout=120, env={
                              "PATH": "/usr/bin:/bin", "HOME": str(nowhere.parent), "DOCKER_HOST": f"unix://{nowhere}"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_binder_installs_the_course_after_copying_the_repository(dockerfile):
    lines = [line.strip() for line in dockerfile.splitlines()]
    copied = lines.index(COPY_REPOSITORY)
    installs = [number for number, line in enumerate(lines) if line.endswith(PIP_INSTALL)]
    assert installs and min(installs) > copied, "pip would install '.' before the repository is there"
    requirements = [line for line in (ROOT / "binder/requirements.txt").read_text().splitlines()
                    if line.strip() and not line.startswith("#")]
    assert requirements == ["."]


def test_binder_session_has_python_311_and_jupyterlab_and_no_engine(dockerfile):
    assert re.search(r"environment-2epy-2d3-2e11-2dlinux-2d64-2elock", dockerfile)
    assert "jupyterlab" in (ROOT / "pyproject.toml").read_text()
    assert not (ROOT / "binder/apt.txt").exists()
    assert "dockerd" not in dockerfile and not re.search(r"\b(docker\.io|docker-ce|moby-engine)\b(?!/)", dockerfile)


def test_readme_binder_badge_opens_the_welcome_lesson_in_jupyterlab():
    readme = (ROOT / "README.md").read_text()
    link = re.search(r"\(https://mybinder\.org/v2/gh/[^)]+\)", readme).group(0)[1:-1]
    urlpath = parse_qs(urlparse(link).query)["urlpath"][0]
    assert urlpath == "lab/tree/notebooks/00-welcome.ipynb" and (ROOT / urlpath.removeprefix("lab/tree/")).exists()
    assert "https://codespaces.new/" in readme


@pytest.mark.parametrize("marker", MARKERS)
def test_a_binder_session_is_recognised(marker):
    assert in_binder({marker: "v2/gh/OWNER/dockerlab/HEAD"})


def test_a_jupyterhub_alone_is_not_binder():
    assert not in_binder({"JUPYTERHUB_SERVICE_PREFIX": "/user/ana/", "JUPYTERHUB_API_URL": "http://hub:8081/hub/api"})
    assert not in_binder({"BINDER_REQUEST": ""})
