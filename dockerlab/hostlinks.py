"""Links the course makes on the host itself (e.g. a macvlan parent), labelled and removable.

Similar to ``ip link add NAME type veth peer name PEER``. Every such link
carries ``dockerlab:<lesson>`` in its ``ifalias`` (``ip link set NAME alias``):
that is its label, and :func:`remove_labelled` deletes only links that have
it. The machine's own uplink is never used as a parent.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from . import errors
from .kernel import HOST_SYSFS
from .labels import HOST_LINK_ALIAS_PREFIX


def _ip(*args: str) -> None:
    if os.geteuid() != 0 or shutil.which("ip") is None:
        raise errors.CommandRefused("host-links-need-root", command="ip " + " ".join(args))
    done = subprocess.run(["ip", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise errors.CommandRefused("engine-refused", message=f"ip {' '.join(args)}: {done.stderr.strip()}")


def alias_of(name: str, sysfs: Path = HOST_SYSFS) -> str:
    """A host link's ``ifalias`` (its label, for links the course made)."""
    try:
        return (sysfs / name / "ifalias").read_text().strip()
    except OSError:
        return ""


def labelled(lesson: str | None = None, sysfs: Path = HOST_SYSFS) -> list[str]:
    """Host links the course made (of one lesson, if given)."""
    wanted = HOST_LINK_ALIAS_PREFIX + (lesson or "")
    try:
        names = sorted(os.listdir(sysfs))
    except OSError:
        return []
    return [name for name in names if (alias_of(name, sysfs) == wanted if lesson
                                       else alias_of(name, sysfs).startswith(HOST_LINK_ALIAS_PREFIX))]


def add_veth_pair(name: str, peer: str, lesson: str) -> None:
    """Make a labelled veth pair on the host, both ends up. Similar to ``ip link add NAME type veth peer name PEER``."""
    if (HOST_SYSFS / name).exists() or (HOST_SYSFS / peer).exists():
        raise errors.NameInUse("name-in-use", name=name if (HOST_SYSFS / name).exists() else peer,
                               message="a host link with that name exists")
    _ip("link", "add", name, "type", "veth", "peer", "name", peer)
    for end in (name, peer):
        _ip("link", "set", "dev", end, "alias", HOST_LINK_ALIAS_PREFIX + lesson)
        _ip("link", "set", "dev", end, "up")


def remove_labelled(lesson: str | None = None) -> list[str]:
    """Delete the course's host links (of one lesson, if given); a veth's peer goes with it."""
    removed = []
    for name in labelled(lesson):
        if (HOST_SYSFS / name).exists():
            _ip("link", "del", "dev", name)
            removed.append(name)
    return removed
