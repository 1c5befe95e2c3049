"""Your engine's picture and listing, shown again after every change (``lab.explain(live=True)`` in a notebook).

The session's feed follows ``docker events``; after each change the whole engine is read
again (only read) and the widget shows the new picture with its listing. Similar to ``dockerlab explain --live``.
"""
from __future__ import annotations

import threading

import ipywidgets as widgets

from ..host.session import Session
from ..model.topology import Topology
from ..render.enginemap import EnginePicture
from ..text import say
from . import reading


class LiveExplanation(widgets.VBox):
    """The engine explained, redrawn after each change until :meth:`stop` (a lesson's ``lab.end()`` stops it)."""

    def __init__(self, engine: Session, everything: bool = False):
        self.engine, self.everything = engine, everything
        self.view = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.status = widgets.HTML()
        super().__init__([self.status, self.view])
        self.picture: EnginePicture | None = None
        self._lock = threading.Lock()
        self.watcher = engine.follow(None)
        self.watcher.subscribe(self._changed)
        self.watcher.on_status = self._say
        self.redraw()
        self.watcher.start()

    def _say(self, text: str) -> None:
        self.status.value = f"<small>{text}</small>"

    def _changed(self, topology: Topology) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Read the engine again and show it."""
        with self._lock:
            self.picture = EnginePicture(reading.engine_map(self.engine), self.everything)
            self.view.value = self.picture.html()
            self._say(say("explain-live-status"))

    def stop(self) -> None:
        """Stop following the engine; the last picture stays."""
        self.watcher.stop()

    def __repr__(self) -> str:
        return self.picture.text if self.picture else ""
