"""A picture as a list of typed shapes (boxes, lines, dots, labels), written out as SVG text or as a 2x PNG.

The SVG is written directly (no plotting library: the live diagram redraws in a few milliseconds,
and its labels are real ``<text>``); the PNG goes through matplotlib's Agg at twice the size, so
that stored outputs are sharp on a HiDPI screen and shown where SVG is not (GitHub, an untrusted
notebook). Coordinates are pixels at 1x, y downwards. Fonts: :func:`font_families` (a locale can
name a CJK font in its ``drawing-font`` message).
"""
from __future__ import annotations

import html
import importlib.util
import io
import math
import threading
from dataclasses import dataclass, field
from typing import TypeVar

from .shapes import Bounds, Dot, Line, Rect, Shape, Text

S = TypeVar("S", Rect, Line, Dot, Text)

_RENDER_LOCK = threading.Lock()  # matplotlib's text engine is not thread-safe


def font_families() -> list[str]:
    """The fonts the drawings ask for, first choice first (the locale's ``drawing-font`` message)."""
    from .fonts import families

    return families()


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A label's width in pixels, measured in the fonts the drawing uses (Hangul in the Korean font).

    ``size`` is the label's size in pixels, as :meth:`Scene.text` takes it (drawn at ``size * 0.72`` points).
    """
    from .fonts import text_size

    return text_size(text, size * 0.72, bold)[0]


@dataclass
class Scene:
    """Shapes in drawing order (:mod:`dockerlab.render.shapes`); :meth:`svg` and :meth:`png` write it out."""

    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)

    def add(self, shape: Shape) -> None:
        self.shapes.append(shape)

    def rect(self, x: float, y: float, w: float, h: float, fill: str = "none", stroke: str = "none",
             width: float = 1.0, dash: bool = False, radius: float = 0.0, kind: str = "") -> None:
        self.add(Rect(x, y, w, h, fill, stroke, width, dash, radius, kind))

    def line(self, points: list[tuple[float, float]], stroke: str, width: float = 1.5, dash: bool = False,
             halo: bool = False, kind: str = "") -> None:
        self.add(Line(tuple(points), stroke, width, dash, halo, kind))

    def dot(self, x: float, y: float, r: float, fill: str, stroke: str = "none", kind: str = "") -> None:
        self.add(Dot(x, y, r, fill, stroke, kind))

    def text(self, x: float, y: float, text: str, size: float = 12, colour: str = "#222222", bold: bool = False,
             anchor: str = "start", kind: str = "") -> None:
        """``y`` is the text's middle line; ``anchor`` is start, middle or end."""
        self.add(Text(x, y, text, size, colour, bold, anchor, kind))

    def place(self, other: Scene, dx: float, dy: float) -> None:
        """Copy ``other``'s shapes here, moved by (dx, dy)."""
        self.shapes.extend(shape.moved(dx, dy) for shape in other.shapes)

    def of_kind(self, kind: type[S], name: str | None = None) -> list[S]:
        """The shapes of one type (``Text``...), optionally only those of one ``kind`` (``"legend"``...)."""
        return [s for s in self.shapes if isinstance(s, kind) and (name is None or s.kind == name)]

    def bounds(self, shape: Shape) -> Bounds:
        """Where ``shape`` lies, labels measured with :func:`text_width`."""
        return shape.bounds(text_width)

    def fit(self, margin: float = 10.0) -> None:
        """Make the picture as wide and as tall as what is drawn, with ``margin`` round it."""
        if self.shapes:
            edges = [self.bounds(shape) for shape in self.shapes]
            self.width = math.ceil(max(edge.right for edge in edges) + margin)
            self.height = math.ceil(max(edge.bottom for edge in edges) + margin)

    # -- writing out ------------------------------------------------------------------
    def svg(self, description: str = "") -> str:
        """The picture as SVG text: scalable, with searchable ``<text>`` labels.

        It says what it shows to a screen reader: its ``<title>`` is the picture's title (its first line of
        text of kind ``title``, else the first line of ``description``), its ``<desc>`` the ``description``.
        """
        fonts = ", ".join(f"'{name}'" if " " in name else name for name in font_families())
        titles = [shape.text for shape in self.of_kind(Text, "title")]
        title = titles[0] if titles else description.strip().split("\n", 1)[0]
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}" height="{self.height:.0f}" '
               f'viewBox="0 0 {self.width:.0f} {self.height:.0f}" font-family="{html.escape(fonts)}" role="img">']
        if title:
            out.append(f"<title>{html.escape(title)}</title>")
        if description.strip():
            out.append(f"<desc>{html.escape(description.strip())}</desc>")
        out.append(f'<rect x="0" y="0" width="{self.width:.0f}" height="{self.height:.0f}" fill="white"/>')
        out += [shape.svg() for shape in self.shapes]
        out.append("</svg>")
        return "\n".join(out)

    def png_shown(self) -> tuple[bytes, dict] | None:
        """What a picture's ``_repr_png_`` gives Jupyter: the PNG and its 1x size, or None where none can be drawn."""
        if not can_draw_png():
            return None
        return self.png(), {"width": round(self.width), "height": round(self.height)}

    def png(self, scale: float = 2.0) -> bytes:
        """The picture as PNG at ``scale`` times its size (shown at 1x: sharp on a HiDPI screen)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from .fonts import learners_fonts

        with _RENDER_LOCK, learners_fonts():
            figure = Figure(figsize=(self.width / 100, self.height / 100), dpi=100)
            FigureCanvasAgg(figure)
            axes = figure.add_axes((0, 0, 1, 1))
            axes.set_xlim(0, self.width)
            axes.set_ylim(self.height, 0)
            axes.axis("off")
            for number, shape in enumerate(self.shapes, start=1):
                shape.plot(axes, number * 0.001)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=100 * scale)
        return buffer.getvalue()


def can_draw_png() -> bool:
    """Whether a PNG can be drawn here: matplotlib is installed. A browser's Python (Pyodide: the course in
    JupyterLite) has none, and there a picture shows as its SVG (``_repr_svg_``) instead."""
    return importlib.util.find_spec("matplotlib") is not None
