"""A workshop for a room: JupyterHub, and per learner a JupyterLab with their own Docker engine.

``dockerlab workshop up|status|exec|progress|reset|password|collect|down``. The learners' environments run
on the workshop's own engine (``engine.py``: user-namespace remapped, in its own network namespace), never on
the machine's. Every container and network there carries the course's labels with the lesson id
``workshop`` and is removed by label.
"""
from __future__ import annotations

from .. import labels

LESSON = labels.WORKSHOP
PREFIX = "dl-workshop-"
INSTRUCTOR = "instructor"
NOT_IN_A_ROOM = ("11",)  # lesson 11's lab cluster does not run in a learner's environment (see the guide)


def container_name(learner: str) -> str:
    """The learner's environment on the workshop engine, e.g. ``dl-workshop-learner1``."""
    return PREFIX + learner


def network_name(learner: str) -> str:
    """The learner's own network (one per learner: no two learners share a link), e.g. ``dl-workshop-learner1``."""
    return PREFIX + learner


def subnet(index: int) -> tuple[str, str, str]:
    """The learner's subnet, gateway (the workshop's namespace) and bridge name, by their place in the roster
    (1-based): ``10.196.N.0/24``, ``10.196.N.1``, ``dlwN``."""
    return f"10.196.{index}.0/24", f"10.196.{index}.1", f"dlw{index}"
