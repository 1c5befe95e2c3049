"""A learner's own filesystem: a size-limited disk for their engine's data, their work and their home.

An ext4 image file (sparse: it takes only what is written), mounted on the host through a loop device, its
folders owned by the learner's root (an unprivileged uid on the host). When a learner fills it, only their
own engine and notebooks see "no space left"; the host and the other learners do not. Similar to::

    truncate -s 3G learner1.img && mkfs.ext4 -q learner1.img && mount -o loop learner1.img learner1/
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .. import errors
from .engine import REMAP_BASE, mounted, places

# the folders a learner's environment gets, and where they are mounted in it
FOLDERS = {"engine": "/var/lib/docker", "home": "/root", "work": "/root/work", "report": "/var/lib/dockerlab-report"}


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise errors.CommandRefused("workshop-disk-failed", command=" ".join(command),
                                    output=(done.stderr or done.stdout).strip()[-400:])


def image(state: Path, learner: str) -> Path:
    return state / "learners" / f"{learner}.img"


def mountpoint(state: Path, learner: str) -> Path:
    """Where it is mounted: below the workshop engine's shared folder (its engine sees the mount)."""
    return places().learners / learner


def make(state: Path, learner: str, size: int) -> Path:
    """The learner's filesystem, made once and mounted; kept across restarts of their environment."""
    file, where = image(state, learner), mountpoint(state, learner)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.parent.chmod(0o711)
    if not file.exists():
        with open(file, "wb") as sparse:
            sparse.truncate(size)
        _run("mkfs.ext4", "-q", "-F", "-m", "0", "-E", "root_owner=0:0", str(file))
    where.mkdir(exist_ok=True)
    if not mounted(where):
        _run("mount", "-o", "loop,nodev,nosuid", str(file), str(where))
    where.chmod(0o711)
    for name in FOLDERS:
        folder = where / name
        folder.mkdir(exist_ok=True)
        os.chown(folder, REMAP_BASE, REMAP_BASE)
    shutil.rmtree(where / "lost+found", ignore_errors=True)
    return where


def binds(state: Path, learner: str) -> dict[str, dict[str, str]]:
    """``docker run -v`` binds of the learner's folders (DockerSpawner's ``volumes``)."""
    where = mountpoint(state, learner)
    return {str(where / name): {"bind": inside, "mode": "rw"} for name, inside in FOLDERS.items()}


def usage(state: Path, learner: str) -> dict[str, int]:
    """Bytes used and total of the learner's filesystem (``df``)."""
    where = mountpoint(state, learner)
    if not mounted(where):
        return {"used": 0, "size": 0}
    stat = os.statvfs(where)
    return {"used": (stat.f_blocks - stat.f_bfree) * stat.f_frsize, "size": stat.f_blocks * stat.f_frsize}


def remove(state: Path, learner: str) -> None:
    """Unmount (the loop device goes with it) and delete the learner's filesystem: their work with it."""
    where = mountpoint(state, learner)
    if mounted(where):
        _run("umount", str(where))
    image(state, learner).unlink(missing_ok=True)
    if where.exists():
        where.rmdir()
