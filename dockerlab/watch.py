"""Following the engine: a fresh topology after every change, handed to whoever shows it.

Two background threads: one reads ``docker events`` (containers starting, stopping, being removed;
networks connecting and disconnecting), the other takes a snapshot at most once per burst of events
(debounced) and hands it on. If the engine goes away, the watcher says so and reconnects, resuming
the event stream where it stopped. Similar to watching ``docker events`` and ``ip -o link`` at once.
"""
from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

from . import probe
from .engine import Engine
from .topology import Topology

EVENTS = {"container": {"start", "die", "destroy", "rename"},
          "network": {"connect", "disconnect", "create", "destroy"}}


def is_change(event: dict) -> bool:
    """Whether an engine event can change the picture (``docker events`` shows all of them)."""
    return event.get("Action", "").split(":")[0] in EVENTS.get(event.get("Type", ""), ())


class Watcher:
    """Hands ``on_topology`` a new snapshot of ``lesson`` (everything if ``None``) after each change.

    ``on_status`` hears when the engine stops answering. Both can be set after construction (a view
    subscribes itself). Nothing here prints or draws.
    """

    def __init__(self, engine: Engine, lesson: str | None = None,
                 on_topology: Callable[[Topology], None] = lambda topology: None,
                 on_status: Callable[[str], None] = lambda text: None, debounce: float = 0.03):
        self.engine = engine
        self.lesson = lesson
        self.topology: Topology | None = None
        self.refreshes = 0
        self.latencies: list[float] = []  # seconds from an engine event to the topology handed on
        self.on_topology = on_topology
        self.on_status = on_status
        self._debounce = debounce
        self._stopped = threading.Event()
        self._dirty = threading.Event()
        self._first_event_at: float | None = None
        self._stream: Iterator | None = None
        self._since: int | None = None
        self.threads = [threading.Thread(target=self._listen, name="dockerlab-events", daemon=True),
                        threading.Thread(target=self._refresh_when_dirty, name="dockerlab-redraw", daemon=True)]

    def start(self) -> None:
        """Start following the engine."""
        for thread in self.threads:
            thread.start()

    def refresh(self) -> Topology:
        """Take a snapshot now and hand it on. Similar to ``dockerlab snapshot``."""
        topology = probe.snapshot(self.engine, self.lesson)
        self.refreshes += 1
        self.on_topology(topology)
        self.topology = topology  # after it is shown: whoever waits for it sees it shown
        return topology

    def stop(self) -> None:
        """Stop following the engine (the last topology stays)."""
        self._stopped.set()
        stream = self._stream
        if stream is not None:
            with contextlib.suppress(Exception):  # already closed
                stream.close()  # type: ignore[attr-defined]

    @property
    def running(self) -> bool:
        """Whether it still follows the engine."""
        return not self._stopped.is_set()

    def changed(self, at: float) -> None:
        """Note a change at ``at`` (Unix seconds): a snapshot follows after the debounce time."""
        if self._first_event_at is None:
            self._first_event_at = at
        self._dirty.set()

    def _refresh_when_dirty(self) -> None:
        while not self._stopped.is_set():
            if not self._dirty.wait(0.5):
                continue
            time.sleep(self._debounce)  # let a burst of events settle into one snapshot
            if self._stopped.is_set():
                break
            self._dirty.clear()
            started, self._first_event_at = self._first_event_at, None
            try:
                self.refresh()
            except Exception as problem:  # noqa: BLE001 - reported through on_status, never printed
                self.on_status(f"waiting for the engine ({type(problem).__name__})")
                continue
            if started is not None:
                self.latencies.append(time.time() - started)

    def _listen(self) -> None:
        backoff = 0.2
        while not self._stopped.is_set():
            try:
                engine = Engine.connect(self.engine.url)
                self._stream = stream = engine.events(since=self._since, type=list(EVENTS))
                if self._since is not None:
                    self.changed(time.time())  # things may have changed while we were away
                backoff = 0.2
                for event in stream:
                    if self._stopped.is_set():
                        break
                    self._since = event.get("time", self._since)
                    if is_change(event):
                        self.changed(event.get("timeNano", time.time_ns()) / 1e9)
            except Exception:  # noqa: BLE001 - the engine went away: say so, retry
                pass
            if not self._stopped.is_set():
                self.on_status("the engine is not answering; reconnecting…")
                self._since = self._since or int(time.time())
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
