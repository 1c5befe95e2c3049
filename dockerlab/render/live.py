"""A diagram that redraws itself from the engine's event stream.

Two background threads: one reads ``docker events`` (containers starting,
stopping, being removed; networks connecting and disconnecting), the other
redraws at most once per burst of events (debounced). Threads never print:
they only set widget values, which is how ipywidgets updates safely from a
thread, and keeps notebook outputs the same on every run. If the engine goes
away, the diagram says so and reconnects, resuming the event stream where it
stopped.
"""
from __future__ import annotations

import contextlib
import html
import re
import threading
import time
from collections.abc import Callable

import ipywidgets as widgets

from .. import probe
from ..engine import Engine
from ..topology import Topology
from .static import draw

EVENTS = {"container": {"start", "die", "destroy", "rename"},
          "network": {"connect", "disconnect", "create", "destroy"}}


def _fit_width(svg: str) -> str:
    """Let the picture shrink to the notebook's width (its viewBox keeps the proportions)."""
    return re.sub(r'(<svg\b[^>]*?) width="[^"]*" height="[^"]*"', r'\1 width="100%"', svg, count=1)


class LiveDiagram(widgets.VBox):
    """The topology, redrawn live. Similar to watching ``docker events`` and ``ip -o link`` at once."""

    def __init__(self, engine: Engine, lesson: str | None = None, debounce: float = 0.03,
                 title: str | None = None):
        self.picture = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.status = widgets.HTML()
        self.stop_button = widgets.Button(description="Stop live updates", icon="stop",
                                          tooltip="Stop following the engine's events",
                                          layout=widgets.Layout(width="auto"))
        self.stop_button.on_click(lambda _: self.stop())
        super().__init__([widgets.HBox([self.stop_button, self.status]), self.picture])
        self.add_class("dockerlab-live")
        self._url = engine.url
        self._engine = engine
        self._lesson = lesson
        self._title = title
        self._debounce = debounce
        self._stopped = threading.Event()
        self._dirty = threading.Event()
        self._first_event_at: float | None = None
        self._stream = None
        self._since: int | None = None
        self.topology: Topology | None = None
        self.redraws = 0
        self.latencies: list[float] = []  # seconds from an engine event to the redrawn picture
        self.redraw()
        self._threads = [threading.Thread(target=self._listen, name="dockerlab-events", daemon=True),
                         threading.Thread(target=self._draw_when_dirty, name="dockerlab-redraw", daemon=True)]
        for thread in self._threads:
            thread.start()

    def __repr__(self) -> str:
        return f"LiveDiagram(lesson={self._lesson!r})"

    # -- drawing ----------------------------------------------------------------------
    def redraw(self) -> None:
        """Take a fresh snapshot and draw it now."""
        topology = probe.snapshot(self._engine, self._lesson)
        svg = _fit_width(draw(topology, title=self._title).svg())
        self.picture.value = f'<div class="dockerlab-diagram">{svg}</div>'
        self.topology = topology
        self.redraws += 1
        self._set_status(f"{len(topology.containers)} container(s) · redrawn {self.redraws}×")

    def _set_status(self, text: str) -> None:
        self.status.value = f'<span class="dockerlab-status">{html.escape(text)}</span>'

    def _draw_when_dirty(self) -> None:
        while not self._stopped.is_set():
            if not self._dirty.wait(0.5):
                continue
            time.sleep(self._debounce)  # let a burst of events settle into one redraw
            self._dirty.clear()
            started, self._first_event_at = self._first_event_at, None
            try:
                self.redraw()
            except Exception as problem:  # noqa: BLE001 - shown in the widget, never printed
                self._set_status(f"waiting for the engine ({type(problem).__name__})")
                continue
            if started is not None:
                self.latencies.append(time.time() - started)

    # -- following the engine ---------------------------------------------------------
    def _listen(self) -> None:
        backoff = 0.2
        while not self._stopped.is_set():
            try:
                engine = Engine.connect(self._url)
                filters = {"type": list(EVENTS)}
                self._stream = engine.api.events(decode=True, filters=filters, since=self._since)
                if self._since is not None:
                    self._mark_dirty(time.time())  # things may have changed while we were away
                backoff = 0.2
                for event in self._stream:
                    if self._stopped.is_set():
                        break
                    self._since = event.get("time", self._since)
                    if event.get("Action", "").split(":")[0] in EVENTS.get(event.get("Type"), ()):
                        self._mark_dirty(event.get("timeNano", time.time_ns()) / 1e9)
            except Exception:  # noqa: BLE001 - the engine went away: say so, retry
                pass
            if not self._stopped.is_set():
                self._set_status("the engine is not answering; reconnecting…")
                self._since = self._since or int(time.time())
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    def _mark_dirty(self, at: float) -> None:
        if self._first_event_at is None:
            self._first_event_at = at
        self._dirty.set()

    # -- control ----------------------------------------------------------------------
    def stop(self) -> None:
        """Stop following the engine (the last picture stays)."""
        self._stopped.set()
        stream = self._stream
        if stream is not None:
            with contextlib.suppress(Exception):  # already closed
                stream.close()
        self.stop_button.disabled = True
        self._set_status("stopped")

    @property
    def running(self) -> bool:
        """Whether it still follows the engine."""
        return not self._stopped.is_set()

    def wait_for(self, condition: Callable[[Topology], bool], timeout: float = 10.0) -> bool:
        """Wait until the drawn topology satisfies ``condition`` (for lessons' assertions)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.topology is not None and condition(self.topology):
                return True
            time.sleep(0.05)
        return False
