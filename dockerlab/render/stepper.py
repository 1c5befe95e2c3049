"""A live diagram, replayed: the pictures it drew while the lesson ran, one at a time.

Similar to ``lab.live()``, stepped with a slider instead of following ``docker events``.
"""
from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..model.topology import Topology
from ..text import say
from .live import Frames
from .static import draw


class Stepper(widgets.VBox):
    """Recorded topologies, one picture per step."""

    def __init__(self, frames: list[Topology], lesson: str | None = None):
        self.frames = frames
        self.lesson = lesson
        self.picture = widgets.HTML(layout=widgets.Layout(overflow="auto"))
        self.status = widgets.HTML()
        self.slider = widgets.IntSlider(value=1, min=1, max=max(len(frames), 1), step=1,
                                        readout=False, continuous_update=False)
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        super().__init__([widgets.HBox([self.slider, self.status]), self.picture])
        self.add_class("dockerlab-live")
        self.show(self.slider.value)

    def __repr__(self) -> str:
        return f"Stepper({len(self.frames)} recorded pictures)"

    def show(self, step: int) -> None:
        """Draw the picture of ``step`` (1 = the first one)."""
        if not self.frames:
            return
        self.picture.value = f'<div class="dockerlab-diagram">{draw(self.frames[step - 1]).svg()}</div>'
        self.status.value = say("replay-stepper", n=step, total=len(self.frames))

    @property
    def topology(self) -> Topology | None:
        """The recorded topology shown now."""
        return self.frames[self.slider.value - 1] if self.frames else None

    def wait_for(self, condition: Callable[[Topology], bool], timeout: float = 10.0) -> bool:
        """Step on to the first recorded picture, from the one shown, whose topology satisfies ``condition``.

        What ``LiveDiagram.wait_for`` waits for live; here the recording holds every picture, so
        ``timeout`` is not needed. ``False`` when no later picture satisfies it.
        """
        for step in range(self.slider.value, len(self.frames) + 1):
            if condition(self.frames[step - 1]):
                self.slider.value = step
                return True
        return False

    def stop(self) -> Frames:
        """The recorded pictures as the live diagram kept them: a strip, each headed by its change.

        Nothing follows an engine here (``lab.end()`` calls this on every live diagram).
        """
        kept = Frames([], self.lesson)
        for topology in self.frames:
            kept.add(topology)
        return kept


def recorded(frames: list[dict], lesson: str | None) -> Stepper:
    """A stepper over a recording's frames of ``lesson``'s live diagram (``None``: the whole engine)."""
    chosen = [Topology.from_facts(frame["facts"]) for frame in frames if frame.get("lesson") == lesson]
    return Stepper([topology.of_lesson(lesson) if lesson else topology for topology in chosen], lesson)
