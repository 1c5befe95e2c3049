"""Following the engine: a fresh topology after every change, handed to whoever shows it.

Two background threads: one reads ``docker events`` (containers starting, stopping, being removed;
networks connecting and disconnecting), the other takes a snapshot at most once per burst of events
(debounced) and hands it on. A container that dies is taken out of the picture at once, from the
event itself (a snapshot then would wait for the engine to finish tearing it down), and a snapshot
follows to confirm. If the engine goes away, the watcher says so and reconnects, resuming the event
stream where it stopped. Similar to watching ``docker events`` and ``ip -o link`` at once.
"""
from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

from ..engine.client import Engine
from ..model.topology import Topology
from . import probe

EVENTS = {"container": {"start", "die", "destroy", "rename"},
          "network": {"connect", "disconnect", "create", "destroy"}}


def is_change(event: dict) -> bool:
    """Whether an engine event can change the picture (``docker events`` shows all of them)."""
    return event.get("Action", "").split(":")[0] in EVENTS.get(event.get("Type", ""), ())


class Watcher:
    """Hands every subscriber a new snapshot of ``lesson`` (everything if ``None``) after each change.

    ``on_status`` hears when the engine stops answering (a view sets it). Nothing here prints or draws.
    """

    def __init__(self, engine: Engine, lesson: str | None = None,
                 on_topology: Callable[[Topology], None] | None = None,
                 on_status: Callable[[str], None] = lambda text: None, debounce: float = 0.03):
        self.engine = engine
        self.lesson = lesson
        self.topology: Topology | None = None
        self.refreshes = 0
        self.latencies: list[float] = []  # seconds from an engine event to the topology handed on
        self._subscribers: list[Callable[[Topology], None]] = [on_topology] if on_topology else []
        self.on_status = on_status
        self._debounce = debounce
        self._stopped = threading.Event()
        self._dirty = threading.Event()
        self._first_event_at: float | None = None
        self._stream: Iterator | None = None
        self._since: int | None = None
        self._hand_on = threading.Lock()  # one topology handed on at a time, from either thread
        self._sequence = 0  # counts container deaths and starts, so a snapshot knows which came after it began
        self._lives: dict[str, tuple[int, bool]] = {}  # container name -> (sequence, alive) of its last death/start
        self._dead: set[str] = set()  # IDs of containers that died (until they start again)
        self.threads = [threading.Thread(target=self._listen, name="dockerlab-events", daemon=True),
                        threading.Thread(target=self._refresh_when_dirty, name="dockerlab-redraw", daemon=True)]

    def subscribe(self, on_topology: Callable[[Topology], None]) -> None:
        """Hand ``on_topology`` every topology from now on."""
        self._subscribers.append(on_topology)

    def start(self) -> None:
        """Start following the engine."""
        for thread in self.threads:
            thread.start()

    def wait(self, condition: Callable[[Topology], bool], timeout: float) -> bool:
        """Wait until the topology handed on last satisfies ``condition`` (at most ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.topology is not None and condition(self.topology):
                return True
            time.sleep(0.05)
        return False

    def refresh(self) -> Topology:
        """Take a snapshot now and hand it on. Similar to ``dockerlab snapshot``."""
        with self._hand_on:
            began = self._sequence
        topology = probe.snapshot(self.engine, self.lesson)
        with self._hand_on:
            for name, (sequence, alive) in self._lives.items():
                if sequence > began and not alive:  # died while the snapshot was being taken
                    topology = self._without(topology, name)
            self._show(topology)
        return topology

    def _show(self, topology: Topology) -> None:
        self.refreshes += 1
        for subscriber in self._subscribers:
            subscriber(topology)
        self.topology = topology  # after it is shown: whoever waits for it sees it shown

    def _without(self, topology: Topology, name: str) -> Topology:
        if any(c.shares_stack_of == name for c in topology.containers.values()):
            return topology  # its stack lives on in another container: only a snapshot can tell
        smaller = topology.without(name)
        return smaller.of_lesson(self.lesson) if self.lesson else smaller

    def _container_event(self, event: dict) -> bool:
        """Draw a drawn container's death at once; whether the event needs no timed snapshot.

        Its death is drawn from the event; what follows it (its networks disconnected, the container
        destroyed) changes nothing more in the picture, so the confirming snapshot is not timed either.
        """
        actor = event.get("Actor") or {}
        action, ident = event.get("Action", ""), actor.get("ID", "")
        if event.get("Type") == "network":
            dead = action == "disconnect" and actor.get("Attributes", {}).get("container") in self._dead
        elif action == "destroy":
            dead = ident in self._dead
        else:
            dead = action == "die" and self._died(ident, actor.get("Attributes", {}).get("name"), event)
            if action == "start":
                self._lived(ident, actor.get("Attributes", {}).get("name"))
        if dead:
            self._dirty.set()  # a snapshot confirms it
        return dead

    def _lived(self, ident: str, name: str | None) -> None:
        with self._hand_on:
            self._sequence += 1
            self._dead.discard(ident)
            if name:
                self._lives[name] = (self._sequence, True)
            if len(self._lives) > 1000:
                self._lives.pop(next(iter(self._lives)))

    def _died(self, ident: str, name: str | None, event: dict) -> bool:
        with self._hand_on:
            self._sequence += 1
            if len(self._dead) > 1000:
                self._dead.clear()
            self._dead.add(ident)
            if not name:
                return False
            self._lives.pop(name, None)
            self._lives[name] = (self._sequence, False)
            if self.topology is None or name not in self.topology.containers:
                return True  # not drawn: nothing to change
            smaller = self._without(self.topology, name)
            if smaller is self.topology:
                return False
            self._show(smaller)
        self.latencies.append(time.time() - event.get("timeNano", time.time_ns()) / 1e9)
        return True

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
                    if is_change(event) and not self._container_event(event):
                        self.changed(event.get("timeNano", time.time_ns()) / 1e9)
            except Exception:  # noqa: BLE001 - the engine went away: say so, retry
                pass
            if not self._stopped.is_set():
                self.on_status("the engine is not answering; reconnecting…")
                self._since = self._since or int(time.time())
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
