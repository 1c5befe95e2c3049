"""The shapes a picture is made of — a box, a line, a dot, a label — each able to say where it lies.

Coordinates are pixels at 1x, y downwards. A shape writes itself as SVG (:meth:`svg`) and onto
matplotlib axes (:meth:`plot`), and gives its :class:`Bounds`; a label's width comes from the text
measure the caller passes (:func:`dockerlab.render.scene.text_width`), so that measuring stays one
small piece of its own.
"""
from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace

Measure = Callable[[str, float, bool], float]
"""A label's width in pixels from its text, font size and whether it is bold."""


@dataclass(frozen=True)
class Bounds:
    """An upright rectangle: left, top, right, bottom."""

    left: float
    top: float
    right: float
    bottom: float

    def meets(self, other: Bounds) -> bool:
        """Whether the two share any area (touching edges do not count)."""
        return self.left < other.right and other.left < self.right and self.top < other.bottom and \
            other.top < self.bottom

    def holds(self, other: Bounds) -> bool:
        """Whether ``other`` lies wholly inside."""
        return self.left <= other.left and other.right <= self.right and self.top <= other.top and \
            other.bottom <= self.bottom

    def grown(self, by: float) -> Bounds:
        return Bounds(self.left - by, self.top - by, self.right + by, self.bottom + by)


def _dash(dash: bool) -> str:
    return ' stroke-dasharray="5 3"' if dash else ""


@dataclass(frozen=True)
class Rect:
    """A box, rounded by ``radius``; ``kind`` says what it is (``host``, ``container``, ``uplink``...)."""

    x: float
    y: float
    w: float
    h: float
    fill: str = "none"
    stroke: str = "none"
    width: float = 1.0
    dash: bool = False
    radius: float = 0.0
    kind: str = ""

    def moved(self, dx: float, dy: float) -> Rect:
        return replace(self, x=self.x + dx, y=self.y + dy)

    def bounds(self, measure: Measure) -> Bounds:
        return Bounds(self.x, self.y, self.x + self.w, self.y + self.h)

    def svg(self) -> str:
        return (f'<rect class="{self.kind}" x="{self.x:.1f}" y="{self.y:.1f}" width="{self.w:.1f}" '
                f'height="{self.h:.1f}" rx="{self.radius:.1f}" fill="{self.fill}" stroke="{self.stroke}" '
                f'stroke-width="{self.width}"{_dash(self.dash)}/>')

    def plot(self, axes, z: float) -> None:
        from matplotlib.patches import FancyBboxPatch

        style = f"round,pad=0,rounding_size={self.radius}" if self.radius else "square,pad=0"
        axes.add_patch(FancyBboxPatch((self.x, self.y), self.w, self.h, boxstyle=style, facecolor=self.fill,
                                      edgecolor=self.stroke, linewidth=self.width * 0.72,
                                      linestyle="--" if self.dash else "-", zorder=z))


@dataclass(frozen=True)
class Line:
    """A line through ``points``; ``halo`` draws a white border under it, so it reads where it crosses others."""

    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.5
    dash: bool = False
    halo: bool = False
    kind: str = ""

    def moved(self, dx: float, dy: float) -> Line:
        return replace(self, points=tuple((x + dx, y + dy) for x, y in self.points))

    @property
    def reach(self) -> float:
        """How far from its middle line it paints (its halo included)."""
        return (self.width + (4 if self.halo else 0)) / 2

    def bounds(self, measure: Measure) -> Bounds:
        xs, ys = [x for x, _ in self.points], [y for _, y in self.points]
        return Bounds(min(xs), min(ys), max(xs), max(ys)).grown(self.reach)

    def crosses(self, area: Bounds) -> bool:
        """Whether the painted line runs through ``area``."""
        grown = area.grown(self.reach)
        return any(_segment_meets(a, b, grown) for a, b in itertools.pairwise(self.points))

    def svg(self) -> str:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)
        halo = (f'<polyline points="{coords}" fill="none" stroke="white" stroke-width="{self.width + 4}"/>\n'
                if self.halo else "")
        return (f'{halo}<polyline class="{self.kind}" points="{coords}" fill="none" stroke="{self.stroke}" '
                f'stroke-width="{self.width}"{_dash(self.dash)}/>')

    def plot(self, axes, z: float) -> None:
        xs, ys = zip(*self.points, strict=True)
        if self.halo:
            axes.plot(xs, ys, color="white", linewidth=(self.width + 4) * 0.72, zorder=z, solid_capstyle="butt")
        axes.plot(xs, ys, color=self.stroke, linewidth=self.width * 0.72, linestyle="--" if self.dash else "-",
                  zorder=z + 0.0001, solid_capstyle="butt")


@dataclass(frozen=True)
class Dot:
    """A circle of radius ``r`` centred on (x, y)."""

    x: float
    y: float
    r: float
    fill: str
    stroke: str = "none"
    kind: str = ""

    def moved(self, dx: float, dy: float) -> Dot:
        return replace(self, x=self.x + dx, y=self.y + dy)

    def bounds(self, measure: Measure) -> Bounds:
        return Bounds(self.x - self.r, self.y - self.r, self.x + self.r, self.y + self.r)

    def meets(self, other: Dot) -> bool:
        return (self.x - other.x) ** 2 + (self.y - other.y) ** 2 < (self.r + other.r) ** 2

    def covers(self, area: Bounds) -> bool:
        """Whether the circle paints any of ``area``."""
        nearest_x = min(max(self.x, area.left), area.right)
        nearest_y = min(max(self.y, area.top), area.bottom)
        return (self.x - nearest_x) ** 2 + (self.y - nearest_y) ** 2 < self.r ** 2

    def svg(self) -> str:
        return (f'<circle class="{self.kind}" cx="{self.x:.1f}" cy="{self.y:.1f}" r="{self.r}" fill="{self.fill}" '
                f'stroke="{self.stroke}"/>')

    def plot(self, axes, z: float) -> None:
        from matplotlib.patches import Circle

        axes.add_patch(Circle((self.x, self.y), self.r, facecolor=self.fill, edgecolor=self.stroke, zorder=z))


@dataclass(frozen=True)
class Text:
    """A label; ``y`` is its middle line, ``anchor`` is start, middle or end."""

    x: float
    y: float
    text: str
    size: float = 12
    colour: str = "#222222"
    bold: bool = False
    anchor: str = "start"
    kind: str = ""

    def moved(self, dx: float, dy: float) -> Text:
        return replace(self, x=self.x + dx, y=self.y + dy)

    def bounds(self, measure: Measure) -> Bounds:
        """Where the label's letters lie: its measured width, from the top of a capital to below a descender."""
        width = measure(self.text, self.size, self.bold)
        left = self.x if self.anchor == "start" else self.x - width / 2 if self.anchor == "middle" else self.x - width
        return Bounds(left, self.y - self.size * 0.5, left + width, self.y + self.size * 0.45)

    def svg(self) -> str:
        weight = ' font-weight="bold"' if self.bold else ""
        return (f'<text class="{self.kind}" x="{self.x:.1f}" y="{self.y + self.size * 0.35:.1f}" '
                f'font-size="{self.size}" fill="{self.colour}" text-anchor="{self.anchor}"{weight}>'
                f'{html.escape(self.text)}</text>')

    def plot(self, axes, z: float) -> None:
        align = {"start": "left", "middle": "center"}.get(self.anchor, "right")
        axes.text(self.x, self.y, self.text, fontsize=self.size * 0.72, color=self.colour, ha=align,
                  va="center_baseline", fontweight="bold" if self.bold else "normal", zorder=z)


Shape = Rect | Line | Dot | Text


def _segment_meets(a: tuple[float, float], b: tuple[float, float], area: Bounds) -> bool:
    """Whether the segment from ``a`` to ``b`` passes through ``area`` (Liang-Barsky clipping)."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - area.left), (dx, area.right - x0), (-dy, y0 - area.top), (dy, area.bottom - y0)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low >= high:
            return False
    return True
