"""A session that records: the real engine answers, and every call and answer is written down.

Similar to running a lesson on the engine with a transcript beside it. ``./lab regen`` records every
lesson and sheet this way (``DOCKERLAB_RECORD=1``); the recording goes to a file after each cell.
"""
from __future__ import annotations

import atexit
import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import errors
from ..host.session import Feed, LiveSession
from .cells import follow_cells
from .tape import RECORDED, Tape, call_of


class Recorder:
    """Stands in for ``live``: each call in :data:`~dockerlab.replay.tape.RECORDED` is kept on ``tape``."""

    def __init__(self, live: LiveSession, tape: Tape, path: Path):
        self._live, self.tape, self.path = live, tape, path
        follow_cells(tape, after_each=self.save)
        atexit.register(self.save)

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._live, name)
        if name not in RECORDED:
            return found  # url, lesson, judging, close: nothing to keep
        return self._recorded(RECORDED[name], found, inspect.signature(getattr(type(self._live), name)))

    def _recorded(self, kept_as: str, method: Callable, signature: inspect.Signature) -> Callable:
        @functools.wraps(method)
        def recorded(*args: Any, **kwargs: Any) -> Any:
            call = call_of(kept_as, signature, args, kwargs)
            try:
                result = method(*args, **kwargs)
            except errors.LabError as refused:
                self.tape.keep(call, raised=refused)
                raise
            self.tape.keep(call, result)
            return result

        return recorded

    def follow(self, lesson: str | None) -> Feed:
        """The live session's feed; each picture it hands on is kept as a frame of this live diagram."""
        feed = self._live.follow(lesson)
        number = self.tape.new_live()
        feed.subscribe(lambda topology: self.tape.keep_frame(number, lesson, topology.to_dict()))
        return feed

    def for_lesson(self, lesson: str) -> Recorder:
        """This recorder: a recording is of one lesson (another lesson's label would go unrecorded)."""
        if lesson != self._live.lesson:
            raise ValueError(f"a recording of {self._live.lesson} cannot record {lesson}")
        return self

    def save(self) -> None:
        """Write the recording now (it is also written after each cell)."""
        self.tape.save(self.path)
