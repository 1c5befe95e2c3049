"""A session with no engine: every call gets the answer a real engine gave when the lesson was recorded.

Similar to reading a lesson's transcript, cell by cell. Live diagrams show the pictures they drew then,
each after the cell it was drawn in; an exercise's check says it needs a real engine.
"""
from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from typing import Any

from .. import errors
from ..host.health import Check, Report
from ..host.session import Feed, LiveSession
from ..model.topology import Topology
from .cells import follow_cells
from .tape import RECORDED, Tape, call_of

_REBUILD: dict[str, Callable[[Any], Any]] = {
    "doctor": lambda report: Report([Check(**check) for check in report["checks"]]),
}
"""How a recorded answer becomes the type the call returns, where JSON is not that type."""


class RecordedFeed:
    """A live diagram's recorded pictures, handed on as the lesson's cells are run again (a :class:`Feed`)."""

    def __init__(self, frames: list[dict], tape: Tape, lesson: str | None):
        self.lesson, self.tape = lesson, tape
        self.frames = [(frame.get("cell", 0), Topology.from_dict(frame["topology"])) for frame in frames]
        self.topology: Topology | None = None
        self.refreshes = 0
        self.latencies: list[float] = []
        self.on_status: Callable[[str], None] = lambda text: None
        self._subscribers: list[Callable[[Topology], None]] = []
        self._next = 0
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def subscribe(self, on_topology: Callable[[Topology], None]) -> None:
        self._subscribers.append(on_topology)

    def start(self) -> None:
        self._running = True
        self.catch_up()

    def catch_up(self) -> None:
        """Hand on every picture drawn up to the cell being played back."""
        while self._next < len(self.frames) and self.frames[self._next][0] <= self.tape.cell_index:
            self._hand_on()

    def _hand_on(self) -> None:
        _, topology = self.frames[self._next]
        self._next += 1
        self.refreshes += 1
        for subscriber in self._subscribers:
            subscriber(topology)
        self.topology = topology

    def refresh(self) -> Topology:
        self.catch_up()
        if self.topology is None and self.frames:
            self._hand_on()
        return self.topology if self.topology is not None else Topology(None, [], [], [])

    def wait(self, condition: Callable[[Topology], bool], timeout: float) -> bool:
        """The recording holds every picture: hand them on until one satisfies ``condition`` (no waiting)."""
        self.catch_up()
        while not (self.topology is not None and condition(self.topology)):
            if self._next >= len(self.frames):
                return False
            self._hand_on()
        return True

    def stop(self) -> None:
        self.catch_up()
        self._running = False


class Player:
    """Stands in for a live session of ``tape``'s lesson, answering from the recording (a :class:`Session`)."""

    def __init__(self, tape: Tape):
        self.tape = tape
        self.lesson = tape.lesson
        self.url = f"unix:///dockerlab-recording/{tape.lesson}"  # no engine there
        self._feeds: list[RecordedFeed] = []
        follow_cells(tape, after_each=self._catch_up)

    def __getattr__(self, name: str) -> Any:
        if name not in RECORDED:
            raise AttributeError(name)
        kept_as = RECORDED[name]
        signature = inspect.signature(getattr(LiveSession, name))

        def answered(*args: Any, **kwargs: Any) -> Any:
            answer = self.tape.answer(call_of(kept_as, signature, args, kwargs))
            return _REBUILD[kept_as](answer) if kept_as in _REBUILD else answer

        return answered

    def follow(self, lesson: str | None) -> Feed:
        """The pictures live diagram number N drew when recorded (N: how many this lesson started before)."""
        feed = RecordedFeed(self.tape.live_frames(self.tape.new_live()), self.tape, lesson)
        self._feeds.append(feed)
        return feed

    def _catch_up(self) -> None:
        for feed in self._feeds:
            if feed.running:
                feed.catch_up()

    def judging(self, task: str) -> contextlib.AbstractContextManager[None]:
        """A recording cannot judge the learner's work: there is no engine to look at."""
        raise errors.NeedsEngine("replay-check-needs-engine", task=task, n=task.split(".")[-1])

    def for_lesson(self, lesson: str) -> Player:
        """A recording answers for the lesson it was made in, whatever it is called."""
        return self

    def close(self) -> None:
        """Nothing to stop: no proxy, no engine."""
