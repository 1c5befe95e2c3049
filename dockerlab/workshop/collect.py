"""``dockerlab workshop collect``: every learner's notebooks and answers into one archive for the instructor.

The learner's folder is theirs (they may have put links anywhere in it), so it is read by a process running
as the learner's own unprivileged uid, which stores links as links and follows none; only notebooks and the
answers file are taken, at most ``LIMIT`` bytes per learner. Similar to
``tar -czf collected.tar.gz -C learner1/work --wildcards '*.ipynb' .dockerlab/answers.json``.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from . import disk
from .engine import REMAP_BASE

LIMIT = 200 * 2**20
WANTED = (".ipynb",)
ANSWERS = ".dockerlab/answers.json"

_READER = """
import os, sys, tarfile
root, limit = sys.argv[1], int(sys.argv[2])
used = 0
with tarfile.open(fileobj=sys.stdout.buffer, mode="w|") as tar:
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)) and d != ".ipynb_checkpoints")
        for name in sorted(files):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root)
            if not (name.endswith(".ipynb") or relative == ".dockerlab/answers.json"):
                continue
            try:
                handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:
                continue
            with os.fdopen(handle, "rb") as file:
                info = os.fstat(file.fileno())
                if not __import__("stat").S_ISREG(info.st_mode) or used + info.st_size > limit:
                    continue
                used += info.st_size
                member = tarfile.TarInfo(relative)
                member.size, member.mtime = info.st_size, info.st_mtime
                tar.addfile(member, file)
"""


def learner_files(state: Path, learner: str) -> bytes:
    """A tar of the learner's notebooks and answers, read as their own uid (never as the host's root)."""
    try:  # opened here (the state folder is root's only), read there through the open folder
        work = os.open(disk.mountpoint(state, learner) / "work", os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return b""
    try:
        done = subprocess.run([_python(), "-I", "-c", _READER, f"/proc/self/fd/{work}", str(LIMIT)],
                              capture_output=True, user=REMAP_BASE, group=REMAP_BASE, extra_groups=[],
                              timeout=300, cwd="/", pass_fds=(work,))
    finally:
        os.close(work)
    return done.stdout


def collect(state: Path, learners: list[str], into: Path) -> tuple[Path, dict[str, int]]:
    """``into/workshop-YYYYmmdd-HHMMSS.tar.gz`` with a folder per learner; returns it and each learner's count."""
    into.mkdir(parents=True, exist_ok=True)
    archive = into / time.strftime("workshop-%Y%m%d-%H%M%S.tar.gz")
    counts = {}
    with open(os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out, \
            tarfile.open(fileobj=out, mode="w:gz") as bundle:
        for learner in learners:
            counts[learner] = 0
            data = learner_files(state, learner)
            if not data:
                continue
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as theirs:
                for member in theirs:
                    if not member.isfile() or member.name.startswith(("/", "..")) or "/../" in member.name:
                        continue
                    content = theirs.extractfile(member)
                    member.name = f"{learner}/{member.name}"
                    bundle.addfile(member, content)
                    counts[learner] += 1
    (state / "collected").write_text(str(archive))
    return archive, counts


def _python() -> str:
    """A Python the learner's uid may run (the system's; a virtualenv under /root is not theirs to read)."""
    return "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
