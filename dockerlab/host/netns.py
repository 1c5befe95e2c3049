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


def remove(engine: Session, lesson: str | None = None) -> list[str]:
    """Delete the course's hand-made namespaces (a namespace's links go with it). Similar to ``ip netns delete NAME``.

    Its firewall rules carry the course's comment and are removed with the others (``firewall.remove_labelled``).
    """
    return [name for name in namespaces(engine, lesson)
            if engine.host(["ip", "netns", "delete", name], check=False)[0] == 0]
