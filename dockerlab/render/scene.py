"""A picture as a list of shapes (boxes, lines, dots, text), written out as SVG text or as a 2x PNG.

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
import threading
from dataclasses import dataclass, field

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
    """Shapes in drawing order. Each ``add_*`` returns nothing; :meth:`svg` and :meth:`png` write it out."""

    width: float
    height: float
    shapes: list[tuple] = field(default_factory=list)

    def rect(self, x: float, y: float, w: float, h: float, fill: str = "none", stroke: str = "none",
             width: float = 1.0, dash: bool = False, radius: float = 0.0, kind: str = "") -> None:
        self.shapes.append(("rect", x, y, w, h, fill, stroke, width, dash, radius, kind))

    def line(self, points: list[tuple[float, float]], stroke: str, width: float = 1.5, dash: bool = False,
             halo: bool = False, kind: str = "") -> None:
        self.shapes.append(("line", tuple(points), stroke, width, dash, halo, kind))

    def dot(self, x: float, y: float, r: float, fill: str, stroke: str = "none", kind: str = "") -> None:
        self.shapes.append(("dot", x, y, r, fill, stroke, kind))

    def text(self, x: float, y: float, text: str, size: float = 12, colour: str = "#222222", bold: bool = False,
             anchor: str = "start", kind: str = "") -> None:
        """``y`` is the text's middle line; ``anchor`` is start, middle or end."""
        self.shapes.append(("text", x, y, text, size, colour, bold, anchor, kind))

    def place(self, other: Scene, dx: float, dy: float) -> None:
        """Copy ``other``'s shapes here, moved by (dx, dy)."""
        for shape in other.shapes:
            name = shape[0]
            if name == "line":
                self.shapes.append((name, tuple((x + dx, y + dy) for x, y in shape[1]), *shape[2:]))
            else:
                self.shapes.append((name, shape[1] + dx, shape[2] + dy, *shape[3:]))

    # -- writing out ------------------------------------------------------------------
    def svg(self, description: str = "") -> str:
        """The picture as SVG text: scalable, with searchable ``<text>`` labels.

        It says what it shows to a screen reader: its ``<title>`` is the picture's title (its first line of
        text of kind ``title``, else the first line of ``description``), its ``<desc>`` the ``description``.
        """
        fonts = ", ".join(f"'{name}'" if " " in name else name for name in font_families())
        titles = [shape[3] for shape in self.shapes if shape[0] == "text" and shape[-1] == "title"]
        title = titles[0] if titles else description.strip().split("\n", 1)[0]
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}" height="{self.height:.0f}" '
               f'viewBox="0 0 {self.width:.0f} {self.height:.0f}" font-family="{html.escape(fonts)}" role="img">']
        if title:
            out.append(f"<title>{html.escape(title)}</title>")
        if description.strip():
            out.append(f"<desc>{html.escape(description.strip())}</desc>")
        out.append(f'<rect x="0" y="0" width="{self.width:.0f}" height="{self.height:.0f}" fill="white"/>')
        for shape in self.shapes:
            name = shape[0]
            if name == "rect":
                _, x, y, w, h, fill, stroke, width, dash, radius, kind = shape
                out.append(f'<rect class="{kind}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                           f'rx="{radius:.1f}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"'
                           f'{_svg_dash(dash)}/>')
            elif name == "line":
                _, points, stroke, width, dash, halo, kind = shape
                coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                if halo:
                    out.append(f'<polyline points="{coords}" fill="none" stroke="white" '
                               f'stroke-width="{width + 4}"/>')
                out.append(f'<polyline class="{kind}" points="{coords}" fill="none" stroke="{stroke}" '
                           f'stroke-width="{width}"{_svg_dash(dash)}/>')
            elif name == "dot":
                _, x, y, r, fill, stroke, kind = shape
                out.append(f'<circle class="{kind}" cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}" '
                           f'stroke="{stroke}"/>')
            else:
                _, x, y, text, size, colour, bold, anchor, kind = shape
                weight = ' font-weight="bold"' if bold else ""
                out.append(f'<text class="{kind}" x="{x:.1f}" y="{y + size * 0.35:.1f}" font-size="{size}" '
                           f'fill="{colour}" text-anchor="{anchor}"{weight}>{html.escape(text)}</text>')
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
        from matplotlib.patches import Circle, FancyBboxPatch

        from .fonts import learners_fonts

        with _RENDER_LOCK, learners_fonts():
            figure = Figure(figsize=(self.width / 100, self.height / 100), dpi=100)
            FigureCanvasAgg(figure)
            axes = figure.add_axes((0, 0, 1, 1))
            axes.set_xlim(0, self.width)
            axes.set_ylim(self.height, 0)
            axes.axis("off")
            z = 0.0
            for shape in self.shapes:
                z += 0.001
                name = shape[0]
                if name == "rect":
                    _, x, y, w, h, fill, stroke, width, dash, radius, _ = shape
                    axes.add_patch(FancyBboxPatch(
                        (x, y), w, h, boxstyle=f"round,pad=0,rounding_size={radius}" if radius else "square,pad=0",
                        facecolor=fill, edgecolor=stroke, linewidth=width * 0.72,
                        linestyle="--" if dash else "-", zorder=z))
                elif name == "line":
                    _, points, stroke, width, dash, halo, _ = shape
                    xs, ys = zip(*points, strict=True)
                    if halo:
                        axes.plot(xs, ys, color="white", linewidth=(width + 4) * 0.72, zorder=z,
                                  solid_capstyle="butt")
                    axes.plot(xs, ys, color=stroke, linewidth=width * 0.72, linestyle="--" if dash else "-",
                              zorder=z + 0.0001, solid_capstyle="butt")
                elif name == "dot":
                    _, x, y, r, fill, stroke, _ = shape
                    axes.add_patch(Circle((x, y), r, facecolor=fill, edgecolor=stroke, zorder=z))
                else:
                    _, x, y, text, size, colour, bold, anchor, _ = shape
                    axes.text(x, y, text, fontsize=size * 0.72, color=colour, ha="left" if anchor == "start" else
                              "center" if anchor == "middle" else "right", va="center_baseline",
                              fontweight="bold" if bold else "normal", zorder=z)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=100 * scale)
        return buffer.getvalue()


def can_draw_png() -> bool:
    """Whether a PNG can be drawn here: matplotlib is installed. A browser's Python (Pyodide: the course in
    JupyterLite) has none, and there a picture shows as its SVG (``_repr_svg_``) instead."""
    return importlib.util.find_spec("matplotlib") is not None


def _svg_dash(dash: bool) -> str:
    return ' stroke-dasharray="5 3"' if dash else ""
