"""A diagram that redraws itself whenever the engine changes, and keeps each picture as a frame.

A :class:`~dockerlab.host.watch.Watcher` follows the engine and hands each new topology here; this module
only draws it and never calls the engine. Drawing happens on the watcher's thread and only sets
widget values, which is how ipywidgets updates safely from a thread. Each topology that changes
what the picture shows becomes a :class:`Frame`, labelled with the engine event that made the
change (``container start: c3``, ``network connect: back app``). :meth:`LiveDiagram.stop` returns
the frames as an ordinary output (a strip of pictures, and its text), which a notebook keeps and
GitHub, Binder and a fresh JupyterLab show.
"""
from __future__ import annotations

import contextlib
import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ipywidgets as widgets

from ..model.topology import Topology
from ..text import say
from .scene import Scene, can_draw_png
from .static import draw, fit_width, summary

if TYPE_CHECKING:
    from ..host.session import Feed


@dataclass
class Frame:
    """One picture of a live diagram: the change that made it, when (seconds after the start), what was there."""

    label: str
    topology: Topology
    at: float = 0.0

    def to_dict(self) -> dict:
        """JSON: ``{"label", "at", "topology": Topology.to_dict()}``."""
        return {"label": self.label, "at": round(self.at, 3), "topology": self.topology.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> Frame:
        return cls(data["label"], Topology.from_dict(data["topology"]), data.get("at", 0.0))


def _shown(topology: Topology) -> dict[str, set[str]]:
    """What a frame is about: each running container and the networks it has an interface on."""
    return {c.name: {i.network for i in c.interfaces if i.network} | ({c.network_mode} if c.network_mode in
                                                                      ("host", "none") else set())
            for c in topology.containers.values()
            if c.network_mode in ("host", "none") or c.shares_stack_of or any(i.network for i in c.interfaces)}


def change_label(before: Topology | None, after: Topology) -> str:
    """The engine events that turn ``before``'s picture into ``after``'s, as ``docker events`` names them."""
    if before is None:
        return say("frame-first")
    old, new = _shown(before), _shown(after)
    said = [say("frame-die", name=name) for name in sorted(set(old) - set(new))]
    for name in sorted(set(old) & set(new)):
        said += [say("frame-disconnect", network=n, name=name) for n in sorted(old[name] - new[name])]
        said += [say("frame-connect", network=n, name=name) for n in sorted(new[name] - old[name])]
    said += [say("frame-start", name=name) for name in sorted(set(new) - set(old))]
    return "; ".join(said) or say("frame-same")


class Frames(list):
    """Recorded frames, shown as a strip of labelled pictures (PNG at 2x) with a text listing."""

    def __init__(self, frames, lesson: str | None = None):
        super().__init__(frames)
        self.lesson = lesson

    def scene(self) -> Scene:
        """All frames, one under the other, each headed by its number and its change."""
        strip = Scene(0, 8)
        for number, frame in enumerate(self, start=1):
            picture = draw(frame.topology, title=f"{number}. {frame.label}", book=self.lesson).scene
            strip.place(picture, 0, strip.height)
            strip.height += picture.height + 8
            strip.width = max(strip.width, picture.width)
        return strip

    def _repr_png_(self):
        return self.scene().png_shown() if self else None

    def _repr_svg_(self):
        """The strip as SVG only where no PNG can be drawn (the course in JupyterLite)."""
        return self.scene().svg() if self and not can_draw_png() else None

    def __repr__(self) -> str:
        """A sentence and the last frame in words (how many frames a burst of changes gives varies with timing)."""
        lines = [say("live-frames", lesson=self.lesson or "")]
        return "\n".join([*lines, summary(self[-1].topology)] if self else lines)

    def add(self, topology: Topology, at: float = 0.0) -> None:
        """Keep ``topology`` as a new frame if its picture differs from the last one, labelled with the change."""
        last = self[-1].topology if self else None
        if last is None or _shown(last) != _shown(topology):
            shown = topology.focus(sorted(_shown(topology)))  # a container dying mid-snapshot is left out
            self.append(Frame(change_label(last, shown), shown, at))

    def listing(self) -> str:
        """Each frame's number and the change that made it."""
        return "\n".join(say("live-frame", number=number, label=frame.label)
                         for number, frame in enumerate(self, start=1))


class LiveDiagram(widgets.VBox):
    """The topology, redrawn live. Similar to watching ``docker events`` and ``ip -o link`` at once."""

    def __init__(self, feed: Feed, title: str | None = None):
        """Show what ``feed`` hands on (a watcher of the engine, or a recording's pictures)."""
        self.picture = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.status = widgets.HTML()
        self.stop_button = widgets.Button(description=say("live-stop-button"), icon="stop",
                                          tooltip=say("live-stop-tooltip"), layout=widgets.Layout(width="auto"))
        self.stop_button.on_click(lambda _: self.show_frames(self.stop()))
        super().__init__([widgets.HBox([self.stop_button, self.status]), self.picture])
        self.add_class("dockerlab-live")
        self.watcher = feed
        feed.subscribe(self.show)
        feed.on_status = self._set_status
        self._lesson = self.watcher.lesson
        self._title = title
        self._started = time.monotonic()
        self.frames = Frames([], self._lesson)
        self._frames_lock = threading.Lock()
        self._told_stopped = False
        self.redraw()
        self.watcher.start()

    def __repr__(self) -> str:
        first = summary(self.frames[0].topology) if self.frames else ""
        return "\n".join(line for line in (say("live-summary", lesson=self._lesson or ""), first) if line)

    def _repr_mimebundle_(self, **kwargs):
        """The widget, and for readers without its state (GitHub, a fresh JupyterLab) its first picture."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = repr(self)
        if self.frames and can_draw_png():  # in JupyterLite (no matplotlib) the widget alone shows it
            data["image/png"] = draw(self.frames[0].topology, title=self._title, book=self._lesson).png()
        return bundle

    def redraw(self) -> None:
        """Take a fresh snapshot and draw it now."""
        self.watcher.refresh()

    def show(self, topology: Topology) -> None:
        """Draw ``topology`` (the watcher calls this with each new one); keep it as a frame if the picture changed."""
        with self._frames_lock:
            self.frames.add(topology, time.monotonic() - self._started)
        diagram = draw(topology, title=self._title, book=self._lesson)
        self.picture.value = f'<div class="dockerlab-diagram">{diagram.html()}</div>'
        stopped = "" if self.watcher.running else " · " + say("live-stopped")
        self._set_status(say("live-status", containers=len(topology.containers), redraws=self.watcher.refreshes,
                             stopped=stopped))

    def _set_status(self, text: str) -> None:
        # a status region: a screen reader announces each change (politely, after what it is reading)
        self.status.value = (f'<span class="dockerlab-status" role="status" aria-live="polite">'
                             f'{html.escape(text)}</span>')

    def stop(self) -> Frames:
        """Stop following the engine (the last picture stays); returns the frames, shown as a strip of pictures.

        A last snapshot is taken first, so the frames end with what the engine has now, however
        quickly the cell before changed it.
        """
        if self.watcher.running:
            with contextlib.suppress(Exception):  # the engine went away: the frames end where it did
                self.redraw()
        self.watcher.stop()
        self.stop_button.disabled = True
        self._set_status(say("live-stopped"))
        return self.frames

    def show_frames(self, frames: Frames) -> None:
        """Show the strip of frames in place of the live picture (what the stop button leaves behind)."""
        if frames:
            self.picture.value = (f'<div class="dockerlab-diagram dockerlab-frames">{fit_width(frames.scene().svg())}'
                                  f'<pre>{html.escape(frames.listing())}</pre></div>')

    @property
    def topology(self) -> Topology | None:
        """The topology drawn last (once stopped: the engine's, as :meth:`wait_for` last looked)."""
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

    def wait_for(self, condition: Callable[[Topology], bool], timeout: float = 30.0) -> bool:
        """Wait until the drawn topology satisfies ``condition`` (for lessons' assertions).

        Once stopped (the learner pressed the button early), the engine itself is looked at, and
        the learner is told so, once.
        """
        if not self.running and not self._told_stopped:
            self._told_stopped = True
            print(say("live-stopped-wait"))
        return self.watcher.wait(condition, timeout)

