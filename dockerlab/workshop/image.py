"""The learner image: a lab Docker host (its own dockerd) plus Python, JupyterLab and the course.

Made with no registry, in two layers: a Debian base from ``debootstrap`` (like ``dockerlab/node``,
with Python added), then the course and JupyterHub's single-user server installed from wheels this
machine's pip has made. The lab images are inside, loaded into the learner's engine when it starts.
Similar to ``docker build -t dockerlab/learner .``.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .. import errors, labels
from ..engine.client import Engine
from ..engine.images import _current, _tar_context, debootstrap_image, ensure_images
from ..text import say
from . import NOT_IN_A_ROOM

BASE_IMAGE = "dockerlab/learner-base:latest"
BASE_RECIPE = "learner-base-1"
BASE_PACKAGES = "docker.io,iproute2,iptables,procps,python3,python3-venv,ca-certificates,less"
BASE_PYTHON = "3.11.2"  # Debian 12's python3
PLATFORMS = ("manylinux_2_36_x86_64", "manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
             "manylinux1_x86_64", "linux_x86_64")
LEARNER_IMAGE = "dockerlab/learner:latest"
HERE = Path(__file__).parent
PROJECT = HERE.parents[1]  # the course's source tree (pyproject.toml, notebooks/, exercises/)
COURSE_FOLDERS = ("notebooks", "exercises/student")
PICTURES = "notebooks/pictures"  # the lessons' goal pictures (``![...](pictures/01-default-bridge.svg)``)

DOCKERFILE = f"""\
FROM {BASE_IMAGE}
COPY wheels /tmp/wheels
RUN python3 -m venv /opt/dockerlab \\
 && /opt/dockerlab/bin/pip install -q --no-index --find-links /tmp/wheels dockerlab jupyterhub \\
 && rm -rf /tmp/wheels /root/.cache
COPY busybox.tar /opt/dockerlab/images/busybox.tar
COPY course /opt/dockerlab/course
COPY learner-start /usr/local/bin/learner-start
COPY jupyter_server_config.py /etc/jupyter/jupyter_server_config.py
ENV PATH=/opt/dockerlab/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /root/work
ENTRYPOINT ["/usr/local/bin/learner-start"]
CMD ["jupyterhub-singleuser"]
"""


def recipe() -> str:
    """The learner image's recipe: its own files and the course a learner uses, so a changed course is rebuilt.

    The workshop's other modules run on the host (the hub, the instructor's view), not in the image.
    """
    digest = hashlib.sha256(DOCKERFILE.encode())
    inside = [HERE / "learner-start.sh", HERE / "jupyter_server_config.py", HERE / "__init__.py", HERE / "learner.py",
              PROJECT / "pyproject.toml"]
    for path in sorted((PROJECT / "dockerlab").rglob("*")) + inside:
        if (path.is_file() and path.suffix in (".py", ".json", ".toml", ".sh") and "__pycache__" not in path.parts
                and (HERE not in path.parents or path in inside)):
            digest.update(str(path.relative_to(PROJECT)).encode() + path.read_bytes())
    for name, content in sorted(_course_files().items()):
        digest.update(name.encode() + content)
    return "learner-2-" + digest.hexdigest()[:12]


def _wheels(into: Path, progress: Callable[[str], None]) -> None:
    """The course and the hub's single-user server as wheels for the image's Python (Debian's, not ours).

    Similar to ``pip wheel --no-deps .`` then ``pip download --python-version 3.11.2 ... jupyterhub``.
    """
    from importlib.metadata import version

    hub = f"jupyterhub=={version('jupyterhub')}"
    pip = [sys.executable, "-m", "pip", "-q"]
    target = ["--only-binary=:all:", "--python-version", BASE_PYTHON, "--implementation", "cp",
              *(f"--platform={platform}" for platform in PLATFORMS)]
    progress(f"$ pip wheel --no-deps {PROJECT}; pip download --python-version {BASE_PYTHON} COURSE {hub}")
    _pip([*pip, "wheel", "--no-deps", "-w", str(into), str(PROJECT)])
    _pip([*pip, "download", "-d", str(into), *target, hub, *map(str, into.glob("dockerlab-*.whl"))])


def _pip(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise errors.ImageUnavailable("image-build-failed", tag=LEARNER_IMAGE, message=done.stderr[-800:])


def _course_files() -> dict[str, bytes]:
    """The lessons, the student copies of the sheets and the pictures; a lesson that cannot run in a room
    (``NOT_IN_A_ROOM``) is replaced by a one-cell notebook that says so and where to do it instead."""
    files = {}
    for folder in COURSE_FOLDERS:
        for path in sorted((PROJECT / folder).glob("*.ipynb")):
            unavailable = path.name[:2] in NOT_IN_A_ROOM
            files[f"course/{folder}/{path.name}"] = _not_in_a_room(path.stem) if unavailable else path.read_bytes()
    if not files:
        raise errors.ImageUnavailable("workshop-course-missing", path=PROJECT)
    for path in sorted((PROJECT / PICTURES).glob("*")):
        if path.is_file():
            files[f"course/{PICTURES}/{path.name}"] = path.read_bytes()
    return files


def _not_in_a_room(name: str) -> bytes:
    """A notebook with one Markdown cell: this lesson is not available in the workshop, and why."""
    cell = {"id": "not-in-a-room", "cell_type": "markdown", "metadata": {},
            "source": say("workshop-not-in-a-room", name=name)}
    notebook = {"cells": [cell], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
                "nbformat": 4, "nbformat_minor": 5}
    return (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode()


def ensure_learner_image(engine: Engine, force: bool = False,
                         progress: Callable[[str], None] = print) -> str:
    """Make ``dockerlab/learner`` unless it is current; returns ``present`` or how long the build took."""
    wanted = recipe()
    if _current(engine, LEARNER_IMAGE, wanted) and not force:
        return "present"
    started = time.monotonic()
    ensure_images(engine, progress=progress)
    if not _current(engine, BASE_IMAGE, BASE_RECIPE):
        debootstrap_image(engine, BASE_IMAGE, BASE_PACKAGES,
                          [f"LABEL {labels.RECIPE}={BASE_RECIPE}", f"LABEL {labels.SOURCE}=build"], progress)
    with tempfile.TemporaryDirectory(prefix="dockerlab-learner-") as work:
        wheels = Path(work)
        _wheels(wheels, progress)
        files = {f"wheels/{wheel.name}": wheel.read_bytes() for wheel in sorted(wheels.glob("*.whl"))}
        files.update(_course_files())
        files.update({"Dockerfile": DOCKERFILE.encode(),
                      "busybox.tar": b"".join(engine.api.get_image(labels.BUSYBOX_IMAGE)),
                      "learner-start": (HERE / "learner-start.sh").read_bytes(),
                      "jupyter_server_config.py": (HERE / "jupyter_server_config.py").read_bytes()})
        progress(f"$ docker build --network none -t {LEARNER_IMAGE} " + say("workshop-image-files", files=len(files)))
        engine.build(_tar_context(files, {"learner-start": 0o755}), LEARNER_IMAGE,
                     {labels.RECIPE: wanted, labels.SOURCE: "build"}, progress, network="none")
    took = f"{time.monotonic() - started:.0f} s"
    progress(say("workshop-image-ready", image=LEARNER_IMAGE, took=took))
    return took
