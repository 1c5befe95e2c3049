"""Where the course left a task it prepared: until the learner changes something, the task is not attempted.

A task's own set-up cell (``sheet("05", task="05.2")``) solves the earlier tasks it builds on; their result is
the new task's starting point, which its judge alone would call *not yet* (05.2 asks for an address that
05.1's ``docker network connect`` did not choose). What the task's objects looked like when it was prepared
is kept here, in the kernel, so that the same objects, untouched, are *not attempted*.
"""
from __future__ import annotations

_kept: dict[str, dict[str, str]] = {}


def remember(task_id: str, fingerprint: dict[str, str] | None) -> None:
    """The task's objects as the course left them (:meth:`State.fingerprint`)."""
    if fingerprint is not None:
        _kept[task_id] = fingerprint


def untouched(task_id: str, fingerprint: dict[str, str] | None) -> bool:
    """Whether the task's objects are exactly as the course left them when it prepared the task."""
    return fingerprint is not None and _kept.get(task_id) == fingerprint


def forget(task_id: str) -> None:
    _kept.pop(task_id, None)
