"""A diagram that redraws itself whenever the engine changes.

A :class:`~dockerlab.watch.Watcher` follows the engine and hands each new topology here; this module
only draws it and never calls the engine. Drawing happens on the watcher's thread and only sets
widget values, which is how ipywidgets updates safely from a thread, and keeps notebook outputs the
same on every run.
"""
from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from ..topology import Topology
from .static import draw

if TYPE_CHECKING:
    from ..engine import Engine
    from ..watch import Watcher


def _fit_width(svg: str) -> str:
    """Let the picture shrink to the notebook's width (its viewBox keeps the proportions)."""
    return re.sub(r'(<svg\b[^>]*?) width="[^"]*" height="[^"]*"', r'\1 width="100%"', svg, count=1)


class LiveDiagram(widgets.VBox):
    """The topology, redrawn live. Similar to watching ``docker events`` and ``ip -o link`` at once."""

    def __init__(self, watcher: Watcher | Engine, lesson: str | None = None, debounce: float = 0.03,
                 title: str | None = None):
        """Show what ``watcher`` hands on; given an engine instead, watch ``lesson`` on it."""
        self.picture = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.status = widgets.HTML()
        self.stop_button = widgets.Button(description="Stop live updates", icon="stop",
                                          tooltip="Stop following the engine's events",
                                          layout=widgets.Layout(width="auto"))
        self.stop_button.on_click(lambda _: self.stop())
        super().__init__([widgets.HBox([self.stop_button, self.status]), self.picture])
        self.add_class("dockerlab-live")
        if not hasattr(watcher, "refresh"):  # an engine: the watcher is made here
            from ..watch import Watcher

            watcher = Watcher(watcher, lesson, debounce=debounce)
        self.watcher: Watcher = watcher  # type: ignore[assignment]
        self.watcher.on_topology, self.watcher.on_status = self.show, self._set_status
        self._lesson = self.watcher.lesson
        self._title = title
        self.redraw()
        self.watcher.start()

    def __repr__(self) -> str:
        return f"LiveDiagram(lesson={self._lesson!r})"

    def redraw(self) -> None:
        """Take a fresh snapshot and draw it now."""
        self.watcher.refresh()

    def show(self, topology: Topology) -> None:
        """Draw ``topology`` (the watcher calls this with each new one)."""
        svg = _fit_width(draw(topology, title=self._title).svg())
        self.picture.value = f'<div class="dockerlab-diagram">{svg}</div>'
        stopped = "" if self.watcher.running else " · stopped"  # a snapshot taken just before stop() lands here
        self._set_status(f"{len(topology.containers)} container(s) · redrawn {self.watcher.refreshes}×{stopped}")

    def _set_status(self, text: str) -> None:
        self.status.value = f'<span class="dockerlab-status">{html.escape(text)}</span>'

    def stop(self) -> None:
        """Stop following the engine (the last picture stays)."""
        self.watcher.stop()
        self.stop_button.disabled = True
        self._set_status("stopped")

    @property
    def topology(self) -> Topology | None:
        """The topology drawn last."""
        return self.watcher.topology

    @property
    def redraws(self) -> int:
        """How often it has drawn."""
        return self.watcher.refreshes

    @property
    def latencies(self) -> list[float]:
        """Seconds from each engine event to the redrawn picture."""
        return self.watcher.latencies

    @property
    def running(self) -> bool:
        """Whether it still follows the engine."""
        return self.watcher.running

    def wait_for(self, condition: Callable[[Topology], bool], timeout: float = 10.0) -> bool:
        """Wait until the drawn topology satisfies ``condition`` (for lessons' assertions)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.topology is not None and condition(self.topology):
                return True
            time.sleep(0.05)
        return False
