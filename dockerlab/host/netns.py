"""Network namespaces the course makes by hand on the engine's host (lesson 12).

Similar to ``ip netns add dockerlab-12-red``. A namespace the course makes is named
``dockerlab-<lesson number>-...``: that name is its label; only such namespaces are listed or removed,
never the learner's own nor Docker's (Docker's namespaces live under its own exec root, not in ``ip netns``).
The rules lesson 12 adds carry the comment ``dockerlab:<lesson>`` and are found by :mod:`dockerlab.host.firewall`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import labels

if TYPE_CHECKING:
    from .session import Session


def prefix(lesson: str | None) -> str:
    """The start of a namespace name the course made (of one lesson, if given): ``dockerlab-12-``."""
    return labels.namespace_prefix(lesson)


def namespaces(engine: Session, lesson: str | None = None) -> list[str]:
    """The course's namespaces on the engine's host. Similar to ``ip netns list``."""
    code, output = engine.host(["ip", "netns", "list"], check=False)
    names = [line.split()[0] for line in output.splitlines() if line.strip()] if code == 0 else []
    return sorted(name for name in names if name.startswith(prefix(lesson)))


_DELETE = ('for dev in $(ip -n "$1" -o link show type veth | sed -n "s/^[0-9]*: \\([^@:]*\\).*/\\1/p"); '
           'do ip -n "$1" link del "$dev"; done; ip netns delete "$1"')
"""The namespace's veth cables first, then its name: deleting a cable removes both ends at once, where the
kernel tears a deleted namespace down later, and a cable's other end (``dl-ex12-red0`` on the host) would
still be there for a moment, so making it again at once said "File exists"."""


def delete(engine: Session, name: str) -> bool:
    """Delete one namespace and, at once, every cable with an end in it.
    Similar to ``ip -n NAME link del DEV`` for each veth, then ``ip netns delete NAME``."""
    return engine.host(["sh", "-c", _DELETE, "sh", name], check=False)[0] == 0


def remove(engine: Session, lesson: str | None = None) -> list[str]:
    """Delete the course's hand-made namespaces (their cables at once, see :func:`delete`).

    Its firewall rules carry the course's comment and are removed with the others (``firewall.remove_labelled``).
    """
    return [name for name in namespaces(engine, lesson) if delete(engine, name)]
